import { meanFromValues } from '../stats/mean.ts';
import type { Interval } from '../stats/types.ts';

/**
 * Key drivers: which predictors (each touchpoint's score, each question of a survey) best
 * explain an outcome (a customer's NPS or CSAT answer). Pure: rows in, analysis out.
 *
 *  - OLS of the outcome on all predictors; R² is the share of the outcome's variance explained.
 *  - Relative importance by LMG (Lindeman, Merenda & Gold 1980; = the Shapley value of R²):
 *    each predictor's R² gain when it is added to a model, averaged over every order in which the
 *    predictors can be added. Computed exactly over the 2^p subsets, each subset's R² from the
 *    correlation matrix (R²(S) = r_yS' R_SS⁻¹ r_yS). The p importances add up to R² exactly.
 *  - Confidence intervals: percentile bootstrap (the rows resampled with replacement,
 *    `resamples` times, default 200, from a seeded generator so a result is reproducible).
 *  - Missing predictors: `listwise` (the default) — a row is analysed only when it has the
 *    outcome and every predictor; the others are counted in `excluded`. Or `mean` — a row needs
 *    only the outcome and one predictor, a missing predictor takes the mean of the rows that have
 *    it (once, before the bootstrap), so it adds nothing to that row's fit. Sparse touchpoint
 *    data (few customers meet every touchpoint) leaves listwise with too few rows; mean
 *    imputation keeps them, at the price of weighting a predictor by how many rows have it.
 *  - Performance: each predictor's mean over the rows that have it, with its t-interval.
 *  - Priority matrix: quadrants relative to the medians of importance and performance over the
 *    predictors; "fix_first" = importance at or above the median and performance below it.
 */

export interface DriverRow {
  outcome: number | null;
  /** Predictor values by predictor name; a missing name or null means "not answered". */
  predictors: Readonly<Record<string, number | null | undefined>>;
}

export type Quadrant = 'fix_first' | 'maintain' | 'monitor' | 'low_priority';

export interface Driver {
  name: string;
  /** LMG: the predictor's part of R² (the p parts add up to R²). */
  importance: number;
  importance_ci: Interval | null;
  /** importance / R²: the predictor's share of what the model explains (the shares add up to 1). */
  share: number | null;
  share_ci: Interval | null;
  /** Rank by importance, 1 = the largest. */
  rank: number;
  /** Standardized OLS coefficient in the full model (its sign says which way the predictor pushes). */
  beta: number;
  /** Correlation of the predictor with the outcome. */
  correlation: number;
  performance: number | null;
  performance_ci: Interval | null;
  /** Rows with this predictor (under `mean`, the others were imputed). */
  n: number;
  quadrant: Quadrant;
}

export interface KeyDriverAnalysis {
  missing: MissingPolicy;
  /** Rows analysed (listwise: outcome and every predictor present; mean: the outcome and at least one predictor). */
  n: number;
  /** Rows left out because the outcome or a predictor was missing. */
  excluded: number;
  r_squared: number | null;
  r_squared_ci: Interval | null;
  outcome_mean: number | null;
  outcome_ci: Interval | null;
  resamples: number;
  seed: number;
  /** Rows each bootstrap resample drew (n, or MAX_BOOTSTRAP_ROWS when n is larger: intervals rescaled by √(m/n)). */
  bootstrap_rows: number;
  /** Sorted by importance, largest first. */
  drivers: Driver[];
  /** The medians the priority matrix is split at. */
  importance_median: number | null;
  performance_median: number | null;
  warnings: KeyDriverWarning[];
}

export type KeyDriverWarning =
  | { code: 'small_n'; n: number; needed: number }
  | { code: 'too_few_rows'; n: number }
  | { code: 'many_excluded'; excluded: number; total: number }
  | { code: 'constant'; names: string[] }
  | { code: 'imputed'; share: number }
  | { code: 'weak_model'; r_squared: number }
  | { code: 'no_predictors' };

export type MissingPolicy = 'listwise' | 'mean';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['listwise', 'mean'];

export interface KeyDriverOptions {
  /** How a row missing a predictor is handled (default listwise). */
  missing?: MissingPolicy;
  /** Bootstrap resamples (default 200; 0 for no intervals). */
  resamples?: number;
  /** Seed of the bootstrap's generator (default 1). */
  seed?: number;
  level?: number;
  /** Above this many rows each resample draws this many and the intervals are rescaled (see below). */
  maxBootstrapRows?: number;
}

