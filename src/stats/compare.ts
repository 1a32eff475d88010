import { assertLevel, tCritical, twoSidedNormalP, twoSidedTP, zCritical } from './distributions.ts';
import { npsAdjustedMoments, type NpsCounts, npsTotal } from './nps.ts';
import { wilsonInterval } from './proportion.ts';
import { assertCount, assertFinite, clamp, DEFAULT_LEVEL, type Interval } from './types.ts';

/**
 * The change from a `before` period to an `after` period. Every comparison reports
 * delta = after − before, so swapping the periods negates delta, mirrors the interval
 * ([lo, hi] → [−hi, −lo]) and leaves the p-value unchanged.
 */
export interface Comparison {
  /** after − before (unadjusted estimates); null when either period is empty / too small */
  readonly delta: number | null;
  /** interval for the true difference; null when it cannot be estimated */
  readonly ci: Interval | null;
  /** two-sided p-value of "no difference"; null when it cannot be computed */
  readonly pValue: number | null;
  /** pValue < 1 − level; false whenever pValue is null */
  readonly significant: boolean;
  /** n₁ < 30 or n₂ < 30: the normal / t approximations may be rough; the UI says so */
  readonly smallSample: boolean;
  /** the z or t statistic; null with pValue */
  readonly statistic: number | null;
  /** standard error of the difference used by the statistic and interval; null with ci */
  readonly se: number | null;
  readonly level: number;
}

/** Welch comparison, which also reports the Welch–Satterthwaite degrees of freedom. */
export interface MeanComparison extends Comparison {
  readonly df: number | null;
}

/** x successes out of n trials in one period. */
export interface ProportionCounts {
  readonly x: number;
  readonly n: number;
}

/** What Welch's test needs of each period (a MeanEstimate from mean.ts fits as is). */
export interface MeanSummary {
  readonly n: number;
  readonly mean: number | null;
  /** sample variance with divisor n − 1 */
  readonly variance: number | null;
}

export const SMALL_SAMPLE = 30;

/**
 * Difference between two NPS (after − before), as a z-test on the proportion scale [−2, 2].
 *
 *   Δ = NPS₂ − NPS₁                       (unadjusted scores, the numbers shown to people)
 *   SE = √(Var′₁ + Var′₂),  Var′ = (p̃ + d̃ − (p̃ − d̃)²)/(n + 3)   (Rocks' adjusted-Wald variance,
 *                                          p̃ = (P + 3/4)/(n + 3), d̃ = (D + 3/4)/(n + 3))
 *   z = Δ/SE,  p = 2·Φ(−|z|),  CI = Δ ± z₁₋α/₂·SE clipped to [−2, 2]
 *
 * Variance choice (documented convention): each period's variance is the adjusted-Wald one of
 * Rocks (2016) — the same as in that period's own interval — rather than the plain multinomial
 * (p + d − (p − d)²)/n, because the plain one is 0 whenever a period has a single kind of answer
 * (e.g. 12 promoters of 12) and the test would then call any change infinitely significant. For
 * large n the two agree. The interval is centred on the unadjusted Δ, so it always contains the
 * delta shown, and p < α exactly when 0 lies outside the (unclipped) interval. Independent
 * samples are assumed (different respondents in the two periods).
 *
 * References: B. Rocks (2016), The American Statistician 70(4):365–372 (variance of the NPS as a
 * difference of two multinomial proportions, and its adjusted-Wald form).
 */
export function compareNps(before: NpsCounts, after: NpsCounts, level: number = DEFAULT_LEVEL): Comparison {
  const n1 = npsTotal(before);
  const n2 = npsTotal(after);
  assertLevel(level);
  const smallSample = n1 < SMALL_SAMPLE || n2 < SMALL_SAMPLE;
  if (n1 === 0 || n2 === 0) return unavailable(level, smallSample);
  const delta = (after.promoters - after.detractors) / n2 - (before.promoters - before.detractors) / n1;
  const se = Math.sqrt(npsAdjustedMoments(before).variance + npsAdjustedMoments(after).variance);
  const half = zCritical(level) * se;
  const statistic = delta / se;
  const pValue = twoSidedNormalP(statistic);
  return {
    delta,
    ci: [clamp(delta - half, -2, 2), clamp(delta + half, -2, 2)],
    pValue,
    significant: pValue < 1 - level,
    smallSample,
    statistic,
    se,
    level,
  };
}

/**
 * Difference between two proportions (after − before): Newcombe's hybrid score interval with a
 * pooled two-proportion z-test.
 *
 *   p₁ = x₁/n₁, p₂ = x₂/n₂, Δ = p₂ − p₁; (lᵢ, uᵢ) = Wilson interval of period i at the same level
 *   CI = [Δ − √((p₂ − l₂)² + (u₁ − p₁)²),  Δ + √((u₂ − p₂)² + (p₁ − l₁)²)]
 *   p̄ = (x₁ + x₂)/(n₁ + n₂),  z = Δ / √(p̄(1 − p̄)(1/n₁ + 1/n₂)),  p = 2·Φ(−|z|)
 *
 * When p̄ is 0 or 1 both periods are identical (all successes or all failures): z = 0, p = 1,
 * while the interval still has positive width. The score interval and the z-test are different
 * approximations and can, at the very edge of significance, disagree about whether 0 is
 * excluded; `significant` follows the p-value. No continuity correction (R's
 * `prop.test(..., correct = FALSE)` gives the same p-value).
 *
 * References: R. G. Newcombe (1998), "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Stat. Med. 17:873–890, method 10.
 */
