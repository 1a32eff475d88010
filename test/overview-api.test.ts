import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { addMembership, createSession, createUser } from '../src/storage/accounts.ts';
import { describeEachEngine } from './support/databases.ts';

describeEachEngine('overview and demo API', (t) => {
  test('the overview: every KPI card for the shown period, from metricReport; bad input is a 400', async () => {
    const token = 'an-overview-test-token-long-enough';
    const ws = await t.workspace('overview');
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at)
       VALUES ($1, 'a', 'nps', 10, 0, 10, '2026-09-03'), ($1, 'b', 'nps', 2, 0, 10, '2026-10-04'), ($1, 'c', 'nps', 9, 0, 10, '2026-10-05')`,
      [ws.id],
    );
    const app = createApp({ db: t.db, version: 'test', apiToken: token });
    const get = (query: string) => app.request(`/api/v1/overview?workspace=${ws.name}&${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await (await get('')).json();
    assert.equal(body.label, '2026-10', 'opens on the latest period with data');
    const nps = body.cards.find((c: { metric: string }) => c.metric === 'nps');
    assert.equal(nps.current.value, 0);
    assert.equal(nps.current.n, 2);
    assert.equal(nps.trend.length, 12);
    assert.deepEqual(nps.trend.slice(-2).map((p: { n: number }) => p.n), [1, 2]);
    assert.equal(nps.explainable, true);
    const september = await (await get('at=2026-09-15')).json();
    assert.equal(september.cards.find((c: { metric: string }) => c.metric === 'nps').current.value, 100);
    assert.equal((await get('period=fortnight')).status, 400);
    assert.equal((await get('at=15.09.2026')).status, 400);
  });

  test('load demo data: admins only, a size people can choose within limits', async () => {
    const ws = await t.workspace('demo-action');
    const viewer = await createUser(t.db, { email: `viewer-${ws.name}@example.test`, passwordHash: null });
    const admin = await createUser(t.db, { email: `admin-${ws.name}@example.test`, passwordHash: null });
    await addMembership(t.db, ws.id, viewer.id, 'viewer');
    await addMembership(t.db, ws.id, admin.id, 'admin');
    const app = createApp({ db: t.db, version: 'test' });
    const post = async (userId: number, query: string) =>
      app.request(`/api/v1/demo?workspace=${ws.name}&${query}`, {
        method: 'POST',
        headers: { cookie: `sada_session=${(await createSession(t.db, userId)).token}`, origin: 'http://localhost', host: 'localhost', 'sec-fetch-site': 'same-origin' },
      });
    assert.equal((await post(viewer.id, 'responses=1000')).status, 403);
    assert.equal((await post(admin.id, 'responses=10')).status, 400);
    const loaded = await post(admin.id, 'responses=1000');
    assert.equal(loaded.status, 201, await loaded.clone().text());
    assert.equal((await loaded.json()).status, 'done');
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1', [ws.id]);
    assert.ok(row!.n > 900, `the demo's answers are there (${row!.n})`);
  });
});
