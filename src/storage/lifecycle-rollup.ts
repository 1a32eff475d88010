import { METRICS } from '../metrics/definitions.ts';
import { parseDimension } from '../metrics/dimensions.ts';
import { periodsBetween } from '../metrics/periods.ts';
import type { Database, Transaction } from './database.ts';
import { lifecycleActivityRange, lifecycleStats, type LifecycleBasis } from './metrics/lifecycle.ts';
import { SqlBuilder } from './metrics/sql-builder.ts';

/**
 * The monthly lifecycle rollup (lifecycle_rollups_monthly, migration 0007): churn and retention's
 * counts per month × customer segment, from the first to the last activity — the rows the raw
 * query `lifecycleStats` returns for those months grouped by segment, stored as it returns them.
 *
 * A customer's state in a month depends on all their subscriptions or orders, so the rollup is
 * not kept by deltas: imports of customers (segment), subscriptions and orders mark it stale, and
 * `refreshRollups` (src/storage/rollups.ts) rebuilds it here. It holds the basis churn and
 * retention read by default: subscriptions when the workspace has any, else orders with the
 * default inactivity; any other basis reads the raw rows.
 */

export const LIFECYCLE_ROLLUP = 'lifecycle_monthly';
export const LIFECYCLE_ROLLUP_TABLE = 'lifecycle_rollups_monthly';
/** The one inactivity (days without an order) the rollup holds for the orders basis: the default. */
export const LIFECYCLE_ROLLUP_INACTIVITY_DAYS = 90;

/** `inactivity_days` of a basis in the rollup: 0 for subscriptions. */
export const inactivityDaysOf = (basis: LifecycleBasis) => (basis.kind === 'orders' ? basis.inactivityDays : 0);

/** The basis churn and retention read with default settings (the same choice as metricReport). */
async function defaultBasis(tx: Pick<Transaction, 'query'>, workspaceId: number): Promise<LifecycleBasis> {
  const [row] = await tx.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM subscriptions WHERE workspace_id = $1) AS found', [workspaceId]);
  return row?.found ? { kind: 'subscriptions' } : { kind: 'orders', inactivityDays: LIFECYCLE_ROLLUP_INACTIVITY_DAYS };
}

/** Rebuilds the workspace's lifecycle rollup from the raw rows and marks it fresh, in one transaction. */
export async function rebuildLifecycleRollup(db: Database, workspaceId: number): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialises rebuilds of one workspace on PostgreSQL, like the other rollups' (PGlite is single-writer anyway).
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sada.rollup.${workspaceId}.${LIFECYCLE_ROLLUP}`]);
    // An import batch marks the rollup stale (an UPDATE of this row) before it writes, in its own
    // transaction. Holding the row makes the two take turns: a batch that began first commits
    // before the rebuild reads the rows; one that begins later marks the new build stale.
    await tx.query('SELECT 1 FROM rollup_state WHERE workspace_id = $1 AND rollup = $2 FOR UPDATE', [workspaceId, LIFECYCLE_ROLLUP]);
    const [ws] = await tx.query<{ timezone: string }>('SELECT timezone FROM workspaces WHERE id = $1', [workspaceId]);
    const timezone = ws?.timezone ?? 'UTC';
    await tx.query(`DELETE FROM ${LIFECYCLE_ROLLUP_TABLE} WHERE workspace_id = $1`, [workspaceId]);

    const basis = await defaultBasis(tx, workspaceId);
    const range = await lifecycleActivityRange(tx, basis, workspaceId);
    if (range) {
      const periods = periodsBetween(range.from, range.to, 'month', timezone);
      const segment = parseDimension(basis.kind, 'segment');
      const builder = new SqlBuilder(basis.kind, { workspaceId, timezone, by: [segment], where: [] }, METRICS.churn.anchor);
      const stats = await lifecycleStats(tx, builder, basis, periods, [], 'month');
      const column = <T>(pick: (g: (typeof stats)[number]) => T) => stats.map(pick);
      // Raw data never holds an empty segment (blank cells are NULL); the GROUP BY only guards
      // the primary key should one ever appear.
      await tx.query(
        `INSERT INTO ${LIFECYCLE_ROLLUP_TABLE} (workspace_id, basis, inactivity_days, day, segment, at_start, at_end, churned, new_customers)
         SELECT $1, $2, $3, (u.month || '-01')::date, u.segment, sum(u.at_start), sum(u.at_end), sum(u.churned), sum(u.new_customers)
         FROM unnest($4::text[], $5::text[], $6::integer[], $7::integer[], $8::integer[], $9::integer[])
           AS u (month, segment, at_start, at_end, churned, new_customers)
         GROUP BY u.month, u.segment`,
        [
          workspaceId,
          basis.kind,
          inactivityDaysOf(basis),
          column((g) => g.key.month),
          column((g) => g.key.segment ?? ''),
          column((g) => g.stats.atStart),
          column((g) => g.stats.atEnd),
          column((g) => g.stats.churned),
          column((g) => g.stats.newCustomers),
        ],
      );
    }
    await tx.query(
      `INSERT INTO rollup_state (workspace_id, rollup, timezone, stale, built_at) VALUES ($1, $2, $3, false, now())
       ON CONFLICT (workspace_id, rollup) DO UPDATE SET timezone = EXCLUDED.timezone, stale = false, built_at = now()`,
      [workspaceId, LIFECYCLE_ROLLUP, timezone],
    );
  });
}