/** Exact LMG visits 2^p subsets; beyond this many predictors ask the caller to choose. */
export const MAX_PREDICTORS = 12;
/** A warning below max(MIN_N, N_PER_PREDICTOR × p) rows. */
export const MIN_N = 50;
export const N_PER_PREDICTOR = 10;
export const DEFAULT_RESAMPLES = 200;
/**
 * The bootstrap costs resamples × n × p² operations. Above this many rows each resample draws
 * m = 20,000 rows (an m-out-of-n bootstrap) and every interval is shrunk around the estimate by
 * √(m/n): R² and LMG are smooth functions of the means and covariances, so their sampling spread
 * falls as 1/√n, and the intervals stay honest while the work stays bounded (about a second).
 */
export const MAX_BOOTSTRAP_ROWS = 20_000;
/**
 * Below this R² the predictors explain almost nothing together: their shares of it are shares of
 * noise (and their bootstrap intervals, ratios over a near-zero R², may not even hold the estimate).
 */
export const WEAK_R_SQUARED = 0.05;

export class KeyDriverError extends Error {}

export function keyDrivers(rows: readonly DriverRow[], names: readonly string[], options: KeyDriverOptions = {}): KeyDriverAnalysis {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (names.length > MAX_PREDICTORS) throw new KeyDriverError(`at most ${MAX_PREDICTORS} predictors (relative importance looks at every subset of them); got ${names.length}`);
  const missing = options.missing ?? 'listwise';
  const warnings: KeyDriverWarning[] = [];
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const complete: number[][] = [];
  /** Each predictor's observed values (for performance): the analysed rows that have it. */
  const observed: number[][] = names.map(() => []);
  if (missing === 'listwise') {
    for (const row of rows) {
      const values = [row.outcome, ...names.map((name) => row.predictors[name])];
      if (values.every(isNumber)) complete.push(values);
    }
    names.forEach((_, j) => observed[j]!.push(...complete.map((r) => r[j + 1]!)));
  } else {
    const kept = rows.filter((row) => isNumber(row.outcome) && names.some((name) => isNumber(row.predictors[name])));
    names.forEach((name, j) => kept.forEach((row) => isNumber(row.predictors[name]) && observed[j]!.push(row.predictors[name] as number)));
    const means = observed.map((values) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length));
    let imputed = 0;
    for (const row of kept) {
      complete.push([row.outcome as number, ...names.map((name, j) => {
        const v = row.predictors[name];
        if (isNumber(v)) return v;
        imputed++;
        return means[j]!;
      })]);
    }
    if (imputed > 0) warnings.push({ code: 'imputed', share: imputed / (kept.length * names.length) });
  }
  const n = complete.length;
  const excluded = rows.length - n;
  if (names.length > 0 && rows.length > 0 && excluded > rows.length / 2) warnings.push({ code: 'many_excluded', excluded, total: rows.length });
  const outcome = meanFromValues(complete.map((r) => r[0]!), level);
  const m = Math.min(n, options.maxBootstrapRows ?? MAX_BOOTSTRAP_ROWS);
  const empty: KeyDriverAnalysis = {
    missing, n, excluded, r_squared: null, r_squared_ci: null, outcome_mean: outcome.mean, outcome_ci: outcome.ci, resamples, seed, bootstrap_rows: m,
    drivers: [], importance_median: null, performance_median: null, warnings,
  };
  if (names.length === 0) {
    warnings.push({ code: 'no_predictors' });
    return empty;
  }
  const p = names.length;
  if (n < p + 2) {
    warnings.push({ code: 'too_few_rows', n });
    return empty;
  }
  const needed = Math.max(MIN_N, N_PER_PREDICTOR * p);
  if (n < needed) warnings.push({ code: 'small_n', n, needed });
  const constant = names.filter((_, j) => observed[j]!.every((v) => v === observed[j]![0]));
  if (constant.length > 0) warnings.push({ code: 'constant', names: constant });

  const fit = lmgOf(correlationMatrix(complete));
  const rSquared = fit.rSquared;
  if (rSquared < WEAK_R_SQUARED) warnings.push({ code: 'weak_model', r_squared: rSquared });

  const boot: { r2: number[]; lmg: number[][]; share: number[][] } = { r2: [], lmg: names.map(() => []), share: names.map(() => []) };
  const random = mulberry32(seed);
  const sample: number[][] = new Array(m);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < m; i++) sample[i] = complete[Math.floor(random() * n)]!;
    const f = lmgOf(correlationMatrix(sample));
    boot.r2.push(f.rSquared);
    f.lmg.forEach((v, j) => {
      boot.lmg[j]!.push(v);
      if (f.rSquared > 0) boot.share[j]!.push(v / f.rSquared);
    });
  }
  const shrink = Math.sqrt(m / n);
  const interval = (values: number[], estimate: number | null = null): Interval | null => {
    if (values.length < 2) return null;
    const [lo, hi] = percentileInterval(values, level);
    if (m === n || estimate === null) return [lo, hi];
    return [Math.max(0, estimate + shrink * (lo - estimate)), Math.min(1, estimate + shrink * (hi - estimate))];
  };

  const drivers = names.map((name, j) => {
    const performance = meanFromValues(observed[j]!, level);
    return {
      name,
      importance: fit.lmg[j]!,
      importance_ci: interval(boot.lmg[j]!, fit.lmg[j]!),
      share: rSquared > 0 ? fit.lmg[j]! / rSquared : null,
      share_ci: interval(boot.share[j]!, rSquared > 0 ? fit.lmg[j]! / rSquared : null),
      rank: 0,
      beta: fit.beta[j]!,
      correlation: fit.correlations[j]!,
      performance: performance.mean,
      performance_ci: performance.ci,
      n: observed[j]!.length,
      quadrant: 'low_priority' as Quadrant,
    };
  });
  drivers.sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
  drivers.forEach((d, i) => (d.rank = i + 1));
  const importanceMedian = median(drivers.map((d) => d.importance));
  const performanceMedian = median(drivers.flatMap((d) => (d.performance === null ? [] : [d.performance])));
  for (const d of drivers) d.quadrant = quadrantOf(d.importance, d.performance ?? performanceMedian, importanceMedian, performanceMedian);
  return {
    ...empty,
    r_squared: rSquared,
    r_squared_ci: interval(boot.r2, rSquared),
    drivers,
    importance_median: importanceMedian,
    performance_median: performanceMedian,
  };
}

