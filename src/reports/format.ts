import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import type { MetricGroup } from '../metrics/compute.ts';
import type { FunnelRate, KruskalWallisByCategory, RateComparison } from '../metrics/consistency.ts';
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
  return change.of === 'mean' ? t('report.changeOfMean', { delta, verdict }) : `${delta} (${verdict})`;
}

/** Columns padded to their widest cell, with a rule under the header. */
function aligned(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function heading(result: MetricResult, locale: Locale): string[] {
  const t = translator(locale);
  const title = t(`metric.${result.metric}` as MessageKey);
  const definition = locale === 'en' ? result.definition : t('report.definitionLink', { metric: result.metric });
  return [t('report.title', { title, workspace: result.workspace }), definition, ''];
}

const interval = (ci: readonly [number, number] | null, unit: Unit, locale: Locale) =>
  ci ? `${formatValue(ci[0], unit, locale)} – ${formatValue(ci[1], unit, locale)}` : '—';

export function formatTable(result: MetricResult, locale: Locale): string {
  if (result.metric === 'consistency') return consistencyTable(result, locale);
  if (result.metric === 'cohorts') return cohortTable(result, locale);
  const t = translator(locale);
  const count = new Intl.NumberFormat(locale);
  const header = [...result.by, t('report.value'), t('report.ci'), t('report.n'), t('report.change')];
  const rows = result.groups.map((g) => [
    ...result.by.map((name) => g.key[name] ?? '∅'),
    formatValue(g.value, result.unit, locale),
    interval(g.ci, result.unit, locale),
    count.format(g.n),
    changeText(g, result.unit, locale),
  ]);
  const lines = heading(result, locale);
  if (rows.length === 0) return [...lines, t('report.noData')].join('\n');
  return [...lines, ...aligned(header, rows)].join('\n');
}

const FUNNEL_TEXT = {
  'above-outer': 'report.funnel.aboveOuter',
  'above-inner': 'report.funnel.aboveInner',
  within: 'report.funnel.within',
  'below-inner': 'report.funnel.belowInner',
  'below-outer': 'report.funnel.belowOuter',
} as const satisfies Record<NonNullable<FunnelRate['position']>, MessageKey>;

const NOTE_TEXT: Record<string, MessageKey> = {
  'low-expected-count': 'report.note.lowExpected',
  'small-groups': 'report.note.smallGroups',
  'fewer-than-two-groups': 'report.note.fewerThanTwo',
  'all-values-tied': 'report.note.allTied',
  'no-variation': 'report.note.noVariation',
};

/** Two significant digits; below 0.001 in scientific notation (1.4E-5). */
function pText(p: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 2, ...(p !== 0 && p < 0.001 ? { notation: 'scientific' as const } : {}) }).format(p);
}

/** Per agent: FCR and resolved-within-the-horizon with their funnel positions; then the tests. */
function consistencyTable(result: MetricResult, locale: Locale): string {
  const t = translator(locale);
  const count = new Intl.NumberFormat(locale);
  const stat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const lines = heading(result, locale);
  const tests = result.tests;
  if (result.groups.length === 0 || !tests) return [...lines, t('report.noData')].join('\n');
  const unit = tests.unit;
  const resolvedLabel = t('report.resolvedWithin', { days: tests.resolution.horizonDays });
  const cells = (rate: FunnelRate) => [
    formatValue(rate.value, 'percent', locale),
    interval(rate.ci, 'percent', locale),
    count.format(rate.n),
    rate.position ? t(FUNNEL_TEXT[rate.position]) : '—',
  ];
  const header = [unit, t('report.fcr'), t('report.ci'), t('report.n'), t('report.funnel'), resolvedLabel, t('report.ci'), t('report.n'), t('report.funnel')];
  const rows = result.groups.map((g) => [g.key[unit] ?? '∅', ...cells(g as unknown as FunnelRate), ...cells(g.resolution as FunnelRate)]);
  const verdict = (significant: boolean) => (significant ? t('report.significant') : t('report.notSignificant'));
  const notes = (warnings: readonly string[]) => warnings.map((w) => (NOTE_TEXT[w] ? t(NOTE_TEXT[w]) : w));
  const separator = t('report.listSeparator');
  const rateLine = (rate: string, c: RateComparison) => {
    const common = { rate, pooled: formatValue(c.pooled, 'percent', locale), n: count.format(c.n) };
    const text =
      c.chiSquare.statistic === null || c.chiSquare.pValue === null
        ? t('report.rateTestUndefined', { ...common, reason: notes(c.chiSquare.warnings).join(separator) })
        : t('report.rateTest', {
            ...common,
            statistic: stat.format(c.chiSquare.statistic),
            df: count.format(c.chiSquare.df),
            p: pText(c.chiSquare.pValue, locale),
            verdict: [verdict(c.chiSquare.significant), ...notes(c.chiSquare.warnings)].join(separator),
          });
    return c.withoutUnit > 0 ? [text, t('report.withoutUnit', { rate, unit, count: count.format(c.withoutUnit) })] : [text];
  };
  const kruskal = tests.kruskalWallis.map((k: KruskalWallisByCategory) => [
    k.category ?? '∅',
    count.format(k.n),
    count.format(k.groups),
    k.statistic === null ? '—' : stat.format(k.statistic),
    count.format(k.df),
    k.pValue === null ? '—' : pText(k.pValue, locale),
    k.pHolm === null ? '—' : pText(k.pHolm, locale),
    [...(k.pValue === null ? [] : [verdict(k.significant)]), ...notes(k.warnings)].join(separator),
  ]);
  return [
    ...lines,
    ...aligned(header, rows),
    '',
    t('report.funnelNote'),
    '',
    ...rateLine(t('report.fcr'), tests.fcr),
    ...rateLine(resolvedLabel, tests.resolution),
    ...(kruskal.length > 0
      ? [
          '',
          t('report.kruskalTitle', { unit }),
          ...aligned(
            [t('report.category'), t('report.n'), t('report.groupsCompared'), 'H', t('report.df'), t('report.p'), t('report.pHolm'), t('report.result')],
            kruskal,
          ),
        ]
      : []),
  ].join('\n');
}

