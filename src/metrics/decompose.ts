/**
 * Why did a metric change? A metric that is a weighted average over groups,
 *     M = Σ_g s_g · m_g     (s_g = the group's share of the n, m_g = the metric inside it),
 * changes between two periods by
 *     ΔM = Σ_g (s1_g · m1_g − s0_g · m0_g),
 * and each group's term splits exactly into
 *     mix effect  (s1 − s0) · (m0 + m1) / 2   — the group weighs more or less than before,
 *     rate effect (m1 − m0) · (s0 + s1) / 2   — the metric moved inside the group,
 * (the symmetric, Shapley split of a product of two factors: no order of "mix first, then rate"
 * is privileged, and there is no residual). A group absent from one period has its metric taken
 * as the same in both, so its whole term is mix. The terms add up to ΔM to the last bit of
 * floating point (tested with fast-check). docs/metrics.md, "Explaining a change".
 */

export interface GroupStat {
  group: string;
  /** The metric in the group (in the metric's unit), or null when it has no n. */
  value: number | null;
  n: number;
}

export interface Contribution {
  group: string;
  shareFrom: number;
  shareTo: number;
  valueFrom: number | null;
  valueTo: number | null;
  nFrom: number;
  nTo: number;
  mixEffect: number;
  rateEffect: number;
  total: number;
}

export interface Decomposition {
  valueFrom: number;
  valueTo: number;
  change: number;
  contributions: Contribution[];
}

/** The n-weighted average of the groups: the metric overall, as the decomposition sees it. */
export function weightedValue(groups: readonly GroupStat[]): number | null {
  let n = 0;
  let sum = 0;
  for (const g of groups) {
    if (g.value === null || g.n <= 0) continue;
    n += g.n;
    sum += g.n * g.value;
  }
  return n > 0 ? sum / n : null;
}

export function decompose(before: readonly GroupStat[], after: readonly GroupStat[]): Decomposition | undefined {
  const measured = (groups: readonly GroupStat[]) => groups.filter((g) => g.value !== null && g.n > 0);
  const from = measured(before);
  const to = measured(after);
  const nFrom = from.reduce((total, g) => total + g.n, 0);
  const nTo = to.reduce((total, g) => total + g.n, 0);
  if (nFrom === 0 || nTo === 0) return undefined;
  const byGroup = new Map<string, { before?: GroupStat; after?: GroupStat }>();
  for (const g of from) byGroup.set(g.group, { ...byGroup.get(g.group), before: g });
  for (const g of to) byGroup.set(g.group, { ...byGroup.get(g.group), after: g });
  const contributions: Contribution[] = [];
  for (const [group, { before: b, after: a }] of byGroup) {
    const s0 = b ? b.n / nFrom : 0;
    const s1 = a ? a.n / nTo : 0;
    const m0 = b ? b.value! : a!.value!;
    const m1 = a ? a.value! : b!.value!;
    const mixEffect = ((s1 - s0) * (m0 + m1)) / 2;
    const rateEffect = ((m1 - m0) * (s0 + s1)) / 2;
    contributions.push({
      group,
      shareFrom: s0,
      shareTo: s1,
      valueFrom: b ? b.value : null,
      valueTo: a ? a.value : null,
      nFrom: b?.n ?? 0,
      nTo: a?.n ?? 0,
      mixEffect,
      rateEffect,
      total: mixEffect + rateEffect,
    });
  }
  const valueFrom = weightedValue(from)!;
  const valueTo = weightedValue(to)!;
  contributions.sort((x, y) => Math.abs(y.total) - Math.abs(x.total) || (x.group < y.group ? -1 : 1));
  return { valueFrom, valueTo, change: valueTo - valueFrom, contributions };
}

/**
 * Groups too small to say anything alone (n below `minN` in both periods) are pooled into one
 * "other" group before decomposing, so noise from a hundred tiny groups does not crowd the
 * list, and the parts still add up to the total.
 */
export function poolSmallGroups(before: readonly GroupStat[], after: readonly GroupStat[], minN: number, otherName: string): [GroupStat[], GroupStat[]] {
  const large = new Set<string>();
  for (const g of [...before, ...after]) if (g.n >= minN) large.add(g.group);
  const pool = (groups: readonly GroupStat[]): GroupStat[] => {
    const kept = groups.filter((g) => large.has(g.group));
    const small = groups.filter((g) => !large.has(g.group) && g.value !== null && g.n > 0);
    if (small.length === 0) return kept;
    return [...kept, { group: otherName, n: small.reduce((t, g) => t + g.n, 0), value: weightedValue(small) }];
  };
  return [pool(before), pool(after)];
}
