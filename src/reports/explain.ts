import { changeBetween, type MetricGroup } from '../metrics/compute.ts';
import { decompose, poolSmallGroups, type Contribution, type GroupStat } from '../metrics/decompose.ts';
import { METRICS, isMetricName, type MetricName } from '../metrics/definitions.ts';
import type { MetricSource } from '../metrics/dimensions.ts';
import { parsePeriodLabel, type NamedPeriod } from '../metrics/period-labels.ts';
import { compareProportions } from '../stats/compare.ts';
import type { Database } from '../storage/database.ts';
import { attributeKeys } from '../storage/metrics/attribute-keys.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { metricReport, ReportError, type MetricResult } from './metric-report.ts';

/**
 * `sada explain` and GET /api/v1/explain: a metric's change between two periods, split for
 * each dimension into each group's mix effect and rate effect (metrics/decompose.ts), with the
 * tests of the metric engine saying which parts are more than noise. Every group value comes
 * from metricReport, so the explanation and the charts never disagree.
 */

/** Metrics whose value is an n-weighted average over any partition of their records. */
export const EXPLAINABLE: readonly MetricName[] = ['nps', 'enps', 'csat', 'esat', 'ces', 'fcr', 'reopen_rate', 'aht', 'cost_per_resolution', 'frt', 'frt_business', 'resolution_time', 'first_resolution_time', 'churn', 'retention', 'repeat_purchase_rate'];
/** Durations: their headline is a median, which does not decompose; their mean does. */
const MEAN_OF: ReadonlySet<MetricName> = new Set(['frt', 'frt_business', 'resolution_time', 'first_resolution_time']);

const CUSTOMER_FIELDS = ['segment', 'customer.country', 'customer.age_band', 'customer.gender', 'customer.plan', 'customer.sector', 'customer.headcount'];
const DEFAULT_DIMENSIONS: Record<MetricSource, string[]> = {
  responses: ['touchpoint', 'channel', 'survey', 'language', 'agent', 'team', ...CUSTOMER_FIELDS],
  tickets: ['channel', 'category', 'priority', 'agent', 'team', ...CUSTOMER_FIELDS],
  orders: ['channel', ...CUSTOMER_FIELDS],
  subscriptions: ['plan', ...CUSTOMER_FIELDS],
  visits: ['page', 'source', 'device'],
};
/** Attribute dimensions with more groups than this (ids, free text) say nothing as a breakdown. */
const MAX_ATTRIBUTE_GROUPS = 50;
export const DEFAULT_MIN_N = 30;
const OTHER = '(smaller groups)';
const NONE = '(none)';

export interface ExplainRequest {
  metric: string;
  /** Period labels: 2026-09 and 2026-10, 2026-Q2 and 2026-Q3, … (the same kind). */
  from: string;
  to: string;
  /** Dimensions to decompose by; default every standard one of the metric's records and their attributes. */
  by?: string[];
  where?: string[];
  /** Groups with fewer answers than this in both periods are pooled (default 30). */
  minN?: number;
}

export interface ExplainedContribution {
  dimension: string;
  group: string;
  share_from: number;
  share_to: number;
  value_from: number | null;
  value_to: number | null;
  n_from: number;
  n_to: number;
  mix_effect: number;
  rate_effect: number;
  total: number;
  /** The test of its larger effect (the group's own change for rate, its share's change for mix) has p < 0.05. */
  significant: boolean;
}

export interface DimensionSummary {
  dimension: string;
  mix_effect: number;
  rate_effect: number;
  groups: number;
}

export interface Explanation {
  metric: MetricName;
  title: string;
  unit: (typeof METRICS)[MetricName]['unit'];
  /** Durations are explained through their mean (their median does not add up over groups). */
  of: 'value' | 'mean';
  workspace: string;
  from: { period: string; value: number | null; n: number };
  to: { period: string; value: number | null; n: number };
  change: number | null;
  significant: boolean;
  p_value: number | null;
  min_n: number;
  contributions: ExplainedContribution[];
  dimensions: DimensionSummary[];
  /** Dimensions that could not be used, and why (no such field in these records, too many groups). */
  skipped: Array<{ dimension: string; reason: string }>;
}

function periodOf(label: string, option: string): NamedPeriod {
  const named = parsePeriodLabel(label);
  if (!named) throw new ReportError(`${option} must be a period such as 2026-10, 2026-Q3, 2026-W40, 2026-10-05 or 2026, not "${label}"`);
  return named;
}

