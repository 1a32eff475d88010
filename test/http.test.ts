import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { ensureWorkspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

describeEachEngine('http', (t) => {
  const app = () => createApp({ db: t.db, version: '0.0.0-test' });

  test('/health answers with the engine', async () => {
    const response = await app().request('/health');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', version: '0.0.0-test', database: t.db.engine });
  });

  test('the start page speaks the chosen language and direction, and remembers it', async () => {
    await ensureWorkspace(t.db, 'http-start-page');
    const arabic = await app().request('/?lang=ar');
    const html = await arabic.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /<meta charset="utf-8" \/>/);
    assert.match(html, /صدى يعمل/);
    assert.match(arabic.headers.get('set-cookie') ?? '', /sada_lang=ar/);
    const remembered = await app().request('/', { headers: { cookie: 'sada_lang=lt', 'accept-language': 'ar' } });
    assert.match(await remembered.text(), /<html lang="lt" dir="ltr">[\s\S]*Sada veikia/);
    const browser = await app().request('/', { headers: { 'accept-language': 'lt-LT,lt;q=0.9' } });
    assert.match(await browser.text(), /lang="lt"/);
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
