import type { Database } from '../database.ts';
import type { PeriodRange } from '../../metrics/periods.ts';
import { groupKey, type SqlBuilder } from './sql-builder.ts';
import type { Group } from './queries.ts';

/**
 * Customer lifecycle counts per period: who was active at the start and at the end, and who
 * was new. "Active" comes from subscriptions (a subscription running at that instant) or, for
 * shops without subscriptions, from orders (an order in the `inactivityDays` before it).
 */

export interface LifecycleStats {
  atStart: number;
  atEnd: number;
  churned: number;
  newCustomers: number;
}

export type LifecycleBasis = { kind: 'subscriptions' } | { kind: 'orders'; inactivityDays: number };

/** Orders that count as purchases: not cancelled or refunded. */
export const KEPT_ORDER = `(o.status IS NULL OR o.status NOT IN ('cancelled', 'refunded'))`;

/**
 * `builder` carries the customer dimensions to group by (its own WHERE is not used); `filters`
 * are conditions on the customer (`c`) built with the same builder; `periodKey` names the period
 * dimension in the result, or is undefined when the periods are one whole range.
 */
export async function lifecycleStats(
  db: Database,
  builder: SqlBuilder,
  basis: LifecycleBasis,
  periods: PeriodRange[],
  filters: string[],
  periodKey: string | undefined,
): Promise<Group<LifecycleStats>[]> {
  const labels = builder.param(periods.map((p) => p.label));
  const starts = builder.param(periods.map((p) => p.start.toISOString()));
  const ends = builder.param(periods.map((p) => p.end.toISOString()));
  const perCustomer =
    basis.kind === 'subscriptions'
      ? `SELECT s.customer_id,
           bool_or(s.started_at < p.s AND (s.ended_at IS NULL OR s.ended_at >= p.s)) AS active_start,
           bool_or(s.started_at < p.e AND (s.ended_at IS NULL OR s.ended_at >= p.e)) AS active_end,
           min(s.started_at) AS first_seen
         FROM subscriptions s
         WHERE s.workspace_id = $1 AND s.started_at < p.e
         GROUP BY s.customer_id`
      : `SELECT o.customer_id,
           bool_or(o.placed_at >= p.s - ${builder.param(`${basis.inactivityDays} days`)}::interval AND o.placed_at < p.s) AS active_start,
           bool_or(o.placed_at >= p.e - ${builder.param(`${basis.inactivityDays} days`)}::interval AND o.placed_at < p.e) AS active_end,
           min(o.placed_at) AS first_seen
         FROM orders o
         WHERE o.workspace_id = $1 AND o.placed_at < p.e AND o.customer_id IS NOT NULL AND ${KEPT_ORDER}
         GROUP BY o.customer_id`;
  const keys = builder.keys.map((k, i) => `${k.sql} AS k${i}`);
  const sql = `
    WITH periods (label, s, e) AS (SELECT * FROM unnest(${labels}::text[], ${starts}::timestamptz[], ${ends}::timestamptz[]))
    SELECT ${[...keys, 'p.label AS period'].join(', ')},
      count(*) FILTER (WHERE x.active_start)::integer AS at_start,
      count(*) FILTER (WHERE x.active_end)::integer AS at_end,
      count(*) FILTER (WHERE x.active_start AND NOT x.active_end)::integer AS churned,
      count(*) FILTER (WHERE x.first_seen >= p.s AND x.first_seen < p.e)::integer AS new_customers
    FROM periods p
    CROSS JOIN LATERAL (${perCustomer}) x
    LEFT JOIN customers c ON c.workspace_id = $1 AND c.id = x.customer_id
    ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}
    GROUP BY ${[...keys.map((_, i) => `k${i}`), 'period'].join(', ')}`;
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return rows.map((row) => ({
    key: periodKey ? { [periodKey]: String(row.period), ...groupKey(builder, row) } : groupKey(builder, row),
    stats: {
      atStart: Number(row.at_start),
      atEnd: Number(row.at_end),
      churned: Number(row.churned),
      newCustomers: Number(row.new_customers),
    },
  }));
}

export interface CohortCell {
  cohort: string;
  offset: number;
  active: number;
  size: number;
}

/**
 * Acquisition cohorts (month of a customer's first purchase or subscription) × months since:
 * how many of the cohort bought (or were subscribed) in that month.
 */
export async function cohortCells(db: Database, workspaceId: number, timezone: string, basis: LifecycleBasis['kind']): Promise<CohortCell[]> {
  const month = (column: string) => `date_trunc('month', ${column} AT TIME ZONE $2)`;
  const activity =
    basis === 'orders'
      ? `SELECT o.customer_id, ${month('o.placed_at')} AS month FROM orders o WHERE o.workspace_id = $1 AND o.customer_id IS NOT NULL AND ${KEPT_ORDER}`
      : `SELECT s.customer_id, m AS month
         FROM subscriptions s,
              generate_series(${month('s.started_at')}, ${month('coalesce(s.ended_at - interval \'1 microsecond\', now())')}, interval '1 month') AS m
         WHERE s.workspace_id = $1`;
  const sql = `
    WITH activity AS (SELECT DISTINCT customer_id, month FROM (${activity}) a),
    cohorts AS (SELECT customer_id, min(month) AS cohort FROM activity GROUP BY customer_id),
    sizes AS (SELECT cohort, count(*)::integer AS size FROM cohorts GROUP BY cohort)
    SELECT to_char(c.cohort, 'YYYY-MM') AS cohort,
           ((extract(year FROM a.month) - extract(year FROM c.cohort)) * 12 + extract(month FROM a.month) - extract(month FROM c.cohort))::integer AS month_offset,
           count(*)::integer AS active, s.size
    FROM activity a JOIN cohorts c USING (customer_id) JOIN sizes s ON s.cohort = c.cohort
    GROUP BY c.cohort, month_offset, s.size
    ORDER BY c.cohort, month_offset`;
  const rows = await db.query<{ cohort: string; month_offset: number; active: number; size: number }>(sql, [workspaceId, timezone]);
  return rows.map((r) => ({ cohort: r.cohort, offset: Number(r.month_offset), active: Number(r.active), size: Number(r.size) }));
}
