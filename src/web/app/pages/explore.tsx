import type { EChartsCoreOption } from 'echarts/core';
import { useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link, useSearchParams } from 'wouter';
import { ApiError } from '../api.ts';
import { trendOption, type Annotation as ChartAnnotation, type TrendSeries } from '../charts.ts';
import { benchmarkLines, formatGapInterval, gapOf, gapVerdict, safeHref, sourceHost } from '../benchmarks.ts';
import { Chart, PALETTE, type ChartHandle } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { formatDelta, formatInterval, formatPeriod, formatValue, toneOfChange } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import { axisName, dimensionLabel, metricDefinition, metricTitle } from '../metric-labels.ts';
import type { AnnotationJson, BenchmarkJson, CatalogueEntry, Change, Interval, MetricCatalogue, MetricGroup, MetricResult, Period, Unit } from '../types.ts';

const PERIODS: Period[] = ['day', 'week', 'month', 'quarter', 'year'];
/** Lines drawn at most (one colour each); the table lists every group. */
const MAX_LINES = 6;
/** Bars drawn at most, the largest groups by n. */
const MAX_BARS = 25;

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The range a view opens on when the URL names none: recent periods ending on the last day with data. */
export function defaultRange(latest: string, period: Period): { from: string; to: string } {
  const [y, m, d] = latest.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1, d));
  let start: Date;
  switch (period) {
    case 'day':
      start = new Date(end.getTime() - 89 * DAY_MS);
      break;
    case 'week':
      start = new Date(end.getTime() - (((end.getUTCDay() + 6) % 7) + 7 * 25) * DAY_MS);
      break;
    case 'month':
      start = new Date(Date.UTC(y, m - 1 - 11, 1));
      break;
    case 'quarter':
      start = new Date(Date.UTC(y, Math.floor((m - 1) / 3) * 3 - 21, 1));
      break;
    case 'year':
      start = new Date(Date.UTC(y - 4, 0, 1));
      break;
  }
  return { from: isoDay(start), to: latest };
}

interface Row {
  id: string;
  name: string;
  /** The breakdown's value, when the group can be filtered to (not null). */
  filterValue: string | null;
  period?: string;
  value: number | null;
  n: number;
  ci: Interval | null;
  change?: Change;
}

