import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useRef, type RefObject } from 'react';
import { useBenchmarkLines } from '../benchmarks.ts';
import { trendOption } from '../charts.ts';
import { Chart, type ChartHandle } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { formatInterval, formatPeriod, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import type { AtRiskData, MetricGroup, MetricResult, OverviewCard, RetentionData } from '../types.ts';

const WINDOWS = ['3', '6', '12', '24'];
const AT_RISK_LIMIT = 1000;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Cohorts, churn and retention, repeat purchases, and the customers to win back. */
export default function Retention() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ months: '12', segment: '', reason: '' });
  const { data, error, loading } = useApi<RetentionData>('/api/v1/retention', { workspace: workspace.name, months: view.months, segment: view.segment });
  const risk = useApi<AtRiskData>('/api/v1/customers/at-risk', { workspace: workspace.name, limit: AT_RISK_LIMIT, reason: view.reason, segment: view.segment });
  const empty = data && data.cohorts.groups.length === 0 && data.churn.groups.length === 0 && data.repeatPurchase.groups.length === 0;
  const basis = data?.churn.basis?.startsWith('orders') ? t('retention.basis.orders') : t('retention.basis.subscriptions');

  return (
    <>
      <h1>{t('page.retention')}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('control.window')}
          <select value={view.months} onChange={(event) => setView({ months: event.target.value })} data-testid="window">
            {WINDOWS.map((months) => (
              <option key={months} value={months}>
                {t('window.months', { months: Number(months) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('control.segment')}
          <select value={view.segment} onChange={(event) => setView({ segment: event.target.value })}>
            <option value="">{t('control.allSegments')}</option>
            {(data?.segments ?? (view.segment ? [view.segment] : [])).map((segment) => (
              <option key={segment} value={segment}>
                {segment}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && <Failure error={error} />}
      {loading && !data && <Loading />}
      {empty && (
        <Empty title={t('retention.empty.title')}>
          <p>{t('retention.empty.body')}</p>
          <DemoDataAction />
        </Empty>
      )}
      {data && !empty && (
        <div aria-busy={loading}>
          <p className="lede" data-testid="retention-window">
            {t('retention.lede', {
              months: t('window.months', { months: data.window.months }),
              month: formatPeriod(i18n, data.window.lastMonth, 'month'),
              zone: data.timezone,
              basis,
            })}
          </p>
          <div className="kpi-grid">
            <KpiCard card={cardOf('churn', data.churn, data.window.lastMonth)} period="month" explore={exploreLink('churn', view.segment)} />
            <KpiCard card={cardOf('retention', data.retention, data.window.lastMonth)} period="month" explore={exploreLink('retention', view.segment)} />
            <KpiCard card={cardOf('repeat_purchase_rate', data.repeatPurchase, data.window.lastMonth)} period="month" explore={exploreLink('repeat_purchase_rate', view.segment)} />
          </div>
          <Cohorts data={data} />
          <Trends data={data} />
          <RepeatPurchase data={data} />
        </div>
      )}
      <AtRisk risk={risk} reason={view.reason} setReason={(reason) => setView({ reason })} />
    </>
  );
}

function exploreLink(metric: string, segment: string): string {
  return `/explore?${new URLSearchParams({ metric, period: 'month', ...(segment ? { where: `segment=${segment}` } : {}) })}`;
}

/** A KPI card from a by-month result: the window's last month, with the months before as its trend. */
function cardOf(metric: string, result: MetricResult, lastMonth: string): OverviewCard {
  const trend = result.groups.map((g) => ({ period: String(g.key.month), value: g.value, n: g.n, ci: g.ci }));
  return {
    metric,
    title: result.title,
    unit: result.unit,
    definition: result.definition,
    current: result.groups.find((g) => g.key.month === lastMonth) ?? null,
    trend,
  };
}

function PngButton({ chart, name }: { chart: RefObject<ChartHandle | null>; name: string }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      onClick={() => {
        const png = chart.current?.toPng();
        if (png) download(`${name}.png`, png);
      }}
    >
      {t('action.exportPng')}
    </button>
  );
}

// --- cohorts ------------------------------------------------------------------------------------

interface CohortRow {
  cohort: string;
  size: number;
  cells: MetricGroup[];
}

function cohortRows(result: MetricResult): CohortRow[] {
  const rows = new Map<string, CohortRow>();
  for (const group of result.groups) {
    const cohort = String(group.key.cohort);
    let row = rows.get(cohort);
    if (!row) rows.set(cohort, (row = { cohort, size: group.n, cells: [] }));
    row.cells[Number(group.key.months_since)] = group;
  }
  return [...rows.values()].sort((a, b) => (a.cohort < b.cohort ? -1 : 1));
}

export function cohortHeatmapOption(i18n: I18n, rows: CohortRow[]): EChartsCoreOption {
  const width = Math.max(0, ...rows.map((r) => r.cells.length));
  const months = Array.from({ length: width }, (_, i) => String(i));
  const data = rows.flatMap((row, y) =>
    row.cells.map((cell, x) => ({ value: [x, y, cell.value ?? 0], cohort: row.cohort, months: x, n: cell.n, ci: cell.ci, count: cell.count as number })),
  );
  type Cell = (typeof data)[number];
  return {
    grid: { containLabel: true, left: 16, right: 16, top: 16, bottom: 70 },
    tooltip: {
      formatter: (item: { data: Cell }) => {
        const cell = item.data;
        return [
          `<b>${escapeHtml(i18n.t('retention.cell', { cohort: formatPeriod(i18n, cell.cohort, 'month'), months: cell.months }))}</b>`,
          `${escapeHtml(formatValue(i18n, 'percent', cell.value[2]))} · ${escapeHtml(formatInterval(i18n, 'percent', cell.ci))}`,
          escapeHtml(i18n.t('retention.activeOf', { active: cell.count, size: cell.n })),
          escapeHtml(i18n.t('n.count', { n: cell.n })),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: months,
      name: i18n.t('retention.axis.monthsSince'),
      nameLocation: 'middle',
      nameGap: 28,
      splitArea: { show: true },
      axisLabel: { formatter: (label: string) => i18n.number(Number(label)) },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.cohort),
      inverse: true,
      name: i18n.t('retention.axis.cohort'),
      nameLocation: 'end',
      axisLabel: { formatter: (label: string) => formatPeriod(i18n, label, 'month', 'short') },
    },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      text: ['100%', i18n.t('retention.axis.activeShare')],
      inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] },
      formatter: (value: number) => formatValue(i18n, 'percent', value),
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: width <= 14,
          fontSize: 10,
          color: '#1d2330',
          textBorderColor: '#ffffff',
          textBorderWidth: 2,
          formatter: (item: { data: Cell }) => i18n.number((item.data.value[2] ?? 0) / 100, { style: 'percent', maximumFractionDigits: 0 }),
        },
        emphasis: { itemStyle: { borderColor: '#e69f00', borderWidth: 2 } },
      },
    ],
  };
}

