/**
 * Probability distributions behind every interval and p-value in src/stats.
 *
 * Library choice: the modular stdlib-js packages (`@stdlib/stats-base-dists-*` and
 * `@stdlib/math-base-special-gammainc`, Apache-2.0), pinned exactly in package.json.
 *  - Each is a small pure-JavaScript package with its own TypeScript declarations, no install
 *    script and no native build (`gypfile: false`), so `npm ci` runs nothing.
 *  - The algorithms are ports of Boost / Cephes (inverse error function, regularized incomplete
 *    beta and gamma functions) and are tested upstream against R / Julia / SciPy fixtures,
 *    including the far tails that p-values need.
 *  - We take only the functions we use; jstat (the other maintained candidate, one package)
 *    ships no type declarations and puts every distribution behind one mutable global object.
 * The cost is a wide but shallow tree of tiny stdlib packages (≈240, ≈28 MB unpacked), all from
 * the same project.
 *
 * Nothing else in src/stats imports stdlib: swapping the library means editing this file only.
 * Every function here is total on its documented domain and returns NaN only for arguments
 * outside it (callers in src/stats never pass such arguments).
 */
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf';
import binomialQuantileImpl from '@stdlib/stats-base-dists-binomial-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';
import gammaincImpl from '@stdlib/math-base-special-gammainc';

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p), p ∈ (0, 1). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** Student t CDF with `df` > 0 degrees of freedom (df need not be an integer). */
export function tCdf(x: number, df: number): number {
  return tCdfImpl(x, df);
}

/** Student t quantile with `df` > 0 degrees of freedom (df need not be an integer). */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/**
 * χ² upper tail P(X ≥ x) for df > 0 degrees of freedom: the regularized upper incomplete gamma
 * function Q(df/2, x/2). Computed directly (not as 1 − CDF) so that small p-values keep their
 * relative precision. x ≤ 0 gives 1.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaincImpl(x / 2, df / 2, true, true);
}

/** Binomial CDF P(B ≤ k) for B ~ Bin(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  return binomialCdfImpl(k, n, p);
}

/** Binomial quantile: the smallest k with P(B ≤ k) ≥ r, for B ~ Bin(n, p). */
export function binomialQuantile(r: number, n: number, p: number): number {
  return binomialQuantileImpl(r, n, p);
}

/**
 * Two-sided critical value z = Φ⁻¹(1 − (1 − level)/2), e.g. 1.959964 for level 0.95.
 * Throws RangeError unless 0 < level < 1 (a programming error, never a data condition).
 */
export function zCritical(level: number): number {
  assertLevel(level);
  return normalQuantile(1 - (1 - level) / 2);
}

/** Two-sided critical value of Student's t with df degrees of freedom. */
export function tCritical(level: number, df: number): number {
  assertLevel(level);
  return tQuantile(1 - (1 - level) / 2, df);
}

/** Two-sided p-value of a standard normal statistic: 2·Φ(−|z|). */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Two-sided p-value of a Student t statistic: 2·F_t(−|t|; df). */
export function twoSidedTP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Throws RangeError unless level is a number strictly between 0 and 1. */
export function assertLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`confidence level must be strictly between 0 and 1, got ${level}`);
  }
}
