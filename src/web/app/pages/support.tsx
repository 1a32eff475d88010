import type { EChartsCoreOption } from 'echarts/core';
import { useCallback, useMemo, useRef, type ReactNode, type RefObject } from 'react';
import { useBenchmarkLines } from '../benchmarks.ts';
import { trendOption } from '../charts.ts';
import { Chart, PALETTE, type ChartHandle } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { formatInterval, formatPeriod, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace, type Loaded } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import { metricDefinition } from '../metric-labels.ts';
import type { ConsistencyTestsJson, DurationDistributionJson, Interval, MetricGroup, MetricResult, SupportAgentsJson, Unit } from '../types.ts';

/**
 * The support lead's page: how long customers wait for a first reply and for a resolution, FCR,
 * AHT and cost per resolution month by month, the volume by channel, each agent's numbers and
 * whether the agents resolve alike (the funnel plot of the consistency metric). Every number is
 * the API's: metricReport through /api/v1/metrics, and the histograms' counts from
 * /api/v1/support/distribution.
 */

/** Months shown when the URL names no range. */
const DEFAULT_MONTHS = 6;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const lastDayOf = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** A bucket edge as people say it: the largest unit it is a whole number of (1 min, 8 h, 7 days). */
function formatEdge(i18n: I18n, seconds: number): string {
  const units: Array<[string, number]> = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  const [unit, size] = units.find(([, size]) => seconds >= size && seconds % size === 0) ?? ['second', 1];
  return i18n.number(seconds / size, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 });
}

function bucketLabel(i18n: I18n, bucket: { from: number; to: number | null }): string {
  return bucket.to === null
    ? i18n.t('support.bucket.open', { from: formatEdge(i18n, bucket.from) })
    : i18n.t('support.bucket.range', { from: formatEdge(i18n, bucket.from), to: formatEdge(i18n, bucket.to) });
}

const inBucket = (value: number, bucket: { from: number; to: number | null }) => value >= bucket.from && (bucket.to === null || value < bucket.to);

