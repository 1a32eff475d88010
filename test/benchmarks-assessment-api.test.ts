import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { PRACTICES, QUESTION_KEYS, STEPS } from '../src/domain/cx-assessment.ts';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * Benchmarks CRUD (source link required and http(s) only, values within the metric's range,
 * roles, audit, workspaces apart) and the self-assessment (questionnaire, every answer required,
 * scores computed by hand, history in order, workspaces apart). The figures below are test
 * inputs, not benchmarks anyone should read: the sources are example.org addresses.
 */

describeEachEngine('benchmarks and self-assessment API', (t) => {
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
  const figure = { metric: 'nps', label: 'Example competitor', kind: 'competitor', value: 31, as_of: '2026-06-30', source_url: 'https://example.org/report', n: 1200, margin: 2.5 };

  test('benchmarks: analysts add, change, delete; viewers read only; every change audited', async () => {
    const ws = await t.workspace('bench');
    const analyst = await keyFor(ws, 'analyst');
    const viewer = await keyFor(ws, 'viewer');
    const q = `workspace=${ws.name}`;
    const refused = await call(viewer, 'POST', `/api/v1/benchmarks?${q}`, figure);
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /viewer/);

    const created = await call(analyst, 'POST', `/api/v1/benchmarks?${q}`, { ...figure, label: '  Example competitor  ', note: '' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const b = created.body.benchmark;
    assert.deepEqual(
      { ...b, id: 0, createdBy: '', createdAt: '', updatedAt: '' },
      { id: 0, metric: 'nps', label: 'Example competitor', kind: 'competitor', value: 31, asOf: '2026-06-30', sourceUrl: 'https://example.org/report', n: 1200, margin: 2.5, note: null, createdBy: '', createdAt: '', updatedAt: '' },
    );
    const second = await call(analyst, 'POST', `/api/v1/benchmarks?${q}`, { metric: 'csat', label: 'Example industry', kind: 'industry', value: 78.5, as_of: '2025-12-31', source_url: 'http://example.org/csat' });
    assert.equal(second.status, 201);
    assert.equal(second.body.benchmark.n, null);
    assert.equal(second.body.benchmark.margin, null);

    const list = await call(viewer, 'GET', `/api/v1/benchmarks?${q}`);
    assert.deepEqual(list.body.benchmarks.map((x: { metric: string; value: number }) => [x.metric, x.value]), [['csat', 78.5], ['nps', 31]]);
    const only = await call(viewer, 'GET', `/api/v1/benchmarks?${q}&metric=nps`);
    assert.deepEqual(only.body.benchmarks.map((x: { id: number }) => x.id), [b.id]);
    assert.equal((await call(viewer, 'GET', `/api/v1/benchmarks/${b.id}?${q}`)).body.benchmark.label, 'Example competitor');

    assert.equal((await call(viewer, 'PATCH', `/api/v1/benchmarks/${b.id}?${q}`, { value: 1 })).status, 403);
    assert.equal((await call(viewer, 'DELETE', `/api/v1/benchmarks/${b.id}?${q}`)).status, 403);
    const patched = await call(analyst, 'PATCH', `/api/v1/benchmarks/${b.id}?${q}`, { value: 28, margin: null, note: 'Wave 2' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual([patched.body.benchmark.value, patched.body.benchmark.margin, patched.body.benchmark.note, patched.body.benchmark.n], [28, null, 'Wave 2', 1200]);

    assert.equal((await call(analyst, 'DELETE', `/api/v1/benchmarks/${b.id}?${q}`)).status, 204);
    assert.equal((await call(analyst, 'DELETE', `/api/v1/benchmarks/${b.id}?${q}`)).status, 404);
    assert.equal((await call(viewer, 'GET', `/api/v1/benchmarks/${b.id}?${q}`)).status, 404);

    const audit = (await listAudit(t.db, ws.id)).reverse();
    assert.deepEqual(audit.map((a) => [a.action, a.target]), [
      ['benchmark.create', `benchmark:${b.id}`],
      ['benchmark.create', `benchmark:${second.body.benchmark.id}`],
      ['benchmark.update', `benchmark:${b.id}`],
      ['benchmark.delete', `benchmark:${b.id}`],
    ]);
    assert.deepEqual(audit[2]!.details.value, { from: 31, to: 28 });
  });

  test('benchmarks: no figure without an http(s) source; values the metric can take; messages a person can act on', async () => {
    const ws = await t.workspace('bench');
    const analyst = await keyFor(ws, 'analyst');
    const post = (body: unknown) => call(analyst, 'POST', `/api/v1/benchmarks?workspace=${ws.name}`, body);
    const { source_url: _s, ...withoutSource } = figure;
    const cases: Array<[unknown, RegExp]> = [
      [withoutSource, /source_url is required/],
      [{ ...figure, source_url: 'javascript:alert(1)' }, /must start with https:\/\/ or http:\/\/, not javascript:/],
      [{ ...figure, source_url: 'JavaScript:alert(document.cookie)//https://x' }, /not javascript:/],
      [{ ...figure, source_url: 'data:text/html,<script>alert(1)</script>' }, /not data:/],
      [{ ...figure, source_url: '/relative/report' }, /full web address/],
      [{ ...figure, source_url: 'https://user:pw@example.org/' }, /user name or password/],
      [{ ...figure, metric: 'volume' }, /metric must be one of nps/],
      [{ ...figure, value: 140 }, /outside what nps can be \(-100 to 100\)/],
      [{ ...figure, metric: 'csat', value: -1 }, /outside what csat can be \(0 to 100, in percent\)/],
      [{ ...figure, value: '31' }, /value must be a number/],
      [{ ...figure, kind: 'friend' }, /kind must be competitor or industry/],
      [{ ...figure, as_of: '2026-02-30' }, /real date/],
      [{ ...figure, label: ' ' }, /label must not be empty/],
      [{ ...figure, n: 0 }, /n must be at least 1/],
      [{ ...figure, margin: -2 }, /margin must not be negative/],
      [{ ...figure, colour: 'red' }, /unknown field colour/],
    ];
    for (const [body, message] of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(response.body.message, message, JSON.stringify(body));
    }
    const created = await post(figure);
    const id = created.body.benchmark.id;
    const patch = (body: unknown) => call(analyst, 'PATCH', `/api/v1/benchmarks/${id}?workspace=${ws.name}`, body);
    assert.match((await patch({ source_url: 'javascript:alert(1)' })).body.message, /not javascript:/);
    assert.match((await patch({ metric: 'csat', value: 101 })).body.message, /outside what csat can be/);
    assert.match((await patch({ value: -101 })).body.message, /outside what nps can be/);
    assert.equal((await patch({})).status, 400);
    assert.equal((await call(analyst, 'GET', `/api/v1/benchmarks/${id}?workspace=${ws.name}`)).body.benchmark.value, 31, 'refused changes change nothing');
    // The database refuses a link that is not http(s) even if a route forgot to check.
    await assert.rejects(t.db.query(`INSERT INTO benchmarks (workspace_id, metric, label, kind, value, as_of, source_url, created_by) VALUES ($1, 'nps', 'x', 'industry', 1, '2026-01-01', 'javascript:alert(1)', 'test')`, [ws.id]));
  });

  test('another workspace\'s benchmarks and assessments: 404, never read or changed', async () => {
    const ws = await t.workspace('bench');
    const other = await t.workspace('bench-other');
    const mine = await keyFor(ws, 'admin');
    const theirs = await keyFor(other, 'admin');
    const b = (await call(mine, 'POST', `/api/v1/benchmarks?workspace=${ws.name}`, figure)).body.benchmark;
    const answers = Object.fromEntries(QUESTION_KEYS.map((k) => [k, 2]));
    const a = (await call(mine, 'POST', `/api/v1/assessments?workspace=${ws.name}`, { answers })).body.assessment;
    assert.equal((await call(theirs, 'GET', `/api/v1/benchmarks?workspace=${ws.name}`)).status, 404);
    assert.equal((await call(theirs, 'GET', `/api/v1/benchmarks/${b.id}?workspace=${other.name}`)).status, 404);
    assert.equal((await call(theirs, 'PATCH', `/api/v1/benchmarks/${b.id}?workspace=${other.name}`, { value: 0 })).status, 404);
    assert.equal((await call(theirs, 'DELETE', `/api/v1/benchmarks/${b.id}?workspace=${other.name}`)).status, 404);
    assert.deepEqual((await call(theirs, 'GET', `/api/v1/benchmarks?workspace=${other.name}`)).body.benchmarks, []);
    assert.equal((await call(theirs, 'GET', `/api/v1/assessments/${a.id}?workspace=${other.name}`)).status, 404);
    assert.deepEqual((await call(theirs, 'GET', `/api/v1/assessments?workspace=${other.name}`)).body.assessments, []);
    assert.equal((await call(mine, 'GET', `/api/v1/benchmarks/${b.id}?workspace=${ws.name}`)).body.benchmark.value, 31);
  });

  test('self-assessment: the questionnaire, every answer required, hand-computed scores, history oldest first', async () => {
    const ws = await t.workspace('assess');
    const analyst = await keyFor(ws, 'analyst');
    const viewer = await keyFor(ws, 'viewer');
    const q = `workspace=${ws.name}`;
    const empty = await call(viewer, 'GET', `/api/v1/assessments?${q}`);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.assessments, []);
    assert.deepEqual(empty.body.questionnaire.scale, [0, 1, 2, 3, 4]);
    assert.deepEqual(empty.body.questionnaire.practices.map((p: { key: string }) => p.key), PRACTICES.map((p) => p.key));
    assert.deepEqual(empty.body.questionnaire.steps.map((p: { key: string }) => p.key), STEPS.map((p) => p.key));
    assert.deepEqual(empty.body.questionnaire.practices.find((p: { key: string }) => p.key === 'competitor_quality').features, ['benchmarks']);

    // First: every practice 1, every step 0 → practices 11/44 = 25%, steps 0/32, total 11/76.
    const first = Object.fromEntries([...PRACTICES.map((p) => [p.key, 1]), ...STEPS.map((s) => [s.key, 0])]);
    assert.equal((await call(viewer, 'POST', `/api/v1/assessments?${q}`, { answers: first })).status, 403);
    const one = await call(analyst, 'POST', `/api/v1/assessments?${q}`, { answers: first, note: 'Baseline' });
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.deepEqual(one.body.assessment.score.practices, { points: 11, max: 44, percent: 25 });
    assert.deepEqual(one.body.assessment.score.steps, { points: 0, max: 32, percent: 0 });
    assert.equal(one.body.assessment.score.total.points, 11);
    assert.equal(one.body.assessment.note, 'Baseline');
    assert.match(one.body.assessment.createdBy, /\(analyst key\)$/);
    // Second: monthly_satisfaction 4, the rest 3 → practices 10×3 + 4 = 34/44, steps 24/32 = 75%, total 58/76.
    const second = Object.fromEntries(QUESTION_KEYS.map((k) => [k, k === 'monthly_satisfaction' ? 4 : 3]));
    const two = await call(analyst, 'POST', `/api/v1/assessments?${q}`, { answers: second });
    assert.deepEqual(two.body.assessment.score.steps, { points: 24, max: 32, percent: 75 });
    assert.equal(two.body.assessment.score.practices.points, 34);
    assert.ok(Math.abs(two.body.assessment.score.total.percent - (58 / 76) * 100) < 1e-9);

    const history = await call(viewer, 'GET', `/api/v1/assessments?${q}`);
    assert.deepEqual(history.body.assessments.map((a: { id: number; score: { total: { points: number } } }) => [a.id, a.score.total.points]), [[one.body.assessment.id, 11], [two.body.assessment.id, 58]]);
    const got = await call(viewer, 'GET', `/api/v1/assessments/${two.body.assessment.id}?${q}`);
    assert.equal(got.body.assessment.answers.monthly_satisfaction, 4);
    assert.equal((await call(viewer, 'GET', `/api/v1/assessments/99999999?${q}`)).status, 404);
    assert.equal((await call(viewer, 'GET', `/api/v1/assessments/abc?${q}`)).status, 404);

    const { train_providers: _gone, ...partial } = second;
    const cases: Array<[unknown, RegExp]> = [
      [{}, /answers is required/],
      [{ answers: partial }, /missing: train_providers/],
      [{ answers: { ...second, train_providers: 5 } }, /train_providers must be a whole number from 0 to 4/],
      [{ answers: { ...second, happiness: 1 } }, /unknown question happiness/],
      [{ answers: second, extra: 1 }, /unknown field extra/],
    ];
    for (const [body, message] of cases) {
      const response = await call(analyst, 'POST', `/api/v1/assessments?${q}`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(response.body.message, message);
    }
    assert.deepEqual((await listAudit(t.db, ws.id)).map((a) => a.action), ['assessment.create', 'assessment.create']);
  });
});
