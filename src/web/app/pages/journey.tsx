import { Link } from 'wouter';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DemoDataAction } from '../components/DemoData.tsx';
import { KeyDrivers } from '../components/KeyDrivers.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { formatInterval, formatPeriod, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import type { JourneyJson, MetricGroup } from '../types.ts';

/**
 * The customer journey: each touchpoint in the order customers meet it, with CSAT, CES and NPS
 * and their n, the weakest step marked (the server decides which, src/metrics/journey.ts), and a
 * link from each step to Explore filtered on it. Steps run left to right, right to left in Arabic
 * (a flex row follows the page's direction).
 */

type Step = JourneyJson['steps'][number];

const lastDayOf = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

export function touchpointName(i18n: I18n, touchpoint: string): string {
  const key = `touchpoint.${touchpoint}` as MessageKey;
  const text = i18n.t(key);
  return text === key ? touchpoint : text;
}

export default function Journey() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ from: '', to: '', segment: '' });
  const { data, error, loading } = useApi<JourneyJson>('/api/v1/journey', {
    workspace: workspace.name,
    from: view.from ? `${view.from}-01` : undefined,
    to: view.to ? lastDayOf(view.to) : undefined,
    where: view.segment ? [`segment=${view.segment}`] : undefined,
  });
  if (error && !data) return <><h1>{t('page.journey')}</h1><Failure error={error} /></>;
  if (!data) return <><h1>{t('page.journey')}</h1><Loading /></>;
  const fromMonth = data.from?.slice(0, 7) ?? '';
  const toMonth = data.to?.slice(0, 7) ?? '';
  const weakest = data.weakest;
  const explore = (metric: string, touchpoint: string) =>
    `/explore?${new URLSearchParams({ metric, where: `touchpoint=${touchpoint}`, ...(data.from ? { from: data.from } : {}), ...(data.to ? { to: data.to } : {}) })}`;

  return (
    <>
      <h1>{t('page.journey')}</h1>
      {data.months.length === 0 ? (
        <Empty title={t('journey.empty.title')}>
          <p>{t('journey.empty.body')}</p>
          <DemoDataAction />
        </Empty>
      ) : (
        <>
          <form className="controls" onSubmit={(event) => event.preventDefault()}>
            <label>
              {t('control.from')}
              <select value={fromMonth} onChange={(event) => setView({ from: event.target.value, to: toMonth })} data-testid="from-month">
                {data.months.filter((m) => m <= toMonth).map((m) => (
                  <option key={m} value={m}>{formatPeriod(i18n, m, 'month')}</option>
                ))}
              </select>
            </label>
            <label>
              {t('control.to')}
              <select value={toMonth} onChange={(event) => setView({ to: event.target.value, from: fromMonth > event.target.value ? event.target.value : fromMonth })} data-testid="to-month">
                {data.months.map((m) => (
                  <option key={m} value={m}>{formatPeriod(i18n, m, 'month')}</option>
                ))}
              </select>
            </label>
            <label>
              {t('control.segment')}
              <select value={view.segment} onChange={(event) => setView({ segment: event.target.value })} data-testid="segment">
                <option value="">{t('control.allSegments')}</option>
                {data.segments.map((s) => (
                  <option key={s} value={s}>{s}</option>
                ))}
              </select>
            </label>
          </form>
          <p className="lede" data-testid="journey-range">
            {t('journey.showing', { from: formatPeriod(i18n, fromMonth, 'month'), to: formatPeriod(i18n, toMonth, 'month'), zone: data.timezone })}
          </p>
          {data.steps.length === 0 ? (
            <Empty title={t('journey.none.title')}>
              <p>{t('journey.none.body')}</p>
            </Empty>
          ) : (
            <>
              <section aria-labelledby="flow-title" aria-busy={loading}>
                <h2 id="flow-title">{t('journey.flow.title')}</h2>
                {/* Focusable so the steps can be scrolled from the keyboard when they do not fit. */}
                <div className="journey-scroll" role="region" aria-labelledby="flow-title" tabIndex={0}>
                  <ol className="journey-flow" data-testid="journey-flow">
                    {data.steps.map((step, index) => (
                      <li
                        key={step.touchpoint}
                        className={`journey-step${weakest?.touchpoint === step.touchpoint ? ' journey-weakest' : ''}`}
                        data-testid={`step-${step.touchpoint}`}
                        data-weakest={weakest?.touchpoint === step.touchpoint ? 'true' : undefined}
                      >
                        <StepCard step={step} number={index + 1} minN={data.minN} weakest={weakest?.touchpoint === step.touchpoint} explore={explore} />
                      </li>
                    ))}
                  </ol>
                </div>
              </section>
              <p className="journey-verdict" data-testid="journey-verdict">
                {weakest
                  ? t(weakest.separated ? 'journey.weakest.separated' : 'journey.weakest.overlapping', {
                      step: touchpointName(i18n, weakest.touchpoint),
                      metric: t(`metric.${weakest.metric}` as MessageKey),
                      value: formatValue(i18n, 'percent', weakest.value),
                      n: weakest.n,
                      best: touchpointName(i18n, weakest.best.touchpoint),
                      bestValue: formatValue(i18n, 'percent', weakest.best.value),
                    })
                  : t('journey.weakest.none', { minN: data.minN })}
              </p>
              <details className="journey-rule">
                <summary>{t('journey.rule.title')}</summary>
                <p>{t('journey.rule.body', { minN: data.minN })}</p>
              </details>
              {data.outside.nps && data.outside.nps.n > 0 && (
                <p className="muted" data-testid="journey-outside-nps">
                  {t('journey.outsideNps', { value: formatValue(i18n, 'nps', data.outside.nps.value), n: data.outside.nps.n, ci: formatInterval(i18n, 'nps', data.outside.nps.ci) })}
                </p>
              )}
              <DataTable
                caption={t('journey.table.caption')}
                columns={tableColumns(i18n, weakest?.touchpoint)}
                rows={data.steps}
                fileName="journey"
                testId="journey-table"
                rowKey={(s) => s.touchpoint}
              />
              {data.to && <KeyDrivers to={data.to} where={view.segment ? [`segment=${view.segment}`] : undefined} />}
            </>
          )}
        </>
      )}
    </>
  );
}

