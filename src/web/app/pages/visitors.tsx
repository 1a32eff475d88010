import { useMemo, useRef } from 'react';
import { Chart, type ChartHandle } from '../components/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { forestOption, stackedSharesOption } from '../forest.ts';
import { formatInterval, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n } from '../i18n.tsx';
import type { Interval, MetricGroup, MetricResult } from '../types.ts';

/** The `intent` metric's group: the share of visits stating this intent, and their conversion. */
interface IntentGroup extends MetricGroup {
  count: number;
  share: number | null;
  share_ci: Interval | null;
  conversion: { value: number | null; n: number; ci: Interval | null; count: number };
}

const NONE = '\u0000none';

function PngButton({ chart, name }: { chart: React.RefObject<ChartHandle | null>; name: string }) {
  const { t } = useI18n();
  return (
    <div className="table-actions">
      <button type="button" onClick={() => { const png = chart.current?.toPng(); if (png) download(name, png); }}>
        {t('action.exportPng')}
      </button>
    </div>
  );
}

/** Intents by one dimension (page or source): a 100% stacked bar per value and the table behind it. */
function SharesBy({ dimension, result, intents, i18n }: { dimension: 'page' | 'source'; result: MetricResult; intents: string[]; i18n: I18n }) {
  const { t } = i18n;
  const chart = useRef<ChartHandle>(null);
  const groups = result.groups as IntentGroup[];
  const label = (value: string | null) => (value === null ? t('visitors.unknown') : value);
  const categories = [...new Set(groups.map((g) => g.key[dimension] ?? NONE))];
  // Most visited first.
  const visits = new Map(categories.map((c) => [c, groups.find((g) => (g.key[dimension] ?? NONE) === c)?.n ?? 0]));
  categories.sort((a, b) => visits.get(b)! - visits.get(a)!);
  const option = stackedSharesOption({
    i18n,
    categories: categories.map((c) => label(c === NONE ? null : c)),
    series: intents.map((intent) => ({
      name: intent,
      values: categories.map((c) => {
        const g = groups.find((x) => (x.key[dimension] ?? NONE) === c && x.key.intent === intent);
        return g && g.share !== null ? { share: g.share, count: g.count, n: g.n } : null;
      }),
    })),
    valueName: t('visitors.axis.share'),
  });
  const title = t(dimension === 'page' ? 'visitors.byPage' : 'visitors.bySource');
  return (
    <section className="panel">
      <h2>{title}</h2>
      <Chart ref={chart} option={option} label={title} height={Math.max(220, 80 + categories.length * 40)} testId={`intent-by-${dimension}`} />
      <PngButton chart={chart} name={`visitor-intent-by-${dimension}.png`} />
      <details className="table-details">
        <summary>{t('visitors.showTable', { count: groups.length })}</summary>
      <DataTable<IntentGroup>
        caption={t('visitors.table.shares', { dimension: t(`dimension.${dimension}`) })}
        fileName={`visitor-intent-by-${dimension}`}
        testId={`table-${dimension}`}
        rowKey={(g) => `${g.key[dimension]}|${g.key.intent}`}
        rows={[...groups].sort((a, b) => visits.get(b.key[dimension] ?? NONE)! - visits.get(a.key[dimension] ?? NONE)! || b.count - a.count)}
        columns={[
          { header: t(`dimension.${dimension}`), cell: (g) => <bdi>{label(g.key[dimension] ?? null)}</bdi>, value: (g) => g.key[dimension] ?? null },
          { header: t('visitors.col.intent'), cell: (g) => <bdi>{g.key.intent}</bdi>, value: (g) => g.key.intent ?? null },
          { header: t('visitors.col.share'), numeric: true, cell: (g) => <span data-testid="share">{formatValue(i18n, 'percent', g.share)}</span>, value: (g) => g.share },
          { header: t('column.ci'), cell: (g) => formatInterval(i18n, 'percent', g.share_ci), value: (g) => (g.share_ci ? g.share_ci.join(' to ') : null) },
          { header: t('visitors.col.visits'), numeric: true, cell: (g) => i18n.number(g.count), value: (g) => g.count },
          { header: t('visitors.col.withIntent'), numeric: true, cell: (g) => i18n.number(g.n), value: (g) => g.n },
          { header: t('visitors.col.conversion'), numeric: true, cell: (g) => formatValue(i18n, 'percent', g.conversion.value), value: (g) => g.conversion.value },
        ]}
      />
      </details>
    </section>
  );
}

