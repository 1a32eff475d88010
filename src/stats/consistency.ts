import { assertLevel, chiSquareSurvival, zCritical } from './distributions.ts';
import { assertCount, assertFinite, clamp, DEFAULT_LEVEL, type Interval } from './types.ts';

/** One agent (or team, queue, channel…): x successes out of n, e.g. resolved-first-contact. */
export interface FunnelUnit<Id = string> {
  readonly id: Id;
  readonly x: number;
  readonly n: number;
}

/** Where a unit's rate lies relative to the funnel limits. */
export type FunnelPosition = 'above-outer' | 'above-inner' | 'within' | 'below-inner' | 'below-outer';

export interface FunnelPoint<Id = string> extends FunnelUnit<Id> {
  /** x / n; null when n = 0 */
  readonly rate: number | null;
  /** limits at the inner level (default 95%, "warning"); null when n = 0 or nothing is pooled */
  readonly inner: Interval | null;
  /** limits at the outer level (default 99.8%, "alarm"); null when n = 0 or nothing is pooled */
  readonly outer: Interval | null;
  /**
   * 'above-outer' / 'below-outer': outside the outer limits; 'above-inner' / 'below-inner':
   * outside the inner limits only; 'within': inside or on the inner limits. Null when n = 0.
   */
  readonly position: FunnelPosition | null;
}

export interface FunnelPlot<Id = string> {
  /** the pooled rate p̄ = Σx / Σn; null when Σn = 0 */
  readonly pooled: number | null;
  readonly totalX: number;
  readonly totalN: number;
  readonly level: number;
  readonly outerLevel: number;
  readonly units: readonly FunnelPoint<Id>[];
}

/**
 * Funnel plot of units' proportions around the pooled rate, with normal-approximation control
 * limits that narrow as a unit's volume grows:
 *
 *   p̄ = Σxᵢ / Σnᵢ,   limits(nᵢ) = p̄ ± z·√(p̄(1 − p̄)/nᵢ) clipped to [0, 1]
 *
 * at the inner level (default 0.95, z = 1.96, "warning") and the outer level (default 0.998,
 * z = 3.09, "alarm"). A unit is flagged above / below when its rate is strictly outside a limit.
 * When p̄ is 0 or 1 the limits collapse onto p̄ and every unit equals it, so none is flagged.
 * No overdispersion adjustment is made: with many large units, expect more flags than the
 * nominal 5% / 0.2%.
 *
 * Reference: D. J. Spiegelhalter (2005), "Funnel plots for comparing institutional
 * performance", Stat. Med. 24:1185–1202.
 */
export function funnelPlot<Id>(
  units: readonly FunnelUnit<Id>[],
  level: number = DEFAULT_LEVEL,
  outerLevel: number = 0.998,
): FunnelPlot<Id> {
  assertLevel(level);
  assertLevel(outerLevel);
  let totalX = 0;
  let totalN = 0;
  for (const unit of units) {
    checkUnit(unit.x, unit.n);
    totalX += unit.x;
    totalN += unit.n;
  }
  const pooled = totalN > 0 ? totalX / totalN : null;
  const points = units.map((unit): FunnelPoint<Id> => {
    if (unit.n === 0) return { ...unit, rate: null, inner: null, outer: null, position: null };
    const rate = unit.x / unit.n;
    // pooled is not null here: this unit alone makes totalN > 0.
    const inner = funnelLimits(pooled as number, unit.n, level);
    const outer = funnelLimits(pooled as number, unit.n, outerLevel);
    return { ...unit, rate, inner, outer, position: funnelPosition(rate, inner, outer) };
  });
  return { pooled, totalX, totalN, level, outerLevel, units: points };
}

/**
 * The funnel limits p̄ ± z·√(p̄(1 − p̄)/n) clipped to [0, 1], for drawing the funnel curves; null
 * when n = 0. (n may be any positive number here, for smooth curves.)
 */
export function funnelLimits(pooled: number, n: number, level: number = DEFAULT_LEVEL): Interval | null {
  if (!(pooled >= 0 && pooled <= 1)) throw new RangeError(`pooled rate must be in [0, 1], got ${pooled}`);
  assertFinite(n, 'n');
  if (n < 0) throw new RangeError(`n must not be negative, got ${n}`);
  if (n === 0) return null;
  const half = zCritical(level) * Math.sqrt((pooled * (1 - pooled)) / n);
  return [clamp(pooled - half, 0, 1), clamp(pooled + half, 0, 1)];
}

function funnelPosition(rate: number, inner: Interval | null, outer: Interval | null): FunnelPosition {
  if (outer && rate > outer[1]) return 'above-outer';
  if (outer && rate < outer[0]) return 'below-outer';
  if (inner && rate > inner[1]) return 'above-inner';
  if (inner && rate < inner[0]) return 'below-inner';
  return 'within';
}

