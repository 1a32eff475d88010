import { chiSquareSurvival } from '../stats/distributions.ts';
import { chiSquareHomogeneity, funnelPlot, type FunnelPosition, type HomogeneityTest, type KruskalWallisWarning } from '../stats/consistency.ts';
import { wilsonInterval } from '../stats/proportion.ts';
import { DEFAULT_LEVEL } from '../stats/types.ts';
import type { MetricGroup } from './compute.ts';

/**
 * Consistency of resolutions across agents (docs/metrics.md#consistency), from the sufficient
 * statistics of src/storage/metrics/consistency.ts: each agent's FCR and resolved-within-the-
 * horizon rate on a funnel plot around the pooled rate, a χ² test that the agents' rates are
 * equal, and a Kruskal–Wallis test of resolution times by agent within each ticket category.
 * Pure: no I/O. Rates are in percent, as everywhere in the metric layer.
 */

type Interval = [number, number];

/**
 * The resolution rate's horizon: a ticket counts as resolved when its first resolution came
 * within this many days of its creation (docs/metrics.md#consistency).
 */
export const RESOLUTION_HORIZON_DAYS = 7;

/** x successes of n for one unit (agent or team); `unit` null gathers records without one. */
export interface UnitRate {
  unit: string | null;
  x: number;
  n: number;
}

/** One unit's resolution times in one category, as ranks (see storage/metrics/consistency.ts). */
export interface UnitRanks {
  category: string | null;
  unit: string;
  n: number;
  rankSum: number;
  /** this unit's share of the category's Σ(t³ − t) */
  tieTerm: bigint;
  median: number;
}

/** Outside the 99.8% limits: alarm; outside the 95% limits only: alert. */
export type FunnelFlag = 'alarm' | 'alert';

export interface FunnelRate {
  value: number | null;
  n: number;
  ci: Interval | null;
  count: number;
  /** p̄ ± 1.96·√(p̄(1 − p̄)/n), percent */
  limits_95: Interval | null;
  /** p̄ ± 3.09·√(p̄(1 − p̄)/n), percent */
  limits_99_8: Interval | null;
  position: FunnelPosition | null;
  flag: FunnelFlag | null;
}

export interface RateComparison {
  /** the pooled rate p̄ = Σx / Σn over the units, percent */
  pooled: number | null;
  count: number;
  n: number;
  /** records of the population that have no unit: not compared, not pooled */
  withoutUnit: number;
  chiSquare: HomogeneityTest;
}

export interface KruskalWallisByCategory {
  category: string | null;
  /** tie-corrected H; null when undefined (fewer than two units, or all times equal) */
  statistic: number | null;
  df: number;
  pValue: number | null;
  /** Holm-adjusted over the categories with a p-value */
  pHolm: number | null;
  /** pHolm < 0.05 */
  significant: boolean;
  /** tickets N */
  n: number;
  /** units k */
  groups: number;
  /** C = 1 − Σ(t³ − t)/(N³ − N); null when N < 2 */
  tieCorrection: number | null;
  warnings: KruskalWallisWarning[];
  /** per unit: tickets, mean rank among the N, median resolution time in seconds */
  units: { id: string; n: number; meanRank: number; median: number }[];
}

export interface ConsistencyTests {
  /** the dimension compared: agent (default) or team */
  unit: string;
  fcr: RateComparison;
  resolution: RateComparison & { horizonDays: number; asOf: string | null };
  kruskalWallis: KruskalWallisByCategory[];
}

const pct = (x: number | null) => (x === null ? null : x * 100);
const pctInterval = (ci: readonly [number, number] | null): Interval | null => (ci ? [ci[0] * 100, ci[1] * 100] : null);

function flagOf(position: FunnelPosition | null): FunnelFlag | null {
  if (position === 'above-outer' || position === 'below-outer') return 'alarm';
  if (position === 'above-inner' || position === 'below-inner') return 'alert';
  return null;
}

/** Funnel positions, Wilson intervals and the χ² test of one rate over the units that have one. */
export function compareRates(rates: UnitRate[]): { byUnit: Map<string, FunnelRate>; comparison: RateComparison } {
  const units = rates.filter((r): r is UnitRate & { unit: string } => r.unit !== null);
  const withoutUnit = rates.filter((r) => r.unit === null).reduce((sum, r) => sum + r.n, 0);
  const plot = funnelPlot(units.map((u) => ({ id: u.unit, x: u.x, n: u.n })));
  const byUnit = new Map<string, FunnelRate>();
  for (const point of plot.units) {
    const share = wilsonInterval(point.x, point.n);
    byUnit.set(point.id, {
      value: pct(share.estimate),
      n: point.n,
      ci: pctInterval(share.ci),
      count: point.x,
      limits_95: pctInterval(point.inner),
      limits_99_8: pctInterval(point.outer),
      position: point.position,
      flag: flagOf(point.position),
    });
  }
  return {
    byUnit,
    comparison: { pooled: pct(plot.pooled), count: plot.totalX, n: plot.totalN, withoutUnit, chiSquare: chiSquareHomogeneity(units) },
  };
}

