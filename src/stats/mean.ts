import { tCritical, assertLevel } from './distributions.ts';
import { assertCount, assertFinite, DEFAULT_LEVEL, type Histogram, type Interval, normaliseHistogram } from './types.ts';

/**
 * Sufficient statistics of a sample as SQL computes them:
 * `count(x)`, `sum(x - k)`, `sum((x - k)^2)` for a constant shift k (default 0).
 *
 * Pass a shift close to the mean (a scale midpoint, yesterday's mean, the first value) whenever
 * |mean| is large compared with the spread — e.g. timestamps or durations in milliseconds —
 * because Σx² − (Σx)²/n then cancels catastrophically; with shifted sums the same formula is the
 * corrected two-pass algorithm and keeps its precision.
 */
export interface MeanSums {
  readonly n: number;
  /** Σ (x − shift) */
  readonly sum: number;
  /** Σ (x − shift)² */
  readonly sumSquares: number;
  /** the constant subtracted from every x before summing; 0 when absent */
  readonly shift?: number;
}

export interface MeanEstimate {
  readonly n: number;
  /** sample mean; null when n = 0 */
  readonly mean: number | null;
  /** sample variance s² with divisor n − 1; null when n < 2 */
  readonly variance: number | null;
  /** sample standard deviation s; null when n < 2 */
  readonly sd: number | null;
  /** standard error s/√n; null when n < 2 */
  readonly se: number | null;
  /** degrees of freedom n − 1 of the t-interval; null when n < 2 */
  readonly df: number | null;
  /**
   * t-interval mean ± t(1 − α/2; n − 1)·s/√n; null when n < 2. Zero width ([mean, mean]) when all
   * values are equal, which is what the formula gives; the metric layer may flag it.
   */
  readonly ci: Interval | null;
  readonly level: number;
}

/**
 * Mean and t-interval from sufficient statistics (n, Σ(x − k), Σ(x − k)²).
 *
 *   x̄ = k + S₁/n
 *   M₂ = S₂ − S₁·(S₁/n)          (= Σ(x − x̄)²; clamped at 0 when rounding makes it negative)
 *   s² = M₂/(n − 1),  SE = s/√n
 *   CI = x̄ ± t(1 − α/2; n − 1)·SE
 *
 * With k equal to a provisional mean this is the corrected two-pass formula
 * Σ(x − k)² − (Σ(x − k))²/n of Chan, Golub & LeVeque (1983), "Algorithms for computing the sample
 * variance: analysis and recommendations", The American Statistician 37(3):242–247. The
 * t-interval is Student (1908). n = 0 gives nulls; n = 1 gives the mean only.
 */
export function meanFromSums(sums: MeanSums, level: number = DEFAULT_LEVEL): MeanEstimate {
  const { n, sum, sumSquares } = sums;
  const shift = sums.shift ?? 0;
  assertCount(n, 'n');
  assertFinite(sum, 'sum');
  assertFinite(sumSquares, 'sumSquares');
  assertFinite(shift, 'shift');
  if (sumSquares < 0) throw new RangeError(`sumSquares must not be negative, got ${sumSquares}`);
  assertLevel(level);
  if (n === 0) return empty(level);
  const centred = sum / n;
  const m2 = Math.max(0, sumSquares - sum * centred);
  return fromMoments(n, shift + centred, m2, level);
}

/**
 * Mean and t-interval from a histogram of values (value → count), e.g. 1–5 CSAT scores.
 * Same estimate as expanding the histogram into values: x̄ = Σ cᵥ·v / N, computed by the corrected
 * two-pass algorithm (Chan, Golub & LeVeque 1983):
 *   m₀ = Σ cᵥ·v / N,  e = Σ cᵥ(v − m₀),  x̄ = m₀ + e/N,  M₂ = Σ cᵥ(v − m₀)² − e²/N.
 * Empty histogram gives nulls.
 */
export function meanFromHistogram(histogram: Histogram, level: number = DEFAULT_LEVEL): MeanEstimate {
  const bins = normaliseHistogram(histogram);
  assertLevel(level);
  let n = 0;
  let total = 0;
  for (const { value, count } of bins) {
    n += count;
    total += count * value;
  }
  if (n === 0) return empty(level);
  const m0 = total / n;
  let e = 0;
  let squares = 0;
  for (const { value, count } of bins) {
    const d = value - m0;
    e += count * d;
    squares += count * d * d;
  }
  return fromMoments(n, m0 + e / n, Math.max(0, squares - (e * e) / n), level);
}

/** Mean and t-interval from raw values, by the same corrected two-pass algorithm. */
export function meanFromValues(values: readonly number[], level: number = DEFAULT_LEVEL): MeanEstimate {
  assertLevel(level);
  const n = values.length;
  if (n === 0) return empty(level);
  let total = 0;
  for (const v of values) {
    assertFinite(v, 'value');
    total += v;
  }
  const m0 = total / n;
  let e = 0;
  let squares = 0;
  for (const v of values) {
    const d = v - m0;
    e += d;
    squares += d * d;
  }
  return fromMoments(n, m0 + e / n, Math.max(0, squares - (e * e) / n), level);
}

function fromMoments(n: number, mean: number, m2: number, level: number): MeanEstimate {
  if (n < 2) return { n, mean, variance: null, sd: null, se: null, df: null, ci: null, level };
  const df = n - 1;
  const variance = m2 / df;
  const sd = Math.sqrt(variance);
  const se = sd / Math.sqrt(n);
  const half = tCritical(level, df) * se;
  return { n, mean, variance, sd, se, df, ci: [mean - half, mean + half], level };
}

function empty(level: number): MeanEstimate {
  return { n: 0, mean: null, variance: null, sd: null, se: null, df: null, ci: null, level };
}
