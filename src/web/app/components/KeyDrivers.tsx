import type { EChartsCoreOption } from 'echarts/core';
import { useMemo } from 'react';
import { touchpointName } from '../pages/journey.tsx';
import { formatPeriod, formatValue } from '../format.ts';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import { Chart, PALETTE } from './Chart.tsx';
import { DataTable, type Column } from './DataTable.tsx';
import { Failure, Loading } from './Status.tsx';

/** GET /api/v1/key-drivers (src/reports/key-drivers.ts). */
export interface KeyDriversJson {
  n: number;
  respondents: number;
  window_days: number;
  r_squared: number | null;
  r_squared_ci: [number, number] | null;
  importance_median: number | null;
  performance_median: number | null;
  drivers: Array<{
    name: string;
    importance: number;
    share: number | null;
    share_ci: [number, number] | null;
    performance: number | null;
    performance_ci: [number, number] | null;
    n: number;
    rank: number;
    quadrant: 'fix_first' | 'maintain' | 'monitor' | 'low_priority';
  }>;
  warnings: Array<{ code: string; message: string; n?: number; needed?: number; excluded?: number; total?: number; share?: number; names?: string[]; r_squared?: number }>;
}

type Driver = KeyDriversJson['drivers'][number];

/** NPS is asked of a customer about twice a year: six months give everyone one answer. */
const DRIVER_MONTHS = 6;

function firstDayMonthsBefore(day: string, months: number): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1 - months, 1));
  return start.toISOString().slice(0, 10);
}

const percent = (i18n: I18n, share: number | null | undefined) => formatValue(i18n, 'percent', share === null || share === undefined ? null : share * 100);
const range = (i18n: I18n, low: string, high: string) => i18n.t('support.limits', { low, high });

/**
 * The journey page's "Key drivers": which touchpoints' CSAT explains the NPS customers gave
 * afterwards, as a priority matrix (share of the explained NPS across, CSAT up; mirrored in
 * Arabic) and a table with n and intervals. The server computes everything; the page formats.
 */
