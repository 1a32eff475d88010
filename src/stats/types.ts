/**
 * Shared types and input checks of the statistics library.
 *
 * Conventions for all of src/stats:
 *  - Proportions are in [0, 1] and NPS in [−1, 1]; the metric layer multiplies by 100 for display
 *    (percent, or NPS on −100..100). Nothing in src/stats works in percent.
 *  - Every function takes a confidence `level` defaulting to 0.95.
 *  - Empty or too-small data never throws: estimates that cannot be computed are `null`, never
 *    NaN or ±Infinity. Invalid *arguments* (negative counts, x > n, level outside (0, 1),
 *    non-finite values) are programming errors and throw RangeError.
 */

/** A closed interval [lo, hi], lo ≤ hi. */
export type Interval = readonly [lo: number, hi: number];

/**
 * A histogram of observed values: pairs of (value, count). A `Map<number, number>` works as is,
 * and so does an array of pairs, e.g. the rows of `SELECT score, count(*) … GROUP BY score`.
 * Values may repeat (their counts are added) and come in any order; zero counts are ignored.
 */
export type Histogram = Iterable<readonly [value: number, count: number]>;

/** One histogram bin after normalisation. */
export interface Bin {
  readonly value: number;
  readonly count: number;
}

export const DEFAULT_LEVEL = 0.95;

/** Throws RangeError unless `value` is a non-negative safe integer. */
export function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws RangeError unless `value` is a finite number. */
export function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${value}`);
  }
}

/**
 * Validates a histogram and returns its non-empty bins sorted by value, repeated values merged.
 * Counts must be non-negative integers and values finite.
 */
export function normaliseHistogram(histogram: Histogram): Bin[] {
  // Histograms read from the rollups usually arrive sorted with distinct values: then one pass.
  const bins: Bin[] = [];
  let sorted = true;
  for (const [value, count] of histogram) {
    assertFinite(value, 'histogram value');
    assertCount(count, 'histogram count');
    if (count === 0) continue;
    if (bins.length > 0 && !(value > bins[bins.length - 1]!.value)) sorted = false;
    bins.push({ value: value === 0 ? 0 : value, count });
  }
  return sorted ? bins : mergeAndSort(bins);
}

/** Bins in any order, a value possibly repeated: summed per value, ascending. */
function mergeAndSort(bins: readonly Bin[]): Bin[] {
  const merged = new Map<number, number>();
  for (const { value, count } of bins) merged.set(value, (merged.get(value) ?? 0) + count);
  return [...merged.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => a.value - b.value);
}

/** Clamps x into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
