import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import type { MetricGroup } from '../metrics/compute.ts';
import type { Unit } from '../metrics/definitions.ts';
import type { MetricResult } from './metric-report.ts';

/** Renders a metric result for people (an aligned table) or for spreadsheets (CSV). */

export function formatValue(value: number | null, unit: Unit, locale: Locale): string {
  if (value === null) return '—';
  const number = (digits: number, options: Intl.NumberFormatOptions = {}) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits, ...options }).format(value);
  switch (unit) {
    case 'nps':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(value / 100);
    case 'count':
      return number(0);
    case 'money':
      return number(2);
    case 'seconds': {
      const [size, unitName] = Math.abs(value) < 120 ? [1, 'second'] : Math.abs(value) < 7200 ? [60, 'minute'] : Math.abs(value) < 172800 ? [3600, 'hour'] : [86400, 'day'];
      return new Intl.NumberFormat(locale, { style: 'unit', unit: unitName, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value / size);
    }
  }
}

function changeText(group: MetricGroup, unit: Unit, locale: Locale): string {
  const change = group.change;
  if (!change) return '';
  const t = translator(locale);
  const delta = unit === 'percent' || unit === 'nps'
    ? new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(change.delta)
    : `${change.delta > 0 ? '+' : ''}${formatValue(change.delta, unit, locale)}`;
  const verdict = change.smallSample ? t('report.smallSample') : change.significant ? t('report.significant') : t('report.notSignificant');
  return `${delta} (${verdict})`;
}

export function formatTable(result: MetricResult, locale: Locale): string {
  const t = translator(locale);
  const count = new Intl.NumberFormat(locale);
  const header = [...result.by, t('report.value'), t('report.ci'), t('report.n'), t('report.change')];
  const rows = result.groups.map((g) => [
    ...result.by.map((name) => g.key[name] ?? '∅'),
    formatValue(g.value, result.unit, locale),
    g.ci ? `${formatValue(g.ci[0], result.unit, locale)} – ${formatValue(g.ci[1], result.unit, locale)}` : '—',
    count.format(g.n),
    changeText(g, result.unit, locale),
  ]);
  const title = t(`metric.${result.metric}` as MessageKey);
  const definition = locale === 'en' ? result.definition : t('report.definitionLink', { metric: result.metric });
  const lines = [t('report.title', { title, workspace: result.workspace }), definition, ''];
  if (rows.length === 0) return [...lines, t('report.noData')].join('\n');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [...lines, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function formatCsv(result: MetricResult): string {
  const header = [...result.by, 'value', 'n', 'ci_low', 'ci_high', 'change_from', 'change_delta', 'change_p_value', 'change_significant', 'change_small_sample'];
  const rows = result.groups.map((g) => [
    ...result.by.map((name) => g.key[name]),
    g.value,
    g.n,
    g.ci?.[0],
    g.ci?.[1],
    g.change?.from,
    g.change?.delta,
    g.change?.pValue,
    g.change?.significant,
    g.change?.smallSample,
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