/** High importance = at or above the median; low performance = below the median. */
export function quadrantOf(importance: number, performance: number, importanceMedian: number, performanceMedian: number): Quadrant {
  const important = importance >= importanceMedian;
  const weak = performance < performanceMedian;
  if (important) return weak ? 'fix_first' : 'maintain';
  return weak ? 'low_priority' : 'monitor';
}

/**
 * The correlation matrix of the columns (column 0 the outcome). A column without variance gets
 * correlation 0 with every other column, so it explains nothing instead of poisoning the algebra.
 */
export function correlationMatrix(rows: readonly (readonly number[])[]): number[][] {
  const k = rows[0]?.length ?? 0;
  const n = rows.length;
  const means = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) means[j]! += r[j]! / n;
  const cov = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const r of rows) {
    for (let i = 0; i < k; i++) {
      const di = r[i]! - means[i]!;
      for (let j = 0; j <= i; j++) cov[i]![j]! += di * (r[j]! - means[j]!);
    }
  }
  const sd = cov.map((row, i) => Math.sqrt(row[i]!));
  const scale = Math.max(1, ...means.map(Math.abs));
  const corr = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    corr[i]![i] = 1;
    for (let j = 0; j < i; j++) {
      const constant = sd[i]! <= 1e-12 * scale * Math.sqrt(n) || sd[j]! <= 1e-12 * scale * Math.sqrt(n);
      const c = constant ? 0 : Math.max(-1, Math.min(1, cov[i]![j]! / (sd[i]! * sd[j]!)));
      corr[i]![j] = c;
      corr[j]![i] = c;
    }
  }
  return corr;
}

/**
 * R² of the outcome (index 0) on the predictors in `subset` (indices 1…p), from the correlation
 * matrix: ‖L⁻¹ r‖² with L the Cholesky factor of R_SS. A predictor that is (numerically) a
 * combination of those before it adds nothing and is skipped, which gives the R² of the
 * projection on their span, as a pseudo-inverse would.
 */