export default function Support() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ from: '', to: '', channel: '', frt: 'frt' });

  // Months and channels that have tickets: the range picker's choices and the default range.
  const catalogue = useApi<MetricResult>('/api/v1/metrics/volume', { workspace: workspace.name, by: 'month,channel' });
  const months = useMemo(() => [...new Set((catalogue.data?.groups ?? []).map((g) => g.key.month!).filter(Boolean))].sort(), [catalogue.data]);
  const channels = useMemo(() => [...new Set((catalogue.data?.groups ?? []).map((g) => g.key.channel).filter((c): c is string => !!c))].sort(), [catalogue.data]);
  const toMonth = view.to || months.at(-1) || '';
  const fromMonth = view.from || months[Math.max(0, months.indexOf(toMonth) - (DEFAULT_MONTHS - 1))] || toMonth;
  const ready = fromMonth !== '' && toMonth !== '';
  const query = {
    workspace: workspace.name,
    from: ready ? `${fromMonth}-01` : undefined,
    to: ready ? lastDayOf(toMonth) : undefined,
    where: view.channel ? [`channel=${view.channel}`] : undefined,
  };
  const path = (p: string) => (ready ? p : null);
  const frtMeasure = view.frt === 'frt_business' ? 'frt_business' : 'frt';
  const frtDistribution = useApi<DurationDistributionJson>(path('/api/v1/support/distribution'), { ...query, measure: frtMeasure });
  const resolutionDistribution = useApi<DurationDistributionJson>(path('/api/v1/support/distribution'), { ...query, measure: 'resolution_time' });
  const fcr = useApi<MetricResult>(path('/api/v1/metrics/fcr'), { ...query, by: 'month' });
  const aht = useApi<MetricResult>(path('/api/v1/metrics/aht'), { ...query, by: 'month' });
  const cost = useApi<MetricResult>(path('/api/v1/metrics/cost_per_resolution'), { ...query, by: 'month' });
  const volume = useApi<MetricResult>(path('/api/v1/metrics/volume'), { ...query, by: 'month,channel' });
  const consistency = useApi<MetricResult>(path('/api/v1/metrics/consistency'), query);
  const agents = useApi<SupportAgentsJson>('/api/v1/support/agents', { workspace: workspace.name });

  const names = useMemo(() => new Map((agents.data?.agents ?? []).map((a) => [a.id, a])), [agents.data]);
  // A new function when the names arrive, so the funnel plot relabels its points.
  const agentName = useCallback((id: string | null) => (id === null ? t('support.agent.none') : (names.get(id)?.name ?? id)), [names, t]);

  if (catalogue.error) return <Failure error={catalogue.error} />;
  if (!catalogue.data) return <Loading />;

  return (
    <>
      <h1>{t('page.support')}</h1>
      {months.length === 0 ? (
        <Empty title={t('support.empty.title')}>
          <p>{t('support.empty.body')}</p>
          <DemoDataAction />
        </Empty>
      ) : (
        <>
          <form className="controls" onSubmit={(event) => event.preventDefault()}>
            <label>
              {t('control.from')}
              <select value={fromMonth} onChange={(event) => setView({ from: event.target.value })} data-testid="from-month">
                {months.filter((m) => m <= toMonth).map((m) => (
                  <option key={m} value={m}>{formatPeriod(i18n, m, 'month')}</option>
                ))}
              </select>
            </label>
            <label>
              {t('control.to')}
              <select
                value={toMonth}
                onChange={(event) => setView({ to: event.target.value, ...(view.from && view.from > event.target.value ? { from: event.target.value } : {}) })}
                data-testid="to-month"
              >
                {months.map((m) => (
                  <option key={m} value={m}>{formatPeriod(i18n, m, 'month')}</option>
                ))}
              </select>
            </label>
            <label>
              {t('support.control.channel')}
              <select value={view.channel} onChange={(event) => setView({ channel: event.target.value })} data-testid="channel">
                <option value="">{t('support.control.allChannels')}</option>
                {channels.map((c) => (
                  <option key={c} value={c}>{channelName(i18n, c)}</option>
                ))}
              </select>
            </label>
          </form>
          <p className="lede" data-testid="support-range">
            {t('support.showing', {
              from: formatPeriod(i18n, fromMonth, 'month'),
              to: formatPeriod(i18n, toMonth, 'month'),
              zone: catalogue.data.timezone,
              channel: view.channel ? channelName(i18n, view.channel) : t('support.control.allChannels'),
            })}
          </p>

          <h2>{t('support.times.title')}</h2>
          <div className="support-grid">
            <DistributionPanel
              id="frt"
              title={t(frtMeasure === 'frt_business' ? 'metric.frt_business' : 'metric.frt')}
              loaded={frtDistribution}
              extra={
                <label className="support-inline">
                  {t('support.control.clock')}
                  <select value={frtMeasure} onChange={(event) => setView({ frt: event.target.value })} data-testid="frt-clock">
                    <option value="frt">{t('support.clock.calendar')}</option>
                    <option value="frt_business">{t('support.clock.business')}</option>
                  </select>
                </label>
              }
            />
            <DistributionPanel id="resolution" title={t('metric.resolution_time')} loaded={resolutionDistribution} />
          </div>

          <h2>{t('support.trends.title')}</h2>
          <div className="support-grid support-grid-3">
            <TrendPanel id="fcr" metric="fcr" loaded={fcr} />
            <TrendPanel id="aht" metric="aht" loaded={aht} />
            <TrendPanel id="cost" metric="cost_per_resolution" loaded={cost} />
          </div>

          <VolumePanel loaded={volume} />
          <AgentTable query={query} agentName={agentName} teamOf={(id) => (id === null ? null : (names.get(id)?.team ?? null))} />
          <ConsistencyPanel loaded={consistency} agentName={agentName} />
        </>
      )}
    </>
  );
}

function channelName(i18n: I18n, channel: string): string {
  const key = `channel.${channel}` as MessageKey;
  const text = i18n.t(key);
  return text === key ? channel : text;
}

function PngButton({ chart, name, testId }: { chart: RefObject<ChartHandle | null>; name: string; testId: string }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={() => {
        const png = chart.current?.toPng();
        if (png) download(`${name}.png`, png);
      }}
    >
      {t('action.exportPng')}
    </button>
  );
}

function Pending({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error) return <Failure error={loaded.error} />;
  return <Loading />;
}

