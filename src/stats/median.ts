import { assertLevel, binomialCdf, binomialQuantile } from './distributions.ts';
import { assertFinite, DEFAULT_LEVEL, type Histogram, type Interval, normaliseHistogram } from './types.ts';

export interface QuantileEstimate {
  readonly n: number;
  /** the requested probability, e.g. 0.5 for the median, 0.9 for p90 */
  readonly p: number;
  /** the type 1 sample quantile x₍ₖ₎ (always an observed value); null when n = 0 */
  readonly estimate: number | null;
  /** its 1-based rank k = max(1, ⌈n·p⌉); null when n = 0 */
  readonly rank: number | null;
  /**
   * Distribution-free interval [x₍ₗ₎, x₍ᵤ₎]; null when n = 0, when p is 0 or 1, or when n is too
   * small for any pair of order statistics to reach the level (e.g. a 95% median interval needs
   * n ≥ 6).
   */
  readonly ci: Interval | null;
  /** the 1-based ranks (l, u) of the interval's order statistics; null with ci */
  readonly ciRanks: readonly [l: number, u: number] | null;
  /**
   * The interval's exact coverage for continuous data, P(l ≤ B ≤ u − 1) with B ~ Bin(n, p);
   * ≥ level, and higher still with ties. Null with ci.
   */
  readonly coverage: number | null;
  readonly level: number;
}

/**
 * Sample quantile and its distribution-free confidence interval from order statistics.
 *
 * Quantile definition — Hyndman & Fan (1996) type 1, the inverse of the empirical CDF, also
 * called "nearest rank": Q(p) = x₍ₖ₎ with k = max(1, ⌈n·p⌉) (R's `quantile(x, p, type = 1)`).
 * It is always an observed value (a median CSAT of 4, never 4.5) and is itself an order statistic,
 * which is what the interval below is built from. Ranks within a few ulps of an integer count as
 * that integer (as R does), so p = 0.7 with n = 10 gives k = 7 despite 0.7·10 = 7.000000000000001.
 *
 * Interval — with B ~ Bin(n, p) the number of observations below the true quantile ξₚ,
 *   P(x₍ₗ₎ ≤ ξₚ < x₍ᵤ₎) = P(l ≤ B ≤ u − 1) for continuous data. Equal tails:
 *   l = qbinom(α/2; n, p),  u = qbinom(1 − α/2; n, p) + 1   (qbinom(r) = smallest j, P(B ≤ j) ≥ r)
 *   so P(B ≤ l − 1) < α/2 and P(B ≥ u) ≤ α/2, coverage ≥ 1 − α. The interval is conservative
 *   (coverage only grows with ties, as in score histograms) and always satisfies l ≤ k ≤ u, so it
 *   contains the type 1 estimate. If l < 1 or u > n the level is out of reach and ci is null.
 *
 * References: R. J. Hyndman & Y. Fan (1996), "Sample quantiles in statistical packages",
 * The American Statistician 50(4):361–365; W. J. Conover (1999), Practical Nonparametric
 * Statistics, 3rd ed., §3.2; G. J. Hahn & W. Q. Meeker (1991), Statistical Intervals, §5.2.
 */
export function quantileFromSorted(sorted: readonly number[], p: number, level: number = DEFAULT_LEVEL): QuantileEstimate {
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    assertFinite(v, 'value');
    if (i > 0 && v < (sorted[i - 1] as number)) throw new RangeError('values must be sorted in ascending order');
  }
  return orderStatisticQuantile(sorted.length, (rank) => sorted[rank - 1] as number, p, level);
}

/** The same quantile and interval from a histogram (value → count) of observations. */
export function quantileFromHistogram(histogram: Histogram, p: number, level: number = DEFAULT_LEVEL): QuantileEstimate {
  return quantilesFromHistogram(histogram, [p], level)[0]!;
}

/** Several quantiles of one histogram, which is sorted once for all of them. */
export function quantilesFromHistogram(histogram: Histogram, ps: readonly number[], level: number = DEFAULT_LEVEL): QuantileEstimate[] {
  const bins = normaliseHistogram(histogram);
  // cumulative[i] = number of observations ≤ bins[i].value
  const cumulative: number[] = [];
  let n = 0;
  for (const { count } of bins) {
    n += count;
    cumulative.push(n);
  }
  const valueAtRank = (rank: number): number => {
    // Smallest i with cumulative[i] ≥ rank.
    let lo = 0;
    let hi = bins.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) >= rank) hi = mid;
      else lo = mid + 1;
    }
    return (bins[lo] as { value: number }).value;
  };
  return ps.map((p) => orderStatisticQuantile(n, valueAtRank, p, level));
}

/** Median (type 1, lower median for even n) with its order-statistic interval. */
export function medianFromSorted(sorted: readonly number[], level: number = DEFAULT_LEVEL): QuantileEstimate {
  return quantileFromSorted(sorted, 0.5, level);
}

/** Median (type 1, lower median for even n) with its order-statistic interval, from a histogram. */
export function medianFromHistogram(histogram: Histogram, level: number = DEFAULT_LEVEL): QuantileEstimate {
  return quantileFromHistogram(histogram, 0.5, level);
}

/**
 * The type 1 rank k = max(1, ⌈n·p⌉), with n·p within 4 ulps of an integer taken as that integer
 * (the fuzz R uses in quantile()). 0 when n = 0.
 */
export function quantileRank(n: number, p: number): number {
  if (n === 0) return 0;
  const np = n * p;
  const fuzz = 4 * Number.EPSILON * Math.max(1, np);
  const j = Math.floor(np + fuzz);
  const k = np > j + fuzz ? j + 1 : j;
  return Math.min(n, Math.max(1, k));
}

function orderStatisticQuantile(
  n: number,
  valueAtRank: (rank: number) => number,
  p: number,
  level: number,
): QuantileEstimate {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
  assertLevel(level);
  const none = { ci: null, ciRanks: null, coverage: null, level } as const;
  if (n === 0) return { n, p, estimate: null, rank: null, ...none };
  const rank = quantileRank(n, p);
  const estimate = valueAtRank(rank);
  if (p === 0 || p === 1) return { n, p, estimate, rank, ...none };
  const alpha = 1 - level;
  const l = binomialQuantile(alpha / 2, n, p);
  const u = binomialQuantile(1 - alpha / 2, n, p) + 1;
  if (!(l >= 1 && u <= n)) return { n, p, estimate, rank, ...none };
  const coverage = binomialCdf(u - 1, n, p) - binomialCdf(l - 1, n, p);
  return {
    n,
    p,
    estimate,
    rank,
    ci: [valueAtRank(l), valueAtRank(u)],
    ciRanks: [l, u],
    coverage,
    level,
  };
}