export function compareProportions(
  before: ProportionCounts,
  after: ProportionCounts,
  level: number = DEFAULT_LEVEL,
): Comparison {
  const w1 = wilsonInterval(before.x, before.n, level);
  const w2 = wilsonInterval(after.x, after.n, level);
  const smallSample = before.n < SMALL_SAMPLE || after.n < SMALL_SAMPLE;
  if (w1.estimate === null || w1.ci === null || w2.estimate === null || w2.ci === null) {
    return unavailable(level, smallSample);
  }
  const p1 = w1.estimate;
  const p2 = w2.estimate;
  const [l1, u1] = w1.ci;
  const [l2, u2] = w2.ci;
  const delta = p2 - p1;
  const lo = delta - rootSumSquares(p2 - l2, u1 - p1);
  const hi = delta + rootSumSquares(u2 - p2, p1 - l1);
  const pooled = (before.x + after.x) / (before.n + after.n);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n));
  const statistic = se0 > 0 ? delta / se0 : 0;
  const pValue = twoSidedNormalP(statistic);
  return {
    delta,
    ci: [clamp(lo, -1, 1), clamp(hi, -1, 1)],
    pValue,
    significant: pValue < 1 - level,
    smallSample,
    statistic,
    se: se0,
    level,
  };
}

/**
 * Difference between two means (after − before): Welch's unequal-variance t-test.
 *
 *   Δ = x̄₂ − x̄₁,  vᵢ = sᵢ²/nᵢ,  SE = √(v₁ + v₂)
 *   df = (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1))       (Welch–Satterthwaite)
 *   t = Δ/SE,  p = 2·F_t(−|t|; df),  CI = Δ ± t(1 − α/2; df)·SE
 *
 * Needs n ≥ 2 in both periods (otherwise everything is null). When both periods have zero
 * variance (every value equal within each period) SE = 0 and the test is undefined: delta is
 * reported, ci / pValue / statistic / df are null and significant is false. Same numbers as R's
 * `t.test(after, before)` (var.equal = FALSE, the default).
 *
 * References: B. L. Welch (1947), "The generalization of 'Student's' problem when several
 * different population variances are involved", Biometrika 34:28–35; F. E. Satterthwaite (1946),
 * Biometrics Bulletin 2:110–114.
 */
export function compareMeans(before: MeanSummary, after: MeanSummary, level: number = DEFAULT_LEVEL): MeanComparison {
  assertLevel(level);
  for (const [name, summary] of [
    ['before', before],
    ['after', after],
  ] as const) {
    assertCount(summary.n, `${name}.n`);
    if (summary.mean !== null) assertFinite(summary.mean, `${name}.mean`);
    if (summary.variance !== null) {
      assertFinite(summary.variance, `${name}.variance`);
      if (summary.variance < 0) throw new RangeError(`${name}.variance must not be negative`);
    }
  }
  const smallSample = before.n < SMALL_SAMPLE || after.n < SMALL_SAMPLE;
  if (
    before.n < 2 ||
    after.n < 2 ||
    before.mean === null ||
    after.mean === null ||
    before.variance === null ||
    after.variance === null
  ) {
    return { ...unavailable(level, smallSample), df: null };
  }
  const delta = after.mean - before.mean;
  const v1 = before.variance / before.n;
  const v2 = after.variance / after.n;
  const se = Math.sqrt(v1 + v2);
  // se = 0 (or so close to it that Δ/se overflows): the t statistic is undefined.
  if (!(se > 0) || !Number.isFinite(delta / se)) {
    return { delta, ci: null, pValue: null, significant: false, smallSample, statistic: null, se: null, df: null, level };
  }
  // (v₁ + v₂)²/(v₁²/(n₁ − 1) + v₂²/(n₂ − 1)) with the shares wᵢ = vᵢ/(v₁ + v₂), which cannot
  // underflow: df = 1/(w₁²/(n₁ − 1) + w₂²/(n₂ − 1)), between min(nᵢ) − 1 and n₁ + n₂ − 2.
  const w1 = v1 / (v1 + v2);
  const w2 = v2 / (v1 + v2);
  const df = 1 / ((w1 * w1) / (before.n - 1) + (w2 * w2) / (after.n - 1));
  const statistic = delta / se;
  const pValue = twoSidedTP(statistic, df);
  const half = tCritical(level, df) * se;
  return {
    delta,
    ci: [delta - half, delta + half],
    pValue,
    significant: pValue < 1 - level,
    smallSample,
    statistic,
    se,
    df,
    level,
  };
}

/** √(a² + b²), written out (not Math.hypot) so that it is exactly symmetric in a and b. */
function rootSumSquares(a: number, b: number): number {
  return Math.sqrt(a * a + b * b);
}

function unavailable(level: number, smallSample: boolean): Comparison {
  return { delta: null, ci: null, pValue: null, significant: false, smallSample, statistic: null, se: null, level };
}
