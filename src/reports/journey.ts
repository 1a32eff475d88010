import { DateTime } from 'luxon';
import type { MetricGroup } from '../metrics/compute.ts';
import { JOURNEY_MIN_N, orderTouchpoints, weakestStep, type StepScore, type WeakestStep } from '../metrics/journey.ts';
import { customerSegments } from '../storage/customer-segments.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { metricReport } from './metric-report.ts';

/**
 * The journey page: CSAT, CES and NPS at each touchpoint, in the order a customer meets them, for
 * a range of days, and the weakest step (src/metrics/journey.ts). Every number comes from
 * metricReport by touchpoint, the implementation the metrics API and `sada report` use.
 */

export const JOURNEY_METRICS = ['csat', 'ces', 'nps'] as const;
type JourneyMetric = (typeof JOURNEY_METRICS)[number];

/** How many months the page shows when the request names no range. */
export const JOURNEY_DEFAULT_MONTHS = 3;

export interface JourneyRequest {
  from?: string;
  to?: string;
  where?: string[];
}

export interface JourneyStep {
  touchpoint: string;
  csat: MetricGroup | null;
  ces: MetricGroup | null;
  nps: MetricGroup | null;
}

export interface Journey {
  workspace: string;
  timezone: string;
  /** The range shown (YYYY-MM-DD, both included); null when there are no answers at all. */
  from: string | null;
  to: string | null;
  where: string[];
  /** Months with CSAT, CES or NPS answers (YYYY-MM), for the range picker. */
  months: string[];
  segments: string[];
  /** A step is ranked from this many answers. */
  minN: number;
  steps: JourneyStep[];
  /** Answers not tied to any touchpoint (NPS is often asked of the relationship as a whole). */
  outside: Record<JourneyMetric, MetricGroup | null>;
  weakest: WeakestStep | null;
}

export async function journey(db: Database, workspace: Workspace, request: JourneyRequest = {}): Promise<Journey> {
  const where = request.where ?? [];
  const zone = workspace.timezone;
  const monthly = await Promise.all(JOURNEY_METRICS.map((metric) => metricReport(db, workspace, { metric, by: ['month'], where })));
  const months = [...new Set(monthly.flatMap((r) => r.groups.filter((g) => g.n > 0).map((g) => g.key.month!)))].sort();
  let from = request.from;
  let to = request.to;
  if (!from && !to && months.length > 0) {
    const last = DateTime.fromFormat(months.at(-1)!, 'yyyy-MM', { zone });
    to = last.endOf('month').toISODate()!;
    from = last.minus({ months: JOURNEY_DEFAULT_MONTHS - 1 }).toISODate()!;
  }
  const [reports, positions, segments] = await Promise.all([
    Promise.all(JOURNEY_METRICS.map((metric) => metricReport(db, workspace, { metric, by: ['touchpoint'], from, to, where }))),
    db.query<{ key: string; position: number | null }>('SELECT key, position FROM touchpoints WHERE workspace_id = $1', [workspace.id]),
    customerSegments(db, workspace.id),
  ]);
  const byMetric = new Map(JOURNEY_METRICS.map((metric, i) => [metric, new Map(reports[i]!.groups.map((g) => [g.key.touchpoint ?? null, g]))]));
  const touchpoints = orderTouchpoints(
    reports.flatMap((r) => r.groups.map((g) => g.key.touchpoint).filter((t): t is string => t !== null && t !== undefined)),
    new Map(positions.map((p) => [p.key, p.position === null ? null : Number(p.position)])),
  );
  const steps: JourneyStep[] = touchpoints.map((touchpoint) => ({
    touchpoint,
    csat: byMetric.get('csat')!.get(touchpoint) ?? null,
    ces: byMetric.get('ces')!.get(touchpoint) ?? null,
    nps: byMetric.get('nps')!.get(touchpoint) ?? null,
  }));
  const scores = (metric: 'csat' | 'ces'): StepScore[] =>
    steps.map((s) => ({ touchpoint: s.touchpoint, value: s[metric]?.value ?? null, n: s[metric]?.n ?? 0, ci: s[metric]?.ci ?? null }));
  return {
    workspace: workspace.name,
    timezone: zone,
    from: from ?? null,
    to: to ?? null,
    where,
    months,
    segments,
    minN: JOURNEY_MIN_N,
    steps,
    outside: {
      csat: byMetric.get('csat')!.get(null) ?? null,
      ces: byMetric.get('ces')!.get(null) ?? null,
      nps: byMetric.get('nps')!.get(null) ?? null,
    },
    weakest: weakestStep([{ metric: 'csat', steps: scores('csat') }, { metric: 'ces', steps: scores('ces') }]),
  };
}