/** Any metric × period × one breakdown × filters: the page an analyst answers "why did it change" on. */
export default function Explore() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView, params] = useView({ metric: 'nps', period: 'month', from: '', to: '', by: '' });
  const [, setParams] = useSearchParams();
  const where = params.getAll('where').filter((w) => w.includes('='));
  const catalogue = useApi<MetricCatalogue>('/api/v1/metrics', { workspace: workspace.name });
  const found = catalogue.data?.metrics.find((m) => m.name === view.metric);
  const entry = found ?? catalogue.data?.metrics[0];
  const period = (PERIODS as string[]).includes(view.period) ? (view.period as Period) : 'month';
  const fallback = catalogue.data?.latest ? defaultRange(catalogue.data.latest, period) : { from: '', to: '' };
  const from = view.from || fallback.from;
  const to = view.to || fallback.to;
  const by = entry?.name === 'consistency' ? (entry.breakdowns.includes(view.by) ? view.by : 'agent') : entry?.breakdowns.includes(view.by) ? view.by : '';
  const ready = Boolean(entry) && entry!.name !== 'cohorts';
  const base = { workspace: workspace.name, from, to, where };
  const path = entry ? `/api/v1/metrics/${encodeURIComponent(entry.name)}` : null;
  const trend = useApi<MetricResult>(ready && entry!.trend ? path : null, { ...base, by: [period, by].filter(Boolean).join(',') });
  const totals = useApi<MetricResult>(ready ? path : null, { ...base, by });
  const annotations = useApi<{ annotations: AnnotationJson[] }>(ready && entry!.trend ? '/api/v1/annotations' : null, { workspace: workspace.name, from, to, period });
  const benchmarks = useApi<{ benchmarks: BenchmarkJson[] }>(ready && entry!.trend ? '/api/v1/benchmarks' : null, { workspace: workspace.name, metric: entry?.name });

  /** One URL change for a metric switch: a breakdown or filter the new metric lacks is dropped. */
  const chooseMetric = (name: string) => {
    const next = catalogue.data?.metrics.find((m) => m.name === name);
    setParams((previous) => {
      const p = new URLSearchParams(previous);
      p.set('metric', name);
      if (next && p.get('by') && !next.breakdowns.includes(p.get('by')!)) p.delete('by');
      const kept = p.getAll('where').filter((w) => next?.filters.includes(w.slice(0, w.indexOf('='))));
      p.delete('where');
      kept.forEach((w) => p.append('where', w));
      return p;
    });
  };
  const setWhere = (list: string[], changes: Record<string, string> = {}) =>
    setParams((previous) => {
      const p = new URLSearchParams(previous);
      p.delete('where');
      list.forEach((w) => p.append('where', w));
      for (const [key, value] of Object.entries(changes)) value ? p.set(key, value) : p.delete(key);
      return p;
    });

  if (catalogue.error) return <Shell><Failure error={catalogue.error} /></Shell>;
  if (!catalogue.data) return <Shell><Loading /></Shell>;
  if (!entry) return <Shell><Loading /></Shell>;

  const title = metricTitle(i18n, entry.name, entry.title);
  return (
    <Shell>
      {!found && <Failure error={new ApiError(400, t('explore.unknownMetric', { metric: view.metric }))} />}
      <Controls
        catalogue={catalogue.data}
        entry={entry}
        period={period}
        from={from}
        to={to}
        by={by}
        where={where}
        onMetric={chooseMetric}
        onView={setView}
        onWhere={setWhere}
      />
      {catalogue.data.latest && (
        <p className="lede" data-testid="explore-range">
          {t('explore.range', { from: formatDay(i18n, from), to: formatDay(i18n, to), zone: catalogue.data.timezone })}
        </p>
      )}
      {entry.name === 'cohorts' ? (
        <section className="panel" data-testid="no-trend">
          <p>{t('explore.noTrend.cohorts')}</p>
          <Link href="/retention">{t('page.retention')}</Link>
        </section>
      ) : (
        <Results
          entry={entry}
          title={title}
          period={period}
          by={by}
          trend={entry.trend ? trend : undefined}
          totals={totals}
          annotations={annotations.data?.annotations ?? []}
          benchmarks={benchmarks.data?.benchmarks.filter((b) => b.metric === entry.name) ?? []}
          onFilter={(value) => setWhere([...where.filter((w) => !w.startsWith(`${by}=`)), `${by}=${value}`], { by: '' })}
        />
      )}
      <section className="panel definition" aria-labelledby="definition-title">
        <h2 id="definition-title">{t('explore.definition')}</h2>
        <Definition i18n={i18n} name={entry.name} fallback={entry.definition} />
      </section>
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('page.explore')}</h1>
      <p className="lede">{t('explore.lede')}</p>
      {children}
    </>
  );
}

const formatDay = (i18n: I18n, day: string) => (day ? formatPeriod(i18n, day, 'day') : '–');

/** The metric's definition in the reader's language (the server's English when the catalogue lacks it). */
function Definition({ i18n, name, fallback }: { i18n: I18n; name: string; fallback: string }) {
  const definition = metricDefinition(i18n, name, fallback);
  return (
    <p lang={definition.lang} dir={definition.lang === i18n.locale ? i18n.dir : 'ltr'} data-testid="definition">
      {definition.text}
    </p>
  );
}

