#!/usr/bin/env node
// Adds (or replaces) one message in the dashboard's three catalogues at once, keeping them
// sorted: `node scripts/add-message.js <key> <English> <Arabic> <Lithuanian>`. It reads and
// writes each file in one go, so several people adding keys at the same time do not lose any.
import { readFileSync, writeFileSync } from 'node:fs';

const [key, ...texts] = process.argv.slice(2);
if (!key || texts.length !== 3) {
  console.error('usage: node scripts/add-message.js <key> <English> <Arabic> <Lithuanian>');
  process.exit(1);
}
['en', 'ar', 'lt'].forEach((locale, index) => {
  const path = new URL(`../src/web/app/messages/${locale}.json`, import.meta.url);
  const messages = { ...JSON.parse(readFileSync(path, 'utf8')), [key]: texts[index] };
  const sorted = Object.fromEntries(Object.entries(messages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(path, `${JSON.stringify(sorted, null, 2)}\n`);
});
