import { zCritical } from './distributions.ts';
import { assertCount, DEFAULT_LEVEL, type Interval } from './types.ts';

export interface ProportionEstimate {
  /** successes */
  readonly x: number;
  /** trials */
  readonly n: number;
  /** x / n, or null when n = 0 */
  readonly estimate: number | null;
  /** Wilson score interval, or null when n = 0 */
  readonly ci: Interval | null;
  readonly level: number;
}

/**
 * Wilson score interval for a binomial proportion (x successes of n).
 *
 *   p̂ = x/n,  z = Φ⁻¹(1 − α/2)
 *   bounds = (x + z²/2 ± z·√(x(n − x)/n + z²/4)) / (n + z²)
 *
 * Reference: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
 * inference", JASA 22:209–212; method 3 in R. G. Newcombe (1998), "Two-sided confidence intervals
 * for the single proportion: comparison of seven methods", Stat. Med. 17:857–872.
 *
 * Unlike the Wald interval it never collapses: for x = 0 it is [0, z²/(n + z²)], for x = n it is
 * [n/(n + z²), 1]. Numerics: for x ≤ n/2 the upper bound is a sum of positive terms and the lower
 * bound comes from the product of the two roots, lo·hi = x²/(n(n + z²)), instead of a
 * subtraction; for x > n/2 the interval is the mirror image 1 − (interval of the n − x failures).
 * Both bounds therefore keep full relative precision for rare events (1 in 10⁶ and beyond), and
 * the interval is mirror-symmetric in x ↔ n − x. n = 0 gives estimate and ci null.
 */
export function wilsonInterval(x: number, n: number, level: number = DEFAULT_LEVEL): ProportionEstimate {
  assertCount(x, 'x');
  assertCount(n, 'n');
  if (x > n) throw new RangeError(`x (${x}) must not exceed n (${n})`);
  const z = zCritical(level);
  if (n === 0) return { x, n, estimate: null, ci: null, level };
  const estimate = x / n;
  let lo: number;
  let hi: number;
  if (2 * x <= n) {
    [lo, hi] = wilsonMinority(x, n, z);
  } else {
    const [failLo, failHi] = wilsonMinority(n - x, n, z);
    [lo, hi] = [1 - failHi, 1 - failLo];
  }
  // The min/max only guard the last bit of rounding; mathematically lo ≤ x/n ≤ hi.
  return { x, n, estimate, ci: [Math.min(lo, estimate), Math.max(hi, estimate)], level };
}

/** Wilson bounds for x of n with x ≤ n/2 (n > 0), computed without cancellation. */
function wilsonMinority(x: number, n: number, z: number): [number, number] {
  const z2 = z * z;
  const hi = (x + z2 / 2 + z * Math.sqrt((x * (n - x)) / n + z2 / 4)) / (n + z2);
  const lo = x === 0 ? 0 : (x * x) / (n * (n + z2) * hi);
  return [lo, hi];
}
