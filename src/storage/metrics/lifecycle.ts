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
  db: Pick<Database, 'query'>,
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

/**
 * The first and last instant of activity on a basis (the last one + 1 ms, so the range is
 * half-open): what churn and retention cover without --from/--to, and the months the lifecycle
 * rollup holds. Undefined without any subscription or order.
 */
export async function lifecycleActivityRange(
  db: Pick<Database, 'query'>,
  basis: LifecycleBasis,
  workspaceId: number,
): Promise<{ from: Date; to: Date } | undefined> {
  const [row] =
    basis.kind === 'subscriptions'
      ? await db.query<{ first: Date | null; last: Date | null }>(
          'SELECT min(started_at) AS first, max(greatest(started_at, coalesce(ended_at, started_at))) AS last FROM subscriptions WHERE workspace_id = $1',
          [workspaceId],
        )
      : await db.query<{ first: Date | null; last: Date | null }>('SELECT min(placed_at) AS first, max(placed_at) AS last FROM orders WHERE workspace_id = $1', [
          workspaceId,
        ]);
  if (!row?.first || !row.last) return undefined;
  return { from: new Date(row.first), to: new Date(new Date(row.last).getTime() + 1) };
}

/**
 * Customers of one acquisition cohort who were active in every month from `first` to `last`
 * months after it (an order month: first = last; a run of subscribed months: a span).
 */
export interface CohortSpan {
  /** the customer dimensions the builder groups by */
  key: Record<string, string | null>;
  /** YYYY-MM in the workspace's time zone */
  cohort: string;
  first: number;
  last: number;
  customers: number;
}

export interface CohortData {
  spans: CohortSpan[];
  /** the last instant the data describes (latest kept order; latest subscription start or end) */
  observedUntil: Date | null;
}

/**
 * Acquisition cohorts × months since acquisition, as spans of active months per customer.
 *
 * A customer's cohort is the month (in the workspace's time zone) of their first order that was
 * not cancelled or refunded, or of their first subscription start — the same first purchase or
 * subscription that makes a customer "new" for churn and retention. Active in a month means:
 * orders — placed a kept order in it; subscriptions — subscribed at some instant of it: a
 * subscription covers the months from its start's to the one holding its last active instant
 * (ended_at − 1 µs; the start's month for one that ended as it started), and one still running
 * covers the months up to the one of `observedUntil`. A customer's overlapping subscriptions
 * are merged first (gaps and islands), so nobody is counted twice in a month, and the result
 * holds one row per cohort × span rather than one per customer-month.
 *
 * `builder` (source orders or subscriptions) carries the customer dimensions to group by and the
 * time zone; its own WHERE is not used. `filters` are conditions on the customer (`c`) built
 * with it; `from`/`to` select customers by the instant of their acquisition.
 */
export async function cohortCells(
  db: Database,
  builder: SqlBuilder,
  basis: LifecycleBasis['kind'],
  options: { from?: Date; to?: Date; filters: string[] },
): Promise<CohortData> {
  const [end] =
    basis === 'orders'
      ? await db.query<{ until: Date | null }>(`SELECT max(o.placed_at) AS until FROM orders o WHERE o.workspace_id = $1 AND o.customer_id IS NOT NULL AND ${KEPT_ORDER}`, [
          builder.scope.workspaceId,
        ])
      : await db.query<{ until: Date | null }>('SELECT greatest(max(started_at), max(ended_at)) AS until FROM subscriptions WHERE workspace_id = $1', [
          builder.scope.workspaceId,
        ]);
  if (!end?.until) return { spans: [], observedUntil: null };
  const observedUntil = new Date(end.until);

  const zone = builder.param(builder.scope.timezone);
  const month = (instant: string) => `date_trunc('month', (${instant}) AT TIME ZONE ${zone})`;
  const spans =
    basis === 'orders'
      ? `kept AS (
           SELECT o.customer_id, o.placed_at FROM orders o
           WHERE o.workspace_id = $1 AND o.customer_id IS NOT NULL AND ${KEPT_ORDER}
         ),
         spans AS (SELECT DISTINCT customer_id, ${month('placed_at')} AS a, ${month('placed_at')} AS b FROM kept),
         firsts AS (SELECT customer_id, min(placed_at) AS acquired FROM kept GROUP BY customer_id)`
      : `ranges AS (
           SELECT s.customer_id, s.started_at, ${month('s.started_at')} AS a,
             ${month(`greatest(s.started_at, coalesce(s.ended_at - interval '1 microsecond', ${builder.param(observedUntil)}::timestamptz))`)} AS b
           FROM subscriptions s WHERE s.workspace_id = $1
         ),
         ordered AS (
           SELECT customer_id, a, b,
             max(b) OVER (PARTITION BY customer_id ORDER BY a, b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
           FROM ranges
         ),
         islands AS (
           SELECT customer_id, a, b,
             sum(CASE WHEN reach IS NULL OR a > reach THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS island
           FROM ordered
         ),
         spans AS (SELECT customer_id, min(a) AS a, max(b) AS b FROM islands GROUP BY customer_id, island),
         firsts AS (SELECT customer_id, min(started_at) AS acquired FROM ranges GROUP BY customer_id)`;
  const conditions = [...options.filters];
  if (options.from) conditions.push(`f.acquired >= ${builder.param(options.from)}`);
  if (options.to) conditions.push(`f.acquired < ${builder.param(options.to)}`);
  const keys = builder.keys.map((k, i) => `${k.sql} AS k${i}`);
  const keyNames = builder.keys.map((_, i) => `k${i}`);
  const offset = (column: string) =>
    `((extract(year FROM ${column}) - extract(year FROM m.cohort)) * 12 + extract(month FROM ${column}) - extract(month FROM m.cohort))::integer`;
  const sql = `
    WITH ${spans},
    members AS (
      SELECT ${[...keys, 'f.customer_id', `${month('f.acquired')} AS cohort`].join(', ')}
      FROM firsts f LEFT JOIN customers c ON c.workspace_id = $1 AND c.id = f.customer_id
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    )
    SELECT ${[...keyNames.map((k) => `m.${k}`), "to_char(m.cohort, 'YYYY-MM') AS cohort"].join(', ')},
      ${offset('s.a')} AS first_offset, ${offset('s.b')} AS last_offset, count(*)::integer AS customers
    FROM members m JOIN spans s ON s.customer_id = m.customer_id
    GROUP BY ${[...keyNames.map((k) => `m.${k}`), 'm.cohort', 'first_offset', 'last_offset'].join(', ')}`;
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return {
    observedUntil,
    spans: rows.map((row) => ({
      key: groupKey(builder, row),
      cohort: String(row.cohort),
      first: Number(row.first_offset),
      last: Number(row.last_offset),
      customers: Number(row.customers),
    })),
  };
}
