import assert from 'node:assert/strict';
import { test } from 'node:test';
import ar from './app/messages/ar.json' with { type: 'json' };
import en from './app/messages/en.json' with { type: 'json' };
import lt from './app/messages/lt.json' with { type: 'json' };
import './app/catalogues-all.ts';
import { createI18n } from './app/i18n.tsx';
import { metricDefinition } from './app/metric-labels.ts';
import { METRIC_NAMES, METRICS } from '../metrics/definitions.ts';

/**
 * The dashboard shows each metric's definition from the catalogue key `metricDefinition.<name>`,
 * in the reader's language. Its English must stay the server's text (METRICS[name].definition,
 * also in the API's answers), so the translations cannot silently describe an older formula.
 */

const catalogues = { en, ar, lt } as Record<'en' | 'ar' | 'lt', Record<string, string>>;

test('every metric has a definition in all three catalogues', () => {
  for (const locale of ['en', 'ar', 'lt'] as const) {
    const missing = METRIC_NAMES.filter((name) => !catalogues[locale][`metricDefinition.${name}`]?.trim());
    assert.deepEqual(missing, [], `${locale}.json lacks metricDefinition.<name> for these metrics`);
  }
});

test('the English definition is the server\'s, word for word, as the dashboard renders it', () => {
  const i18n = createI18n('en');
  for (const name of METRIC_NAMES) {
    const server = METRICS[name].definition;
    const advice =
      `metricDefinition.${name} differs from METRICS.${name}.definition (src/metrics/definitions.ts): ` +
      'when the server text changes, update the English and the Arabic and Lithuanian translations with scripts/add-message.js';
    assert.equal(catalogues.en[`metricDefinition.${name}`], server, advice);
    // The catalogue is ICU: an apostrophe before a brace, a brace or a # would change the text shown.
    assert.deepEqual(metricDefinition(i18n, name, 'fallback'), { text: server, lang: 'en' }, advice);
  }
});

test('Arabic and Lithuanian definitions are translations, shown in their language', () => {
  for (const locale of ['ar', 'lt'] as const) {
    const i18n = createI18n(locale);
    for (const name of METRIC_NAMES) {
      const shown = metricDefinition(i18n, name, METRICS[name].definition);
      assert.equal(shown.lang, locale, `${locale} ${name}`);
      assert.equal(shown.text, catalogues[locale][`metricDefinition.${name}`], `${locale} ${name} renders as written`);
      assert.notEqual(shown.text, METRICS[name].definition, `${locale} ${name} is still the English text`);
    }
    // Each language's own script: Arabic letters in Arabic, Lithuanian diacritics somewhere in Lithuanian.
    const all = METRIC_NAMES.map((name) => catalogues[locale][`metricDefinition.${name}`]!).join(' ');
    assert.match(all, locale === 'ar' ? /[\u0600-\u06FF]/ : /[ąčęėįšųūž]/);
  }
  for (const name of METRIC_NAMES) assert.match(catalogues.ar[`metricDefinition.${name}`]!, /[\u0600-\u06FF]{3}/, `ar ${name} is in Arabic`);
});

test('a metric without a catalogue key falls back to the server\'s English', () => {
  for (const locale of ['en', 'ar', 'lt'] as const) {
    assert.deepEqual(metricDefinition(createI18n(locale), 'not_a_metric', 'Server text.'), { text: 'Server text.', lang: 'en' });
  }
});
