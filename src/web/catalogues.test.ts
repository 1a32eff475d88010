import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';

/** The dashboard's three catalogues say the same things, in valid ICU, with each language's plural forms. */

const LOCALES = ['en', 'ar', 'lt'] as const;
const folder = new URL('./app/', import.meta.url).pathname;
const catalogues = Object.fromEntries(
  LOCALES.map((locale) => [locale, JSON.parse(readFileSync(join(folder, 'messages', `${locale}.json`), 'utf8')) as Record<string, string>]),
) as Record<(typeof LOCALES)[number], Record<string, string>>;

test('every language has every key, and nothing else', () => {
  const english = Object.keys(catalogues.en).sort();
  for (const locale of ['ar', 'lt'] as const) assert.deepEqual(Object.keys(catalogues[locale]).sort(), english, `${locale} has the same keys as en`);
});

test('every message is valid ICU in its language, and plurals have each language\'s forms', () => {
  for (const locale of LOCALES) {
    for (const [key, message] of Object.entries(catalogues[locale])) {
      assert.doesNotThrow(() => new IntlMessageFormat(message, locale), `${locale} ${key}`);
      if (!/,\s*plural\s*,/.test(catalogues.en[key]!)) continue;
      const needed = locale === 'lt' ? ['one', 'few', 'many', 'other'] : locale === 'ar' ? ['zero', 'one', 'two', 'few', 'many', 'other'] : ['one', 'other'];
      for (const form of needed) assert.match(message, new RegExp(`\\b${form}\\s*\\{`), `${locale} ${key} has the "${form}" form`);
    }
  }
});

test('Lithuanian and Arabic plurals pick the right form', () => {
  const format = (locale: string, key: string, values: Record<string, string | number>) => String(new IntlMessageFormat(catalogues[locale as 'lt'][key]!, locale).format(values));
  assert.match(format('lt', 'kpi.trend', { metric: 'NPS', count: 1 }), /1 laikotarpį$/);
  assert.match(format('lt', 'kpi.trend', { metric: 'NPS', count: 3 }), /3 laikotarpius$/);
  assert.match(format('lt', 'kpi.trend', { metric: 'NPS', count: 12 }), /12 laikotarpių$/);
  assert.match(format('ar', 'kpi.trend', { metric: 'NPS', count: 2 }), /فترتين$/);
});

test('every key the app names literally is in the catalogue', () => {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name)) sources.push(readFileSync(path, 'utf8'));
    }
  };
  walk(folder);
  const used = new Set(sources.flatMap((source) => [...source.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)].map((match) => match[1]!)));
  const missing = [...used].filter((key) => !(key in catalogues.en));
  assert.deepEqual(missing, []);
});
