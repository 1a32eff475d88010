import type { I18n, MessageKey } from './i18n.tsx';

/**
 * Names people read for metrics and breakdowns: the catalogue's `metric.<name>` and
 * `dimension.<name>` messages, else the server's English title or the raw name (a metric or
 * attribute added after the catalogue was written still shows something sensible).
 */

function message(i18n: I18n, key: string, values?: Record<string, string>): string | undefined {
  const text = i18n.t(key as MessageKey, values);
  return text === key ? undefined : text;
}

export function metricTitle(i18n: I18n, name: string, fallback?: string): string {
  return message(i18n, `metric.${name}`) ?? fallback ?? name;
}

export function dimensionLabel(i18n: I18n, name: string): string {
  return message(i18n, `dimension.${name}`) ?? name;
}

/** The y-axis name: the metric and its unit. */
export function axisName(i18n: I18n, unit: string, metric: string): string {
  return message(i18n, `axis.${unit}`, { metric }) ?? metric;
}
