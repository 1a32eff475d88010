import type { I18n, MessageKey } from './i18n.tsx';

/**
 * Names people read for metrics and breakdowns: the catalogue's `metric.<name>`,
 * `metricDefinition.<name>` and `dimension.<name>` messages, else the server's English text or
 * the raw name (a metric or attribute added after the catalogue was written still shows
 * something sensible).
 */

function message(i18n: I18n, key: string, values?: Record<string, string>): string | undefined {
  const text = i18n.t(key as MessageKey, values);
  return text === key ? undefined : text;
}

export function metricTitle(i18n: I18n, name: string, fallback?: string): string {
  return message(i18n, `metric.${name}`) ?? fallback ?? name;
}

/**
 * A metric's one-paragraph definition in the reader's language: the catalogue's
 * `metricDefinition.<name>` (its English is the server's METRICS[name].definition, which
 * src/web/metric-definitions.test.ts keeps equal), else the server's English `fallback`.
 * `lang` is the language of the text, for a `lang` attribute: 'en' when it fell back.
 *
 * @example <p lang={d.lang}>{d.text}</p> where d = metricDefinition(i18n, 'nps', entry.definition)
 */
export function metricDefinition(i18n: I18n, name: string, fallback?: string): { text: string; lang: string } {
  const text = message(i18n, `metricDefinition.${name}`);
  return text !== undefined ? { text, lang: i18n.locale } : { text: fallback ?? '', lang: 'en' };
}

export function dimensionLabel(i18n: I18n, name: string): string {
  return message(i18n, `dimension.${name}`) ?? name;
}

/** The y-axis name: the metric and its unit. */
export function axisName(i18n: I18n, unit: string, metric: string): string {
  return message(i18n, `axis.${unit}`, { metric }) ?? metric;
}
