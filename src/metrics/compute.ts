import { meanFromHistogram, meanFromSums } from '../stats/mean.ts';
import { npsInterval, type NpsCounts } from '../stats/nps.ts';
import { wilsonInterval } from '../stats/proportion.ts';
import { quantilesFromHistogram, type QuantileEstimate } from '../stats/median.ts';
import { compareMeans, compareNps, compareProportions, type Comparison } from '../stats/compare.ts';
import type { MetricName } from './definitions.ts';
import type { Period } from './dimensions.ts';
import { previousLabel } from './periods.ts';
import { npsClass, scorePercent } from './scoring.ts';

/**
 * From sufficient statistics to what a person reads: value, n, confidence interval and the
 * metric's own details. Pure: the SQL that produces the statistics is in storage/metrics.
 * Proportions are shown in percent and NPS on −100..100 (src/stats works in [0,1] / [−1,1]).
 */

type Interval = [number, number];

export interface Change {
  /** The period compared with. */
  from: string;
  /** value − previous value, in the metric's unit. */
  delta: number;
  ci: Interval | null;
  pValue: number | null;
  significant: boolean;
  /** Either period has fewer than 30 answers: too few to tell. */
  smallSample: boolean;
  /** Set when the change compares another statistic than the value (durations: the mean, tested by Welch). */
  of?: 'mean';
}

export interface MetricGroup {
  key: Record<string, string | null>;
  value: number | null;
  n: number;
  ci: Interval | null;
  change?: Change;
  /** What the change test needs; not part of the JSON people read. */
  [detail: string]: unknown;
}

const pct = (x: number | null) => (x === null ? null : x * 100);
const pctInterval = (ci: readonly [number, number] | null): Interval | null => (ci ? [ci[0] * 100, ci[1] * 100] : null);

interface ScoreCell {
  scaleMin: number;
  scaleMax: number;
  score: number;
  n: number;
}

/**
 * NPS from score histograms: answers on 0–10 count, and on 1–10 (seed 003 asks "on a scale of
 * 1 to 10"; its answers classify the same way). Other scales are reported as excluded.
 */
export function computeNps(cells: ScoreCell[]) {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  let excluded = 0;
  for (const cell of cells) {
    if ((cell.scaleMin !== 0 && cell.scaleMin !== 1) || cell.scaleMax !== 10) {
      excluded += cell.n;
      continue;
    }
    const kind = npsClass(cell.score);
    if (kind === 'promoter') promoters += cell.n;
    else if (kind === 'passive') passives += cell.n;
    else detractors += cell.n;
  }
  const counts: NpsCounts = { promoters, passives, detractors };
  const estimate = npsInterval(counts);
  const n = estimate.n;
  return {
    value: pct(estimate.nps),
    n,
    ci: pctInterval(estimate.ci),
    promoters,
    passives,
    detractors,
    promoters_pct: n > 0 ? (promoters / n) * 100 : null,
    passives_pct: n > 0 ? (passives / n) * 100 : null,
    detractors_pct: n > 0 ? (detractors / n) * 100 : null,
    ...(excluded > 0 ? { excluded_not_0_to_10: excluded } : {}),
    _compare: { kind: 'nps' as const, counts },
  };
}