export async function explainChange(db: Database, workspace: Workspace, request: ExplainRequest): Promise<Explanation> {
  if (!isMetricName(request.metric)) throw new ReportError(`unknown metric "${request.metric}"`);
  const metric = request.metric;
  if (!EXPLAINABLE.includes(metric)) {
    throw new ReportError(`${metric} is not an average over its records, so its change does not split into groups; metrics that do: ${EXPLAINABLE.join(', ')}`);
  }
  const before = periodOf(request.from, 'from');
  const after = periodOf(request.to, 'to');
  if (before.period !== after.period) throw new ReportError(`from and to must be periods of the same kind (${before.label} is a ${before.period}, ${after.label} a ${after.period})`);
  const minN = request.minN ?? DEFAULT_MIN_N;
  if (!Number.isInteger(minN) || minN < 1) throw new ReportError('min_n must be a whole number of at least 1');
  const where = request.where ?? [];
  const definition = METRICS[metric];
  const of = MEAN_OF.has(metric) ? 'mean' : 'value';
  const valueOf = (group: MetricGroup): number | null => (of === 'mean' ? ((group.mean as number | null | undefined) ?? null) : group.value);

  const report = (period: NamedPeriod, by: string[]): Promise<MetricResult> =>
    metricReport(db, workspace, { metric, by, from: period.first, to: period.last, where, keepComparisonInputs: true });

  const [overallFrom, overallTo] = await Promise.all([report(before, []), report(after, [])]);
  const totalFrom = overallFrom.groups[0];
  const totalTo = overallTo.groups[0];
  const overallChange = totalFrom && totalTo ? changeBetween(totalFrom, totalTo, metric) : undefined;

  let dimensions = request.by;
  if (!dimensions || dimensions.length === 0) {
    const keys = await attributeKeys(db, workspace.id, definition.source);
    dimensions = [...DEFAULT_DIMENSIONS[definition.source], ...keys.map((key) => `attribute.${key}`)];
  }

  const contributions: ExplainedContribution[] = [];
  const summaries: DimensionSummary[] = [];
  const skipped: Explanation['skipped'] = [];
  for (const dimension of dimensions) {
    let results: [MetricResult, MetricResult];
    try {
      results = await Promise.all([report(before, [dimension]), report(after, [dimension])]);
    } catch (error) {
      if (error instanceof ReportError) {
        if (request.by?.length) throw error; // asked for by name: say why it cannot be
        skipped.push({ dimension, reason: error.message });
        continue;
      }
      throw error;
    }
    const groupName = (group: MetricGroup) => group.key[dimension] ?? NONE;
    const [groupsFrom, groupsTo] = results.map((result) => result.groups);
    if (dimension.startsWith('attribute.') && !request.by?.length && Math.max(groupsFrom!.length, groupsTo!.length) > MAX_ATTRIBUTE_GROUPS) {
      skipped.push({ dimension, reason: `more than ${MAX_ATTRIBUTE_GROUPS} groups` });
      continue;
    }
    if (new Set([...groupsFrom!, ...groupsTo!].map(groupName)).size < 2) {
      skipped.push({ dimension, reason: 'one group only' });
      continue;
    }
    const stats = (groups: MetricGroup[]): GroupStat[] => groups.map((g) => ({ group: groupName(g), value: valueOf(g), n: g.n }));
    const [pooledFrom, pooledTo] = poolSmallGroups(stats(groupsFrom!), stats(groupsTo!), minN, OTHER);
    const decomposition = decompose(pooledFrom, pooledTo);
    if (!decomposition) continue;
    const rawFrom = new Map(groupsFrom!.map((g) => [groupName(g), g]));
    const rawTo = new Map(groupsTo!.map((g) => [groupName(g), g]));
    const nFrom = pooledFrom.reduce((t, g) => t + g.n, 0);
    const nTo = pooledTo.reduce((t, g) => t + g.n, 0);
    for (const part of decomposition.contributions) {
      contributions.push({ dimension, ...snake(part), significant: isSignificant(part, rawFrom.get(part.group), rawTo.get(part.group), nFrom, nTo, metric) });
    }
    summaries.push({
      dimension,
      mix_effect: decomposition.contributions.reduce((t, c) => t + c.mixEffect, 0),
      rate_effect: decomposition.contributions.reduce((t, c) => t + c.rateEffect, 0),
      groups: decomposition.contributions.length,
    });
  }
  contributions.sort((a, b) => Math.abs(b.total) - Math.abs(a.total));
  // A dimension explains the change by what happened inside its groups when its rate effect is large.
  summaries.sort((a, b) => Math.abs(b.rate_effect) - Math.abs(a.rate_effect));

  const valueFrom = totalFrom ? valueOf(totalFrom) : null;
  const valueTo = totalTo ? valueOf(totalTo) : null;
  return {
    metric,
    title: definition.title,
    unit: definition.unit,
    of,
    workspace: workspace.name,
    from: { period: before.label, value: valueFrom, n: totalFrom?.n ?? 0 },
    to: { period: after.label, value: valueTo, n: totalTo?.n ?? 0 },
    change: valueFrom !== null && valueTo !== null ? valueTo - valueFrom : null,
    significant: overallChange?.significant ?? false,
    p_value: overallChange?.pValue ?? null,
    min_n: minN,
    contributions,
    dimensions: summaries,
    skipped,
  };
}

function snake(part: Contribution) {
  return {
    group: part.group,
    share_from: part.shareFrom,
    share_to: part.shareTo,
    value_from: part.valueFrom,
    value_to: part.valueTo,
    n_from: part.nFrom,
    n_to: part.nTo,
    mix_effect: part.mixEffect,
    rate_effect: part.rateEffect,
    total: part.total,
  };
}

function isSignificant(part: Contribution, from: MetricGroup | undefined, to: MetricGroup | undefined, nFrom: number, nTo: number, metric: MetricName): boolean {
  if (part.group === OTHER) return false;
  if (Math.abs(part.rateEffect) >= Math.abs(part.mixEffect)) {
    return from && to ? (changeBetween(from, to, metric)?.significant ?? false) : false;
  }
  const share = compareProportions({ x: part.nFrom, n: nFrom }, { x: part.nTo, n: nTo });
  return share.significant;
}
