#!/usr/bin/env node
// Adds (or replaces) one message in the dashboard's three catalogues at once, keeping them
// sorted: `node scripts/add-message.js <key> <English> <Arabic> <Lithuanian>`. Several people add
// keys at the same time: a lock directory serialises the read-modify-write of the three files,
// and each file is replaced by a rename, so no run reads a half-written file or loses a key.
import { mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from 'node:fs';

const [key, ...texts] = process.argv.slice(2);
if (!key || texts.length !== 3) {
  console.error('usage: node scripts/add-message.js <key> <English> <Arabic> <Lithuanian>');
  process.exit(1);
}
const lock = new URL('../src/web/app/messages/.lock', import.meta.url);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (let waited = 0; ; waited += 20) {
  try {
    mkdirSync(lock);
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    // A lock older than 10 s was left by a run that died.
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 10_000) rmdirSync(lock, { recursive: true });
    if (waited > 30_000) throw new Error(`${lock.pathname} is held: remove it if no add-message.js is running`);
    sleep(20);
  }
}
try {
  ['en', 'ar', 'lt'].forEach((locale, index) => {
    const path = new URL(`../src/web/app/messages/${locale}.json`, import.meta.url);
    const messages = { ...JSON.parse(readFileSync(path, 'utf8')), [key]: texts[index] };
    const sorted = Object.fromEntries(Object.entries(messages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const partial = new URL(`../src/web/app/messages/.${locale}.json.${process.pid}`, import.meta.url);
    writeFileSync(partial, `${JSON.stringify(sorted, null, 2)}\n`);
    renameSync(partial, path);
  });
} finally {
  rmdirSync(lock);
}
