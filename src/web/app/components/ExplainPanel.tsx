import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useRef } from 'react';
import { download } from '../csv.ts';
import { formatPeriod, formatValue } from '../format.ts';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import type { Period, Unit } from '../types.ts';
import { Chart, type ChartHandle } from './Chart.tsx';
import { DataTable } from './DataTable.tsx';
import { Failure, Loading } from './Status.tsx';

/** GET /api/v1/explain (src/reports/explain.ts). */
interface Explanation {
  metric: string;
  unit: Unit;
  of: 'value' | 'mean';
  from: { period: string; value: number | null; n: number };
  to: { period: string; value: number | null; n: number };
  change: number | null;
  significant: boolean;
  min_n: number;
  summary: string;
  contributions: Array<{
    dimension: string;
    group: string;
    share_from: number;
    share_to: number;
    value_from: number | null;
    value_to: number | null;
    n_from: number;
    n_to: number;
    mix_effect: number;
    rate_effect: number;
    total: number;
    significant: boolean;
  }>;
  dimensions: Array<{ dimension: string; mix_effect: number; rate_effect: number; groups: number }>;
}

const SHOWN = 10;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * "Why did it change?": the change between the shown period and the one before, split into each
 * group's mix and rate effects, the largest first — as a sentence, a chart and a table.
 */
export function ExplainPanel({ metric, from, to, period, where, onClose }: { metric: string; from: string; to: string; period: Period; where?: string[]; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const chart = useRef<ChartHandle>(null);
  const { data, error, loading } = useApi<Explanation>('/api/v1/explain', { workspace: workspace.name, metric, from, to, where, lang: i18n.locale });
  const title = t(`metric.${metric}` as MessageKey);
  const points = (value: number) => (data?.unit === 'nps' || data?.unit === 'percent' ? i18n.number(value, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }) : `${value > 0 ? '+' : value < 0 ? '−' : ''}${formatValue(i18n, data?.unit ?? 'count', Math.abs(value))}`);
  const top = data?.contributions.slice(0, SHOWN) ?? [];
  const label = (c: Explanation['contributions'][number]) => `${c.dimension}: ${c.group}`;
  // Before → after reads in the direction of the text: the arrow points left in Arabic.
  const arrow = i18n.dir === 'rtl' ? '←' : '→';

  const option = useMemo((): EChartsCoreOption => ({
    grid: { containLabel: true, left: 16, right: 24, top: 32, bottom: 16 },
    legend: { data: [t('explain.mix'), t('explain.rate')], top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: Array<{ dataIndex: number }>) => {
        const c = top[items[0]?.dataIndex ?? 0];
        if (!c) return '';
        return [
          `<b>${escapeHtml(label(c))}</b>`,
          `${escapeHtml(t('explain.mix'))}: ${escapeHtml(points(c.mix_effect))}`,
          `${escapeHtml(t('explain.rate'))}: ${escapeHtml(points(c.rate_effect))}`,
          escapeHtml(t('explain.nBoth', { from: c.n_from, to: c.n_to })),
        ].join('<br/>');
      },
    },
    // Categories top to bottom, largest first; the value axis is the change in the metric's unit.
    yAxis: { type: 'category', inverse: true, data: top.map(label), axisLabel: { width: 220, overflow: 'truncate' } },
    xAxis: { type: 'value', name: t('explain.axis', { metric: title }), nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: (v: number) => points(v) } },
    series: [
      { name: t('explain.mix'), type: 'bar', stack: 'effect', data: top.map((c) => c.mix_effect) },
      { name: t('explain.rate'), type: 'bar', stack: 'effect', data: top.map((c) => c.rate_effect) },
    ],
  }), [data, i18n.locale]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section className="panel explain" aria-labelledby="explain-title" data-testid="explain-panel">
      <div className="panel-head">
        <h2 id="explain-title">{t('explain.title', { metric: title, from: formatPeriod(i18n, from, period), to: formatPeriod(i18n, to, period) })}</h2>
        <button type="button" onClick={onClose}>{t('action.close')}</button>
      </div>
      {loading && <Loading />}
      {error && <Failure error={error} />}
      {data && (
        <>
          <p className="explain-summary" data-testid="explain-summary">{data.summary}</p>
          {top.length > 0 && (
            <>
              <Chart ref={chart} option={option} label={t('explain.chartLabel', { metric: title })} height={Math.max(220, top.length * 32 + 70)} mirror={false} testId="explain-chart" />
              <div className="table-actions">
                <button type="button" onClick={() => { const png = chart.current?.toPng(); if (png) download(`why-${metric}-${to}.png`, png); }}>{t('action.exportPng')}</button>
              </div>
            </>
          )}
          <DataTable
            caption={t('explain.tableCaption')}
            fileName={`why-${metric}-${from}-${to}`}
            testId="explain-table"
            rows={data.contributions}
            rowKey={(c) => `${c.dimension}|${c.group}`}
            columns={[
              { header: t('explain.col.dimension'), cell: (c) => c.dimension, value: (c) => c.dimension },
              { header: t('explain.col.group'), cell: (c) => <span dir="auto">{c.group}</span>, value: (c) => c.group },
              { header: t('explain.col.value'), cell: (c) => `${formatValue(i18n, data.unit, c.value_from)} ${arrow} ${formatValue(i18n, data.unit, c.value_to)}`, value: (c) => `${c.value_from ?? ''} → ${c.value_to ?? ''}` },
              { header: t('explain.col.n'), cell: (c) => `${i18n.number(c.n_from)} ${arrow} ${i18n.number(c.n_to)}`, value: (c) => `${c.n_from} → ${c.n_to}`, numeric: true },
              { header: t('explain.mix'), cell: (c) => points(c.mix_effect), value: (c) => c.mix_effect, numeric: true },
              { header: t('explain.rate'), cell: (c) => points(c.rate_effect), value: (c) => c.rate_effect, numeric: true },
              { header: t('explain.col.total'), cell: (c) => <strong>{points(c.total)}</strong>, value: (c) => c.total, numeric: true },
              { header: t('explain.col.significant'), cell: (c) => (c.significant ? t('explain.yes') : t('explain.no')), value: (c) => (c.significant ? 1 : 0) },
            ]}
          />
          <p className="muted">{t('explain.note', { minN: data.min_n })}{data.of === 'mean' ? ` ${t('explain.ofMean')}` : ''}</p>
        </>
      )}
    </section>
  );
}