/** A histogram of durations with the median and p90 marked, their intervals shaded. */
function DistributionPanel({ id, title, loaded, extra }: { id: string; title: string; loaded: Loaded<DurationDistributionJson>; extra?: ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const data = loaded.data;
  const option = useMemo(() => (data ? histogramOption(i18n, data) : undefined), [i18n, data]);
  const summary = data?.summary;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid={`${id}-distribution`}>
      <div className="panel-head support-head">
        <h3 id={`${id}-title`}>{title}</h3>
        {extra}
        {data && data.buckets.length > 0 && <PngButton chart={chart} name={`support-${id}-distribution`} testId={`${id}-png`} />}
      </div>
      {!data ? (
        <Pending loaded={loaded} />
      ) : data.buckets.length === 0 || !summary ? (
        <p className="muted" data-testid={`${id}-empty`}>{t('support.distribution.empty')}</p>
      ) : (
        <>
          <p className="support-summary" aria-busy={loaded.loading}>
            <span data-testid={`${id}-median`}>{t('support.median', { value: formatValue(i18n, 'seconds', summary.median) })}</span>{' '}
            <span className="muted">({formatInterval(i18n, 'seconds', summary.median_ci)})</span>
            <span aria-hidden="true"> · </span>
            <span data-testid={`${id}-p90`}>{t('support.p90', { value: formatValue(i18n, 'seconds', summary.p90) })}</span>{' '}
            <span className="muted">({formatInterval(i18n, 'seconds', summary.p90_ci)})</span>
            <span aria-hidden="true"> · </span>
            <span data-testid={`${id}-n`}>{t('n.count', { n: summary.n })}</span>
          </p>
          <Chart ref={chart} option={option!} label={t('support.distribution.label', { metric: title })} height={340} testId={`${id}-chart`} />
          <details className="support-table-toggle">
            <summary>{t('support.table.show')}</summary>
            <DataTable
              caption={t('support.distribution.caption', { metric: title })}
              columns={distributionColumns(i18n, data)}
              rows={data.buckets}
              fileName={`support-${id}-distribution`}
              testId={`${id}-table`}
              rowKey={(b) => String(b.from)}
            />
          </details>
        </>
      )}
    </section>
  );
}

function distributionColumns(i18n: I18n, data: DurationDistributionJson): Array<Column<DurationDistributionJson['buckets'][number]>> {
  const { t } = i18n;
  const marks = (bucket: { from: number; to: number | null }) =>
    [
      data.summary?.median != null && inBucket(data.summary.median, bucket) ? t('support.mark.median') : null,
      data.summary?.p90 != null && inBucket(data.summary.p90, bucket) ? t('support.mark.p90') : null,
    ].filter(Boolean).join(', ');
  return [
    { header: t('support.column.bucket'), cell: (b) => bucketLabel(i18n, b), value: (b) => bucketLabel(i18n, b) },
    { header: t('support.column.fromSeconds'), cell: (b) => i18n.number(b.from), value: (b) => b.from, numeric: true },
    { header: t('support.column.toSeconds'), cell: (b) => (b.to === null ? '–' : i18n.number(b.to)), value: (b) => b.to, numeric: true },
    { header: t('support.column.tickets'), cell: (b) => i18n.number(b.n), value: (b) => b.n, numeric: true },
    { header: t('support.column.marks'), cell: (b) => marks(b), value: (b) => marks(b) },
  ];
}

function histogramOption(i18n: I18n, data: DurationDistributionJson): EChartsCoreOption {
  const { t } = i18n;
  const labels = data.buckets.map((b) => bucketLabel(i18n, b));
  const at = (value: number | null | undefined) => {
    if (value === null || value === undefined) return undefined;
    const index = data.buckets.findIndex((b) => inBucket(value, b));
    return index >= 0 ? labels[index] : undefined;
  };
  const summary = data.summary!;
  const lines = [
    { value: summary.median, name: t('support.mark.medianValue', { value: formatValue(i18n, 'seconds', summary.median) }), color: '#D55E00' },
    { value: summary.p90, name: t('support.mark.p90Value', { value: formatValue(i18n, 'seconds', summary.p90) }), color: '#000000' },
  ].filter((line) => at(line.value) !== undefined);
  const areas = [
    { ci: summary.median_ci, color: 'rgba(213, 94, 0, 0.12)' },
    { ci: summary.p90_ci, color: 'rgba(0, 0, 0, 0.08)' },
  ].filter((area): area is { ci: Interval; color: string } => !!area.ci && at(area.ci[0]) !== undefined && at(area.ci[1]) !== undefined);
  return {
    grid: { containLabel: true, left: 16, right: 24, top: 48, bottom: labels.length > 6 ? 46 : 30 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: Array<{ dataIndex: number }>) => {
        const bucket = data.buckets[items[0]?.dataIndex ?? 0]!;
        return `<b>${escapeHtml(labels[items[0]?.dataIndex ?? 0]!)}</b><br/>${escapeHtml(t('support.tooltip.tickets', { n: bucket.n, total: data.n }))}`;
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      name: t('support.axis.duration'),
      nameLocation: 'middle',
      nameGap: labels.length > 6 ? 90 : 30,
      axisLabel: { interval: 0, rotate: labels.length > 6 ? 40 : 0, fontSize: 11 },
    },
    yAxis: { type: 'value', name: t('support.axis.tickets'), minInterval: 1 },
    series: [
      {
        name: t('support.axis.tickets'),
        type: 'bar',
        barCategoryGap: '8%',
        itemStyle: { color: PALETTE[0] },
        data: data.buckets.map((b) => b.n),
        markLine: {
          symbol: 'none',
          silent: true,
          data: lines.map((line, index) => ({
            xAxis: at(line.value),
            name: line.name,
            lineStyle: { color: line.color, type: index === 0 ? 'solid' : 'dashed', width: 2 },
            label: { formatter: line.name, color: line.color, position: 'end', distance: index === 0 ? 4 : 18 },
          })),
        },
        markArea: {
          silent: true,
          data: areas.map((area) => [{ xAxis: at(area.ci[0]), itemStyle: { color: area.color } }, { xAxis: at(area.ci[1]) }]),
        },
      },
    ],
  };
}

