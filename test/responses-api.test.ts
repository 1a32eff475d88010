import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { addMembership, createSession, createUser } from '../src/storage/accounts.ts';
import type { Database } from '../src/storage/database.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * GET /api/v1/responses, /responses/facets, /customers/:id/timeline and /people: workspace
 * isolation (a foreign workspace and another workspace's customer are 404), validation (400 with
 * a message), keyset pagination without duplicates or gaps, and ESAT/eNPS suppression.
 */

async function member(db: Database, workspace: Workspace, role: Role): Promise<string> {
  const user = await createUser(db, { email: `r-${randomUUID().slice(0, 8)}@example.com`, name: 'Rana', passwordHash: 'x' });
  await addMembership(db, workspace.id, user.id, role);
  const { token } = await createSession(db, user.id);
  return `sada_session=${token}`;
}

async function insert(db: Database, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
  }
}

/** 23 answers, several sharing a second (the id breaks the tie), two employees', one hostile comment. */
async function fixture(db: Database, workspace: Workspace): Promise<void> {
  const w = workspace.id;
  await insert(db, 'customers', [
    { workspace_id: w, id: 'c-1', name: 'Laila', segment: 'smb' },
    { workspace_id: w, id: 'c-2', name: 'Jonas' },
  ]);
  const responses: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 20; i++) {
    responses.push({
      workspace_id: w, id: `r-${String(i).padStart(2, '0')}`, kind: i % 2 ? 'nps' : 'csat', score: i % 2 ? i % 11 : 1 + (i % 5),
      scale_min: i % 2 ? 0 : 1, scale_max: i % 2 ? 10 : 5, language: i % 3 ? 'en' : 'ar', touchpoint: i % 4 ? 'support' : 'checkout',
      survey_id: 'post-support', customer_id: i % 2 ? 'c-1' : 'c-2', comment: i % 5 === 0 ? `comment number ${i} about delivery` : null,
      // Three answers per second: ties everywhere.
      submitted_at: new Date(Date.UTC(2026, 9, 1 + Math.floor(i / 3), 12, 0, 0, 123)),
    });
  }
  responses.push({ workspace_id: w, id: 'hostile', kind: 'csat', score: 1, scale_min: 1, scale_max: 5, language: 'en', customer_id: 'c-1', comment: '<img src=x onerror=alert(1)> =HYPERLINK("http://evil.test","x") 100%_off', submitted_at: new Date(Date.UTC(2026, 9, 20)) });
  responses.push({ workspace_id: w, id: 'emp-1', kind: 'esat', score: 2, scale_min: 1, scale_max: 5, employee_id: 'e-1', comment: 'my manager', submitted_at: new Date(Date.UTC(2026, 9, 2)) });
  responses.push({ workspace_id: w, id: 'emp-2', kind: 'choice', answer: 'remote', employee_id: 'e-1', submitted_at: new Date(Date.UTC(2026, 9, 2)) });
  await insert(db, 'responses', responses);
  await insert(db, 'tickets', [{ workspace_id: w, id: 't-1', customer_id: 'c-1', created_at: new Date(Date.UTC(2026, 9, 1, 9)), subject: 'Late parcel', status: 'solved' }]);
  await insert(db, 'orders', [{ workspace_id: w, id: 'o-1', customer_id: 'c-1', placed_at: new Date(Date.UTC(2026, 8, 28)), amount: 42.5, currency: 'EUR', status: 'paid' }]);
}

