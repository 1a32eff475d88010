import { Link } from 'wouter';
import { formatGapInterval, gapOf, gapVerdict, sourceHost } from '../benchmarks.ts';
import { formatDelta, formatInterval, formatPeriod, formatValue, toneOfChange } from '../format.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { metricDefinition } from '../metric-labels.ts';
import type { BenchmarkJson, OverviewCard, Period } from '../types.ts';
import { Sparkline } from './Sparkline.tsx';

/**
 * One KPI for one period: the value never without its n and interval, the change against the
 * period before with whether it is more than noise, and the trend that led there.
 */
/** Benchmarks a card shows the gap to, newest first; the Benchmarks page lists them all. */
const MAX_BENCHMARKS = 3;

export function KpiCard({ card, period, explore, onExplain, benchmarks = [] }: { card: OverviewCard; period: Period; explore: string; onExplain?: () => void; benchmarks?: BenchmarkJson[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const title = t(`metric.${card.metric}` as MessageKey);
  const current = card.current;
  const change = current?.change;
  const tone = change ? toneOfChange(card.metric, change.delta) : 'neutral';
  const verdict = !change
    ? null
    : change.smallSample
      ? t('change.tooFew')
      : change.significant
        ? t('change.significant', { p: i18n.number(change.pValue ?? 0, { maximumSignificantDigits: 2 }) })
        : t('change.notSignificant');
  return (
    <article className="kpi" data-testid={`kpi-${card.metric}`} aria-labelledby={`kpi-${card.metric}-title`}>
      <h3 id={`kpi-${card.metric}-title`} title={metricDefinition(i18n, card.metric, card.definition).text}>
        {title}
      </h3>
      {card.error ? (
        <p className="kpi-unavailable">{t('kpi.unavailable')}</p>
      ) : current && current.value !== null ? (
        <>
          <p className="kpi-value" data-testid="value">
            {formatValue(i18n, card.unit, current.value)}
          </p>
          <p className="kpi-sample">
            <span data-testid="n">{t('n.count', { n: current.n })}</span>
            <span aria-hidden="true"> · </span>
            <span data-testid="ci">{card.unit === 'count' && !current.ci ? t('ci.counted') : formatInterval(i18n, card.unit, current.ci)}</span>
          </p>
          {change && (
            <p className={`kpi-change tone-${change.significant && !change.smallSample ? tone : 'neutral'}`} data-testid="change">
              <span aria-hidden="true">{change.delta > 0 ? '▲' : change.delta < 0 ? '▼' : '■'} </span>
              {t('change.versus', { delta: formatDelta(i18n, card.unit, change.delta), period: formatPeriod(i18n, change.from, period) })}
              {change.of === 'mean' ? ` ${t('change.ofMean')}` : ''}
              <br />
              <span className="kpi-verdict">{verdict}</span>
            </p>
          )}
          {benchmarks.length > 0 && (
            <ul className="kpi-benchmarks" data-testid="kpi-benchmarks">
              {benchmarks.slice(0, MAX_BENCHMARKS).map((b) => {
                const gap = gapOf(current, b);
                if (!gap) return null;
                const tone = gap.verdict === 'above' || gap.verdict === 'below' ? toneOfChange(card.metric, gap.gap) : 'neutral';
                return (
                  <li key={b.id} className={`tone-${tone}`} data-testid="kpi-gap" title={b.sourceUrl}>
                    {t('kpi.gap', {
                      gap: formatDelta(i18n, card.unit, gap.gap),
                      label: `${b.label} (${sourceHost(b.sourceUrl)})`,
                      ci: formatGapInterval(i18n, card.unit, gap),
                      verdict: gapVerdict(i18n, gap),
                    })}
                  </li>
                );
              })}
            </ul>
          )}
          {change && card.explainable && onExplain && (
            <button type="button" className="link-button kpi-why" onClick={onExplain} data-testid="why">
              {t('kpi.why')}
            </button>
          )}
        </>
      ) : (
        <p className="kpi-empty" data-testid="value">
          {t('kpi.noData', { n: current?.n ?? 0 })}
        </p>
      )}
      <Sparkline points={card.trend} label={t('kpi.trend', { metric: title, count: card.trend.length })} />
      <Link href={explore} className="kpi-link">
        {t('kpi.explore', { metric: title })}
      </Link>
    </article>
  );
}
