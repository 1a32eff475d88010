import { DateTime } from 'luxon';
import { PERIODS, type Period } from '../metrics/dimensions.ts';
import { METRICS, type MetricDefinition, type MetricName } from '../metrics/definitions.ts';
import type { MetricGroup } from '../metrics/compute.ts';
import { periodsBetween } from '../metrics/periods.ts';
import type { Database } from '../storage/database.ts';
import { latestActivity } from '../storage/metrics/activity.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { EXPLAINABLE } from './explain.ts';
import { metricReport, ReportError } from './metric-report.ts';

/**
 * The dashboard's first page: one card per KPI for one period, each with its value, n,
 * interval, change against the period before and the trend of the periods before it. Every
 * number comes from metricReport, the one implementation `sada report` and the metrics API use.
 */

export const OVERVIEW_METRICS = [
  'nps', 'csat', 'ces', 'esat', 'enps', 'frt', 'fcr', 'aht', 'cost_per_resolution', 'volume', 'churn', 'retention',
] as const satisfies readonly MetricName[];

export interface OverviewRequest {
  period?: Period;
  /** A day inside the period to show (YYYY-MM-DD); default: the latest day with data. */
  at?: string;
  /** How many periods the trend covers, the shown one included. */
  trend?: number;
  where?: string[];
}

export interface TrendPoint {
  period: string;
  value: number | null;
  n: number;
  ci: [number, number] | null;
}

export interface OverviewCard {
  metric: MetricName;
  title: string;
  unit: MetricDefinition['unit'];
  definition: string;
  /** The shown period's group; null when nothing was measured in it. */
  current: MetricGroup | null;
  trend: TrendPoint[];
  /** Whether GET /api/v1/explain can split its change into groups. */
  explainable: boolean;
  /** Why this metric cannot be shown with these filters (e.g. a filter its records lack). */
  error?: string;
}

export interface Overview {
  workspace: string;
  timezone: string;
  period: Period;
  /** The shown period's label (2026-10, 2026-Q3, …) and its first and last day. */
  label: string;
  from: string;
  to: string;
  where: string[];
  cards: OverviewCard[];
}

export async function overview(db: Database, workspace: Workspace, request: OverviewRequest = {}): Promise<Overview> {
  const period = request.period ?? 'month';
  if (!(PERIODS as readonly string[]).includes(period)) throw new ReportError(`period must be one of ${PERIODS.join(', ')}`);
  const trendLength = request.trend ?? 12;
  if (!Number.isInteger(trendLength) || trendLength < 2 || trendLength > 60) throw new ReportError('trend must be a whole number of periods from 2 to 60');
  const zone = workspace.timezone;
  let at: DateTime;
  if (request.at) {
    at = DateTime.fromFormat(request.at, 'yyyy-MM-dd', { zone });
    if (!at.isValid) throw new ReportError(`at must be a day as YYYY-MM-DD, not "${request.at}"`);
  } else {
    const latest = await latestActivity(db, workspace.id);
    at = latest ? DateTime.fromJSDate(latest, { zone }) : DateTime.now().setZone(zone);
  }
  const shownStart = at.startOf(period);
  const firstStart = shownStart.minus({ [`${period}s`]: trendLength - 1 });
  const shownEnd = shownStart.plus({ [`${period}s`]: 1 });
  const ranges = periodsBetween(firstStart.toJSDate(), shownEnd.toJSDate(), period, zone);
  const label = ranges.at(-1)!.label;
  const from = firstStart.toISODate()!;
  const to = shownEnd.minus({ days: 1 }).toISODate()!;
  const where = request.where ?? [];

  const cards = await Promise.all(
    OVERVIEW_METRICS.map(async (metric): Promise<OverviewCard> => {
      const definition = METRICS[metric];
      const base = { metric, title: definition.title, unit: definition.unit, definition: definition.definition, explainable: EXPLAINABLE.includes(metric) };
      try {
        const report = await metricReport(db, workspace, { metric, by: [period], from, to, where });
        const byLabel = new Map(report.groups.map((group) => [group.key[period], group]));
        const trend = ranges.map(({ label: periodLabel }): TrendPoint => {
          const group = byLabel.get(periodLabel);
          return { period: periodLabel, value: group?.value ?? null, n: group?.n ?? 0, ci: group?.ci ?? null };
        });
        return { ...base, current: byLabel.get(label) ?? null, trend };
      } catch (error) {
        if (error instanceof ReportError) return { ...base, current: null, trend: [], error: error.message };
        throw error;
      }
    }),
  );
  return { workspace: workspace.name, timezone: zone, period, label, from: shownStart.toISODate()!, to, where, cards };
}