/** Share of answers `counts` accepts (CSAT, ESAT satisfied; CES easy), and the mean score. */
export function computeTopBox(cells: ScoreCell[], counts: (score: number, min: number, max: number) => boolean) {
  let x = 0;
  let n = 0;
  const scales = new Set<string>();
  const native: [number, number][] = [];
  const percent: [number, number][] = [];
  for (const cell of cells) {
    n += cell.n;
    if (counts(cell.score, cell.scaleMin, cell.scaleMax)) x += cell.n;
    scales.add(`${cell.scaleMin}-${cell.scaleMax}`);
    native.push([cell.score, cell.n]);
    percent.push([scorePercent(cell.score, cell.scaleMin, cell.scaleMax), cell.n]);
  }
  const share = wilsonInterval(x, n);
  // A mean on the answers' own scale is only meaningful when they share one scale.
  const mean = scales.size === 1 ? meanFromHistogram(native) : undefined;
  const meanPct = meanFromHistogram(percent);
  return {
    value: pct(share.estimate),
    n,
    ci: pctInterval(share.ci),
    positive: x,
    scale: scales.size === 1 ? [...scales][0] : [...scales].sort(),
    mean: mean?.mean ?? null,
    mean_ci: mean?.ci ? [mean.ci[0], mean.ci[1]] : null,
    mean_pct: meanPct.mean,
    _compare: { kind: 'proportion' as const, x, n },
  };
}

export function computeRate(stats: { x: number; n: number }) {
  const share = wilsonInterval(stats.x, stats.n);
  return { value: pct(share.estimate), n: stats.n, ci: pctInterval(share.ci), count: stats.x, _compare: { kind: 'proportion' as const, ...stats } };
}

interface DurationStats {
  n: number;
  sum: number;
  sumSquares: number;
  histogram: Map<number, number>;
}

/** Durations in seconds: median (the value) with its distribution-free interval, mean and p90. */
export function computeDuration(stats: DurationStats, headline: 'median' | 'mean') {
  const [median, p90] = quantilesFromHistogram(stats.histogram, [0.5, 0.9]) as [QuantileEstimate, QuantileEstimate];
  const mean = meanFromSums({ n: stats.n, sum: stats.sum, sumSquares: stats.sumSquares });
  const medianCi = median.ci ? ([median.ci[0], median.ci[1]] as Interval) : null;
  const meanCi = mean.ci ? ([mean.ci[0], mean.ci[1]] as Interval) : null;
  return {
    value: headline === 'median' ? median.estimate : mean.mean,
    n: stats.n,
    ci: headline === 'median' ? medianCi : meanCi,
    median: median.estimate,
    median_ci: medianCi,
    mean: mean.mean,
    mean_ci: meanCi,
    p90: p90.estimate,
    p90_ci: p90.ci ? ([p90.ci[0], p90.ci[1]] as Interval) : null,
    _compare: { kind: 'mean' as const, sums: { n: stats.n, sum: stats.sum, sumSquares: stats.sumSquares } },
  };
}

/** A mean with its t-interval (cost per resolution). */
export function computeMean(stats: { n: number; sum: number; sumSquares: number; missing: number }) {
  const mean = meanFromSums(stats);
  return {
    value: mean.mean,
    n: stats.n,
    ci: mean.ci ? ([mean.ci[0], mean.ci[1]] as Interval) : null,
    total: stats.sum,
    ...(stats.missing > 0 ? { without_cost: stats.missing } : {}),
    _compare: { kind: 'mean' as const, sums: stats },
  };
}

/**
 * Counts with each group's share of its parent: its period for volume (or the whole range),
 * the other keys for intent. The share has a Wilson interval.
 */
export function computeShares<T extends { key: Record<string, string | null>; n: number }>(rows: T[], shareOf: { name: string } | string | undefined) {
  const shareKey = typeof shareOf === 'string' ? shareOf : undefined;
  const periodKey = typeof shareOf === 'object' ? shareOf.name : undefined;
  const parentOf = (key: Record<string, string | null>) => {
    if (periodKey) return String(key[periodKey]);
    if (shareKey) return JSON.stringify(Object.entries(key).filter(([name]) => name !== shareKey));
    return '';
  };
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(parentOf(row.key), (totals.get(parentOf(row.key)) ?? 0) + row.n);
  return rows.map(({ key, n, ...rest }) => {
    const total = totals.get(parentOf(key)) ?? 0;
    const share = wilsonInterval(n, total);
    const isCount = !shareKey;
    return {
      ...rest,
      key,
      value: isCount ? n : pct(share.estimate),
      n: isCount ? n : total,
      ci: isCount ? null : pctInterval(share.ci),
      count: n,
      share: pct(share.estimate),
      share_ci: pctInterval(share.ci),
      _compare: { kind: 'proportion' as const, x: n, n: total },
    };
  });
}

