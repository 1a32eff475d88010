import { DateTime } from 'luxon';
import { businessHoursOf } from '../domain/workspace.ts';
import { METRICS } from '../metrics/definitions.ts';
import { DimensionError, parseFilter } from '../metrics/dimensions.ts';
import { DURATION_EDGES, histogramFromCounts, type DurationBucket } from '../metrics/duration-buckets.ts';
import type { Database } from '../storage/database.ts';
import { durationBucketCounts } from '../storage/metrics/distribution.ts';
import { SqlBuilder, type MetricScope } from '../storage/metrics/sql-builder.ts';
import { businessFrtSecondsSql, ticketMeasure } from '../storage/metrics/ticket-measures.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { metricReport, ReportError } from './metric-report.ts';

/**
 * The support page's distributions: how many tickets waited how long (first response, business
 * hours or not, and resolution), on the log-spaced buckets of src/metrics/duration-buckets.ts,
 * beside the metric's own median, p90 and their intervals from metricReport — the one
 * implementation of those numbers.
 */

export const DISTRIBUTION_MEASURES = ['frt', 'frt_business', 'resolution_time', 'first_resolution_time', 'aht'] as const;
export type DistributionMeasure = (typeof DISTRIBUTION_MEASURES)[number];

export interface DistributionRequest {
  measure: string;
  from?: string;
  to?: string;
  where?: string[];
}

type Interval = [number, number];

export interface DurationDistribution {
  workspace: string;
  timezone: string;
  measure: DistributionMeasure;
  title: string;
  definition: string;
  unit: 'seconds';
  from: string | null;
  to: string | null;
  where: string[];
  /** Tickets in the histogram: the metric's n. */
  n: number;
  /** The lower edges of the buckets after the first, seconds (src/metrics/duration-buckets.ts). */
  edges: readonly number[];
  /** From the first bucket holding a ticket to the last; empty buckets between kept. */
  buckets: DurationBucket[];
  /** metricReport's numbers for the same request; null when no ticket is measured. */
  summary: {
    n: number;
    median: number | null;
    median_ci: Interval | null;
    p90: number | null;
    p90_ci: Interval | null;
    mean: number | null;
    mean_ci: Interval | null;
  } | null;
}

export function isDistributionMeasure(name: string): name is DistributionMeasure {
  return (DISTRIBUTION_MEASURES as readonly string[]).includes(name);
}

export async function durationDistribution(db: Database, workspace: Workspace, request: DistributionRequest): Promise<DurationDistribution> {
  const { measure } = request;
  if (!isDistributionMeasure(measure)) throw new ReportError(`measure must be one of ${DISTRIBUTION_MEASURES.join(', ')}, not "${measure}"`);
  const where = request.where ?? [];
  // metricReport validates the dates and filters, and computes the median and p90.
  const report = await metricReport(db, workspace, { metric: measure, from: request.from, to: request.to, where });
  const zone = workspace.timezone;
  const day = (text: string) => DateTime.fromFormat(text, 'yyyy-MM-dd', { zone });
  let filters;
  try {
    filters = where.map((w) => parseFilter('tickets', w));
  } catch (error) {
    if (error instanceof DimensionError) throw new ReportError(error.message);
    throw error;
  }
  const scope: MetricScope = {
    workspaceId: workspace.id,
    timezone: zone,
    from: request.from ? day(request.from).toJSDate() : undefined,
    to: request.to ? day(request.to).plus({ days: 1 }).toJSDate() : undefined,
    by: [],
    where: filters,
  };
  const definition = METRICS[measure];
  const base = ticketMeasure(measure === 'frt_business' ? 'frt' : measure);
  const builder = new SqlBuilder('tickets', scope, definition.anchor);
  const seconds = measure === 'frt_business' ? businessFrtSecondsSql((value) => builder.param(value), zone, businessHoursOf(workspace.settings)) : base.seconds!;
  const counts = await durationBucketCounts(db, builder, seconds, base.population, DURATION_EDGES);
  const buckets = histogramFromCounts(counts);
  const group = report.groups[0];
  const pick = (name: string) => (group?.[name] ?? null) as number | null;
  const pickInterval = (name: string) => (group?.[name] ?? null) as Interval | null;
  return {
    workspace: workspace.name,
    timezone: zone,
    measure,
    title: definition.title,
    definition: definition.definition,
    unit: 'seconds',
    from: request.from ?? null,
    to: request.to ?? null,
    where,
    n: buckets.reduce((sum, b) => sum + b.n, 0),
    edges: DURATION_EDGES,
    buckets,
    summary: group
      ? { n: group.n, median: pick('median'), median_ci: pickInterval('median_ci'), p90: pick('p90'), p90_ci: pickInterval('p90_ci'), mean: pick('mean'), mean_ci: pickInterval('mean_ci') }
      : null,
  };
}

export interface SupportAgent {
  id: string;
  name: string | null;
  team: string | null;
}

/** The people who handle tickets: employees marked as agents, and anyone a ticket names as its agent. */
export async function supportAgents(db: Database, workspace: Workspace): Promise<SupportAgent[]> {
  const rows = await db.query<{ id: string; name: string | null; team: string | null }>(
    `SELECT e.id, e.name, e.team_id AS team FROM employees e
     WHERE e.workspace_id = $1
       AND (e.is_agent IS TRUE OR EXISTS (SELECT 1 FROM tickets t WHERE t.workspace_id = e.workspace_id AND t.agent_id = e.id))
     ORDER BY e.id`,
    [workspace.id],
  );
  return rows.map((row) => ({ id: String(row.id), name: row.name ?? null, team: row.team ?? null }));
}