export type ChiSquareWarning =
  /** some expected count is below 5: the χ² approximation may be poor (R's chisq.test warns too) */
  | 'low-expected-count'
  /** fewer than two units with n > 0: nothing to compare */
  | 'fewer-than-two-groups'
  /** every answer is a success, or every answer a failure: the rates cannot differ */
  | 'no-variation';

export interface HomogeneityTest {
  /** Pearson's X²; null when the test is undefined (see warnings) */
  readonly statistic: number | null;
  /** (2 − 1)(k − 1) = k − 1 over the k units with n > 0; 0 when fewer than two */
  readonly df: number;
  /** upper χ² tail of the statistic; null with the statistic */
  readonly pValue: number | null;
  /** pValue < 1 − level */
  readonly significant: boolean;
  /** number of units with n > 0 (units with n = 0 are left out of the table) */
  readonly groups: number;
  /** smallest expected cell count; null when no unit has n > 0 */
  readonly minExpected: number | null;
  /** number of cells with expected count < 5 */
  readonly cellsBelowFive: number;
  readonly warnings: readonly ChiSquareWarning[];
  readonly level: number;
}

/**
 * Pearson χ² test of homogeneity of k proportions (a 2 × k table of successes and failures):
 *
 *   p̄ = Σxᵢ/Σnᵢ,  E(success)ᵢ = nᵢp̄,  E(failure)ᵢ = nᵢ(1 − p̄)
 *   X² = Σᵢ [(xᵢ − nᵢp̄)²/(nᵢp̄) + ((nᵢ − xᵢ) − nᵢ(1 − p̄))²/(nᵢ(1 − p̄))]
 *      = Σᵢ (xᵢ − nᵢp̄)² / (nᵢp̄(1 − p̄))
 *   df = k − 1,  p = P(χ²_df ≥ X²)
 *
 * Same as R's `chisq.test(rbind(x, n - x), correct = FALSE)` (R only applies Yates' correction
 * to 2 × 2 tables, and we never do). Units with n = 0 are dropped (their column would be
 * empty). Warns when an expected count is below 5 (Cochran 1954); the test is undefined, with
 * null statistic, when fewer than two units remain or p̄ is 0 or 1.
 *
 * Reference: K. Pearson (1900); W. G. Cochran (1954), "Some methods for strengthening the common
 * χ² tests", Biometrics 10:417–451; A. Agresti (2013), Categorical Data Analysis, §3.2.
 */
export function chiSquareHomogeneity(
  units: readonly { readonly x: number; readonly n: number }[],
  level: number = DEFAULT_LEVEL,
): HomogeneityTest {
  assertLevel(level);
  for (const unit of units) checkUnit(unit.x, unit.n);
  const used = units.filter((unit) => unit.n > 0);
  const k = used.length;
  const totalX = used.reduce((s, u) => s + u.x, 0);
  const totalN = used.reduce((s, u) => s + u.n, 0);
  const warnings: ChiSquareWarning[] = [];
  let minExpected: number | null = null;
  let cellsBelowFive = 0;
  if (totalN > 0) {
    const pooled = totalX / totalN;
    for (const { n } of used) {
      for (const expected of [n * pooled, n * (1 - pooled)]) {
        if (minExpected === null || expected < minExpected) minExpected = expected;
        if (expected < 5) cellsBelowFive++;
      }
    }
  }
  if (cellsBelowFive > 0) warnings.push('low-expected-count');
  if (k < 2) warnings.push('fewer-than-two-groups');
  if (totalN > 0 && (totalX === 0 || totalX === totalN)) warnings.push('no-variation');
  const df = Math.max(0, k - 1);
  if (k < 2 || totalX === 0 || totalX === totalN) {
    return { statistic: null, df, pValue: null, significant: false, groups: k, minExpected, cellsBelowFive, warnings, level };
  }
  const pooled = totalX / totalN;
  let statistic = 0;
  for (const { x, n } of used) {
    const d = x - n * pooled;
    statistic += (d * d) / (n * pooled * (1 - pooled));
  }
  const pValue = chiSquareSurvival(statistic, df);
  return {
    statistic,
    df,
    pValue,
    significant: pValue < 1 - level,
    groups: k,
    minExpected,
    cellsBelowFive,
    warnings,
    level,
  };
}

export type KruskalWallisWarning =
  /** fewer than two non-empty groups */
  | 'fewer-than-two-groups'
  /** every observation has the same value: ranks carry no information */
  | 'all-values-tied'
  /** some group has fewer than 5 observations: the χ² approximation of H is rough */
  | 'small-groups';