function StepCard({ step, number, minN, weakest, explore }: { step: Step; number: number; minN: number; weakest: boolean; explore: (metric: string, touchpoint: string) => string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const name = touchpointName(i18n, step.touchpoint);
  return (
    <article className="journey-card" aria-labelledby={`step-${step.touchpoint}-title`}>
      <p className="journey-number" aria-hidden="true">{i18n.number(number)}</p>
      <h3 id={`step-${step.touchpoint}-title`}>{name}</h3>
      {weakest && <p className="journey-badge" data-testid="weakest-badge">{t('journey.weakest.badge')}</p>}
      <Score metric="csat" group={step.csat} minN={minN} />
      <Score metric="ces" group={step.ces} minN={minN} />
      {step.nps && <Score metric="nps" group={step.nps} minN={minN} />}
      <Link href={explore('csat', step.touchpoint)} className="journey-link" data-testid="explore-link">
        {t('journey.explore', { step: name })}
      </Link>
    </article>
  );
}

/** One score of a step: value, a bar with its interval, n, and whether n is enough to rank it. */
function Score({ metric, group, minN }: { metric: 'csat' | 'ces' | 'nps'; group: MetricGroup | null; minN: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const unit = metric === 'nps' ? 'nps' : 'percent';
  const label = t(`journey.score.${metric}` as MessageKey);
  if (!group || group.value === null) {
    return (
      <div className="journey-score journey-score-none" data-testid={`${metric}`}>
        <span className="journey-score-label">{label}</span> <span className="muted">{t('journey.notAsked')}</span>
      </div>
    );
  }
  // The bar's scale: 0–100 for percentages, −100–100 for NPS.
  const position = (v: number) => (metric === 'nps' ? (v + 100) / 2 : v);
  const ci = group.ci;
  return (
    <div className="journey-score" data-testid={metric}>
      <span className="journey-score-label">{label}</span>{' '}
      <span className="journey-value" data-testid="value">{formatValue(i18n, unit, group.value)}</span>
      <div className="journey-bar" aria-hidden="true">
        <span className="journey-bar-fill" style={{ inlineSize: `${position(group.value)}%` }} />
        {ci && <span className="journey-bar-ci" style={{ insetInlineStart: `${position(ci[0])}%`, inlineSize: `${Math.max(0.5, position(ci[1]) - position(ci[0]))}%` }} />}
      </div>
      <span className="journey-n">
        <span data-testid="n">{t('n.count', { n: group.n })}</span>
        {group.n < minN && metric !== 'nps' ? <span className="journey-few"> · {t('journey.tooFew')}</span> : null}
      </span>
      <span className="journey-sr">{formatInterval(i18n, unit, ci)}</span>
    </div>
  );
}

function tableColumns(i18n: I18n, weakest: string | undefined): Array<Column<Step>> {
  const { t } = i18n;
  const value = (metric: 'csat' | 'ces' | 'nps') => (s: Step) => formatValue(i18n, metric === 'nps' ? 'nps' : 'percent', s[metric]?.value ?? null);
  const interval = (metric: 'csat' | 'ces' | 'nps') => (s: Step) => {
    const ci = s[metric]?.ci;
    const unit = metric === 'nps' ? 'nps' : 'percent';
    return ci ? t('support.limits', { low: formatValue(i18n, unit, ci[0]), high: formatValue(i18n, unit, ci[1]) }) : '–';
  };
  return [
    { header: t('journey.column.step'), cell: (s) => touchpointName(i18n, s.touchpoint), value: (s) => s.touchpoint },
    { header: t('journey.column.weakest'), cell: (s) => (s.touchpoint === weakest ? t('journey.weakest.badge') : ''), value: (s) => (s.touchpoint === weakest ? 'weakest' : '') },
    { header: t('journey.column.csat'), cell: value('csat'), value: (s) => s.csat?.value, numeric: true },
    { header: t('journey.column.csatCi'), cell: interval('csat'), value: (s) => (s.csat?.ci ? s.csat.ci.join(' – ') : null) },
    { header: t('journey.column.csatN'), cell: (s) => i18n.number(s.csat?.n ?? 0), value: (s) => s.csat?.n ?? 0, numeric: true },
    { header: t('journey.column.ces'), cell: value('ces'), value: (s) => s.ces?.value, numeric: true },
    { header: t('journey.column.cesCi'), cell: interval('ces'), value: (s) => (s.ces?.ci ? s.ces.ci.join(' – ') : null) },
    { header: t('journey.column.cesN'), cell: (s) => i18n.number(s.ces?.n ?? 0), value: (s) => s.ces?.n ?? 0, numeric: true },
    { header: t('journey.column.nps'), cell: value('nps'), value: (s) => s.nps?.value, numeric: true },
    { header: t('journey.column.npsN'), cell: (s) => i18n.number(s.nps?.n ?? 0), value: (s) => s.nps?.n ?? 0, numeric: true },
  ];
}
