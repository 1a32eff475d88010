import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { addMembership, createSession, createUser } from '../src/storage/accounts.ts';
import type { Database } from '../src/storage/database.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/** GET /api/v1/support/distribution, /support/agents and /journey: numbers, validation, access. */

async function member(db: Database, workspace: Workspace, role: Role): Promise<string> {
  const user = await createUser(db, { email: `s-${randomUUID().slice(0, 8)}@example.com`, passwordHash: null });
  await addMembership(db, workspace.id, user.id, role);
  return `sada_session=${(await createSession(db, user.id)).token}`;
}

const at = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

async function tickets(db: Database, ws: Workspace) {
  // id, created, first response after (s), channel, agent, resolved after (s)
  const rows: Array<[string, string, number | null, string, string | null, number | null]> = [
    ['a', '2026-05-04T10:00:00Z', 30, 'email', 'E-1', 3600],
    ['b', '2026-05-05T10:00:00Z', 45, 'chat', 'E-1', 7200],
    ['c', '2026-05-06T10:00:00Z', 90, 'email', 'E-2', 90000],
    ['d', '2026-05-07T10:00:00Z', 7200, 'email', 'E-2', null],
    ['e', '2026-05-08T10:00:00Z', null, 'email', null, null], // never answered: not in FRT's n
    ['f', '2026-03-02T10:00:00Z', 10, 'email', 'E-1', 60], // before the range asked for
  ];
  for (const [id, created, frt, channel, agent, resolved] of rows) {
    await db.query(
      `INSERT INTO tickets (workspace_id, id, created_at, first_response_at, channel, agent_id, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [ws.id, id, created, frt === null ? null : at(created, frt), channel, agent, resolved === null ? null : at(created, resolved)],
    );
  }
  await db.query(
    `INSERT INTO employees (workspace_id, id, name, team_id, is_agent) VALUES ($1, 'E-1', 'Noura', 'support-ar', true), ($1, 'E-2', 'Jonas', 'support-lt', NULL), ($1, 'E-3', 'Ada', 'finance', false)`,
    [ws.id],
  );
}

async function answers(db: Database, ws: Workspace) {
  const rows: Array<[string, string | null, number, number]> = [
    // touchpoint, positive of n (CSAT on 1–5)
    ['website', 36, 40],
    ['checkout', 20, 40],
    ['returns', 0, 5],
    ['brand-new-step', 3, 3],
  ].map(([tp, x, n]) => [tp as string, null, x as number, n as number]);
  let id = 0;
  for (const [touchpoint, , positive, n] of rows) {
    for (let i = 0; i < n; i++) {
      await db.query(
        `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, touchpoint) VALUES ($1, $2, 'csat', $3, 1, 5, $4, $5)`,
        [ws.id, `r${id++}`, i < positive ? 5 : 2, `2026-0${5 + (i % 3)}-10T12:00:00Z`, touchpoint],
      );
    }
  }
  // NPS asked of the relationship, not at a touchpoint; an old CSAT answer outside the default range.
  for (let i = 0; i < 10; i++) {
    await db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at) VALUES ($1, $2, 'nps', $3, 0, 10, '2026-07-01T09:00:00Z')`, [ws.id, `n${i}`, i < 6 ? 10 : 3]);
  }
  await db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, touchpoint) VALUES ($1, 'old', 'csat', 1, 1, 5, '2026-01-10T12:00:00Z', 'website')`, [ws.id]);
}

describeEachEngine('support and journey API', (t) => {
  const appFor = (ws: Workspace) => createApp({ db: t.db, version: 'test', defaultWorkspace: ws.name });

  test('distribution: tickets per log-spaced bucket, n and median equal to the metric\'s, filters apply', async () => {
    const ws = await t.workspace('sup');
    await tickets(t.db, ws);
    const app = appFor(ws);
    const cookie = await member(t.db, ws, 'viewer');
    const get = async (path: string) => {
      const response = await app.request(path, { headers: { cookie } });
      assert.equal(response.status, 200, await response.clone().text());
      return response.json();
    };
    const range = `workspace=${ws.name}&from=2026-05-01&to=2026-05-31`;
    const frt = await get(`/api/v1/support/distribution?measure=frt&${range}`);
    // 30 s and 45 s in [30 s, 1 min), 90 s in [1 min, 2 min), 7,200 s in [2 h, 4 h); the buckets between are empty.
    assert.deepEqual(frt.buckets.map((b: { from: number; to: number; n: number }) => [b.from, b.to, b.n]), [
      [30, 60, 2], [60, 120, 1], [120, 300, 0], [300, 600, 0], [600, 1200, 0], [1200, 1800, 0], [1800, 3600, 0], [3600, 7200, 0], [7200, 14400, 1],
    ]);
    assert.equal(frt.n, 4, 'the unanswered ticket and the one before the range are not in it');
    const metric = await get(`/api/v1/metrics/frt?${range}`);
    assert.equal(frt.summary.n, metric.groups[0].n);
    assert.equal(frt.summary.median, metric.groups[0].median);
    assert.equal(frt.summary.median, 45, 'type 1: the 2nd of 4');
    assert.equal(frt.summary.p90, 7200, 'type 1: the 4th of 4');
    assert.deepEqual(frt.summary.p90_ci, metric.groups[0].p90_ci);
    assert.ok(frt.edges.includes(3600));

    const chat = await get(`/api/v1/support/distribution?measure=frt&${range}&where=channel%3Dchat`);
    assert.deepEqual(chat.buckets.map((b: { n: number }) => b.n), [1]);
    assert.equal(chat.summary.median, 45);

    const resolution = await get(`/api/v1/support/distribution?measure=resolution_time&${range}`);
    // resolved in May: a (1 h), b (2 h), c (25 h)
    assert.deepEqual(resolution.buckets.map((b: { from: number; n: number }) => [b.from, b.n]), [[3600, 1], [7200, 1], [14400, 0], [28800, 0], [43200, 0], [86400, 1]]);
    const business = await get(`/api/v1/support/distribution?measure=frt_business&${range}`);
    assert.equal(business.n, 4);
    assert.equal(business.summary.n, 4);

    const none = await get(`/api/v1/support/distribution?measure=frt&workspace=${ws.name}&from=2025-01-01&to=2025-01-31`);
    assert.deepEqual(none.buckets, []);
    assert.equal(none.summary, null);
  });

  test('distribution: a message a person can act on for bad input', async () => {
    const ws = await t.workspace('sup');
    const app = appFor(ws);
    const cookie = await member(t.db, ws, 'viewer');
    const bad = async (query: string, pattern: RegExp) => {
      const response = await app.request(`/api/v1/support/distribution?workspace=${ws.name}&${query}`, { headers: { cookie } });
      assert.equal(response.status, 400, query);
      assert.match((await response.json()).message, pattern);
    };
    await bad('measure=nps', /measure must be one of frt, frt_business, resolution_time/);
    await bad('', /measure must be one of/);
    await bad('measure=frt&from=May', /"May" is not a date written YYYY-MM-DD/);
    await bad('measure=frt&where=colour%3Dred', /cannot break tickets down by "colour"/);
    const journey = await app.request(`/api/v1/journey?workspace=${ws.name}&to=2026-13-01`, { headers: { cookie } });
    assert.equal(journey.status, 400);
  });

  test('agents: names and teams of the people who handle tickets', async () => {
    const ws = await t.workspace('sup');
    await tickets(t.db, ws);
    const response = await appFor(ws).request(`/api/v1/support/agents?workspace=${ws.name}`, { headers: { cookie: await member(t.db, ws, 'viewer') } });
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).agents, [
      { id: 'E-1', name: 'Noura', team: 'support-ar' },
      { id: 'E-2', name: 'Jonas', team: 'support-lt' }, // not marked an agent, but a ticket names them
    ]);
  });

  test('journey: steps in journey order with n, the weakest step, answers outside the journey, the default range', async () => {
    const ws = await t.workspace('jour');
    await answers(t.db, ws);
    const app = appFor(ws);
    const cookie = await member(t.db, ws, 'viewer');
    const response = await app.request(`/api/v1/journey?workspace=${ws.name}`, { headers: { cookie } });
    assert.equal(response.status, 200, await response.clone().text());
    const body = await response.json();
    assert.deepEqual(body.months, ['2026-01', '2026-05', '2026-06', '2026-07']);
    assert.equal(body.from, '2026-05-01', 'the last three months of answers');
    assert.equal(body.to, '2026-07-31');
    assert.deepEqual(body.steps.map((s: { touchpoint: string }) => s.touchpoint), ['website', 'checkout', 'returns', 'brand-new-step'], 'built-in order, unknown after');
    const website = body.steps[0];
    assert.equal(website.csat.n, 40, 'the January answer is outside the range');
    assert.equal(website.csat.value, 90);
    assert.equal(body.steps[1].csat.value, 50);
    assert.equal(body.steps[0].nps, null);
    assert.equal(body.outside.nps.n, 10);
    assert.equal(body.outside.nps.value, 20, '6 promoters, 4 detractors of 10');
    // Returns (0%) and the new step are lowest and highest but have fewer than 30 answers.
    assert.deepEqual(body.weakest, { touchpoint: 'checkout', metric: 'csat', value: 50, n: 40, best: { touchpoint: 'website', value: 90, n: 40 }, separated: true });
    assert.equal(body.minN, 30);
    // The same numbers as the metrics API.
    const metric = await (await app.request(`/api/v1/metrics/csat?workspace=${ws.name}&by=touchpoint&from=2026-05-01&to=2026-07-31`, { headers: { cookie } })).json();
    for (const step of body.steps) {
      const group = metric.groups.find((g: { key: { touchpoint: string } }) => g.key.touchpoint === step.touchpoint);
      assert.deepEqual([step.csat.value, step.csat.n, step.csat.ci], [group.value, group.n, group.ci], step.touchpoint);
    }
    // A range and a filter.
    const january = await (await app.request(`/api/v1/journey?workspace=${ws.name}&from=2026-01-01&to=2026-01-31`, { headers: { cookie } })).json();
    assert.deepEqual(january.steps.map((s: { touchpoint: string; csat: { n: number } }) => [s.touchpoint, s.csat.n]), [['website', 1]]);
    assert.equal(january.weakest, null);
  });

  test('access: a workspace of someone else is a 404, signed out is a 401, a viewer may read', async () => {
    const mine = await t.workspace('mine');
    const theirs = await t.workspace('theirs');
    const app = appFor(mine);
    const cookie = await member(t.db, mine, 'viewer');
    for (const path of ['/api/v1/support/distribution?measure=frt', '/api/v1/support/agents', '/api/v1/journey']) {
      const joined = (ws: string) => `${path}${path.includes('?') ? '&' : '?'}workspace=${ws}`;
      const foreign = await app.request(joined(theirs.name), { headers: { cookie } });
      assert.equal(foreign.status, 404, path);
      assert.deepEqual(await foreign.json(), { error: 'not_found', message: `There is no workspace "${theirs.name}".` });
      assert.equal((await app.request(joined(mine.name))).status, 401, `${path} signed out`);
      assert.equal((await app.request(joined(mine.name), { headers: { cookie } })).status, 200, `${path} as a viewer`);
    }
  });
});
