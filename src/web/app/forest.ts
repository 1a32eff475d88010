import type { EChartsCoreOption } from 'echarts/core';
import { PALETTE } from './components/Chart.tsx';
import { formatInterval, formatValue } from './format.ts';
import type { I18n } from './i18n.tsx';
import type { Interval, Unit } from './types.ts';

/**
 * A dot-and-whisker ("forest") chart: one row per category (a team, an intent), a dot per series
 * at its value with its 95% interval as a whisker, series side by side within a row. Values
 * without an estimate (hidden for confidentiality, or not measured) leave their row empty; the
 * table beside the chart says why. Tooltip text is escaped: category names are people's input.
 */

export interface ForestPoint {
  value: number | null;
  n: number;
  ci: Interval | null;
}

export interface ForestSeries {
  name: string;
  points: Array<ForestPoint | null>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function forestOption({ i18n, unit, categories, series, valueName, range }: {
  i18n: I18n;
  unit: Unit;
  categories: string[];
  series: ForestSeries[];
  valueName: string;
  /** Fixed ends of the value axis (0–100 for percentages, −100–100 for NPS). */
  range?: [number, number];
}): EChartsCoreOption {
  const spread = series.length > 1 ? 0.5 / series.length : 0;
  const offset = (s: number) => (s - (series.length - 1) / 2) * spread;
  const chartSeries: unknown[] = [];
  series.forEach((s, index) => {
    const colour = PALETTE[index % PALETTE.length]!;
    const whiskers: Array<[number, number] | null[]> = [];
    s.points.forEach((point, row) => {
      if (point?.ci && point.value !== null) whiskers.push([point.ci[0], row + offset(index)], [point.ci[1], row + offset(index)], [null, null]);
    });
    chartSeries.push(
      { name: s.name, type: 'line', data: whiskers, symbol: 'none', connectNulls: false, silent: true, tooltip: { show: false }, lineStyle: { color: colour, width: 2 } },
      {
        name: s.name, type: 'scatter', symbolSize: 11, itemStyle: { color: colour },
        data: s.points.flatMap((point, row) => (point && point.value !== null ? [{ value: [point.value, row + offset(index)], row }] : [])),
      },
    );
  });
  return {
    color: series.map((_, i) => PALETTE[i % PALETTE.length]!),
    grid: { containLabel: true, left: 16, right: 24, top: series.length > 1 ? 36 : 16, bottom: 36 },
    legend: series.length > 1 ? { data: series.map((s) => s.name), top: 0 } : undefined,
    tooltip: {
      trigger: 'item',
      formatter: (item: { seriesIndex: number; data: { row: number } }) => {
        const s = series[Math.floor(item.seriesIndex / 2)]!;
        const point = s.points[item.data.row];
        if (!point) return '';
        return `<b>${escapeHtml(categories[item.data.row] ?? '')}</b><br/>${escapeHtml(s.name)}: <b>${escapeHtml(formatValue(i18n, unit, point.value))}</b> · ${escapeHtml(formatInterval(i18n, unit, point.ci))} · ${escapeHtml(i18n.t('n.count', { n: point.n }))}`;
      },
    },
    xAxis: {
      type: 'value', name: valueName, nameLocation: 'middle', nameGap: 26, min: range?.[0], max: range?.[1], axisLine: { onZero: false },
      axisLabel: { formatter: (value: number) => formatValue(i18n, unit, value) },
    },
    yAxis: {
      // Rows sit on whole numbers (ticks from −1 to n, so each row gets its label and a margin).
      type: 'value', min: -1, max: categories.length, interval: 1, inverse: true, axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { formatter: (value: number) => (Number.isInteger(value) ? categories[value] ?? '' : ''), width: 180, overflow: 'truncate' },
    },
    series: chartSeries,
  };
}

/** Horizontal stacked bars of shares (each row adds up to 100%); values in percent. */
export function stackedSharesOption({ i18n, categories, series, valueName }: {
  i18n: I18n;
  categories: string[];
  series: Array<{ name: string; values: Array<{ share: number; count: number; n: number } | null> }>;
  valueName: string;
}): EChartsCoreOption {
  return {
    color: PALETTE,
    grid: { containLabel: true, left: 16, right: 24, top: 40, bottom: 36 },
    legend: { data: series.map((s) => s.name), top: 0, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      formatter: (item: { seriesIndex: number; dataIndex: number }) => {
        const s = series[item.seriesIndex]!;
        const cell = s.values[item.dataIndex];
        if (!cell) return '';
        return `<b>${escapeHtml(categories[item.dataIndex] ?? '')}</b><br/>${escapeHtml(s.name)}: <b>${escapeHtml(formatValue(i18n, 'percent', cell.share))}</b> · ${escapeHtml(i18n.t('visitors.countOf', { count: cell.count, n: cell.n }))}`;
      },
    },
    xAxis: { type: 'value', max: 100, name: valueName, nameLocation: 'middle', nameGap: 26, axisLabel: { formatter: (value: number) => formatValue(i18n, 'percent', value) } },
    yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
    series: series.map((s) => ({ name: s.name, type: 'bar', stack: 'share', barMaxWidth: 28, data: s.values.map((v) => v?.share ?? 0) })),
  };
}
