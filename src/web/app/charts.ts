import type { EChartsCoreOption } from 'echarts/core';
import { benchmarkGap } from '../../metrics/benchmark-gap.ts';
import { formatDelta, formatInterval, formatPeriod, formatValue } from './format.ts';
import type { I18n } from './i18n.tsx';
import type { Interval, Period, Unit } from './types.ts';

/** Chart options the pages share, so every trend looks and reads the same. */

export interface TrendSeries {
  name: string;
  points: Array<{ period: string; value: number | null; n: number; ci: Interval | null }>;
}

export interface Annotation {
  /** The period label the event falls in. */
  period: string;
  text: string;
}

/** A benchmark drawn as a horizontal reference line (labelled with its source), with its margin for the gap. */
export interface ReferenceLine {
  value: number;
  label: string;
  margin?: number | null;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Lines over periods, each with its 95% interval as a band (drawn as a stacked pair: the lower
 * bound, then the band's height, stacked whatever their signs: a band that starts below zero
 * would otherwise be drawn from zero) and n in the tooltip. Events people marked stand as labelled
 * vertical lines; benchmarks as labelled dashed horizontal lines, the value axis stretched to hold
 * them, and the tooltip gives the gap of a single line to each (with its interval, benchmark-gap.ts).
 * Tooltip text is escaped: series names, annotations and benchmark labels are people's input.
 */
export function trendOption({ i18n, unit, period, series, annotations = [], benchmarks = [], valueName }: {
  i18n: I18n;
  unit: Unit;
  period: Period;
  series: TrendSeries[];
  annotations?: Annotation[];
  benchmarks?: ReferenceLine[];
  valueName: string;
}): EChartsCoreOption {
  const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const lookup = series.map((s) => new Map(s.points.map((p) => [p.period, p])));
  const chartSeries: unknown[] = [];
  series.forEach((s, index) => {
    const byPeriod = lookup[index]!;
    const stack = `ci-${index}`;
    chartSeries.push(
      { name: `${s.name} ci-low`, type: 'line', stack, stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false },
        data: periods.map((p) => byPeriod.get(p)?.ci?.[0] ?? null) },
      { name: `${s.name} ci`, type: 'line', stack, stackStrategy: 'all', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false },
        areaStyle: { opacity: 0.18, color: undefined }, data: periods.map((p) => {
          const ci = byPeriod.get(p)?.ci;
          return ci ? ci[1] - ci[0] : null;
        }) },
      { name: s.name, type: 'line', symbolSize: 6, connectNulls: false, data: periods.map((p) => byPeriod.get(p)?.value ?? null),
        markLine: index === 0 && (annotations.length > 0 || benchmarks.length > 0) ? {
          symbol: 'none', silent: false, lineStyle: { type: 'dashed', color: '#555' },
          label: { formatter: (item: { name: string }) => item.name, position: 'insideEndTop', color: '#333' },
          data: [
            ...annotations.filter((a) => periods.includes(a.period)).map((a) => ({ xAxis: a.period, name: a.text })),
            ...benchmarks.map((b) => ({ yAxis: b.value, name: b.label, lineStyle: { type: [6, 4], color: '#7a3b00', width: 1.5 }, label: { position: 'insideStartTop', color: '#7a3b00' } })),
          ],
        } : undefined },
    );
  });
  // The band's colour follows its line's (series 0, 3, 6, … are bands of line 2, 5, 8, …).
  const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  const colours = series.flatMap((_, i) => Array<string>(3).fill(palette[i % palette.length]!));
  return {
    color: colours,
    grid: { containLabel: true, left: 16, right: 24, top: 40, bottom: 34 },
    legend: series.length > 1 ? { data: series.map((s) => s.name), top: 0 } : undefined,
    tooltip: {
      trigger: 'axis',
      formatter: (items: Array<{ seriesName: string; dataIndex: number }>) => {
        const index = items[0]?.dataIndex ?? 0;
        const label = periods[index]!;
        const lines = series.map((s, i) => {
          const point = lookup[i]!.get(label);
          if (!point || point.value === null) return `${escapeHtml(s.name)}: –`;
          return `${escapeHtml(s.name)}: <b>${escapeHtml(formatValue(i18n, unit, point.value))}</b> · ${escapeHtml(formatInterval(i18n, unit, point.ci))} · ${escapeHtml(i18n.t('n.count', { n: point.n }))}`;
        });
        const own = series.length === 1 ? lookup[0]!.get(label) : undefined;
        const references = benchmarks.map((b) => {
          const gap = own ? benchmarkGap({ own: { value: own.value, ci: own.ci }, benchmark: { value: b.value, margin: b.margin } }) : null;
          const gapText = gap ? ` · ${formatDelta(i18n, unit, gap.gap)} (${gap.ci ? i18n.t('ci.range', { low: formatDelta(i18n, unit, gap.ci[0]), high: formatDelta(i18n, unit, gap.ci[1]) }) : i18n.t('ci.none')})` : '';
          return `${escapeHtml(b.label)}: ${escapeHtml(formatValue(i18n, unit, b.value))}${escapeHtml(gapText)}`;
        });
        return [`<b>${escapeHtml(formatPeriod(i18n, label, period))}</b>`, ...lines, ...references].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: periods, name: i18n.t(`period.name.${period}` as 'period.name.month'), nameLocation: 'middle', nameGap: 28,
      axisLabel: { formatter: (label: string) => formatPeriod(i18n, label, period, 'short') } },
    yAxis: { type: 'value', name: valueName, nameTextStyle: { align: 'left' }, scale: true, axisLabel: { formatter: (value: number) => formatValue(i18n, unit, value) },
      // A benchmark outside the data's range still shows: the axis stretches to hold it.
      ...(benchmarks.length > 0 ? {
        min: (extent: { min: number; max: number }) => Math.min(extent.min, ...benchmarks.map((b) => b.value)),
        max: (extent: { min: number; max: number }) => Math.max(extent.max, ...benchmarks.map((b) => b.value)),
      } : {}) },
    series: chartSeries,
  };
}