/** Why visitors came (page, source), and which intents convert: the seeds' "visitor intent". */
export default function Visitors() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ from: '', to: '', device: '', source: '', page: '' });
  const where = [view.device && `device=${view.device}`, view.source && `source=${view.source}`, view.page && `page=${view.page}`].filter(Boolean) as string[];
  const base = { workspace: workspace.name, from: view.from, to: view.to, where };
  const overall = useApi<MetricResult>('/api/v1/metrics/intent', base);
  const byPage = useApi<MetricResult>('/api/v1/metrics/intent', { ...base, by: 'page' });
  const bySource = useApi<MetricResult>('/api/v1/metrics/intent', { ...base, by: 'source' });
  // The filters' choices, from the whole range without the filters.
  const choices = useApi<MetricResult>('/api/v1/metrics/intent', { workspace: workspace.name, by: 'device,source,page' });
  const conversionChart = useRef<ChartHandle>(null);

  const options = useMemo(() => {
    const of = (name: string) => [...new Set((choices.data?.groups ?? []).map((g) => g.key[name]).filter((v): v is string => !!v))].sort();
    return { device: of('device'), source: of('source'), page: of('page') };
  }, [choices.data]);

  const intents = useMemo(() => ((overall.data?.groups ?? []) as IntentGroup[]).filter((g) => g.key.intent !== null).sort((a, b) => b.count - a.count), [overall.data]);
  const conversion = useMemo(
    () =>
      forestOption({
        i18n,
        unit: 'percent',
        range: [0, 100],
        categories: intents.map((g) => String(g.key.intent)),
        series: [{ name: t('visitors.col.conversion'), points: intents.map((g) => ({ value: g.conversion.value, n: g.conversion.n, ci: g.conversion.ci })) }],
        valueName: t('visitors.axis.conversion'),
      }),
    [intents, i18n, t],
  );

  const error = overall.error ?? byPage.error ?? bySource.error;
  const empty = overall.data && overall.data.groups.length === 0;
  const filtering = where.length > 0 || view.from || view.to;
  return (
    <>
      <h1>{t('page.visitors')}</h1>
      <p className="lede">{t('visitors.lede')}</p>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('control.from')}
          <input type="date" value={view.from} onChange={(event) => setView({ from: event.target.value })} data-testid="from" />
        </label>
        <label>
          {t('control.to')}
          <input type="date" value={view.to} onChange={(event) => setView({ to: event.target.value })} data-testid="to" />
        </label>
        {(['device', 'source', 'page'] as const).map((name) => (
          <label key={name}>
            {t(`dimension.${name}`)}
            <select value={view[name]} onChange={(event) => setView({ [name]: event.target.value })} data-testid={`filter-${name}`}>
              <option value="">{t('visitors.all')}</option>
              {(view[name] && !options[name].includes(view[name]) ? [...options[name], view[name]] : options[name]).map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        ))}
      </form>
      {error && <Failure error={error} />}
      {overall.loading && !overall.data && <Loading />}
      {empty && (
        <Empty title={t(filtering ? 'empty.visitors.filtered' : 'empty.visitors.title')}>
          <p>{t('empty.visitors.body')}</p>
          {!filtering && <DemoDataAction />}
        </Empty>
      )}
      {overall.data && !empty && (
        <div aria-busy={overall.loading || byPage.loading || bySource.loading}>
          <section className="panel">
            <h2>{t('visitors.conversion.title')}</h2>
            <p className="muted">{t('visitors.conversion.body')}</p>
            <Chart ref={conversionChart} option={conversion} label={t('visitors.conversion.title')} height={Math.max(220, 70 + intents.length * 40)} testId="intent-conversion" />
            <PngButton chart={conversionChart} name="visitor-intent-conversion.png" />
            <DataTable<IntentGroup>
              caption={t('visitors.table.conversion')}
              fileName="visitor-intent-conversion"
              testId="table-conversion"
              rowKey={(g) => String(g.key.intent)}
              rows={intents}
              columns={[
                { header: t('visitors.col.intent'), cell: (g) => <bdi>{g.key.intent}</bdi>, value: (g) => g.key.intent ?? null },
                { header: t('visitors.col.visits'), numeric: true, cell: (g) => <span data-testid="visits">{i18n.number(g.count)}</span>, value: (g) => g.count },
                { header: t('visitors.col.share'), numeric: true, cell: (g) => <span data-testid="share">{formatValue(i18n, 'percent', g.share)}</span>, value: (g) => g.share },
                { header: t('column.ci'), cell: (g) => formatInterval(i18n, 'percent', g.share_ci), value: (g) => (g.share_ci ? g.share_ci.join(' to ') : null) },
                { header: t('visitors.col.converted'), numeric: true, cell: (g) => i18n.number(g.conversion.count), value: (g) => g.conversion.count },
                { header: t('visitors.col.conversion'), numeric: true, cell: (g) => <span data-testid="conversion">{formatValue(i18n, 'percent', g.conversion.value)}</span>, value: (g) => g.conversion.value },
                { header: t('visitors.col.conversionCi'), cell: (g) => formatInterval(i18n, 'percent', g.conversion.ci), value: (g) => (g.conversion.ci ? g.conversion.ci.join(' to ') : null) },
              ]}
            />
          </section>
          {byPage.data && <SharesBy dimension="page" result={byPage.data} intents={intents.map((g) => String(g.key.intent))} i18n={i18n} />}
          {bySource.data && <SharesBy dimension="source" result={bySource.data} intents={intents.map((g) => String(g.key.intent))} i18n={i18n} />}
        </div>
      )}
    </>
  );
}