export function rSquaredOf(corr: readonly (readonly number[])[], subset: readonly number[]): number {
  const m = subset.length;
  const L: number[][] = [];
  const z: number[] = [];
  const kept: number[] = [];
  for (let a = 0; a < m; a++) {
    const i = subset[a]!;
    const row = new Array<number>(kept.length).fill(0);
    for (let b = 0; b < kept.length; b++) {
      let s = corr[i]![kept[b]!]!;
      for (let c = 0; c < b; c++) s -= row[c]! * L[b]![c]!;
      row[b] = s / L[b]![b]!;
    }
    let d = corr[i]![i]!;
    for (const v of row) d -= v * v;
    if (d <= 1e-10) continue; // dependent on the predictors before it
    const diag = Math.sqrt(d);
    L.push([...row, diag]);
    let s = corr[0]![i]!;
    for (let c = 0; c < row.length; c++) s -= row[c]! * z[c]!;
    z.push(s / diag);
    kept.push(i);
  }
  let r2 = 0;
  for (const v of z) r2 += v * v;
  return Math.min(1, Math.max(0, r2));
}

interface LmgFit {
  rSquared: number;
  lmg: number[];
  beta: number[];
  correlations: number[];
}

/** LMG over the p predictors of a correlation matrix (index 0 the outcome). */
export function lmgOf(corr: readonly (readonly number[])[]): LmgFit {
  const p = corr.length - 1;
  const count = 1 << p;
  const r2 = new Float64Array(count);
  for (let mask = 1; mask < count; mask++) {
    const subset: number[] = [];
    for (let j = 0; j < p; j++) if (mask & (1 << j)) subset.push(j + 1);
    r2[mask] = rSquaredOf(corr, subset);
  }
  // Weight of a subset S of the others of size k: k!(p − k − 1)!/p!.
  const factorial = [1];
  for (let i = 1; i <= p; i++) factorial.push(factorial[i - 1]! * i);
  const weight = Array.from({ length: p }, (_, k) => (factorial[k]! * factorial[p - k - 1]!) / factorial[p]!);
  const lmg = new Array<number>(p).fill(0);
  for (let mask = 0; mask < count; mask++) {
    const size = popcount(mask);
    if (size === p) continue;
    const w = weight[size]!;
    for (let j = 0; j < p; j++) if (!(mask & (1 << j))) lmg[j]! += w * (r2[mask | (1 << j)]! - r2[mask]!);
  }
  return { rSquared: r2[count - 1]!, lmg, beta: standardizedBeta(corr), correlations: corr[0]!.slice(1) };
}

/** β = R_xx⁻¹ r_xy by Gaussian elimination with partial pivoting; dependent predictors get 0. */
function standardizedBeta(corr: readonly (readonly number[])[]): number[] {
  const p = corr.length - 1;
  const a = Array.from({ length: p }, (_, i) => [...corr[i + 1]!.slice(1), corr[i + 1]![0]!]);
  const pivotOf: number[] = new Array(p).fill(-1);
  let row = 0;
  for (let col = 0; col < p && row < p; col++) {
    let best = row;
    for (let r = row + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[best]![col]!)) best = r;
    if (Math.abs(a[best]![col]!) <= 1e-10) continue;
    [a[row], a[best]] = [a[best]!, a[row]!];
    for (let r = 0; r < p; r++) {
      if (r === row) continue;
      const f = a[r]![col]! / a[row]![col]!;
      if (f !== 0) for (let c = col; c <= p; c++) a[r]![c]! -= f * a[row]![c]!;
    }
    pivotOf[col] = row;
    row++;
  }
  return pivotOf.map((r, col) => (r < 0 ? 0 : a[r]![p]! / a[r]![col]!));
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Percentile interval (type 7 quantiles, as R's default) of bootstrap replicates. */
export function percentileInterval(values: readonly number[], level: number): Interval {
  const s = [...values].sort((a, b) => a - b);
  const q = (prob: number) => {
    const h = (s.length - 1) * prob;
    const lo = Math.floor(h);
    return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
  };
  return [q((1 - level) / 2), q((1 + level) / 2)];
}

/** A small seeded generator (mulberry32): the bootstrap is the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
