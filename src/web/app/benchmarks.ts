import { benchmarkGap, type Gap } from '../../metrics/benchmark-gap.ts';
import { formatDelta } from './format.ts';
import type { I18n, MessageKey } from './i18n.tsx';
import type { BenchmarkJson, Interval, Unit } from './types.ts';

/** Benchmarks on the dashboard: the source as people recognise it, and the gap in words. */

/** The site a source link points to (example.org), for labels; the whole link is on the Benchmarks page. */
export function sourceHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** Only http(s) links become links (the server accepts nothing else; this is a second lock). */
export const safeHref = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

export const gapOf = (own: { value: number | null; ci: Interval | null } | null | undefined, benchmark: BenchmarkJson): Gap | null =>
  own ? benchmarkGap({ own, benchmark: { value: benchmark.value, margin: benchmark.margin } }) : null;

export function formatGapInterval(i18n: I18n, unit: Unit, gap: Gap): string {
  return gap.ci ? i18n.t('ci.range', { low: formatDelta(i18n, unit, gap.ci[0]), high: formatDelta(i18n, unit, gap.ci[1]) }) : i18n.t('ci.none');
}

export const gapVerdict = (i18n: I18n, gap: Gap) => i18n.t(`gap.${gap.verdict}` as MessageKey);

/** The chart's reference lines: one per benchmark, labelled with its label and source. */
export const benchmarkLines = (i18n: I18n, benchmarks: BenchmarkJson[]) =>
  benchmarks.map((b) => ({ value: b.value, label: i18n.t('benchmarks.lineLabel', { label: b.label, source: sourceHost(b.sourceUrl) }) }));