function Controls({ catalogue, entry, period, from, to, by, where, onMetric, onView, onWhere }: {
  catalogue: MetricCatalogue;
  entry: CatalogueEntry;
  period: Period;
  from: string;
  to: string;
  by: string;
  where: string[];
  onMetric: (name: string) => void;
  onView: (changes: Partial<Record<'metric' | 'period' | 'from' | 'to' | 'by', string>>) => void;
  onWhere: (list: string[]) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [filterOn, setFilterOn] = useState('');
  const [filterValue, setFilterValue] = useState('');
  const [link, setLink] = useState('');
  // The values the chosen filter dimension takes in this range, to pick from (with their n).
  const values = useApi<MetricResult>(filterOn ? `/api/v1/metrics/${encodeURIComponent(entry.name)}` : null, { workspace: workspace.name, from, to, where, by: filterOn });
  const known = (values.data?.groups ?? []).map((g) => g.key[filterOn]).filter((v): v is string => typeof v === 'string');
  const addFilter = (event: FormEvent) => {
    event.preventDefault();
    if (!filterOn || !filterValue.trim()) return;
    onWhere([...where.filter((w) => !w.startsWith(`${filterOn}=`)), `${filterOn}=${filterValue.trim()}`]);
    setFilterValue('');
  };
  const copyLink = async () => {
    const url = new URL(location.href);
    for (const [key, value] of Object.entries({ metric: entry.name, period, from, to, by })) if (value) url.searchParams.set(key, value);
    setLink(url.toString());
    await navigator.clipboard?.writeText(url.toString()).catch(() => undefined);
  };
  return (
    <>
      <form className="controls" onSubmit={(event) => event.preventDefault()} aria-label={t('page.explore')}>
        <label>
          {t('control.metric')}
          <select value={entry.name} onChange={(event) => onMetric(event.target.value)} data-testid="metric-picker">
            {catalogue.metrics.map((m) => (
              <option key={m.name} value={m.name}>
                {metricTitle(i18n, m.name, m.title)}
              </option>
            ))}
          </select>
        </label>
        {entry.trend && (
          <label>
            {t('control.period')}
            <select value={period} onChange={(event) => onView({ period: event.target.value })} data-testid="period-picker">
              {PERIODS.map((p) => (
                <option key={p} value={p}>
                  {t(`period.name.${p}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('control.from')}
          <input type="date" value={from} max={to || undefined} onChange={(event) => onView({ from: event.target.value })} data-testid="from" />
        </label>
        <label>
          {t('control.to')}
          <input type="date" value={to} min={from || undefined} onChange={(event) => onView({ to: event.target.value })} data-testid="to" />
        </label>
        <label>
          {t('control.breakdown')}
          <select value={by} onChange={(event) => onView({ by: event.target.value })} data-testid="breakdown-picker">
            {entry.name !== 'consistency' && <option value="">{t('control.noBreakdown')}</option>}
            {entry.breakdowns.map((d) => (
              <option key={d} value={d}>
                {dimensionLabel(i18n, d)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <form className="controls filters" onSubmit={addFilter} aria-label={t('control.filters')}>
        <label>
          {t('control.filterOn')}
          <select value={filterOn} onChange={(event) => setFilterOn(event.target.value)} data-testid="filter-on">
            <option value="">–</option>
            {entry.filters.map((d) => (
              <option key={d} value={d}>
                {dimensionLabel(i18n, d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('control.filterValue')}
          <input value={filterValue} onChange={(event) => setFilterValue(event.target.value)} list="filter-values" disabled={!filterOn} data-testid="filter-value" />
          <datalist id="filter-values">
            {known.map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
        </label>
        <button type="submit" disabled={!filterOn || !filterValue.trim()} data-testid="add-filter">
          {t('action.addFilter')}
        </button>
        {where.length > 0 && (
          <ul className="chips" aria-label={t('control.filters')} data-testid="filters">
            {where.map((w) => {
              const at = w.indexOf('=');
              const text = `${dimensionLabel(i18n, w.slice(0, at))} = ${w.slice(at + 1)}`;
              return (
                <li key={w} className="chip">
                  <span dir="auto">{text}</span>
                  <button type="button" className="chip-remove" aria-label={t('action.removeFilter', { filter: text })} onClick={() => onWhere(where.filter((x) => x !== w))}>
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </form>
      <div className="share">
        <button type="button" onClick={copyLink} data-testid="copy-link">
          {t('action.copyLink')}
        </button>
        {link && (
          <p role="status" className="share-link">
            {t('status.linkCopied')}{' '}
            <input readOnly value={link} dir="ltr" aria-label={t('action.copyLink')} data-testid="share-link" onFocus={(event) => event.target.select()} />
          </p>
        )}
      </div>
    </>
  );
}

function Results({ entry, title, period, by, trend, totals, annotations, benchmarks, onFilter }: {
  entry: CatalogueEntry;
  title: string;
  period: Period;
  by: string;
  trend?: { data: MetricResult | undefined; error: ApiError | undefined; loading: boolean };
  totals: { data: MetricResult | undefined; error: ApiError | undefined; loading: boolean };
  annotations: AnnotationJson[];
  benchmarks: BenchmarkJson[];
  onFilter: (value: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const trendChart = useRef<ChartHandle>(null);
  const barChart = useRef<ChartHandle>(null);
  const unit = entry.unit;
  const periodName = period as string;
  const breakdownLabel = by ? dimensionLabel(i18n, by) : '';

  const nameOf = (group: MetricGroup) => {
    const parts = Object.entries(group.key).filter(([k]) => k !== periodName).map(([, v]) => v ?? t('explore.notSet'));
    return parts.length ? parts.join(' · ') : t('explore.all');
  };
  const idOf = (group: MetricGroup) => JSON.stringify(Object.entries(group.key).filter(([k]) => k !== periodName));

  const totalRows: Row[] = useMemo(
    () =>
      (totals.data?.groups ?? [])
        .map((g) => ({ id: idOf(g), name: nameOf(g), filterValue: by ? (g.key[by] ?? null) : null, value: g.value, n: g.n, ci: g.ci }))
        .sort((a, b) => b.n - a.n),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [totals.data, i18n],
  );
  const rank = new Map(totalRows.map((r, i) => [r.id, i]));
  const trendRows: Row[] = useMemo(
    () =>
      (trend?.data?.groups ?? [])
        .map((g) => ({ id: idOf(g), name: nameOf(g), filterValue: null, period: g.key[periodName] ?? '', value: g.value, n: g.n, ci: g.ci, change: g.change }))
        .sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || a.name.localeCompare(b.name) || a.period!.localeCompare(b.period!)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [trend?.data, totals.data, i18n],
  );

  const error = trend?.error ?? totals.error;
  if (error) return <Failure error={error} />;
  if ((trend && !trend.data) || !totals.data) return <Loading />;
  const empty = totalRows.every((r) => r.n === 0) && trendRows.every((r) => r.n === 0);
  if (empty) {
    return (
      <Empty title={t('explore.empty.title')}>
        <p>{t('explore.empty.body')}</p>
        <Link href="/import">{t('page.import')}</Link>
      </Empty>
    );
  }

  const shownIds = totalRows.slice(0, MAX_LINES).map((r) => r.id);
  const series: TrendSeries[] = shownIds
    .map((id) => {
      const points = trendRows.filter((r) => r.id === id);
      return { name: points[0]?.name ?? totalRows.find((r) => r.id === id)!.name, points: points.map((p) => ({ period: p.period!, value: p.value, n: p.n, ci: p.ci })) };
    })
    .filter((s) => s.points.length > 0);
  const marks = new Map<string, string[]>();
  for (const a of annotations) if (a.period) marks.set(a.period, [...(marks.get(a.period) ?? []), a.text]);
  const chartAnnotations: ChartAnnotation[] = [...marks].map(([p, texts]) => ({ period: p, text: texts.join(' · ') }));
  const valueName = axisName(i18n, unit, title);
  const references = benchmarkLines(i18n, benchmarks).map((line, i) => ({ ...line, margin: benchmarks[i]!.margin }));
  const lineOption = trend?.data ? fainterBands(trendOption({ i18n, unit, period, series, annotations: chartAnnotations, benchmarks: references, valueName }), series.length) : undefined;
  // The gap to each benchmark: of the last period drawn, when one line is drawn (no breakdown).
  const lastPoint = series.length === 1 ? [...series[0]!.points].reverse().find((p) => p.value !== null) : undefined;
  const bars = totalRows.slice(0, MAX_BARS);
  const fileBase = `${entry.name}${by ? `-by-${by}` : ''}`;

  const verdict = (change: Change | undefined) =>
    !change ? '' : change.smallSample ? t('change.tooFew') : change.significant ? t('change.significant', { p: i18n.number(change.pValue ?? 0, { maximumSignificantDigits: 2 }) }) : t('change.notSignificant');
  const numberCells: Array<Column<Row>> = [
    { header: t('column.value'), numeric: true, cell: (r) => <span data-testid="value">{formatValue(i18n, unit, r.value)}</span>, value: (r) => r.value },
    { header: t('column.n'), numeric: true, cell: (r) => <span data-testid="n">{i18n.number(r.n)}</span>, value: (r) => r.n },
    { header: t('column.ciLow'), numeric: true, cell: (r) => (r.ci ? formatValue(i18n, unit, r.ci[0]) : '–'), value: (r) => r.ci?.[0] },
    { header: t('column.ciHigh'), numeric: true, cell: (r) => (r.ci ? formatValue(i18n, unit, r.ci[1]) : '–'), value: (r) => r.ci?.[1] },
  ];
  const groupColumn: Column<Row> = { header: by ? breakdownLabel : t('column.group'), cell: (r) => <span dir="auto">{r.name}</span>, value: (r) => r.name };
  const trendColumns: Array<Column<Row>> = [
    ...(by || entry.name === 'intent' || trendRows.some((r) => r.name !== t('explore.all')) ? [groupColumn] : []),
    { header: t('column.period'), cell: (r) => formatPeriod(i18n, r.period!, period), value: (r) => r.period },
    ...numberCells,
    {
      header: t('column.change'),
      numeric: true,
      cell: (r) =>
        r.change ? (
          <span className={`tone-${r.change.significant && !r.change.smallSample ? toneOfChange(entry.name, r.change.delta) : 'neutral'}`}>
            {formatDelta(i18n, unit, r.change.delta)}
            {r.change.of === 'mean' ? ` ${t('change.ofMean')}` : ''}
          </span>
        ) : (
          '–'
        ),
      value: (r) => r.change?.delta,
    },
    {
      header: t('column.changeCi'),
      numeric: true,
      cell: (r) => (r.change?.ci ? t('ci.range', { low: formatDelta(i18n, unit, r.change.ci[0]), high: formatDelta(i18n, unit, r.change.ci[1]) }) : '–'),
      value: (r) => (r.change?.ci ? `${r.change.ci[0]} to ${r.change.ci[1]}` : undefined),
    },
    { header: t('column.pValue'), numeric: true, cell: (r) => (r.change?.pValue == null ? '–' : i18n.number(r.change.pValue, { maximumSignificantDigits: 2 })), value: (r) => r.change?.pValue },
    { header: t('column.significance'), cell: (r) => verdict(r.change), value: (r) => verdict(r.change) },
  ];
  const totalColumns: Array<Column<Row>> = [
    groupColumn,
    ...numberCells,
    ...(by
      ? [{
          header: t('column.actions'),
          cell: (r: Row) =>
            r.filterValue !== null ? (
              <button type="button" className="link-button" onClick={() => onFilter(r.filterValue!)}>
                {t('action.filterTo', { group: r.name })}
              </button>
            ) : (
              ''
            ),
          value: () => undefined,
        }]
      : []),
  ];

  return (
    <>
      {lineOption && (
        <section className="panel" aria-labelledby="trend-title">
          <div className="panel-head">
            <h2 id="trend-title">{t('explore.trendTitle', { metric: title })}</h2>
            <PngButton chart={trendChart} name={`${fileBase}-trend`} testId="trend-png" />
          </div>
          {totalRows.length > MAX_LINES && <p className="muted">{t('explore.topGroups', { shown: MAX_LINES, total: totalRows.length })}</p>}
          <Chart ref={trendChart} option={lineOption} label={t('explore.chartLabel', { metric: title, period: t(`period.name.${period}` as MessageKey) })} height={360} testId="trend-chart" />
          {chartAnnotations.length > 0 && <p className="muted">{t('explore.annotationsNote')}</p>}
          {benchmarks.length > 0 && <p className="muted">{t('benchmarks.chartNote')}</p>}
          <DataTable caption={t('explore.trendCaption', { metric: title })} columns={trendColumns} rows={trendRows} fileName={`${fileBase}-by-${period}`} testId="trend-table" rowKey={(r) => `${r.id}|${r.period}`} />
        </section>
      )}
      {lineOption && benchmarks.length > 0 && (
        <section className="panel" aria-labelledby="benchmarks-title" data-testid="explore-benchmarks">
          <h2 id="benchmarks-title">{t('benchmarks.exploreTitle', { metric: title })}</h2>
          <DataTable
            caption={t('benchmarks.exploreCaption', { metric: title, period: lastPoint ? formatPeriod(i18n, lastPoint.period, period) : '–' })}
            columns={[
              { header: t('column.label'), cell: (b) => <span dir="auto">{b.label}</span>, value: (b) => b.label },
              { header: t('column.benchmark'), numeric: true, cell: (b) => <span data-testid="benchmark-value">{formatValue(i18n, unit, b.value)}</span>, value: (b) => b.value },
              { header: t('column.asOf'), cell: (b) => formatDay(i18n, b.asOf), value: (b) => b.asOf },
              {
                header: t('column.source'),
                cell: (b) => { const href = safeHref(b.sourceUrl); return href ? <a href={href} target="_blank" rel="noopener noreferrer" dir="ltr">{sourceHost(b.sourceUrl)}</a> : <span dir="ltr">{b.sourceUrl}</span>; },
                value: (b) => b.sourceUrl,
              },
              { header: t('column.own'), numeric: true, cell: () => (lastPoint ? formatValue(i18n, unit, lastPoint.value) : '–'), value: () => lastPoint?.value },
              {
                header: t('column.gap'),
                numeric: true,
                cell: (b) => { const gap = gapOf(lastPoint, b); return <span data-testid="benchmark-gap">{gap ? formatDelta(i18n, unit, gap.gap) : '–'}</span>; },
                value: (b) => gapOf(lastPoint, b)?.gap,
              },
              {
                header: t('column.gapCi'),
                numeric: true,
                cell: (b) => { const gap = gapOf(lastPoint, b); return <span data-testid="benchmark-gap-ci">{gap ? `${formatGapInterval(i18n, unit, gap)} · ${gapVerdict(i18n, gap)}` : '–'}</span>; },
                value: (b) => { const gap = gapOf(lastPoint, b); return gap?.ci ? `${gap.ci[0]} to ${gap.ci[1]}` : undefined; },
              },
            ]}
            rows={benchmarks}
            fileName={`${fileBase}-benchmarks`}
            testId="benchmarks-table"
            rowKey={(b) => String(b.id)}
          />
        </section>
      )}
      {!entry.trend && <p className="lede" data-testid="no-trend">{t('explore.noTrend.consistency')}</p>}
      <section className="panel" aria-labelledby="groups-title">
        <div className="panel-head">
          <h2 id="groups-title">{by ? t('explore.groupsTitle', { metric: title, breakdown: breakdownLabel }) : t('explore.totalTitle', { metric: title })}</h2>
          <PngButton chart={barChart} name={`${fileBase}-groups`} testId="groups-png" />
        </div>
        {totalRows.length > MAX_BARS && <p className="muted">{t('explore.topGroups', { shown: MAX_BARS, total: totalRows.length })}</p>}
        <Chart ref={barChart} option={barOption(i18n, unit, valueName, bars)} label={t('explore.barLabel', { metric: title })} height={Math.max(160, 70 + bars.length * 34)} testId="groups-chart" />
        <DataTable caption={t('explore.groupsCaption', { metric: title })} columns={totalColumns} rows={totalRows} fileName={`${fileBase}-groups`} testId="groups-table" rowKey={(r) => r.id} />
      </section>
    </>
  );
}

/** With several lines, each band is fainter, so the overlaps stay readable and the lines stand out. */
function fainterBands(option: EChartsCoreOption, lines: number): EChartsCoreOption {
  if (lines <= 2) return option;
  const series = (option.series as Array<Record<string, unknown>>).map((s) =>
    s.areaStyle ? { ...s, areaStyle: { ...(s.areaStyle as object), opacity: lines <= 4 ? 0.1 : 0.07 } } : s,
  );
  return { ...option, series };
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

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Groups as horizontal bars from zero, largest n on top, each with its 95% interval as a
 * whisker, the value written past the whisker's end and n beside the name. Tooltip text is
 * escaped (group names are people's data).
 */
export function barOption(i18n: I18n, unit: Unit, valueName: string, rows: Row[]): EChartsCoreOption {
  const rtl = i18n.dir === 'rtl';
  const names = rows.map((r) => `${r.name} · ${i18n.t('n.count', { n: r.n })}`);
  return {
    grid: { containLabel: true, left: 16, right: 56, top: 8, bottom: 36 },
    tooltip: {
      trigger: 'item',
      formatter: (item: { dataIndex: number }) => {
        const r = rows[item.dataIndex];
        if (!r) return '';
        return `<b>${escapeHtml(r.name)}</b><br/>${escapeHtml(formatValue(i18n, unit, r.value))} · ${escapeHtml(formatInterval(i18n, unit, r.ci))} · ${escapeHtml(i18n.t('n.count', { n: r.n }))}`;
      },
    },
    xAxis: { type: 'value', name: valueName, nameLocation: 'middle', nameGap: 26, axisLabel: { formatter: (value: number) => formatValue(i18n, unit, value) } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 220, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: rows.map((r) => r.value),
        barMaxWidth: 24,
        itemStyle: { color: PALETTE[0], opacity: 0.85 },
        markLine: {
          silent: true,
          symbol: ['none', 'none'],
          label: { show: false },
          lineStyle: { color: '#1d2330', width: 2, type: 'solid' },
          data: rows.flatMap((r, i) => (r.ci ? [[{ coord: [r.ci[0], names[i]] }, { coord: [r.ci[1], names[i]] }]] : [])),
        },
      },
      {
        // The value's label, just past the whisker (or the bar when there is no interval).
        type: 'scatter',
        symbolSize: 0,
        silent: true,
        tooltip: { show: false },
        data: rows.map((r) => (r.value === null ? null : Math.max(r.value, r.ci?.[1] ?? r.value))),
        label: {
          show: true,
          position: rtl ? 'left' : 'right',
          color: '#1d2330',
          formatter: (item: { dataIndex: number }) => formatValue(i18n, unit, rows[item.dataIndex]?.value),
        },
      },
    ],
  };
}