/**
 * Kruskal–Wallis H of one category from rank sums (exact, ties included):
 *
 *   R̄ = (N + 1)/2,  S = Σⱼ (rⱼ − R̄)² = (N³ − N − Σ(t³ − t)) / 12
 *   H = (N − 1) · Σᵢ nᵢ (Rᵢ/nᵢ − R̄)² / S,  df = k − 1
 *
 * which equals [12/(N(N + 1)) Σ Rᵢ²/nᵢ − 3(N + 1)] / C with C = 1 − Σ(t³ − t)/(N³ − N), the
 * form of src/stats kruskalWallis (same warnings; a test checks both agree on raw values).
 */
export function kruskalWallisFromRanks(cells: UnitRanks[]): Omit<KruskalWallisByCategory, 'category' | 'pHolm' | 'significant'> {
  const used = cells.filter((c) => c.n > 0);
  const n = used.reduce((sum, c) => sum + c.n, 0);
  const tieTerm = used.reduce((sum, c) => sum + c.tieTerm, 0n);
  const k = used.length;
  const df = Math.max(0, k - 1);
  const big = BigInt(n);
  const twelveS = big * big * big - big - tieTerm; // 12·S, exact
  const tieCorrection = n >= 2 ? 1 - Number(tieTerm) / (n * n * n - n) : null;
  const warnings: KruskalWallisWarning[] = [];
  if (k < 2) warnings.push('fewer-than-two-groups');
  if (n >= 1 && twelveS === 0n) warnings.push('all-values-tied');
  if (used.some((c) => c.n < 5)) warnings.push('small-groups');
  const meanRank = (n + 1) / 2;
  const units = used.map((c) => ({ id: c.unit, n: c.n, meanRank: c.rankSum / c.n, median: c.median }));
  const base = { df, n, groups: k, tieCorrection, warnings, units };
  if (k < 2 || twelveS === 0n) return { statistic: null, pValue: null, ...base };
  let between = 0;
  for (const c of used) {
    const d = c.rankSum / c.n - meanRank;
    between += c.n * d * d;
  }
  const statistic = (12 * (n - 1) * between) / Number(twelveS);
  return { statistic, pValue: chiSquareSurvival(statistic, df), ...base };
}

/**
 * Holm's step-down adjustment: with the m p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎,
 * adj₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Nulls stay null and do not count in m.
 */
export function holmAdjust(pValues: (number | null)[]): (number | null)[] {
  const order = pValues
    .map((p, index) => ({ p, index }))
    .filter((e): e is { p: number; index: number } => e.p !== null)
    .sort((a, b) => a.p - b.p);
  const m = order.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach((e, j) => {
    running = Math.max(running, Math.min(1, (m - j) * e.p));
    adjusted[e.index] = running;
  });
  return adjusted;
}

/** Kruskal–Wallis per category (categories sorted by name, tickets without one last), Holm-adjusted. */
export function kruskalWallisByCategory(cells: UnitRanks[], level: number = DEFAULT_LEVEL): KruskalWallisByCategory[] {
  const byCategory = new Map<string | null, UnitRanks[]>();
  for (const cell of cells) {
    const list = byCategory.get(cell.category) ?? [];
    list.push(cell);
    byCategory.set(cell.category, list);
  }
  const categories = [...byCategory.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const tests = categories.map((category) => {
    const units = [...byCategory.get(category)!].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
    return { category, ...kruskalWallisFromRanks(units) };
  });
  const holm = holmAdjust(tests.map((t) => t.pValue));
  return tests.map((test, i) => ({
    ...test,
    pHolm: holm[i] ?? null,
    significant: holm[i] !== null && (holm[i] as number) < 1 - level,
  }));
}

export interface ConsistencyInput {
  unitName: string;
  fcr: UnitRate[];
  resolution: UnitRate[];
  horizonDays: number;
  asOf: Date | null;
  ranks: UnitRanks[];
}

/**
 * One group per unit (agent): value = FCR %, with its Wilson interval, funnel limits, position and
 * flag; `resolution` the same for the share resolved within the horizon. Plus the tests.
 */
export function computeConsistency(input: ConsistencyInput): { groups: MetricGroup[]; tests: ConsistencyTests } {
  const fcr = compareRates(input.fcr);
  const resolution = compareRates(input.resolution);
  const ids = new Set<string>([...fcr.byUnit.keys(), ...resolution.byUnit.keys()]);
  const empty: FunnelRate = { value: null, n: 0, ci: null, count: 0, limits_95: null, limits_99_8: null, position: null, flag: null };
  const groups: MetricGroup[] = [...ids].map((id) => ({
    key: { [input.unitName]: id },
    ...(fcr.byUnit.get(id) ?? empty),
    resolution: resolution.byUnit.get(id) ?? empty,
  }));
  return {
    groups,
    tests: {
      unit: input.unitName,
      fcr: fcr.comparison,
      resolution: { ...resolution.comparison, horizonDays: input.horizonDays, asOf: input.asOf ? input.asOf.toISOString() : null },
      kruskalWallis: kruskalWallisByCategory(input.ranks),
    },
  };
}
