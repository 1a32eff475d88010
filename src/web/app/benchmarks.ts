import { useMemo } from 'react';
import { benchmarkGap, type Gap } from '../../metrics/benchmark-gap.ts';
import type { ReferenceLine } from './charts.ts';
import { formatDelta } from './format.ts';
import { useApi, useWorkspace } from './hooks.ts';
import { useI18n, type I18n, type MessageKey } from './i18n.tsx';
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

/**
 * The workspace's benchmarks of one metric as a trend chart's reference lines, with their margins
 * for the gap in the tooltip: every page that draws a metric's trend draws its benchmarks too.
 */
export function useBenchmarkLines(metric: string): ReferenceLine[] {
  const i18n = useI18n();
  const workspace = useWorkspace();
  const loaded = useApi<{ benchmarks: BenchmarkJson[] }>('/api/v1/benchmarks', { workspace: workspace.name, metric });
  return useMemo(() => {
    const list = (loaded.data?.benchmarks ?? []).filter((b) => b.metric === metric);
    return benchmarkLines(i18n, list).map((line, i) => ({ ...line, margin: list[i]!.margin }));
  }, [loaded.data, i18n, metric]);
}