function trendRows(result: MetricResult | undefined) {
  return (result?.groups ?? []).map((g) => ({ period: g.key.month!, value: g.value, n: g.n, ci: g.ci }));
}

/** One metric month by month, with its 95% band, n on hover, and a table. */
function TrendPanel({ id, metric, loaded }: { id: string; metric: string; loaded: Loaded<MetricResult> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const title = t(`metric.${metric}` as MessageKey);
  const data = loaded.data;
  const rows = trendRows(data);
  const unit: Unit = data?.unit ?? 'percent';
  const axis = i18n.t(`axis.${unit}` as MessageKey, { metric: title });
  const benchmarks = useBenchmarkLines(metric);
  const option = useMemo(
    () => (data ? trendOption({ i18n, unit, period: 'month', series: [{ name: title, points: rows }], benchmarks, valueName: axis }) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rows follow data
    [i18n, data, title, axis, unit, benchmarks],
  );
  const columns: Array<Column<(typeof rows)[number]>> = [
    { header: t('column.period'), cell: (r) => formatPeriod(i18n, r.period, 'month'), value: (r) => r.period },
    { header: t('column.value'), cell: (r) => formatValue(i18n, unit, r.value), value: (r) => r.value, numeric: true },
    { header: t('column.ciLow'), cell: (r) => formatValue(i18n, unit, r.ci?.[0]), value: (r) => r.ci?.[0], numeric: true },
    { header: t('column.ciHigh'), cell: (r) => formatValue(i18n, unit, r.ci?.[1]), value: (r) => r.ci?.[1], numeric: true },
    { header: t('column.n'), cell: (r) => i18n.number(r.n), value: (r) => r.n, numeric: true },
  ];
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid={`${id}-trend`}>
      <div className="panel-head support-head">
        <h3 id={`${id}-title`} title={data ? metricDefinition(i18n, metric, data.definition).text : undefined}>{title}</h3>
        {rows.length > 0 && <PngButton chart={chart} name={`support-${id}-by-month`} testId={`${id}-png`} />}
      </div>
      {!data ? (
        <Pending loaded={loaded} />
      ) : rows.length === 0 ? (
        <p className="muted">{t('support.trend.empty')}</p>
      ) : (
        <>
          <Chart ref={chart} option={option!} label={t('support.trend.label', { metric: title })} height={240} testId={`${id}-chart`} />
          <details className="support-table-toggle">
            <summary>{t('support.table.show')}</summary>
            <DataTable caption={t('support.trend.caption', { metric: title })} columns={columns} rows={rows} fileName={`support-${id}-by-month`} testId={`${id}-table`} rowKey={(r) => r.period} />
          </details>
        </>
      )}
    </section>
  );
}

/** New tickets per month, stacked by channel. */
function VolumePanel({ loaded }: { loaded: Loaded<MetricResult> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const data = loaded.data;
  const months = [...new Set((data?.groups ?? []).map((g) => g.key.month!))].sort();
  const channels = [...new Set((data?.groups ?? []).map((g) => g.key.channel ?? null))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
  const count = (month: string, channel: string | null) => data?.groups.find((g) => g.key.month === month && (g.key.channel ?? null) === channel)?.n ?? 0;
  const label = (channel: string | null) => (channel === null ? t('support.channel.none') : channelName(i18n, channel));
  const option = useMemo<EChartsCoreOption | undefined>(() => {
    if (!data) return undefined;
    return {
      grid: { containLabel: true, left: 16, right: 24, top: 48, bottom: 32 },
      legend: { top: 0, data: channels.map(label) },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (items: Array<{ dataIndex: number }>) => {
          const month = months[items[0]?.dataIndex ?? 0]!;
          return [`<b>${escapeHtml(formatPeriod(i18n, month, 'month'))}</b>`, ...channels.map((c) => `${escapeHtml(label(c))}: ${escapeHtml(t('n.count', { n: count(month, c) }))}`)].join('<br/>');
        },
      },
      xAxis: { type: 'category', data: months, name: t('period.name.month'), nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: (m: string) => formatPeriod(i18n, m, 'month', 'short') } },
      yAxis: { type: 'value', name: t('support.axis.newTickets'), minInterval: 1 },
      series: channels.map((c, i) => ({ name: label(c), type: 'bar', stack: 'volume', itemStyle: { color: PALETTE[i % PALETTE.length] }, data: months.map((m) => count(m, c)) })),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- all derived from data
  }, [i18n, data]);
  const columns: Array<Column<string>> = [
    { header: t('column.period'), cell: (m) => formatPeriod(i18n, m, 'month'), value: (m) => m },
    ...channels.map((c): Column<string> => ({ header: label(c), cell: (m) => i18n.number(count(m, c)), value: (m) => count(m, c), numeric: true })),
  ];
  return (
    <section className="panel" aria-labelledby="volume-title" data-testid="volume">
      <div className="panel-head support-head">
        <h2 id="volume-title">{t('support.volume.title')}</h2>
        {months.length > 0 && <PngButton chart={chart} name="support-volume-by-channel" testId="volume-png" />}
      </div>
      {!data ? (
        <Pending loaded={loaded} />
      ) : months.length === 0 ? (
        <p className="muted">{t('support.trend.empty')}</p>
      ) : (
        <>
          <Chart ref={chart} option={option!} label={t('support.volume.label')} height={300} testId="volume-chart" />
          <DataTable caption={t('support.volume.caption')} columns={columns} rows={months} fileName="support-volume-by-channel" testId="volume-table" rowKey={(m) => m} />
        </>
      )}
    </section>
  );
}

interface AgentRow {
  id: string | null;
  tickets: MetricGroup | undefined;
  frt: MetricGroup | undefined;
  fcr: MetricGroup | undefined;
  aht: MetricGroup | undefined;
  csat: MetricGroup | undefined;
}

/** Per agent: tickets, median FRT, FCR, AHT and CSAT, each with its n (metricReport by agent). */
function AgentTable({ query, agentName, teamOf }: { query: Record<string, string | string[] | undefined>; agentName: (id: string | null) => string; teamOf: (id: string | null) => string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const byAgent = { ...query, by: 'agent' };
  const tickets = useApi<MetricResult>('/api/v1/metrics/volume', byAgent);
  const frt = useApi<MetricResult>('/api/v1/metrics/frt', byAgent);
  const fcr = useApi<MetricResult>('/api/v1/metrics/fcr', byAgent);
  const aht = useApi<MetricResult>('/api/v1/metrics/aht', byAgent);
  const csat = useApi<MetricResult>('/api/v1/metrics/csat', byAgent);
  const all = [tickets, frt, fcr, aht, csat];
  const failed = all.find((l) => l.error);
  const done = all.every((l) => l.data);
  const rows: AgentRow[] = useMemo(() => {
    if (!done) return [];
    const index = (r: MetricResult | undefined) => new Map((r?.groups ?? []).map((g) => [g.key.agent ?? null, g]));
    const maps = { tickets: index(tickets.data), frt: index(frt.data), fcr: index(fcr.data), aht: index(aht.data), csat: index(csat.data) };
    const ids = new Set<string | null>([...maps.tickets.keys(), ...maps.frt.keys(), ...maps.fcr.keys(), ...maps.aht.keys()]);
    return [...ids]
      .map((id) => ({ id, tickets: maps.tickets.get(id), frt: maps.frt.get(id), fcr: maps.fcr.get(id), aht: maps.aht.get(id), csat: id === null ? undefined : maps.csat.get(id) }))
      .sort((a, b) => (a.id === null ? 1 : b.id === null ? -1 : (b.tickets?.n ?? 0) - (a.tickets?.n ?? 0) || (a.id < b.id ? -1 : 1)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the five results
  }, [done, tickets.data, frt.data, fcr.data, aht.data, csat.data]);
  const value = (unit: Unit, pick: (r: AgentRow) => MetricGroup | undefined): Column<AgentRow>['cell'] => (r) => formatValue(i18n, unit, pick(r)?.value ?? null);
  const n = (pick: (r: AgentRow) => MetricGroup | undefined): Column<AgentRow>['cell'] => (r) => i18n.number(pick(r)?.n ?? 0);
  const columns: Array<Column<AgentRow>> = [
    { header: t('support.column.agent'), cell: (r) => <span className={r.id === null ? 'muted' : undefined}>{agentName(r.id)}</span>, value: (r) => agentName(r.id) },
    { header: t('support.column.agentId'), cell: (r) => r.id ?? '–', value: (r) => r.id },
    { header: t('support.column.team'), cell: (r) => teamOf(r.id) ?? '–', value: (r) => teamOf(r.id) },
    { header: t('support.column.tickets'), cell: n((r) => r.tickets), value: (r) => r.tickets?.n ?? 0, numeric: true },
    { header: t('support.column.medianFrt'), cell: value('seconds', (r) => r.frt), value: (r) => r.frt?.value, numeric: true },
    { header: t('support.column.frtN'), cell: n((r) => r.frt), value: (r) => r.frt?.n ?? 0, numeric: true },
    { header: t('support.column.fcr'), cell: value('percent', (r) => r.fcr), value: (r) => r.fcr?.value, numeric: true },
    { header: t('support.column.fcrN'), cell: n((r) => r.fcr), value: (r) => r.fcr?.n ?? 0, numeric: true },
    { header: t('support.column.aht'), cell: value('seconds', (r) => r.aht), value: (r) => r.aht?.value, numeric: true },
    { header: t('support.column.ahtN'), cell: n((r) => r.aht), value: (r) => r.aht?.n ?? 0, numeric: true },
    { header: t('support.column.csat'), cell: value('percent', (r) => r.csat), value: (r) => r.csat?.value, numeric: true },
    { header: t('support.column.csatN'), cell: n((r) => r.csat), value: (r) => r.csat?.n ?? 0, numeric: true },
  ];
  return (
    <section className="panel" aria-labelledby="agents-title" data-testid="agents">
      <h2 id="agents-title">{t('support.agents.title')}</h2>
      <p className="muted">{t('support.agents.lede')}</p>
      {failed?.error ? (
        <Failure error={failed.error} />
      ) : !done ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">{t('support.trend.empty')}</p>
      ) : (
        <DataTable caption={t('support.agents.caption')} columns={columns} rows={rows} fileName="support-agents" testId="agents-table" rowKey={(r) => r.id ?? '(none)'} />
      )}
    </section>
  );
}

const FUNNEL_Z = { inner: 1.959964, outer: 3.090232 };

/**
 * The funnel plot: each agent's FCR against their n, around the pooled rate, with the 95% and
 * 99.8% control limits p̄ ± z·√(p̄(1 − p̄)/n) drawn as curves over n (the API gives each agent's own
 * limits, which the table lists; the curves draw the same formula between them).
 */
function ConsistencyPanel({ loaded, agentName }: { loaded: Loaded<MetricResult>; agentName: (id: string | null) => string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const data = loaded.data;
  const tests = data?.tests as ConsistencyTestsJson | undefined;
  const agents = (data?.groups ?? []).filter((g) => g.n > 0 && g.value !== null);
  const pooled = tests?.fcr.pooled ?? null;
  const flagged = agents.filter((g) => g.flag);
  const pct = (value: number | null | undefined) => formatValue(i18n, 'percent', value ?? null);
  const option = useMemo<EChartsCoreOption | undefined>(() => {
    if (!data || pooled === null || agents.length === 0) return undefined;
    const maxN = Math.max(...agents.map((g) => g.n)) * 1.08;
    const p = pooled / 100;
    const xs: number[] = [];
    for (let i = 0; i <= 80; i++) xs.push(Math.max(1, Math.round(Math.exp((Math.log(maxN) * i) / 80) * 10) / 10));
    const limit = (z: number, sign: 1 | -1) => xs.map((n) => [n, Math.min(100, Math.max(0, (p + sign * z * Math.sqrt((p * (1 - p)) / n)) * 100))]);
    const curve = (name: string, z: number, sign: 1 | -1, dashed: boolean) => ({
      name, type: 'line', symbol: 'none', silent: true, tooltip: { show: false }, data: limit(z, sign),
      lineStyle: { color: dashed ? '#56B4E9' : '#0072B2', type: dashed ? 'dashed' : 'solid', width: 1.5 }, itemStyle: { color: dashed ? '#56B4E9' : '#0072B2' },
    });
    const inner = t('support.funnel.limits95');
    const outer = t('support.funnel.limits998');
    const colourOf = (flag: unknown) => (flag === 'alarm' ? '#D55E00' : flag === 'alert' ? '#E69F00' : '#009E73');
    return {
      grid: { containLabel: true, left: 32, right: 32, top: 48, bottom: 32 },
      legend: { top: 0, data: [t('support.funnel.agents'), t('support.funnel.pooled'), inner, outer] },
      tooltip: {
        trigger: 'item',
        formatter: (item: { seriesIndex: number; dataIndex: number }) => {
          const g = agents[item.dataIndex];
          if (item.seriesIndex !== 0 || !g) return '';
          return [
            `<b>${escapeHtml(agentName(g.key.agent ?? null))}</b>`,
            escapeHtml(`${t('metric.fcr')}: ${pct(g.value)} · ${formatInterval(i18n, 'percent', g.ci)}`),
            escapeHtml(t('n.count', { n: g.n })),
            escapeHtml(t(`support.position.${String(g.position ?? 'within')}` as MessageKey)),
          ].join('<br/>');
        },
      },
      xAxis: { type: 'value', name: t('support.funnel.xAxis'), nameLocation: 'middle', nameGap: 28, min: 0, max: Math.ceil(maxN) },
      yAxis: { type: 'value', name: t('support.funnel.yAxis'), nameLocation: 'middle', nameRotate: 90, nameGap: 40, min: 0, max: 100 },
      series: [
        {
          name: t('support.funnel.agents'), type: 'scatter', symbolSize: 10, z: 5,
          itemStyle: { color: PALETTE[2] },
          data: agents.map((g) => ({
            value: [g.n, g.value],
            itemStyle: { color: colourOf(g.flag), borderColor: '#1d2330', borderWidth: g.flag ? 1.5 : 0 },
            symbol: g.flag === 'alarm' ? 'diamond' : g.flag === 'alert' ? 'triangle' : 'circle',
            symbolSize: g.flag ? 14 : 9,
            label: g.flag ? { show: true, formatter: agentName(g.key.agent ?? null), position: 'right', color: '#1d2330', fontWeight: 'bold' } : undefined,
          })),
        },
        { name: t('support.funnel.pooled'), type: 'line', symbol: 'none', silent: true, tooltip: { show: false }, data: [[0, pooled], [Math.ceil(maxN), pooled]], lineStyle: { color: '#000000', width: 1.5 }, itemStyle: { color: '#000000' } },
        curve(inner, FUNNEL_Z.inner, 1, false),
        curve(inner, FUNNEL_Z.inner, -1, false),
        curve(outer, FUNNEL_Z.outer, 1, true),
        curve(outer, FUNNEL_Z.outer, -1, true),
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- derived from data
  }, [i18n, data, pooled, agentName]);
  const columns: Array<Column<MetricGroup>> = [
    { header: t('support.column.agent'), cell: (g) => agentName(g.key.agent ?? null), value: (g) => agentName(g.key.agent ?? null) },
    { header: t('support.column.agentId'), cell: (g) => g.key.agent ?? '–', value: (g) => g.key.agent },
    { header: t('support.column.fcr'), cell: (g) => pct(g.value), value: (g) => g.value, numeric: true },
    { header: t('support.column.fcrN'), cell: (g) => i18n.number(g.n), value: (g) => g.n, numeric: true },
    { header: t('support.column.limits95'), cell: (g) => limitsText(i18n, g.limits_95 as Interval | null), value: (g) => limitsCsv(g.limits_95 as Interval | null) },
    { header: t('support.column.limits998'), cell: (g) => limitsText(i18n, g.limits_99_8 as Interval | null), value: (g) => limitsCsv(g.limits_99_8 as Interval | null) },
    { header: t('support.column.position'), cell: (g) => t(`support.position.${String(g.position ?? 'within')}` as MessageKey), value: (g) => String(g.position ?? '') },
  ];
  return (
    <section className="panel" aria-labelledby="consistency-title" data-testid="consistency">
      <div className="panel-head support-head">
        <h2 id="consistency-title">{t('support.consistency.title')}</h2>
        {option && <PngButton chart={chart} name="support-consistency-funnel" testId="consistency-png" />}
      </div>
      <p className="muted">{t('support.consistency.lede')}</p>
      {!data || !tests ? (
        <Pending loaded={loaded} />
      ) : !option ? (
        <p className="muted">{t('support.consistency.empty')}</p>
      ) : (
        <>
          <p data-testid="consistency-pooled">{t('support.consistency.pooled', { rate: pct(pooled), n: tests.fcr.n, agents: agents.length })}</p>
          {flagged.length === 0 ? (
            <p data-testid="consistency-outliers">{t('support.consistency.noOutliers')}</p>
          ) : (
            <ul className="support-outliers" data-testid="consistency-outliers">
              {flagged.map((g) => (
                <li key={g.key.agent ?? ''} data-agent={g.key.agent ?? ''}>
                  <strong>{agentName(g.key.agent ?? null)}</strong>{' '}
                  {t(`support.outlier.${g.flag === 'alarm' ? 'alarm' : 'alert'}.${String(g.position).startsWith('above') ? 'above' : 'below'}` as MessageKey, { rate: pct(g.value), n: g.n })}
                </li>
              ))}
            </ul>
          )}
          <Chart ref={chart} option={option} label={t('support.funnel.label')} height={380} testId="consistency-chart" />
          <TestsInWords tests={tests} />
          <DataTable caption={t('support.consistency.caption')} columns={columns} rows={agents} fileName="support-consistency" testId="consistency-table" rowKey={(g) => g.key.agent ?? ''} />
        </>
      )}
    </section>
  );
}

const limitsText = (i18n: I18n, limits: Interval | null) =>
  limits ? i18n.t('support.limits', { low: formatValue(i18n, 'percent', limits[0]), high: formatValue(i18n, 'percent', limits[1]) }) : '–';
const limitsCsv = (limits: Interval | null) => (limits ? `${limits[0]} – ${limits[1]}` : null);

/** The χ² and Kruskal–Wallis tests, said in words. */
function TestsInWords({ tests }: { tests: ConsistencyTestsJson }) {
  const i18n = useI18n();
  const { t } = i18n;
  const num = (x: number | null, digits = 1) => (x === null ? '–' : i18n.number(x, { maximumFractionDigits: digits }));
  const p = (x: number | null) => (x === null ? '–' : x < 0.001 ? i18n.t('support.test.pTiny') : i18n.number(x, { maximumSignificantDigits: 2 }));
  const chi = (rate: 'fcr' | 'resolution') => {
    const test = tests[rate].chiSquare;
    const name = rate === 'fcr' ? t('metric.fcr') : t('support.test.resolvedWithin', { days: tests.resolution.horizonDays });
    if (test.statistic === null) return t('support.test.chiUndefined', { rate: name });
    const values = { rate: name, chi: num(test.statistic), df: test.df, p: p(test.pValue) };
    const text = test.significant ? t('support.test.chiSignificant', values) : t('support.test.chiNotSignificant', values);
    return test.warnings.includes('low-expected-count') ? `${text} ${t('support.test.lowExpected')}` : text;
  };
  return (
    <div className="support-tests" data-testid="consistency-tests">
      <h3>{t('support.tests.title')}</h3>
      <p data-testid="chi-fcr">{chi('fcr')}</p>
      <p data-testid="chi-resolution">{chi('resolution')}</p>
      {tests.kruskalWallis.length > 0 && (
        <>
          <p>{t('support.test.kwIntro')}</p>
          <ul data-testid="kruskal-wallis">
            {tests.kruskalWallis.map((k) => {
              const category = k.category ?? t('support.test.noCategory');
              const values = { category, h: num(k.statistic), df: k.df, p: p(k.pHolm), n: k.n, agents: k.groups };
              return (
                <li key={k.category ?? '(none)'}>
                  {k.statistic === null ? t('support.test.kwUndefined', values) : k.significant ? t('support.test.kwSignificant', values) : t('support.test.kwNotSignificant', values)}
                </li>
              );
            })}
          </ul>
          {tests.kruskalWallis.some((k) => k.statistic !== null && k.warnings.includes('small-groups')) && <p className="muted">{t('support.test.smallGroups')}</p>}
        </>
      )}
    </div>
  );
}