/** A triangle: one row per cohort (within the other keys), one column per month since. */
function cohortTable(result: MetricResult, locale: Locale): string {
  const t = translator(locale);
  const count = new Intl.NumberFormat(locale);
  const lines = heading(result, locale);
  if (result.groups.length === 0) return [...lines, t('report.noData')].join('\n');
  const others = result.by.filter((name) => name !== 'cohort' && name !== 'months_since');
  const rows = new Map<string, { prefix: string[]; size: number; shares: string[] }>();
  let months = 0;
  for (const g of result.groups) {
    const prefix = [...others.map((name) => g.key[name] ?? '∅'), g.key.cohort ?? '∅'];
    const id = JSON.stringify(prefix);
    const row = rows.get(id) ?? { prefix, size: g.n, shares: [] };
    const since = Number(g.key.months_since);
    row.shares[since] = formatValue(g.value, 'percent', locale);
    months = Math.max(months, since + 1);
    rows.set(id, row);
  }
  const header = [...others, t('report.cohort'), t('report.cohortSize'), ...Array.from({ length: months }, (_, i) => count.format(i))];
  const body = [...rows.values()].map((r) => [...r.prefix, count.format(r.size), ...Array.from({ length: months }, (_, i) => r.shares[i] ?? '')]);
  return [
    ...lines,
    t('report.monthsSince'),
    ...aligned(header, body),
    '',
    ...(result.basis === 'subscriptions' ? [t('report.basis.subscriptions')] : [t('report.basis.orders')]),
    ...(result.observedUntil ? [t('report.observedUntil', { date: result.observedUntil })] : []),
  ].join('\n');
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The rate columns of a consistency row (FCR, or resolved within the horizon). */
function rateColumns(prefix: string, rate: FunnelRate | undefined, pooled: number | null | undefined): [string, unknown][] {
  return [
    [`${prefix}value`, rate?.value],
    [`${prefix}n`, rate?.n],
    [`${prefix}ci_low`, rate?.ci?.[0]],
    [`${prefix}ci_high`, rate?.ci?.[1]],
    [`${prefix}count`, rate?.count],
    [`${prefix}pooled`, pooled],
    [`${prefix}limit95_low`, rate?.limits_95?.[0]],
    [`${prefix}limit95_high`, rate?.limits_95?.[1]],
    [`${prefix}limit998_low`, rate?.limits_99_8?.[0]],
    [`${prefix}limit998_high`, rate?.limits_99_8?.[1]],
    [`${prefix}position`, rate?.position],
    [`${prefix}flag`, rate?.flag],
  ];
}

/**
 * One row per group. The analyses have their own columns: consistency one row per agent with
 * both rates and their funnel positions (its tests are in the JSON), cohorts the active count.
 */
export function formatCsv(result: MetricResult): string {
  if (result.metric === 'consistency' || result.metric === 'cohorts') {
    const columns = (g: MetricGroup | undefined): [string, unknown][] => [
      ...result.by.map((name): [string, unknown] => [name, g?.key[name]]),
      ...(result.metric === 'consistency'
        ? [
            ...rateColumns('', g as unknown as FunnelRate | undefined, result.tests?.fcr.pooled),
            ...rateColumns('resolved_', g?.resolution as FunnelRate | undefined, result.tests?.resolution.pooled),
          ]
        : ([
            ['value', g?.value],
            ['n', g?.n],
            ['ci_low', g?.ci?.[0]],
            ['ci_high', g?.ci?.[1]],
            ['count', g?.count],
          ] as [string, unknown][])),
    ];
    const header = columns(undefined).map(([name]) => name);
    const rows = result.groups.map((g) => columns(g).map(([, value]) => value));
    return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  }
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