function Cohorts({ data }: { data: RetentionData }) {
  const i18n = useI18n();
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const rows = useMemo(() => cohortRows(data.cohorts), [data.cohorts]);
  const option = useMemo(() => cohortHeatmapOption(i18n, rows), [i18n, rows]);
  if (rows.length === 0) return null;
  const width = Math.max(...rows.map((r) => r.cells.length));
  const columns: Array<Column<CohortRow>> = [
    { header: t('retention.column.cohort'), cell: (r) => formatPeriod(i18n, r.cohort, 'month'), value: (r) => r.cohort },
    { header: t('retention.column.size'), cell: (r) => i18n.number(r.size), value: (r) => r.size, numeric: true },
    ...Array.from({ length: width }, (_, m): Column<CohortRow> => ({
      header: t('retention.column.month', { months: m }),
      cell: (r) => formatValue(i18n, 'percent', r.cells[m]?.value),
      value: (r) => r.cells[m]?.value ?? null,
      numeric: true,
    })),
  ];
  return (
    <section className="panel" aria-labelledby="cohorts-title">
      <h2 id="cohorts-title">{t('retention.cohorts.title')}</h2>
      <p className="lede">{t('retention.cohorts.lede')}</p>
      <Chart ref={chart} option={option} label={t('retention.cohorts.chart')} height={Math.max(260, 60 + rows.length * 28 + 70)} testId="cohort-heatmap" />
      <div className="table-actions">
        <PngButton chart={chart} name="retention-cohorts" />
      </div>
      <DataTable caption={t('retention.cohorts.caption')} columns={columns} rows={rows} fileName="retention-cohorts" testId="cohort-table" rowKey={(r) => r.cohort} />
    </section>
  );
}

