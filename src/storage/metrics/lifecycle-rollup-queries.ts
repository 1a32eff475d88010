import type { Dimension, Filter } from '../../metrics/dimensions.ts';
import type { Database } from '../database.ts';
import { inactivityDaysOf, LIFECYCLE_ROLLUP_INACTIVITY_DAYS, LIFECYCLE_ROLLUP_TABLE } from '../lifecycle-rollup.ts';
import type { LifecycleBasis, LifecycleStats } from './lifecycle.ts';
import type { Group } from './queries.ts';

/**
 * Churn and retention's counts read from the monthly lifecycle rollup (src/storage/lifecycle-rollup.ts)
 * instead of the raw rows: by month, optionally by segment, optionally filtered on segment. The
 * rows are the raw query's own (one per month × segment), so reading them, or summing them over
 * segments, gives the raw answer exactly; test/lifecycle-rollup.test.ts checks it.
 */

const isSegment = (d: Dimension) => d.type === 'customer' && d.field === 'segment';

/**
 * Whether the rollup holds what the request asks for: its basis (subscriptions, or orders with the
 * default inactivity), months as the period, and segment as the only other dimension and filter.
 * The range still has to be covered (see `lifecycleRollupStats`).
 */
export function lifecycleRollupCanAnswer(basis: LifecycleBasis, by: Dimension[], where: Filter[]): boolean {
  if (basis.kind === 'orders' && basis.inactivityDays !== LIFECYCLE_ROLLUP_INACTIVITY_DAYS) return false;
  const periods = by.filter((d) => d.type === 'period');
  const others = by.filter((d) => d.type !== 'period');
  return (
    periods.length === 1 &&
    periods[0]!.type === 'period' &&
    periods[0]!.period === 'month' &&
    others.length <= 1 &&
    others.every(isSegment) &&
    where.every((f) => isSegment(f.dimension))
  );
}

export interface LifecycleRollupRequest {
  workspaceId: number;
  basis: LifecycleBasis;
  /** The request's dimensions: a month period, and segment or nothing. */
  by: Dimension[];
  where: Filter[];
  /**
   * First days (YYYY-MM-DD) of the months of --from and --to in the workspace's zone. The raw
   * query counts whole months overlapping the range, so only their months matter.
   */
  fromMonth?: string;
  toMonth?: string;
}

/**
 * The lifecycle counts of the request's months, keyed like `lifecycleStats` (the month first,
 * then the segment), or undefined when the rollup does not cover them and the raw rows must
 * answer: it holds no row of this basis (built for the other one, or no activity at all), or the
 * range runs past the last month with activity (later months have rows the rollup does not hold:
 * a running subscription stays active). Months before the first activity have no rows either way.
 * Call it only on a fresh rollup whose `lifecycleRollupCanAnswer` is true.
 */
export async function lifecycleRollupStats(db: Database, request: LifecycleRollupRequest): Promise<Group<LifecycleStats>[] | undefined> {
  const basis = [request.workspaceId, request.basis.kind, inactivityDaysOf(request.basis)];
  const [cover] = await db.query<{ last: string | null }>(
    `SELECT to_char(max(ro.day), 'YYYY-MM-DD') AS last FROM ${LIFECYCLE_ROLLUP_TABLE} ro
     WHERE ro.workspace_id = $1 AND ro.basis = $2 AND ro.inactivity_days = $3`,
    basis,
  );
  if (!cover?.last || (request.toMonth !== undefined && request.toMonth > cover.last)) return undefined;

  const params: unknown[] = [...basis];
  const param = (value: unknown) => (params.push(value), `$${params.length}`);
  const where = ['ro.workspace_id = $1', 'ro.basis = $2', 'ro.inactivity_days = $3'];
  if (request.fromMonth) where.push(`ro.day >= ${param(request.fromMonth)}::date`);
  if (request.toMonth) where.push(`ro.day <= ${param(request.toMonth)}::date`);
  for (const filter of request.where) where.push(`ro.segment = ANY(${param(filter.values)}::text[])`);
  const period = request.by.find((d) => d.type === 'period')!;
  const segment = request.by.find(isSegment);
  const rows = await db.query<{ period: string; segment: string | null; at_start: number; at_end: number; churned: number; new_customers: number }>(
    `SELECT to_char(ro.day, 'YYYY-MM') AS period, ${segment ? "NULLIF(ro.segment, '')" : 'NULL::text'} AS segment,
       sum(ro.at_start)::integer AS at_start, sum(ro.at_end)::integer AS at_end,
       sum(ro.churned)::integer AS churned, sum(ro.new_customers)::integer AS new_customers
     FROM ${LIFECYCLE_ROLLUP_TABLE} ro WHERE ${where.join(' AND ')}
     GROUP BY 1, 2`,
    params,
  );
  return rows.map((row) => ({
    key: { [period.name]: row.period, ...(segment ? { [segment.name]: row.segment } : {}) },
    stats: {
      atStart: Number(row.at_start),
      atEnd: Number(row.at_end),
      churned: Number(row.churned),
      newCustomers: Number(row.new_customers),
    },
  }));
}