export interface KruskalWallisTest {
  /** the tie-corrected H; null when undefined (see warnings) */
  readonly statistic: number | null;
  /** k − 1 over the k non-empty groups; 0 when fewer than two */
  readonly df: number;
  /** upper χ² tail of H with df degrees of freedom; null with the statistic */
  readonly pValue: number | null;
  readonly significant: boolean;
  /** total number of observations N */
  readonly n: number;
  /** number of non-empty groups k (empty groups are left out) */
  readonly groups: number;
  /** mean rank of each input group, in input order; null for an empty group */
  readonly meanRanks: readonly (number | null)[];
  /** tie correction C = 1 − Σ(t³ − t)/(N³ − N); null when N < 2 */
  readonly tieCorrection: number | null;
  readonly warnings: readonly KruskalWallisWarning[];
  readonly level: number;
}

/**
 * Kruskal–Wallis H test that k groups (e.g. handling times per agent) come from the same
 * distribution, with the correction for ties.
 *
 *   rⱼ = mid-rank of observation j among all N (ties share the mean of their ranks)
 *   Rᵢ = rank sum of group i,  R̄ = (N + 1)/2
 *   H = [12/(N(N + 1)) · Σ Rᵢ²/nᵢ − 3(N + 1)] / C,  C = 1 − Σ(t³ − t)/(N³ − N)
 *   df = k − 1,  p = P(χ²_df ≥ H)
 *
 * Computed in the algebraically identical, cancellation-free form
 *   H = (N − 1) · Σ nᵢ(Rᵢ/nᵢ − R̄)² / Σⱼ (rⱼ − R̄)²
 * whose denominator already equals C·(N³ − N)/12. Same numbers as R's `kruskal.test`. Empty
 * groups are dropped; with fewer than two groups left, or all values tied, H is null.
 *
 * Reference: W. H. Kruskal & W. A. Wallis (1952), "Use of ranks in one-criterion variance
 * analysis", JASA 47:583–621; tie correction as in Conover (1999), Practical Nonparametric
 * Statistics, §5.2.
 */
export function kruskalWallis(groups: readonly (readonly number[])[], level: number = DEFAULT_LEVEL): KruskalWallisTest {
  assertLevel(level);
  const observations: { value: number; group: number }[] = [];
  groups.forEach((values, group) => {
    for (const value of values) {
      assertFinite(value, 'value');
      observations.push({ value, group });
    }
  });
  const n = observations.length;
  observations.sort((a, b) => a.value - b.value);
  const rankSums = groups.map(() => 0);
  let tieTerm = 0; // Σ (t³ − t), for reporting C
  let spread = 0; // Σ (rⱼ − R̄)²
  const meanRank = (n + 1) / 2;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && (observations[end] as { value: number }).value === (observations[start] as { value: number }).value) end++;
    const t = end - start;
    const rank = (start + 1 + end) / 2; // mean of ranks start + 1 … end
    for (let j = start; j < end; j++) {
      const group = (observations[j] as { group: number }).group;
      rankSums[group] = (rankSums[group] as number) + rank;
    }
    spread += t * (rank - meanRank) * (rank - meanRank);
    tieTerm += t * t * t - t;
    start = end;
  }
  const sizes = groups.map((values) => values.length);
  const meanRanks = sizes.map((size, i) => (size > 0 ? (rankSums[i] as number) / size : null));
  const k = sizes.filter((size) => size > 0).length;
  const df = Math.max(0, k - 1);
  const tieCorrection = n >= 2 ? 1 - tieTerm / (n * n * n - n) : null;
  const warnings: KruskalWallisWarning[] = [];
  if (k < 2) warnings.push('fewer-than-two-groups');
  if (n >= 1 && spread === 0) warnings.push('all-values-tied');
  if (sizes.some((size) => size > 0 && size < 5)) warnings.push('small-groups');
  const base = { df, n, groups: k, meanRanks, tieCorrection, warnings, level };
  if (k < 2 || spread === 0) return { statistic: null, pValue: null, significant: false, ...base };
  let between = 0;
  sizes.forEach((size, i) => {
    if (size === 0) return;
    const d = (rankSums[i] as number) / size - meanRank;
    between += size * d * d;
  });
  const statistic = ((n - 1) * between) / spread;
  const pValue = chiSquareSurvival(statistic, df);
  return { statistic, pValue, significant: pValue < 1 - level, ...base };
}

function checkUnit(x: number, n: number): void {
  assertCount(x, 'x');
  assertCount(n, 'n');
  if (x > n) throw new RangeError(`x (${x}) must not exceed n (${n})`);
}