describeEachEngine('responses API', (t) => {
  const setup = async () => {
    const workspace = await t.workspace('resp');
    const other = await t.workspace('resp-other');
    await fixture(t.db, workspace);
    await insert(t.db, 'customers', [{ workspace_id: other.id, id: 'c-foreign', name: 'Other shop customer' }]);
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: workspace.name });
    const cookie = await member(t.db, workspace, 'viewer');
    const get = (path: string, who = cookie) => app.request(path, { headers: { cookie: who } });
    return { workspace, other, app, cookie, get };
  };

  test('pages walk every customer answer once, newest first, in a stable order; employees\' answers are not listed', async () => {
    const { workspace, get } = await setup();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let total: number | undefined;
    do {
      const response = await get(`/api/v1/responses?workspace=${workspace.name}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { total?: number; responses: Array<{ id: string; submittedAt: string }>; next: string | null };
      if (pages === 0) total = body.total;
      seen.push(...body.responses.map((r) => r.id));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 20);
    assert.equal(total, 21);
    assert.equal(pages, 6, '21 answers in pages of 4');
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    const rows = await t.db.query<{ id: string }>(
      `SELECT id FROM responses WHERE workspace_id = $1 AND employee_id IS NULL ORDER BY submitted_at DESC, id DESC`, [workspace.id]);
    assert.deepEqual(seen, rows.map((r) => r.id), 'no gaps, and the same order as the table');
    assert.ok(!seen.includes('emp-1') && !seen.includes('emp-2'));
    // An answer arriving while someone pages does not shift the next page.
    const first = (await (await get(`/api/v1/responses?workspace=${workspace.name}&limit=4`)).json()) as { next: string };
    await insert(t.db, 'responses', [{ workspace_id: workspace.id, id: 'new', kind: 'csat', score: 5, scale_min: 1, scale_max: 5, submitted_at: new Date(Date.UTC(2026, 10, 1)) }]);
    const second = (await (await get(`/api/v1/responses?workspace=${workspace.name}&limit=4&cursor=${first.next}`)).json()) as { responses: Array<{ id: string }> };
    assert.deepEqual(second.responses.map((r) => r.id), seen.slice(4, 8));
  });

  test('filters: text search (as typed, % and _ literal), kind, score band, language, touchpoint, survey, dates', async () => {
    const { workspace, get } = await setup();
    const ids = async (query: string) => {
      const response = await get(`/api/v1/responses?workspace=${workspace.name}&limit=500&${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as { responses: Array<{ id: string }> }).responses.map((r) => r.id).sort();
    };
    assert.deepEqual(await ids('q=DELIVERY'), ['r-00', 'r-05', 'r-10', 'r-15']);
    assert.deepEqual(await ids(`q=${encodeURIComponent('100%_off')}`), ['hostile']);
    assert.deepEqual(await ids(`q=${encodeURIComponent('0%')}`), ['hostile'], '% is not a wildcard');
    assert.deepEqual(await ids('q=manager'), [], 'an employee\'s comment is never found');
    // NPS answers are r-01, r-03, … r-19 scoring i mod 11: 1, 3, 5, 7, 9, 0, 2, 4, 6, 8.
    assert.deepEqual(await ids('kind=nps&score_max=6'), ['r-01', 'r-03', 'r-05', 'r-11', 'r-13', 'r-15', 'r-17'], 'detractors');
    assert.deepEqual(await ids('kind=nps&score_min=9'), ['r-09'], 'promoters');
    assert.deepEqual(await ids('language=ar&touchpoint=checkout'), ['r-00', 'r-12']);
    assert.deepEqual(await ids('survey=none'), []);
    assert.deepEqual(await ids('from=2026-10-07&to=2026-10-07'), ['r-18', 'r-19'], 'a day in the workspace\'s zone (UTC here)');
    assert.equal((await ids('with_comment=true')).length, 5);
  });

  test('bad input: 400 with a message; foreign workspace 404; esat is not listable', async () => {
    const { workspace, other, get } = await setup();
    for (const [query, message] of [
      ['limit=0', /limit must be a whole number from 1 to 500/],
      ['limit=501', /limit must be a whole number from 1 to 500/],
      ['limit=abc', /limit must be a whole number/],
      ['limit=2.5', /limit must be a whole number/],
      ['score_min=x', /score_min must be a number/],
      ['score_min=9&score_max=3', /score_min \(9\) is above score_max \(3\)/],
      ['from=2026-13-01', /from must be a day written YYYY-MM-DD/],
      ['from=2026-10-05&to=2026-10-01', /before from/],
      ['kind=esat', /confidential/],
      ['kind=mood', /is not a question kind/],
      ['cursor=garbage', /cursor is not one this server gave out/],
      [`q=${'x'.repeat(201)}`, /at most 200 characters/],
    ] as const) {
      const response = await get(`/api/v1/responses?workspace=${workspace.name}&${query}`);
      assert.equal(response.status, 400, query);
      assert.match(((await response.json()) as { message: string }).message, message, query);
    }
    for (const path of [`/api/v1/responses?workspace=${other.name}`, `/api/v1/responses/facets?workspace=${other.name}`, `/api/v1/customers/c-foreign/timeline?workspace=${other.name}`, `/api/v1/people?workspace=${other.name}`, '/api/v1/responses?workspace=no-such-place']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.match(((await response.json()) as { message: string }).message, /There is no workspace/);
    }
    assert.equal((await get(`/api/v1/responses?workspace=${workspace.name}`, '')).status, 401, 'signed out');
  });

  test('a customer\'s timeline: responses, tickets and orders in time order; another workspace\'s customer is 404', async () => {
    const { workspace, get } = await setup();
    const response = await get(`/api/v1/customers/c-1/timeline?workspace=${workspace.name}`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { customer: { name: string }; events: Array<{ type: string; id: string; at: string }> };
    assert.equal(body.customer.name, 'Laila');
    assert.deepEqual(body.events.slice(0, 3).map((e) => `${e.type}:${e.id}`), ['order:o-1', 'ticket:t-1', 'response:r-01']);
    assert.equal(body.events.filter((e) => e.type === 'response').length, 11);
    assert.deepEqual(body.events.map((e) => e.at), body.events.map((e) => e.at).sort());
    for (const id of ['c-foreign', 'nobody']) {
      const missing = await get(`/api/v1/customers/${id}/timeline?workspace=${workspace.name}`);
      assert.equal(missing.status, 404, id);
      assert.match(((await missing.json()) as { message: string }).message, new RegExp(`There is no customer "${id}"`));
    }
  });

  test('facets list what customers answered, never the employee kinds', async () => {
    const { workspace, get } = await setup();
    const body = (await (await get(`/api/v1/responses/facets?workspace=${workspace.name}`)).json()) as Record<string, string[]>;
    assert.deepEqual(body.kinds, ['csat', 'nps']);
    assert.deepEqual(body.languages, ['ar', 'en']);
    assert.deepEqual(body.touchpoints, ['checkout', 'support']);
  });

  test('people: ESAT by team hides teams with fewer than 5 answers (and one more to stop subtraction); CSAT by the agent\'s team', async () => {
    const { workspace, get } = await setup();
    const w = workspace.id;
    await insert(t.db, 'teams', [{ workspace_id: w, id: 'ops', name: 'Operations' }, { workspace_id: w, id: 'care', name: 'Care' }, { workspace_id: w, id: 'hq', name: 'HQ' }]);
    await insert(t.db, 'employees', [
      ...Array.from({ length: 8 }, (_, i) => ({ workspace_id: w, id: `ops-${i}`, team_id: 'ops' })),
      ...Array.from({ length: 6 }, (_, i) => ({ workspace_id: w, id: `care-${i}`, team_id: 'care', is_agent: true })),
      ...Array.from({ length: 2 }, (_, i) => ({ workspace_id: w, id: `hq-${i}`, team_id: 'hq' })),
    ]);
    const at = new Date(Date.UTC(2026, 7, 10));
    await insert(t.db, 'responses', [
      ...Array.from({ length: 8 }, (_, i) => ({ workspace_id: w, id: `es-ops-${i}`, kind: 'esat', score: i < 6 ? 5 : 2, scale_min: 1, scale_max: 5, employee_id: `ops-${i}`, submitted_at: at })),
      ...Array.from({ length: 6 }, (_, i) => ({ workspace_id: w, id: `es-care-${i}`, kind: 'esat', score: i < 3 ? 4 : 1, scale_min: 1, scale_max: 5, employee_id: `care-${i}`, submitted_at: at })),
      ...Array.from({ length: 2 }, (_, i) => ({ workspace_id: w, id: `es-hq-${i}`, kind: 'esat', score: 5, scale_min: 1, scale_max: 5, employee_id: `hq-${i}`, submitted_at: at })),
      ...Array.from({ length: 10 }, (_, i) => ({ workspace_id: w, id: `cs-care-${i}`, kind: 'csat', score: i < 7 ? 5 : 1, scale_min: 1, scale_max: 5, agent_id: `care-${i % 6}`, customer_id: 'c-2', submitted_at: at })),
    ]);
    const response = await get(`/api/v1/people?workspace=${workspace.name}&period=quarter&from=2026-07-01&to=2026-09-30`);
    assert.equal(response.status, 200, await response.clone().text());
    type Group = { key: Record<string, string | null>; value: number | null; n: number; suppressed?: boolean; positive?: number };
    const body = (await response.json()) as { minAnswers: number; teams: Array<{ id: string; name: string }>; esat: { groups: Group[] }; esatTotal: { groups: Group[] }; csatByTeam: { groups: Group[] } };
    assert.equal(body.minAnswers, 5);
    assert.deepEqual(body.teams.map((team) => team.name), ['Care', 'HQ', 'Operations']);
    const team = (id: string) => body.esat.groups.find((g) => g.key.team === id)!;
    assert.deepEqual(team('hq'), { key: { quarter: '2026-Q3', team: 'hq' }, n: 2, value: null, ci: null, suppressed: true });
    assert.equal(team('care').value, null, 'care (6) is the smallest other team: hidden so HQ = total − the rest cannot be computed');
    assert.equal(team('care').suppressed, true);
    assert.equal(team('ops').value, 75);
    assert.equal(team('ops').n, 8);
    assert.equal(body.esatTotal.groups[0]!.value, 68.75, '11 of 16 satisfied (4–5 of 5): the company total is shown');
    const care = body.csatByTeam.groups.find((g) => g.key.team === 'care')!;
    assert.deepEqual([care.value, care.n], [70, 10], 'customers\' CSAT belongs to the team of the agent who served them');
    // The metrics API applies the same rule.
    const metrics = (await (await get(`/api/v1/metrics/esat?workspace=${workspace.name}&by=team`)).json()) as { groups: Group[] };
    assert.equal(metrics.groups.find((g) => g.key.team === 'hq')!.value, null);
    assert.equal(metrics.groups.find((g) => g.key.team === 'hq')!.positive, undefined, 'no detail leaks the hidden value');
    const bad = await get(`/api/v1/people?workspace=${workspace.name}&period=week`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /period must be one of quarter, month/);
  });
});
