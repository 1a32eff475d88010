import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { addMembership, createSession, createUser } from '../src/storage/accounts.ts';
import { ensureWorkspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

describeEachEngine('http', (t) => {
  const app = () => createApp({ db: t.db, version: '0.0.0-test' });

  test('/health answers with the engine', async () => {
    const response = await app().request('/health');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', version: '0.0.0-test', database: t.db.engine });
  });

  test('the dashboard page needs a session, speaks the chosen language and direction, and remembers it', async () => {
    const workspace = await ensureWorkspace(t.db, 'http-start-page');
    const user = await createUser(t.db, { email: `start-page-${workspace.id}-${Date.now()}@example.test`, passwordHash: null });
    await addMembership(t.db, workspace.id, user.id, 'viewer');
    const { token } = await createSession(t.db, user.id);
    const signedOut = await app().request('/?lang=ar');
    assert.equal(signedOut.status, 302);
    assert.equal(signedOut.headers.get('location'), '/login?next=%2F%3Flang%3Dar');
    const session = `sada_session=${token}`;
    const arabic = await app().request('/?lang=ar', { headers: { cookie: session } });
    const html = await arabic.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /<meta charset="utf-8" \/>/);
    assert.match(html, /<title>صدى<\/title>/);
    assert.match(arabic.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(arabic.headers.get('set-cookie') ?? '', /sada_lang=ar/);
    const remembered = await app().request('/', { headers: { cookie: `${session}; sada_lang=lt`, 'accept-language': 'ar' } });
    assert.match(await remembered.text(), /<html lang="lt" dir="ltr">[\s\S]*Sada skydeliui reikia JavaScript/);
    const browser = await app().request('/', { headers: { cookie: session, 'accept-language': 'lt-LT,lt;q=0.9' } });
    assert.match(await browser.text(), /lang="lt"/);
  });

  test('the metrics API needs the token and answers like `sada report --format json`', async () => {
    const token = 'a-test-token-that-is-long-enough';
    const ws = await t.workspace('api');
    const secured = createApp({ db: t.db, version: 'test', apiToken: token, defaultWorkspace: ws.name });
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at) VALUES ($1, 'a', 'nps', 10, 0, 10, '2024-01-01'), ($1, 'b', 'nps', 3, 0, 10, '2024-02-01')`,
      [ws.id],
    );
    assert.equal((await secured.request('/api/v1/metrics/nps')).status, 401);
    assert.equal((await secured.request('/api/v1/metrics/nps', { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const off = await app().request('/api/v1/metrics/nps', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(off.status, 401, 'without a configured token the API is off');
    assert.match((await off.json()).message, /SADA_API_TOKEN/);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const ok = await secured.request('/api/v1/metrics/nps?by=month&from=2024-01-01&to=2024-12-31', auth);
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.deepEqual(body.groups.map((g: { key: unknown; value: number; n: number }) => [g.key, g.value, g.n]), [[{ month: '2024-01' }, 100, 1], [{ month: '2024-02' }, -100, 1]]);
    const bad = await secured.request('/api/v1/metrics/nps?by=shoe', auth);
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /cannot break responses down by "shoe"/);
    const missing = await secured.request('/api/v1/metrics/nps?workspace=nope', auth);
    assert.equal(missing.status, 404);
  });

  test('security headers are set and unknown paths get an actionable 404', async () => {
    const response = await app().request('/nope');
    assert.equal(response.status, 404);
    assert.match((await response.json()).message, /Nothing at GET \/nope/);
    const home = await app().request('/');
    assert.equal(home.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(home.headers.get('x-frame-options'));
  });
});
