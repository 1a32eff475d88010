/**
 * The gap between a workspace's own score and a benchmark (docs/metrics.md#gap-to-a-benchmark):
 *
 *     gap = own − benchmark          (in the metric's unit: NPS points, percentage points, seconds…)
 *
 * Its 95% interval carries the own score's interval, shifted by the benchmark, and — when the
 * source gives one — the benchmark's own 95% margin of error, combined side by side as
 * independent errors (root of the sum of squares):
 *
 *     low  = gap − √((own − ownLow)² + margin²)
 *     high = gap + √((ownHigh − own)² + margin²)
 *
 * With no margin the benchmark is taken as exact and the interval is [ownLow − b, ownHigh − b]
 * (asymmetric intervals, e.g. Wilson's, keep their shape). A benchmark's n alone is shown, never
 * turned into a margin: that needs the source's spread, which only the source knows.
 * Pure: no I/O, imported by the server and the dashboard alike.
 */

/**
 * Metrics no single published figure stands against: cohort tables, shares by intent, the agents'
 * funnel, raw counts. Every other metric can have benchmarks.
 */
export const NOT_BENCHMARKED: readonly string[] = ['cohorts', 'intent', 'consistency', 'volume'];

export type GapInterval = [number, number];

export interface GapInput {
  /** The own score and its 95% interval (null: no interval, e.g. a count). */
  own: { value: number | null; ci: GapInterval | null };
  /** The benchmark's value and, if the source gives it, its 95% margin of error (half-width). */
  benchmark: { value: number; margin?: number | null };
}

export interface Gap {
  /** own − benchmark. */
  gap: number;
  /** The 95% interval of the gap; null when the own score has none. */
  ci: GapInterval | null;
  /**
   * above / below: the interval lies wholly above / below zero; unclear: it holds zero (the data
   * cannot tell the two apart); unknown: no interval to judge by.
   */
  verdict: 'above' | 'below' | 'unclear' | 'unknown';
}

/** The gap to one benchmark; null when there is no own score to compare. */
export function benchmarkGap({ own, benchmark }: GapInput): Gap | null {
  if (own.value === null || !Number.isFinite(own.value) || !Number.isFinite(benchmark.value)) return null;
  const gap = own.value - benchmark.value;
  if (!own.ci) return { gap, ci: null, verdict: 'unknown' };
  const margin = benchmark.margin ?? 0;
  if (!Number.isFinite(margin) || margin < 0) throw new RangeError(`a margin of error is a non-negative number, not ${margin}`);
  const below = Math.max(0, own.value - own.ci[0]);
  const above = Math.max(0, own.ci[1] - own.value);
  const ci: GapInterval = margin === 0 ? [own.ci[0] - benchmark.value, own.ci[1] - benchmark.value] : [gap - Math.hypot(below, margin), gap + Math.hypot(above, margin)];
  const verdict = ci[0] > 0 ? 'above' : ci[1] < 0 ? 'below' : 'unclear';
  return { gap, ci, verdict };
}
