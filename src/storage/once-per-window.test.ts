import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OncePerWindow } from './once-per-window.ts';

test('once per key, window and database: a burst queues once, the next window again, another database on its own', () => {
  const once = new OncePerWindow(60_000);
  const [a, b] = [{}, {}];
  const t = Date.UTC(2026, 11, 7, 14, 0, 10);
  assert.equal(once.first(a, '7', t), true);
  assert.equal(once.first(a, '7', t + 30_000), false, 'same minute');
  assert.equal(once.first(a, '8', t + 30_000), true, 'another workspace');
  assert.equal(once.first(b, '7', t + 30_000), true, 'another database with the same workspace id');
  assert.equal(once.first(a, '7', t + 50_000), true, 'the next minute');
});