export function KeyDrivers({ to, where }: { to: string; where?: string[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const from = firstDayMonthsBefore(to, DRIVER_MONTHS - 1);
  const { data, error } = useApi<KeyDriversJson>('/api/v1/key-drivers', { workspace: workspace.name, outcome: 'nps', from, to, where });
  const option = useMemo(() => (data ? matrixOption(i18n, data) : undefined), [data, i18n]);
  return (
    <section aria-labelledby="drivers-title" data-testid="key-drivers">
      <h2 id="drivers-title">{t('drivers.title')}</h2>
      {error && !data ? (
        <Failure error={error} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <p className="muted" data-testid="drivers-range">
            {t('drivers.range', { from: formatPeriod(i18n, from.slice(0, 7), 'month'), to: formatPeriod(i18n, to.slice(0, 7), 'month') })}
          </p>
          <p className="lede" data-testid="drivers-lede">
            {t('drivers.lede', {
              days: data.window_days,
              r2: percent(i18n, data.r_squared),
              ci: data.r_squared_ci ? t('ci.range', { low: percent(i18n, data.r_squared_ci[0]), high: percent(i18n, data.r_squared_ci[1]) }) : t('ci.none'),
              n: data.n,
              respondents: data.respondents,
            })}
          </p>
          {data.warnings.length > 0 && (
            <ul className="muted" data-testid="drivers-warnings">
              {data.warnings.map((w) => (
                <li key={w.code} data-code={w.code}>{warningText(i18n, w)}</li>
              ))}
            </ul>
          )}
          {data.drivers.length > 0 && option && (
            <>
              <Chart option={option} label={t('drivers.chartLabel')} height={340} testId="drivers-chart" />
              <DataTable caption={t('drivers.title')} columns={columns(i18n)} rows={data.drivers} fileName="key-drivers" testId="drivers-table" rowKey={(d) => d.name} />
            </>
          )}
          <details className="journey-rule">
            <summary>{t('drivers.rule.title')}</summary>
            <p>{t('drivers.rule.body')}</p>
          </details>
        </>
      )}
    </section>
  );
}

function warningText(i18n: I18n, w: KeyDriversJson['warnings'][number]): string {
  const key = `drivers.warning.${w.code}` as MessageKey;
  const text = i18n.t(key, { n: w.n ?? 0, needed: w.needed ?? 0, excluded: w.excluded ?? 0, total: w.total ?? 0, share: percent(i18n, w.share ?? 0), r2: percent(i18n, w.r_squared ?? 0), names: (w.names ?? []).map((name) => touchpointName(i18n, name)).join(', ') });
  return text === key ? w.message : text;
}

function columns(i18n: I18n): Array<Column<Driver>> {
  const { t } = i18n;
  return [
    { header: t('drivers.column.touchpoint'), cell: (d) => touchpointName(i18n, d.name), value: (d) => d.name },
    { header: t('drivers.column.share'), cell: (d) => percent(i18n, d.share), value: (d) => d.share, numeric: true },
    { header: t('drivers.column.shareCi'), cell: (d) => (d.share_ci ? range(i18n, percent(i18n, d.share_ci[0]), percent(i18n, d.share_ci[1])) : '–'), value: (d) => (d.share_ci ? d.share_ci.join(' – ') : null) },
    { header: t('drivers.column.score'), cell: (d) => formatValue(i18n, 'percent', d.performance), value: (d) => d.performance, numeric: true },
    { header: t('drivers.column.scoreCi'), cell: (d) => (d.performance_ci ? range(i18n, formatValue(i18n, 'percent', d.performance_ci[0]), formatValue(i18n, 'percent', d.performance_ci[1])) : '–'), value: (d) => (d.performance_ci ? d.performance_ci.join(' – ') : null) },
    { header: t('drivers.column.n'), cell: (d) => i18n.number(d.n), value: (d) => d.n, numeric: true },
    { header: t('drivers.column.quadrant'), cell: (d) => t(`drivers.quadrant.${d.quadrant}` as MessageKey), value: (d) => d.quadrant },
  ];
}

function matrixOption(i18n: I18n, data: KeyDriversJson): EChartsCoreOption {
  const { t } = i18n;
  const shareMedian = data.importance_median !== null && data.r_squared ? data.importance_median / data.r_squared : null;
  const colour: Record<Driver['quadrant'], string> = { fix_first: PALETTE[5]!, maintain: PALETTE[2]!, monitor: PALETTE[0]!, low_priority: PALETTE[1]! };
  return {
    // ECharts writes its own (English) description over the box's aria-label: give it ours.
    aria: { enabled: true, label: { description: t('drivers.chartLabel') } },
    grid: { left: 64, right: 64, top: 24, bottom: 56, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: t('drivers.axis.importance'), nameLocation: 'middle', nameGap: 32, min: 0, axisLabel: { formatter: (v: number) => percent(i18n, v) } },
    yAxis: { type: 'value', name: t('drivers.axis.performance'), nameLocation: 'middle', nameGap: 48, scale: true, axisLabel: { formatter: (v: number) => formatValue(i18n, 'percent', v) } },
    series: [
      {
        type: 'scatter',
        symbolSize: 14,
        data: data.drivers.map((d) => ({
          value: [d.share ?? 0, d.performance ?? 0],
          name: touchpointName(i18n, d.name),
          itemStyle: { color: colour[d.quadrant] },
          tooltip: { formatter: `${touchpointName(i18n, d.name)}: ${t(`drivers.quadrant.${d.quadrant}` as MessageKey)}` },
        })),
        label: { show: true, position: 'top', formatter: '{b}' },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#6b7280' },
          label: { show: false },
          data: [
            ...(shareMedian !== null ? [{ xAxis: shareMedian }] : []),
            ...(data.performance_median !== null ? [{ yAxis: data.performance_median }] : []),
          ],
        },
      },
    ],
  };
}
