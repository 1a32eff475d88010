import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { widgetRoutes } from '../http/routes/widget.ts';
import { buildWidget } from './build.ts';

test('the widget bundle is one self-contained script of at most 15 KB gzipped', async () => {
  const code = await buildWidget();
  const gzipped = gzipSync(code).length;
  assert.ok(gzipped <= 15 * 1024, `widget.js is ${gzipped} bytes gzipped`);
  assert.match(code, /^"use strict";\(\(\)=>\{/, 'an IIFE');
  assert.doesNotMatch(code, /\bimport\s*[({"'`*]|\bimport\.meta\b|\brequire\s*\(|\bexport\s*[{*]/, 'no module syntax or require left');
  assert.doesNotMatch(code, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, 'text is set as text only');
});

test('GET /widget.js: JavaScript, cached five minutes, loadable from other sites, revalidated by ETag', async () => {
  const routes = widgetRoutes();
  const response = await routes.request('/widget.js');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/javascript; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
  assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  const code = await response.text();
  assert.ok(code.includes('إرسال'), 'Arabic kept as UTF-8');
  const etag = response.headers.get('etag')!;
  const again = await routes.request('/widget.js', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});
