import { wilsonInterval } from '../stats/proportion.ts';
import type { MetricGroup } from './compute.ts';

/**
 * Acquisition cohorts × months since acquisition (docs/metrics.md#cohorts), from the spans of
 * src/storage/metrics/lifecycle.ts `cohortCells`. Pure: no I/O.
 */

export interface CohortSpanInput {
  key: Record<string, string | null>;
  cohort: string;
  first: number;
  last: number;
  customers: number;
}

/** Whole months from `from` to `to`, both written YYYY-MM. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/**
 * One group per cohort (within the other keys) and month since acquisition, from month 0 to the
 * month of `lastMonth` (YYYY-MM, the month the data ends in): value = share of the cohort active
 * in that month (percent), n = the cohort's size (its customers active in month 0, which is all
 * of them by construction), Wilson interval, `count` = active customers. Months where nobody
 * was active are there too, at 0%.
 */
export function computeCohorts(spans: CohortSpanInput[], lastMonth: string, keyNames: { cohort: string; monthsSince: string }): MetricGroup[] {
  const cohorts = new Map<string, { key: Record<string, string | null>; cohort: string; diff: number[] }>();
  for (const span of spans) {
    const id = JSON.stringify([span.key, span.cohort]);
    let entry = cohorts.get(id);
    if (!entry) {
      entry = { key: span.key, cohort: span.cohort, diff: new Array<number>(Math.max(0, monthsBetween(span.cohort, lastMonth)) + 2).fill(0) };
      cohorts.set(id, entry);
    }
    // A difference array: +customers where the span starts, − after it ends.
    const last = Math.min(span.last, entry.diff.length - 2);
    if (span.first > last) continue;
    entry.diff[span.first]! += span.customers;
    entry.diff[last + 1]! -= span.customers;
  }
  const groups: MetricGroup[] = [];
  for (const { key, cohort, diff } of cohorts.values()) {
    let active = 0;
    const counts = diff.slice(0, -1).map((d) => (active += d));
    const size = counts[0] ?? 0;
    counts.forEach((count, monthsSince) => {
      const share = wilsonInterval(count, size);
      groups.push({
        key: { ...key, [keyNames.cohort]: cohort, [keyNames.monthsSince]: String(monthsSince) },
        value: share.estimate === null ? null : share.estimate * 100,
        n: size,
        ci: share.ci ? [share.ci[0] * 100, share.ci[1] * 100] : null,
        count,
      });
    });
  }
  return groups;
}