// --- churn and retention -----------------------------------------------------------------------

interface MonthRow {
  month: string;
  churn?: MetricGroup;
  retention?: MetricGroup;
}

function Trends({ data }: { data: RetentionData }) {
  const i18n = useI18n();
  const { t } = i18n;
  const churnChart = useRef<ChartHandle>(null);
  const retentionChart = useRef<ChartHandle>(null);
  const points = (result: MetricResult) => result.groups.map((g) => ({ period: String(g.key.month), value: g.value, n: g.n, ci: g.ci }));
  const churnBenchmarks = useBenchmarkLines('churn');
  const retentionBenchmarks = useBenchmarkLines('retention');
  const churnOption = useMemo(
    () => trendOption({ i18n, unit: 'percent', period: 'month', series: [{ name: t('metric.churn'), points: points(data.churn) }], benchmarks: churnBenchmarks, valueName: t('retention.trend.axis') }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [i18n, data.churn, churnBenchmarks],
  );
  const retentionOption = useMemo(
    () => trendOption({ i18n, unit: 'percent', period: 'month', series: [{ name: t('metric.retention'), points: points(data.retention) }], benchmarks: retentionBenchmarks, valueName: t('retention.trend.axis') }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [i18n, data.retention, retentionBenchmarks],
  );
  const rows = useMemo(() => {
    const byMonth = new Map<string, MonthRow>();
    const rowOf = (month: string) => byMonth.get(month) ?? (byMonth.set(month, { month }), byMonth.get(month)!);
    for (const g of data.churn.groups) rowOf(String(g.key.month)).churn = g;
    for (const g of data.retention.groups) rowOf(String(g.key.month)).retention = g;
    return [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
  }, [data]);
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const columns: Array<Column<MonthRow>> = [
    { header: t('retention.column.month.label'), cell: (r) => formatPeriod(i18n, r.month, 'month'), value: (r) => r.month },
    { header: t('metric.churn'), cell: (r) => formatValue(i18n, 'percent', r.churn?.value), value: (r) => r.churn?.value ?? null, numeric: true },
    { header: `${t('metric.churn')} · ${t('retention.column.ciLow')}`, cell: (r) => formatValue(i18n, 'percent', r.churn?.ci?.[0]), value: (r) => r.churn?.ci?.[0] ?? null, numeric: true },
    { header: `${t('metric.churn')} · ${t('retention.column.ciHigh')}`, cell: (r) => formatValue(i18n, 'percent', r.churn?.ci?.[1]), value: (r) => r.churn?.ci?.[1] ?? null, numeric: true },
    { header: t('metric.retention'), cell: (r) => formatValue(i18n, 'percent', r.retention?.value), value: (r) => r.retention?.value ?? null, numeric: true },
    { header: `${t('metric.retention')} · ${t('retention.column.ciLow')}`, cell: (r) => formatValue(i18n, 'percent', r.retention?.ci?.[0]), value: (r) => r.retention?.ci?.[0] ?? null, numeric: true },
    { header: `${t('metric.retention')} · ${t('retention.column.ciHigh')}`, cell: (r) => formatValue(i18n, 'percent', r.retention?.ci?.[1]), value: (r) => r.retention?.ci?.[1] ?? null, numeric: true },
    { header: t('retention.column.n'), cell: (r) => i18n.number(r.churn?.n ?? 0), value: (r) => r.churn?.n ?? 0, numeric: true },
    { header: t('retention.column.churned'), cell: (r) => i18n.number(num(r.churn?.churned) ?? 0), value: (r) => num(r.churn?.churned), numeric: true },
    { header: t('retention.column.new'), cell: (r) => i18n.number(num(r.churn?.new_customers) ?? 0), value: (r) => num(r.churn?.new_customers), numeric: true },
  ];
  return (
    <section className="panel" aria-labelledby="trends-title">
      <h2 id="trends-title">{t('retention.trend.title')}</h2>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(22rem, 1fr))', gap: '1rem' }}>
        <div>
          <h3>{t('metric.churn')}</h3>
          <Chart ref={churnChart} option={churnOption} label={t('retention.trend.chart')} height={260} testId="churn-trend" />
          <div className="table-actions">
            <PngButton chart={churnChart} name="retention-churn" />
          </div>
        </div>
        <div>
          <h3>{t('metric.retention')}</h3>
          <Chart ref={retentionChart} option={retentionOption} label={t('retention.trend.chart')} height={260} testId="retention-trend" />
          <div className="table-actions">
            <PngButton chart={retentionChart} name="retention-retention" />
          </div>
        </div>
      </div>
      <DataTable caption={t('retention.trend.caption')} columns={columns} rows={rows} fileName="retention-churn-by-month" testId="trend-table" rowKey={(r) => r.month} />
    </section>
  );
}

// --- repeat purchases --------------------------------------------------------------------------

function RepeatPurchase({ data }: { data: RetentionData }) {
  const i18n = useI18n();
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const option = useMemo(
    () =>
      trendOption({
        i18n,
        unit: 'percent',
        period: 'month',
        series: [{ name: t('metric.repeat_purchase_rate'), points: data.repeatPurchase.groups.map((g) => ({ period: String(g.key.month), value: g.value, n: g.n, ci: g.ci })) }],
        valueName: t('retention.repeat.axis'),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [i18n, data.repeatPurchase],
  );
  const whole = data.repeatPurchaseWindow.groups[0];
  if (data.repeatPurchase.groups.length === 0) return null;
  const columns: Array<Column<MetricGroup>> = [
    { header: t('retention.column.month.label'), cell: (g) => formatPeriod(i18n, String(g.key.month), 'month'), value: (g) => String(g.key.month) },
    { header: t('retention.column.value'), cell: (g) => formatValue(i18n, 'percent', g.value), value: (g) => g.value, numeric: true },
    { header: t('retention.column.ciLow'), cell: (g) => formatValue(i18n, 'percent', g.ci?.[0]), value: (g) => g.ci?.[0] ?? null, numeric: true },
    { header: t('retention.column.ciHigh'), cell: (g) => formatValue(i18n, 'percent', g.ci?.[1]), value: (g) => g.ci?.[1] ?? null, numeric: true },
    { header: t('retention.column.n'), cell: (g) => i18n.number(g.n), value: (g) => g.n, numeric: true },
  ];
  return (
    <section className="panel" aria-labelledby="repeat-title">
      <h2 id="repeat-title">{t('retention.repeat.title')}</h2>
      {whole && whole.value !== null && (
        <p className="lede" data-testid="repeat-window">
          {t('retention.repeat.lede', { value: formatValue(i18n, 'percent', whole.value), n: whole.n, ci: formatInterval(i18n, 'percent', whole.ci) })}
        </p>
      )}
      <Chart ref={chart} option={option} label={t('retention.repeat.chart')} height={260} testId="repeat-trend" />
      <div className="table-actions">
        <PngButton chart={chart} name="retention-repeat-purchase" />
      </div>
      <DataTable caption={t('retention.repeat.title')} columns={columns} rows={data.repeatPurchase.groups} fileName="retention-repeat-purchase" testId="repeat-table" rowKey={(g) => String(g.key.month)} />
    </section>
  );
}

// --- customers at risk -------------------------------------------------------------------------

type AtRiskRow = AtRiskData['customers'][number];

function AtRisk({ risk, reason, setReason }: { risk: ReturnType<typeof useApi<AtRiskData>>; reason: string; setReason: (reason: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const data = risk.data;
  const zone = data?.timezone ?? 'UTC';
  const date = (iso: string | null) => (iso ? new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeZone: zone }).format(new Date(iso)) : '–');
  const days = (value: number | null) => (value === null ? '–' : i18n.number(value, { maximumFractionDigits: 0 }));
  const score = (s: AtRiskRow['lastScore']) =>
    s ? t('atRisk.score', { kind: t(`metric.${s.kind}` as MessageKey), score: s.score, min: s.scaleMin, max: s.scaleMax }) : '–';
  const reasons = (r: AtRiskRow) => r.reasons.map((x) => t(`reason.${x}` as MessageKey)).join(' · ');
  const columns: Array<Column<AtRiskRow>> = [
    { header: t('atRisk.column.customer'), cell: (r) => <span dir="auto">{r.name ?? r.id}</span>, value: (r) => r.name },
    { header: t('atRisk.column.id'), cell: (r) => <span dir="auto">{r.id}</span>, value: (r) => r.id },
    { header: t('atRisk.column.email'), cell: (r) => <span dir="ltr">{r.email ?? '–'}</span>, value: (r) => r.email },
    { header: t('atRisk.column.segment'), cell: (r) => r.segment ?? t('value.notStated'), value: (r) => r.segment },
    { header: t('atRisk.column.orders'), cell: (r) => i18n.number(r.orders), value: (r) => r.orders, numeric: true },
    { header: t('atRisk.column.lastOrder'), cell: (r) => date(r.lastOrderAt), value: (r) => r.lastOrderAt?.slice(0, 10) ?? null },
    { header: t('atRisk.column.usualGap'), cell: (r) => days(r.usualGapDays), value: (r) => (r.usualGapDays === null ? null : Math.round(r.usualGapDays * 10) / 10), numeric: true },
    { header: t('atRisk.column.overdue'), cell: (r) => (r.overdueDays === null ? '–' : t('atRisk.days', { days: r.overdueDays })), value: (r) => r.overdueDays, numeric: true },
    { header: t('atRisk.column.lastScore'), cell: (r) => score(r.lastScore), value: (r) => (r.lastScore ? `${r.lastScore.kind} ${r.lastScore.score}/${r.lastScore.scaleMin}-${r.lastScore.scaleMax}` : null) },
    { header: t('atRisk.column.reason'), cell: reasons, value: (r) => r.reasons.join('+') },
    { header: t('atRisk.column.since'), cell: (r) => date(r.since), value: (r) => r.since.slice(0, 10) },
  ];
  return (
    <section className="panel" aria-labelledby="at-risk-title" data-testid="at-risk">
      <h2 id="at-risk-title">{t('atRisk.title')}</h2>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('control.reason')}
          <select value={reason} onChange={(event) => setReason(event.target.value)} data-testid="reason">
            <option value="">{t('reason.any')}</option>
            <option value="overdue">{t('reason.overdue')}</option>
            <option value="detractor">{t('reason.detractor')}</option>
          </select>
        </label>
      </form>
      {risk.error && <Failure error={risk.error} />}
      {risk.loading && !data && <Loading />}
      {data && (
        <>
          {data.asOf && (
            <p className="lede" data-testid="at-risk-summary">
              {t('atRisk.summary', { date: date(data.asOf), count: data.counts.any, overdue: data.counts.overdue, detractor: data.counts.detractor })}
            </p>
          )}
          <p className="muted">{t('atRisk.rule', { gap: data.rule.workspaceGapDays ?? 0 })}</p>
          <p className="lede" data-testid="winback">{t('atRisk.winback')}</p>
          {data.customers.length === 0 ? (
            <Empty title={t('atRisk.empty')} />
          ) : (
            <>
              <p className="muted" data-testid="at-risk-showing">
                {t('atRisk.showing', { shown: data.customers.length, total: data.counts.matching })}
              </p>
              {/* Up to a thousand rows: they scroll in their own box, and the CSV has them all. */}
              <div style={{ maxBlockSize: '40rem', overflowY: 'auto' }} tabIndex={0} role="region" aria-label={t('atRisk.caption')}>
                <DataTable caption={t('atRisk.caption')} columns={columns} rows={data.customers} fileName="customers-at-risk" testId="at-risk-table" rowKey={(r) => r.id} />
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
