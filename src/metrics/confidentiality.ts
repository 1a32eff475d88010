import type { MetricGroup } from './compute.ts';
import type { MetricName } from './definitions.ts';

/**
 * Employee survey confidentiality: an ESAT or eNPS value is never shown for fewer than
 * MIN_EMPLOYEE_ANSWERS answers, so a small team's answers cannot be traced to a person
 * (docs/metrics.md#employee-survey-confidentiality). Pure: metricReport applies it to every
 * result of an employee metric, so the API, the CLI and every page get the same protection.
 */

export const MIN_EMPLOYEE_ANSWERS = 5;

/** The metrics that are computed from employees' answers. */
export const EMPLOYEE_METRICS: ReadonlySet<MetricName> = new Set(['esat', 'enps']);

export interface SuppressedGroup {
  key: Record<string, string | null>;
  /** How many answers the group has (kept: it says why the value is hidden). */
  n: number;
  value: null;
  ci: null;
  suppressed: true;
}

/**
 * Hides every group with fewer than `min` answers: its value, interval and details go, n stays
 * and `suppressed: true` says why. Complementary suppression: the groups of one period (all of
 * them when there is no period key) add up to the period's total, which is published; when
 * exactly one of them is hidden, the smallest other one is hidden too, so the hidden value
 * cannot be recovered by subtraction. A change is dropped when either side is hidden.
 */
export function suppressSmallGroups(groups: MetricGroup[], { periodKey, min = MIN_EMPLOYEE_ANSWERS }: { periodKey?: string; min?: number } = {}): MetricGroup[] {
  const hidden = new Set<MetricGroup>(groups.filter((g) => g.n < min));
  const partitions = new Map<string, MetricGroup[]>();
  for (const group of groups) {
    const id = periodKey ? String(group.key[periodKey]) : '';
    partitions.set(id, [...(partitions.get(id) ?? []), group]);
  }
  for (const members of partitions.values()) {
    if (members.length < 2 || members.filter((g) => hidden.has(g)).length !== 1) continue;
    const smallest = members.filter((g) => !hidden.has(g)).sort((a, b) => a.n - b.n)[0];
    if (smallest) hidden.add(smallest);
  }
  const hiddenKeys = new Set([...hidden].map((g) => JSON.stringify(g.key)));
  return groups.map((group): MetricGroup => {
    if (hidden.has(group)) return { key: group.key, n: group.n, value: null, ci: null, suppressed: true } satisfies SuppressedGroup;
    if (group.change && periodKey && hiddenKeys.has(JSON.stringify({ ...group.key, [periodKey]: group.change.from }))) {
      const { change: _dropped, ...rest } = group;
      return rest;
    }
    return group;
  });
}