export function computeLifecycle(stats: { atStart: number; atEnd: number; churned: number; newCustomers: number }, metric: 'churn' | 'retention') {
  const retained = Math.max(0, stats.atEnd - stats.newCustomers);
  const x = metric === 'churn' ? stats.churned : Math.min(retained, stats.atStart);
  const share = wilsonInterval(x, stats.atStart);
  return {
    value: pct(share.estimate),
    n: stats.atStart,
    ci: pctInterval(share.ci),
    customers_at_start: stats.atStart,
    customers_at_end: stats.atEnd,
    churned: stats.churned,
    new_customers: stats.newCustomers,
    _compare: { kind: 'proportion' as const, x, n: stats.atStart },
  };
}

/** Metrics whose value is a median: their change is tested on the mean (Welch), and says so. */
const MEDIAN_HEADLINE: ReadonlySet<MetricName> = new Set(['frt', 'frt_business', 'resolution_time', 'first_resolution_time']);

type CompareInput =
  | { kind: 'nps'; counts: NpsCounts }
  | { kind: 'proportion'; x: number; n: number }
  | { kind: 'mean'; sums: { n: number; sum: number; sumSquares: number } };

function compare(previous: CompareInput, current: CompareInput): Comparison | undefined {
  if (previous.kind === 'nps' && current.kind === 'nps') return compareNps(previous.counts, current.counts);
  if (previous.kind === 'proportion' && current.kind === 'proportion') return compareProportions(previous, current);
  if (previous.kind === 'mean' && current.kind === 'mean') return compareMeans(meanFromSums(previous.sums), meanFromSums(current.sums));
  return undefined;
}

/**
 * The change from `previous` to `current` (two groups of the same metric, each still carrying
 * its comparison inputs), tested for significance (NPS: z-test; proportions: Newcombe; means:
 * Welch), in the metric's unit. Undefined when the metric has no test (volume) or either side
 * is empty. withChanges uses it period by period; the annotations' before/after windows too.
 */
export function changeBetween(previous: MetricGroup, current: MetricGroup, metric: MetricName): Omit<Change, 'from'> | undefined {
  const kind = (current._compare as CompareInput | undefined)?.kind;
  const scale = metric === 'volume' || !kind ? undefined : kind !== 'mean' ? 100 : 1;
  if (scale === undefined || !previous._compare) return undefined;
  const result = compare(previous._compare as CompareInput, current._compare as CompareInput);
  if (!result || result.delta === null) return undefined;
  return {
    delta: result.delta * scale,
    ci: result.ci ? [result.ci[0] * scale, result.ci[1] * scale] : null,
    pValue: result.pValue,
    significant: result.significant,
    smallSample: result.smallSample,
    ...(MEDIAN_HEADLINE.has(metric) ? { of: 'mean' as const } : {}),
  };
}

/** Adds to each group the change from the previous period with the same other keys (changeBetween). */
export function withChanges(groups: MetricGroup[], periodName: string, period: Period, metric: MetricName): MetricGroup[] {
  const index = new Map(groups.map((g) => [JSON.stringify(g.key), g]));
  return groups.map((group) => {
    const label = group.key[periodName];
    const before = label ? previousLabel(label, period) : undefined;
    const previous = before ? index.get(JSON.stringify({ ...group.key, [periodName]: before })) : undefined;
    const change = previous ? changeBetween(previous, group, metric) : undefined;
    return change ? { ...group, change: { from: before!, ...change } } : group;
  });
}

/** The groups as people read them: internal comparison inputs removed. */
export function publicGroups(groups: MetricGroup[]): MetricGroup[] {
  return groups.map(({ _compare, ...rest }) => rest as MetricGroup);
}
