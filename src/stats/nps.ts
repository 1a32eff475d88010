import { zCritical } from './distributions.ts';
import { assertCount, clamp, DEFAULT_LEVEL, type Histogram, type Interval, normaliseHistogram } from './types.ts';

/** Answer counts of a 0–10 "how likely are you to recommend" question. */
export interface NpsCounts {
  /** answers 9–10 */
  readonly promoters: number;
  /** answers 7–8 */
  readonly passives: number;
  /** answers 0–6 */
  readonly detractors: number;
}

export interface NpsEstimate extends NpsCounts {
  readonly n: number;
  /**
   * The Net Promoter Score (P − D)/n as a proportion in [−1, 1] (the metric layer shows it ×100
   * on the −100..100 scale); null when n = 0. This is the unadjusted score people expect to see.
   */
  readonly nps: number | null;
  /** Rocks' adjusted point estimate NPS' = p̃ − d̃, the centre of the interval; null when n = 0. */
  readonly adjusted: number | null;
  /** Adjusted-Wald standard error of NPS'; null when n = 0. */
  readonly se: number | null;
  /** Adjusted-Wald interval, clipped to [−1, 1]; null when n = 0. */
  readonly ci: Interval | null;
  readonly level: number;
}

/**
 * Net Promoter Score with the adjusted-Wald interval of Rocks (2016).
 *
 *   n = P + A + D (promoters, passives, detractors)
 *   NPS = (P − D)/n                                  (reported score)
 *   n' = n + 3,  p̃ = (P + 3/4)/n',  d̃ = (D + 3/4)/n'   (3/4 pseudo-promoter, 3/4 pseudo-detractor,
 *                                                     3/2 pseudo-passive)
 *   NPS' = p̃ − d̃,  SE = √((p̃ + d̃ − (p̃ − d̃)²)/n')
 *   CI = NPS' ± z·SE, clipped to [−1, 1]
 *
 * Reference: B. Rocks (2016), "Interval Estimation for the 'Net Promoter Score'", The American
 * Statistician 70(4):365–372 (the trinomial analogue of the Agresti–Coull "add z²/2" interval).
 *
 * All on the proportion scale [−1, 1]; the metric layer multiplies by 100. Thanks to the pseudo
 * counts the interval never has zero width, even when every answer is a promoter. n = 0 gives
 * nulls.
 *
 * The interval is centred on NPS', which the pseudo counts pull towards 0, so for tiny samples
 * with a single kind of answer it need not contain the reported NPS: at 95% this happens only
 * for n = 1 (one promoter: NPS = 1, interval [−0.485, 0.985]); at 90% for up to 4 answers all of
 * one kind (reference-values.py counts the cases). This is the published method, as documented
 * in docs/metrics.md; the interval always contains NPS'.
 */
export function npsInterval(counts: NpsCounts, level: number = DEFAULT_LEVEL): NpsEstimate {
  const { promoters, passives, detractors } = counts;
  const n = npsTotal(counts);
  const z = zCritical(level);
  if (n === 0) {
    return { promoters, passives, detractors, n, nps: null, adjusted: null, se: null, ci: null, level };
  }
  const { adjusted, variance } = npsAdjustedMoments(counts);
  const se = Math.sqrt(variance);
  const ci: Interval = [clamp(adjusted - z * se, -1, 1), clamp(adjusted + z * se, -1, 1)];
  return { promoters, passives, detractors, n, nps: (promoters - detractors) / n, adjusted, se, ci, level };
}

/**
 * Rocks' adjusted estimate NPS' and its variance
 *   Var' = (p̃ + d̃ − (p̃ − d̃)²)/n',  n' = n + 3, p̃ = (P + 3/4)/n', d̃ = (D + 3/4)/n'.
 * Defined for every n ≥ 0 (with n = 0 it is the prior alone); always > 0.
 */
export function npsAdjustedMoments(counts: NpsCounts): { adjusted: number; variance: number } {
  const n = npsTotal(counts);
  const nAdj = n + 3;
  const p = (counts.promoters + 0.75) / nAdj;
  const d = (counts.detractors + 0.75) / nAdj;
  const adjusted = p - d;
  // p + d − (p − d)² ≥ p + d − (p + d)² = (p + d)(1 − p − d) > 0 since 0 < p + d < 1.
  const variance = Math.max(0, p + d - adjusted * adjusted) / nAdj;
  return { adjusted, variance };
}

/**
 * Plain multinomial variance of the unadjusted NPS: (p + d − (p − d)²)/n with p = P/n, d = D/n;
 * null when n = 0. Zero when all answers fall in one category. Exported for reporting and tests;
 * the period comparison uses the adjusted variance (see compareNps).
 */
export function npsPlainVariance(counts: NpsCounts): number | null {
  const n = npsTotal(counts);
  if (n === 0) return null;
  const p = counts.promoters / n;
  const d = counts.detractors / n;
  return Math.max(0, p + d - (p - d) * (p - d)) / n;
}

/**
 * Counts promoters (9–10), passives (7–8) and detractors (0–6) in a histogram of 0–10 answers.
 * Throws RangeError for a value that is not an integer from 0 to 10.
 */
export function npsCountsFromHistogram(histogram: Histogram): NpsCounts {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const { value, count } of normaliseHistogram(histogram)) {
    if (!Number.isInteger(value) || value < 0 || value > 10) {
      throw new RangeError(`an NPS answer must be an integer from 0 to 10, got ${value}`);
    }
    if (value >= 9) promoters += count;
    else if (value >= 7) passives += count;
    else detractors += count;
  }
  return { promoters, passives, detractors };
}

/** Validates the counts and returns n = P + A + D. */
export function npsTotal(counts: NpsCounts): number {
  assertCount(counts.promoters, 'promoters');
  assertCount(counts.passives, 'passives');
  assertCount(counts.detractors, 'detractors');
  const n = counts.promoters + counts.passives + counts.detractors;
  assertCount(n, 'n');
  return n;
}
