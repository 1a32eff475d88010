/**
 * Sada's statistics library: the pure functions behind every number the product shows. No I/O,
 * no framework: the metric engine computes sufficient statistics in SQL (counts, histograms,
 * sums) and passes them here.
 *
 * Conventions (see types.ts): proportions in [0, 1] and NPS in [−1, 1] (the metric layer ×100);
 * `level` defaults to 0.95; empty data gives null estimates, never NaN and never an exception.
 */
export type { Bin, Histogram, Interval } from './types.ts';
export { DEFAULT_LEVEL } from './types.ts';
export {
  binomialCdf,
  binomialQuantile,
  chiSquareSurvival,
  normalCdf,
  normalQuantile,
  tCdf,
  tCritical,
  tQuantile,
  twoSidedNormalP,
  twoSidedTP,
  zCritical,
} from './distributions.ts';
export { type ProportionEstimate, wilsonInterval } from './proportion.ts';
export {
  type NpsCounts,
  type NpsEstimate,
  npsAdjustedMoments,
  npsCountsFromHistogram,
  npsInterval,
  npsPlainVariance,
} from './nps.ts';
export { type MeanEstimate, type MeanSums, meanFromHistogram, meanFromSums, meanFromValues } from './mean.ts';
export {
  type QuantileEstimate,
  medianFromHistogram,
  medianFromSorted,
  quantileFromHistogram,
  quantilesFromHistogram,
  quantileFromSorted,
  quantileRank,
} from './median.ts';
export {
  type Comparison,
  type MeanComparison,
  type MeanSummary,
  type ProportionCounts,
  compareMeans,
  compareNps,
  compareProportions,
  SMALL_SAMPLE,
} from './compare.ts';
export {
  type ChiSquareWarning,
  type FunnelPlot,
  type FunnelPoint,
  type FunnelPosition,
  type FunnelUnit,
  type HomogeneityTest,
  type KruskalWallisTest,
  type KruskalWallisWarning,
  chiSquareHomogeneity,
  funnelLimits,
  funnelPlot,
  kruskalWallis,
} from './consistency.ts';
