import { ExplainPanel } from '../components/ExplainPanel.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { formatPeriod } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import type { BenchmarkJson, Overview as OverviewData, Period } from '../types.ts';

const PERIOD_CHOICES: Period[] = ['month', 'quarter', 'week'];

/** Every KPI for one period: the page a CX team opens first. */
export default function Overview() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ period: 'month', at: '', segment: '', why: '' });
  const period = view.period as Period;
  const { data, error, loading } = useApi<OverviewData>('/api/v1/overview', {
    workspace: workspace.name,
    period,
    at: view.at,
    where: view.segment ? [`segment=${view.segment}`] : undefined,
  });
  const benchmarks = useApi<{ benchmarks: BenchmarkJson[] }>('/api/v1/benchmarks', { workspace: workspace.name });
  const empty = data && data.cards.every((card) => card.trend.every((point) => point.n === 0));
  return (
    <>
      <h1>{t('page.overview')}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('control.period')}
          <select value={period} onChange={(event) => setView({ period: event.target.value })}>
            {PERIOD_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t(`period.name.${choice}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('control.at')}
          <input type="date" value={view.at || data?.from || ''} onChange={(event) => setView({ at: event.target.value })} />
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
        <Empty title={t('empty.overview.title')}>
          <p>{t('empty.overview.body')}</p>
          <DemoDataAction />
        </Empty>
      )}
      {data && !empty && (
        <>
          <p className="lede" data-testid="overview-period">
            {t('overview.showing', { period: formatPeriod(i18n, data.label, data.period), zone: data.timezone })}
          </p>
          {view.why && (() => {
            const card = data.cards.find((c) => c.metric === view.why);
            return card?.current?.change ? (
              <ExplainPanel
                key={`${view.why}-${data.label}`}
                metric={card.metric}
                from={card.current.change.from}
                to={data.label}
                period={data.period}
                where={view.segment ? [`segment=${view.segment}`] : undefined}
                onClose={() => setView({ why: '' })}
              />
            ) : null;
          })()}
          <div className="kpi-grid" aria-busy={loading}>
            {data.cards.map((card) => (
              <KpiCard
                key={card.metric}
                card={card}
                period={data.period}
                onExplain={() => setView({ why: card.metric })}
                benchmarks={benchmarks.data?.benchmarks.filter((b) => b.metric === card.metric)}
                explore={`/explore?${new URLSearchParams({ metric: card.metric, by: '', period: data.period, ...(view.segment ? { where: `segment=${view.segment}` } : {}) })}`}
              />
            ))}
          </div>
        </>
      )}
    </>
  );
}
