import { DateTime } from 'luxon';
import { changeBetween, type Change, type MetricGroup } from '../metrics/compute.ts';
import { isMetricName, METRICS, type MetricDefinition, type MetricName } from '../metrics/definitions.ts';
import type { Database } from '../storage/database.ts';
import { latestActivity } from '../storage/metrics/activity.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { catalogueEntry } from './metric-catalogue.ts';
import { metricReport, ReportError } from './metric-report.ts';

/**
 * Before and after an annotation (docs/metrics.md#before-and-after-an-annotation): the metric
 * over the N days before the annotated day and over the N days after it (the day itself in
 * neither), each from metricReport with no breakdown, and the difference after − before with
 * its interval and test — the same changeBetween the period-over-period changes use.
 */

export const DEFAULT_IMPACT_DAYS = 30;
export const MAX_IMPACT_DAYS = 366;

export interface ImpactWindow {
  /** First and last day of the window, inclusive (YYYY-MM-DD in the workspace's time zone). */
  from: string;
  to: string;
  value: number | null;
  n: number;
  ci: [number, number] | null;
}

export interface AnnotationImpact {
  metric: MetricName;
  title: string;
  unit: MetricDefinition['unit'];
  definition: string;
  day: string;
  days: number;
  where: string[];
  before: ImpactWindow;
  after: ImpactWindow;
  /** after − before in the metric's unit, tested; null when either window is empty or the metric has no test (volume). */
  change: Omit<Change, 'from'> | null;
  /** False while the after window reaches past the last day with data: the comparison may still move. */
  afterComplete: boolean;
}

export interface ImpactRequest {
  day: string;
  metric: string;
  days?: number;
  where?: string[];
}

export async function annotationImpact(db: Database, workspace: Workspace, request: ImpactRequest): Promise<AnnotationImpact> {
  if (!isMetricName(request.metric)) throw new ReportError(`"${request.metric}" is not a metric`);
  const metric = request.metric;
  if (!catalogueEntry(metric).beforeAfter) {
    throw new ReportError(`${metric} has several values for a date range (one per intent, agent or cohort), so it has no single before/after comparison; choose another metric`);
  }
  const days = request.days ?? DEFAULT_IMPACT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_IMPACT_DAYS) throw new ReportError(`days must be a whole number from 1 to ${MAX_IMPACT_DAYS}`);
  const zone = workspace.timezone;
  const day = DateTime.fromFormat(request.day, 'yyyy-MM-dd', { zone });
  if (!day.isValid) throw new ReportError(`"${request.day}" is not a date written YYYY-MM-DD`);
  const where = request.where ?? [];
  const windows = {
    before: { from: day.minus({ days }).toISODate()!, to: day.minus({ days: 1 }).toISODate()! },
    after: { from: day.plus({ days: 1 }).toISODate()!, to: day.plus({ days }).toISODate()! },
  };
  const [before, after, latest] = await Promise.all([
    metricReport(db, workspace, { metric, by: [], ...windows.before, where, keepComparisonInputs: true }),
    metricReport(db, workspace, { metric, by: [], ...windows.after, where, keepComparisonInputs: true }),
    latestActivity(db, workspace.id),
  ]);
  const only = (groups: MetricGroup[]) => groups[0];
  const summary = (group: MetricGroup | undefined, window: { from: string; to: string }): ImpactWindow => ({
    ...window,
    value: group?.value ?? null,
    n: group?.n ?? 0,
    ci: group?.ci ?? null,
  });
  const b = only(before.groups);
  const a = only(after.groups);
  const definition = METRICS[metric];
  const latestDay = latest ? DateTime.fromJSDate(latest, { zone }).toISODate()! : null;
  return {
    metric,
    title: definition.title,
    unit: definition.unit,
    definition: definition.definition,
    day: request.day,
    days,
    where,
    before: summary(b, windows.before),
    after: summary(a, windows.after),
    change: (b && a && b.n > 0 && a.n > 0 ? changeBetween(b, a, metric) : undefined) ?? null,
    afterComplete: latestDay !== null && latestDay >= windows.after.to,
  };
}
