import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { METRIC_NAMES } from '../src/metrics/definitions.ts';
import { metricReport } from '../src/reports/metric-report.ts';
import { compareNps } from '../src/stats/compare.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { csvLoader } from './support/load.ts';

/**
 * The annotations API (list, add, change, delete, before/after impact) and the metric catalogue
 * the Explore page reads: roles, workspaces kept apart, validation messages, audit, and the
 * before/after numbers against metricReport and compareNps directly.
 */

const close = (actual: number | null | undefined, expected: number, digits = 9) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 10 ** -digits, `${actual} ≈ ${expected}`);

describeEachEngine('annotations API', (t) => {
  const load = csvLoader(t);
  const app = () => createApp({ db: t.db, version: 'test', defaultWorkspace: 'nowhere' });
  const keyFor = async (workspace: Workspace, role: Role) => (await createApiKey(t.db, { workspaceId: workspace.id, name: `${role} key`, role })).secret;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  test('analysts add, change and delete; viewers read and get 403 on writes; every change audited', async () => {
    const ws = await t.workspace('ann');
    const analyst = await keyFor(ws, 'analyst');
    const viewer = await keyFor(ws, 'viewer');
    const q = `workspace=${ws.name}`;

    const refused = await call(viewer, 'POST', `/api/v1/annotations?${q}`, { day: '2026-09-15', text: 'Training' });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /viewer/);

    const created = await call(analyst, 'POST', `/api/v1/annotations?${q}`, { day: '2026-09-15', text: '  Returns policy simplified  ', category: 'redesign', metric: 'csat' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.annotation.id as number;
    assert.deepEqual(
      { ...created.body.annotation, id: 0, createdBy: '', createdAt: '', updatedAt: '' },
      { id: 0, day: '2026-09-15', text: 'Returns policy simplified', note: null, category: 'redesign', metric: 'csat', createdBy: '', createdAt: '', updatedAt: '' },
    );
    assert.match(created.body.annotation.createdBy, /\(analyst key\)$/, 'who wrote it, as the audit log names them');
    await call(analyst, 'POST', `/api/v1/annotations?${q}`, { day: '2026-10-02', text: 'Outage' });

    const list = await call(viewer, 'GET', `/api/v1/annotations?${q}&period=week`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.annotations.map((a: { day: string; period: string }) => [a.day, a.period]), [['2026-09-15', '2026-W38'], ['2026-10-02', '2026-W40']]);
    const ranged = await call(viewer, 'GET', `/api/v1/annotations?${q}&from=2026-10-01&to=2026-10-31&period=quarter`);
    assert.deepEqual(ranged.body.annotations.map((a: { text: string; period: string }) => [a.text, a.period]), [['Outage', '2026-Q4']]);

    assert.equal((await call(viewer, 'PATCH', `/api/v1/annotations/${id}?${q}`, { text: 'x' })).status, 403);
    assert.equal((await call(viewer, 'DELETE', `/api/v1/annotations/${id}?${q}`)).status, 403);
    const patched = await call(analyst, 'PATCH', `/api/v1/annotations/${id}?${q}`, { text: 'New returns policy', category: null, note: 'Free returns for 60 days' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.annotation.text, 'New returns policy');
    assert.equal(patched.body.annotation.category, null);
    assert.equal(patched.body.annotation.note, 'Free returns for 60 days');
    assert.equal(patched.body.annotation.day, '2026-09-15', 'fields not sent stay');

    assert.equal((await call(analyst, 'DELETE', `/api/v1/annotations/${id}?${q}`)).status, 204);
    assert.equal((await call(analyst, 'DELETE', `/api/v1/annotations/${id}?${q}`)).status, 404);
    assert.equal((await call(viewer, 'GET', `/api/v1/annotations/${id}?${q}`)).status, 404);

    const audit = (await listAudit(t.db, ws.id)).reverse();
    assert.deepEqual(audit.map((a) => [a.action, a.target]), [
      ['annotation.create', `annotation:${id}`],
      ['annotation.create', `annotation:${id + 1}`],
      ['annotation.update', `annotation:${id}`],
      ['annotation.delete', `annotation:${id}`],
    ]);
    assert.deepEqual(audit[2]!.details.text, { from: 'Returns policy simplified', to: 'New returns policy' });
    assert.equal(audit[0]!.actor.label, created.body.annotation.createdBy);
  });

  test('bad input is refused with a message a person can act on', async () => {
    const ws = await t.workspace('ann');
    const analyst = await keyFor(ws, 'analyst');
    const post = (body: unknown) => call(analyst, 'POST', `/api/v1/annotations?workspace=${ws.name}`, body);
    const cases: Array<[unknown, RegExp]> = [
      [{ text: 'No day' }, /day is required/],
      [{ day: '15/09/2026', text: 'x' }, /YYYY-MM-DD/],
      [{ day: '2026-02-30', text: 'x' }, /real date/],
      [{ day: '2026-09-15', text: '   ' }, /must not be empty/],
      [{ day: '2026-09-15', text: 'x'.repeat(201) }, /at most 200 characters/],
      [{ day: '2026-09-15', text: 'x', note: 'y'.repeat(2001) }, /note must be at most 2000/],
      [{ day: '2026-09-15', text: 'x', category: 'party' }, /category must be one of training/],
      [{ day: '2026-09-15', text: 'x', metric: 'happiness' }, /metric must be one of nps/],
      [{ day: '2026-09-15', text: 'x', colour: 'red' }, /unknown field colour/],
    ];
    for (const [body, message] of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(response.body.message, message);
    }
    const broken = await app().request(`/api/v1/annotations?workspace=${ws.name}`, { method: 'POST', headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' }, body: '{"day":' });
    assert.equal(broken.status, 400);
    assert.equal((await call(analyst, 'PATCH', `/api/v1/annotations/1?workspace=${ws.name}`, {})).status, 400, 'an empty change is refused');
    assert.match((await call(analyst, 'GET', `/api/v1/annotations?workspace=${ws.name}&from=yesterday`)).body.message, /from must be a date/);
    assert.match((await call(analyst, 'GET', `/api/v1/annotations?workspace=${ws.name}&period=decade`)).body.message, /period must be one of/);
    assert.equal((await call(analyst, 'PATCH', `/api/v1/annotations/abc?workspace=${ws.name}`, { text: 'x' })).status, 404);
  });

  test('another workspace\'s annotations: 404, never read or changed', async () => {
    const ws = await t.workspace('ann');
    const other = await t.workspace('ann-other');
    const mine = await keyFor(ws, 'admin');
    const theirs = await keyFor(other, 'admin');
    const created = await call(mine, 'POST', `/api/v1/annotations?workspace=${ws.name}`, { day: '2026-09-15', text: 'Ours' });
    const id = created.body.annotation.id as number;
    // Their key names our workspace: the workspace "does not exist" for them.
    assert.equal((await call(theirs, 'GET', `/api/v1/annotations?workspace=${ws.name}`)).status, 404);
    assert.equal((await call(theirs, 'POST', `/api/v1/annotations?workspace=${ws.name}`, { day: '2026-09-15', text: 'x' })).status, 404);
    assert.equal((await call(theirs, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}`)).status, 404);
    // Their key in their own workspace, with our annotation's id: no such annotation there.
    assert.equal((await call(theirs, 'GET', `/api/v1/annotations/${id}?workspace=${other.name}`)).status, 404);
    assert.equal((await call(theirs, 'PATCH', `/api/v1/annotations/${id}?workspace=${other.name}`, { text: 'Theirs now' })).status, 404);
    assert.equal((await call(theirs, 'DELETE', `/api/v1/annotations/${id}?workspace=${other.name}`)).status, 404);
    assert.equal((await call(theirs, 'GET', `/api/v1/annotations/${id}/impact?workspace=${other.name}`)).status, 404);
    assert.deepEqual((await call(theirs, 'GET', `/api/v1/annotations?workspace=${other.name}`)).body.annotations, []);
    const still = await call(mine, 'GET', `/api/v1/annotations/${id}?workspace=${ws.name}`);
    assert.equal(still.body.annotation.text, 'Ours');
  });

  test('impact: N days before vs N days after (the day itself in neither), tested like period-over-period changes', async () => {
    const ws = await t.workspace('ann');
    const viewer = await keyFor(ws, 'viewer');
    const analyst = await keyFor(ws, 'analyst');
    // Event on 2024-03-11, windows of 10 days: before 2024-03-01..03-10, after 03-12..03-21.
    // Before: 10,10,9,9 (4 promoters) 8,7 (2 passives) 6,5,3,0 (4 detractors) → NPS 0.
    // After: 10×5, 9×3 (8 promoters), 8 (1 passive), 2 (1 detractor) → NPS 70. Δ = +70.
    const before = [10, 10, 9, 9, 8, 7, 6, 5, 3, 0].map((s, i) => `b${i},nps,${s},2024-03-${String(1 + i).padStart(2, '0')}T12:00:00Z`);
    const after = [10, 10, 10, 10, 10, 9, 9, 9, 8, 2].map((s, i) => `a${i},nps,${s},2024-03-${String(12 + i).padStart(2, '0')}T12:00:00Z`);
    // Outside both windows: the day itself, the day before the before window, the day after the after window.
    const outside = ['o1,nps,0,2024-03-11T12:00:00Z', 'o2,nps,0,2024-02-29T12:00:00Z', 'o3,nps,0,2024-03-22T12:00:00Z'];
    await load(ws, 'responses', `id,kind,score,submitted_at\n${[...before, ...after, ...outside].join('\n')}\n`);
    const created = await call(analyst, 'POST', `/api/v1/annotations?workspace=${ws.name}`, { day: '2024-03-11', text: 'Agents trained' });
    const id = created.body.annotation.id as number;

    const impact = await call(viewer, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}&days=10`);
    assert.equal(impact.status, 200, JSON.stringify(impact.body));
    const body = impact.body;
    assert.equal(body.metric, 'nps', 'NPS by default');
    assert.deepEqual([body.before.from, body.before.to, body.after.from, body.after.to], ['2024-03-01', '2024-03-10', '2024-03-12', '2024-03-21']);
    assert.deepEqual([body.before.value, body.before.n, body.after.value, body.after.n], [0, 10, 70, 10]);
    // The same numbers as the metric API for those ranges, and the same test as the period changes.
    const reportBefore = await metricReport(t.db, ws, { metric: 'nps', from: '2024-03-01', to: '2024-03-10' });
    const reportAfter = await metricReport(t.db, ws, { metric: 'nps', from: '2024-03-12', to: '2024-03-21' });
    assert.deepEqual(body.before.ci, reportBefore.groups[0]!.ci);
    assert.deepEqual(body.after.ci, reportAfter.groups[0]!.ci);
    const expected = compareNps({ promoters: 4, passives: 2, detractors: 4 }, { promoters: 8, passives: 1, detractors: 1 });
    close(body.change.delta, 70);
    close(body.change.ci[0], expected.ci![0] * 100);
    close(body.change.ci[1], expected.ci![1] * 100);
    close(body.change.pValue, expected.pValue!);
    assert.equal(body.change.significant, expected.significant);
    assert.equal(body.change.smallSample, true, 'ten answers a side is too few to trust the approximation');
    assert.equal(body.afterComplete, true, 'data runs past the after window');
    assert.equal(body.annotation.text, 'Agents trained');

    const longer = await call(viewer, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}&days=30`);
    assert.equal(longer.body.before.n, 11, '30 days back reaches 29 February');
    assert.equal(longer.body.after.n, 11);
    assert.equal(longer.body.afterComplete, false, 'the after window ends past the last answer');

    const empty = await call(viewer, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}&metric=csat`);
    assert.equal(empty.status, 200);
    assert.deepEqual([empty.body.before.n, empty.body.before.value, empty.body.change], [0, null, null], 'no CSAT answers: nothing to compare');
    assert.match((await call(viewer, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}&metric=intent`)).body.message, /no single before\/after/);
    assert.match((await call(viewer, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}&days=0`)).body.message, /days must be a whole number/);
    assert.match((await call(viewer, 'GET', `/api/v1/annotations/${id}/impact?workspace=${ws.name}&metric=joy`)).body.message, /not a metric/);

    const aboutCsat = await call(analyst, 'POST', `/api/v1/annotations?workspace=${ws.name}`, { day: '2024-03-11', text: 'Survey redesign', metric: 'csat' });
    const own = await call(viewer, 'GET', `/api/v1/annotations/${aboutCsat.body.annotation.id}/impact?workspace=${ws.name}`);
    assert.equal(own.body.metric, 'csat', 'the annotation\'s own metric by default');
  });

  test('GET /api/v1/metrics: every metric with its breakdowns; /metrics/<name> still answers numbers', async () => {
    const ws = await t.workspace('ann');
    const viewer = await keyFor(ws, 'viewer');
    const other = await t.workspace('ann-other');
    const catalogue = await call(viewer, 'GET', `/api/v1/metrics?workspace=${ws.name}`);
    assert.equal(catalogue.status, 200);
    assert.deepEqual(catalogue.body.metrics.map((m: { name: string }) => m.name), [...METRIC_NAMES]);
    assert.equal(catalogue.body.latest, null, 'an empty workspace has no last day');
    const byName = new Map<string, { breakdowns: string[]; filters: string[]; trend: boolean; beforeAfter: boolean; unit: string; definition: string }>(
      catalogue.body.metrics.map((m: { name: string }) => [m.name, m]),
    );
    assert.ok(byName.get('nps')!.breakdowns.includes('touchpoint'));
    assert.ok(byName.get('nps')!.breakdowns.includes('customer.age_band'));
    assert.ok(byName.get('fcr')!.breakdowns.includes('category'));
    assert.deepEqual(byName.get('churn')!.breakdowns, ['segment', 'customer.age_band', 'customer.gender', 'customer.country', 'customer.city', 'customer.sector', 'customer.headcount', 'customer.plan']);
    assert.deepEqual(byName.get('consistency')!.breakdowns, ['agent', 'team']);
    assert.equal(byName.get('consistency')!.trend, false);
    assert.equal(byName.get('intent')!.beforeAfter, false);
    assert.equal(byName.get('frt')!.unit, 'seconds');
    // Every listed breakdown is one the metric API accepts (an empty workspace answers with no groups).
    for (const [name, entry] of byName) {
      for (const by of entry.breakdowns) {
        const response = await call(viewer, 'GET', `/api/v1/metrics/${name}?workspace=${ws.name}&by=${encodeURIComponent(entry.trend ? `month,${by}` : by)}&from=2024-01-01&to=2024-03-31`);
        assert.equal(response.status, 200, `${name} by ${by}: ${JSON.stringify(response.body)}`);
      }
    }
    assert.equal((await call(viewer, 'GET', `/api/v1/metrics/nps?workspace=${ws.name}`)).body.metric, 'nps');
    assert.equal((await call(viewer, 'GET', `/api/v1/metrics?workspace=${other.name}`)).status, 404);
  });
});
