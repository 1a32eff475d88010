import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useRef } from 'react';
import { Chart, PALETTE, type ChartHandle } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { formatInterval, formatPeriod, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import type { CustomerProfileData, ProfileMeasure, Unit } from '../types.ts';

const ATTRIBUTES = ['segment', 'customer.age_band', 'customer.gender', 'customer.country', 'customer.city', 'customer.sector', 'customer.headcount_band', 'customer.plan'];
const MEASURES: ProfileMeasure[] = ['csat', 'nps', 'retention', 'churn', 'revenue_per_customer'];
const UNITS: Record<ProfileMeasure, Unit> = { csat: 'percent', nps: 'nps', retention: 'percent', churn: 'percent', revenue_per_customer: 'money' };
/** Churn is the one measure where lower is better. */
const LOWER_IS_BETTER = new Set<ProfileMeasure>(['churn']);
const WINDOWS = ['3', '6', '12', '24'];
const TOO_FEW_COLOUR = '#aab1bd';
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Row = CustomerProfileData['rows'][number];

interface Ranked {
  row: Row;
  label: string;
  /** 1, 2, … for groups with enough answers; null: too few to rank (or nothing measured). */
  rank: number | null;
}

const attributeKey = (attribute: string) => `attribute.${attribute.replace(/^customer\./, '')}` as MessageKey;

/** The measure's groups, ranked best first; groups with n below the minimum come after, unranked. */
export function rankRows(data: CustomerProfileData, measure: ProfileMeasure, notStated: string): Ranked[] {
  const sign = LOWER_IS_BETTER.has(measure) ? 1 : -1;
  const measured = data.rows.filter((r) => r.measures[measure]?.value != null);
  const enough = measured.filter((r) => r.measures[measure]!.n >= data.minRankedN);
  const few = measured.filter((r) => r.measures[measure]!.n < data.minRankedN);
  const byValue = (a: Row, b: Row) => sign * (a.measures[measure]!.value! - b.measures[measure]!.value!) || b.measures[measure]!.n - a.measures[measure]!.n;
  return [
    ...enough.sort(byValue).map((row, i) => ({ row, label: row.value ?? notStated, rank: i + 1 })),
    ...few.sort(byValue).map((row) => ({ row, label: row.value ?? notStated, rank: null })),
  ];
}

function axisName(i18n: I18n, measure: ProfileMeasure, currency: string | null): string {
  const name = i18n.t(`metric.${measure}` as MessageKey);
  if (UNITS[measure] === 'money') return i18n.t('customers.axis.money', { measure: name, currency: currency ?? '' });
  if (UNITS[measure] === 'nps') return i18n.t('customers.axis.nps', { measure: name });
  return i18n.t('customers.axis.percent', { measure: name });
}

/** Horizontal bars, best on top, each with its 95% interval as a whisker and n in its label and tooltip. */
export function rankedBarOption(i18n: I18n, ranked: Ranked[], measure: ProfileMeasure, data: CustomerProfileData): EChartsCoreOption {
  const unit = UNITS[measure];
  const labels = ranked.map((r) => r.label);
  const cells = ranked.map((r) => r.row.measures[measure]!);
  const tooFew = i18n.t('customers.tooFew', { min: data.minRankedN });
  return {
    // Room after the bars' ends for their labels (on the left when Arabic mirrors the chart).
    grid: { containLabel: true, left: i18n.dir === 'rtl' ? 150 : 24, right: i18n.dir === 'rtl' ? 24 : 150, top: 16, bottom: 40 },
    tooltip: {
      trigger: 'item',
      formatter: (item: { dataIndex: number }) => {
        const r = ranked[item.dataIndex]!;
        const cell = cells[item.dataIndex]!;
        return [
          `<b>${escapeHtml(r.label)}</b>`,
          `${escapeHtml(formatValue(i18n, unit, cell.value))} · ${escapeHtml(formatInterval(i18n, unit, cell.ci))}`,
          escapeHtml(i18n.t('n.count', { n: cell.n })),
          ...(r.rank === null ? [escapeHtml(tooFew)] : []),
        ].join('<br/>');
      },
    },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 160, overflow: 'truncate' } },
    xAxis: {
      type: 'value',
      name: axisName(i18n, measure, data.currency),
      nameLocation: 'middle',
      nameGap: 28,
      ...(unit === 'percent' ? { min: 0, max: 100 } : unit === 'nps' ? { min: -100, max: 100 } : {}),
      axisLabel: { formatter: (value: number) => formatValue(i18n, unit, value) },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 26,
        data: ranked.map((r, i) => ({ value: cells[i]!.value, itemStyle: { color: r.rank === null ? TOO_FEW_COLOUR : PALETTE[0] } })),
        label: {
          show: true,
          // After the bar's end: on its right, or on its left when Arabic mirrors the axis.
          position: i18n.dir === 'rtl' ? 'left' : 'right',
          color: '#1d2330',
          formatter: (item: { dataIndex: number }) => `${formatValue(i18n, unit, cells[item.dataIndex]!.value)} · ${i18n.t('n.count', { n: cells[item.dataIndex]!.n })}`,
        },
        markLine: {
          silent: true,
          symbol: ['none', 'none'],
          animation: false,
          lineStyle: { color: '#1d2330', width: 2, type: 'solid' },
          label: { show: false },
          data: ranked.flatMap((r, i) => {
            const ci = cells[i]!.ci;
            return ci ? [[{ coord: [ci[0], r.label] }, { coord: [ci[1], r.label] }]] : [];
          }),
        },
      },
    ],
  };
}

/** The ideal-customer profile: which customers are happiest, stay longest and spend most. */
export default function Customers() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ attribute: 'segment', measure: 'csat', months: '12', currency: '' });
  const measure = (MEASURES.includes(view.measure as ProfileMeasure) ? view.measure : 'csat') as ProfileMeasure;
  const { data, error, loading } = useApi<CustomerProfileData>('/api/v1/customers/profile', {
    workspace: workspace.name,
    attribute: view.attribute,
    months: view.months,
    currency: view.currency,
  });
  const chart = useRef<ChartHandle>(null);
  const notStated = t('value.notStated');
  const ranked = useMemo(() => (data ? rankRows(data, measure, notStated) : []), [data, measure, notStated]);
  const option = useMemo(() => (data ? rankedBarOption(i18n, ranked, measure, data) : undefined), [i18n, ranked, measure, data]);
  const attributeName = t(attributeKey(view.attribute));
  const measureName = t(`metric.${measure}` as MessageKey);
  const empty = data && data.rows.length === 0;
  const best = ranked.find((r) => r.rank === 1);
  const worst = [...ranked].reverse().find((r) => r.rank !== null && r.rank > 1);
  const scoreOf = (r: Ranked) => formatValue(i18n, UNITS[measure], r.row.measures[measure]!.value);

  const rankOf = new Map(ranked.map((r) => [r.row, r.rank]));
  const tableRows = data ? [...ranked.map((r) => r.row), ...data.rows.filter((row) => !ranked.some((r) => r.row === row))] : [];
  const columns: Array<Column<Row>> = [
    {
      header: t('customers.column.rank'),
      cell: (row) => {
        const rank = rankOf.get(row);
        if (rank) return i18n.number(rank);
        return row.measures[measure]?.value != null ? <span className="muted">{t('customers.tooFew', { min: data?.minRankedN ?? 30 })}</span> : '–';
      },
      value: (row) => rankOf.get(row) ?? null,
      numeric: true,
    },
    { header: attributeName, cell: (row) => <span dir="auto">{row.value ?? notStated}</span>, value: (row) => row.value },
    { header: t('customers.column.customers'), cell: (row) => i18n.number(row.customers), value: (row) => row.customers, numeric: true },
    ...MEASURES.flatMap((m): Array<Column<Row>> => {
      const name = m === 'revenue_per_customer' && data?.currency ? `${t(`metric.${m}` as MessageKey)} (${data.currency})` : t(`metric.${m}` as MessageKey);
      return [
        { header: name, cell: (row) => formatValue(i18n, UNITS[m], row.measures[m]?.value), value: (row) => row.measures[m]?.value ?? null, numeric: true },
        { header: t('customers.column.n', { measure: t(`metric.${m}` as MessageKey) }), cell: (row) => i18n.number(row.measures[m]?.n ?? 0), value: (row) => row.measures[m]?.n ?? 0, numeric: true },
        {
          header: t('customers.column.ci', { measure: t(`metric.${m}` as MessageKey) }),
          cell: (row) => (row.measures[m] ? <span style={{ whiteSpace: 'nowrap' }}>{formatInterval(i18n, UNITS[m], row.measures[m]!.ci)}</span> : '–'),
          value: (row) => (row.measures[m]?.ci ? row.measures[m]!.ci!.map((x) => Math.round(x * 100) / 100).join(' – ') : null),
        },
      ];
    }),
  ];

  return (
    <>
      <h1>{t('page.customers')}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('control.attribute')}
          <select value={view.attribute} onChange={(event) => setView({ attribute: event.target.value })} data-testid="attribute">
            {ATTRIBUTES.map((a) => (
              <option key={a} value={a}>
                {t(attributeKey(a))}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('control.rankBy')}
          <select value={measure} onChange={(event) => setView({ measure: event.target.value })} data-testid="measure">
            {MEASURES.map((m) => (
              <option key={m} value={m}>
                {t(`metric.${m}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('control.window')}
          <select value={view.months} onChange={(event) => setView({ months: event.target.value })}>
            {WINDOWS.map((months) => (
              <option key={months} value={months}>
                {t('window.months', { months: Number(months) })}
              </option>
            ))}
          </select>
        </label>
        {data && data.currencies.length > 0 && (
          <label>
            {t('control.currency')}
            <select value={data.currency ?? ''} onChange={(event) => setView({ currency: event.target.value })} data-testid="currency">
              {data.currencies.map((c) => (
                <option key={c.currency} value={c.currency}>
                  {c.currency}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      {error && <Failure error={error} />}
      {loading && !data && <Loading />}
      {empty && (
        <Empty title={t('customers.empty.title')}>
          <p>{t('customers.empty.body')}</p>
          <DemoDataAction />
        </Empty>
      )}
      {data && !empty && option && (
        <div aria-busy={loading}>
          <p className="lede" data-testid="customers-window">
            {t('customers.lede', { months: t('window.months', { months: data.window.months }), month: formatPeriod(i18n, data.window.lastMonth, 'month') })}
          </p>
          {Object.entries(data.unavailable).map(([m, reason]) => (
            <p key={m} className="status" role="note">
              {t('customers.unavailable', { measure: t(`metric.${m}` as MessageKey), reason: reason ?? '' })}
            </p>
          ))}
          <section className="panel" aria-labelledby="ranking-title">
            <h2 id="ranking-title">{t('customers.chart', { measure: measureName, attribute: attributeName })}</h2>
            {best && (
              <p className="lede" data-testid="best">
                {t('customers.best', { value: best.label, measure: measureName, score: scoreOf(best), n: best.row.measures[measure]!.n })}{' '}
                {worst && t('customers.worst', { value: worst.label, measure: measureName, score: scoreOf(worst), n: worst.row.measures[measure]!.n })}
              </p>
            )}
            <p className="muted">{t('customers.tooFewNote', { min: data.minRankedN })}</p>
            <Chart
              ref={chart}
              option={option}
              label={t('customers.chart', { measure: measureName, attribute: attributeName })}
              height={Math.max(220, 70 + ranked.length * 34)}
              testId="ranking-chart"
            />
            <div className="table-actions">
              <button
                type="button"
                onClick={() => {
                  const png = chart.current?.toPng();
                  if (png) download(`customers-${measure}-by-${view.attribute}.png`, png);
                }}
              >
                {t('action.exportPng')}
              </button>
            </div>
            <p className="muted">
              {t('customers.basis', {
                basis: data.basis?.startsWith('orders') ? t('retention.basis.orders') : t('retention.basis.subscriptions'),
                currency: data.currency ?? '–',
              })}
            </p>
          </section>
          <DataTable
            caption={t('customers.table.caption', { attribute: attributeName })}
            columns={columns}
            rows={tableRows}
            fileName={`customers-by-${view.attribute}`}
            testId="profile-table"
            rowKey={(row) => String(row.value)}
          />
        </div>
      )}
    </>
  );
}
