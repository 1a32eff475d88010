import type { UnitRanks } from '../../metrics/consistency.ts';
import type { Database } from '../database.ts';
import { rateStats, type Group, type RateStats } from './queries.ts';
import type { SqlBuilder } from './sql-builder.ts';
import { TICKET_MEASURES } from './ticket-measures.ts';

/**
 * The SQL behind `consistency` (docs/metrics.md#consistency): per agent (or team), FCR counts,
 * resolved-within-a-horizon counts, and the rank sums of resolution times within each ticket
 * category, from which the Kruskal–Wallis H is computed exactly (src/metrics/consistency.ts).
 * Each builder carries the compared unit as its only key (k0) and the request's range and filters.
 */

/** FCR successes and judged tickets per unit (a null key gathers the tickets without one). */
export function fcrByUnit(db: Database, builder: SqlBuilder): Promise<Group<RateStats>[]> {
  // The fcr metric's own definition: the same population and success, by construction.
  return rateStats(db, builder, TICKET_MEASURES.fcr.success, TICKET_MEASURES.fcr.population);
}

/**
 * The last instant the workspace's ticket data describes: its latest creation, reply, resolution
 * or closing. Null without tickets.
 */
export async function ticketsAsOf(db: Database, workspaceId: number): Promise<Date | null> {
  const [row] = await db.query<{ as_of: Date | null }>(
    `SELECT greatest(max(created_at), max(first_response_at), max(first_resolved_at), max(resolved_at), max(closed_at)) AS as_of
     FROM tickets WHERE workspace_id = $1`,
    [workspaceId],
  );
  return row?.as_of ? new Date(row.as_of) : null;
}

/**
 * Of the tickets created in the builder's range (anchor `created_at`, merged-away excluded) at
 * least `horizonDays` before `asOf` — so each had the whole horizon to be resolved — how many
 * were first resolved within `horizonDays` of their creation.
 */
export function resolvedWithinByUnit(db: Database, builder: SqlBuilder, horizonDays: number, asOf: Date): Promise<Group<RateStats>[]> {
  const horizon = `${builder.param(`${horizonDays} days`)}::interval`;
  const cutoff = `${builder.param(asOf)}::timestamptz - ${horizon}`;
  return rateStats(
    db,
    builder,
    `coalesce(t.first_resolved_at, t.resolved_at) <= t.created_at + ${horizon}`,
    `t.merged_into IS NULL AND t.created_at <= ${cutoff}`,
  );
}

/** One agent's resolution times in one category, as ranks among all the category's times. */
export type RankCell = UnitRanks;

/**
 * Rank sums of full resolution times (resolved_at − created_at, the exact value: ties are equal
 * durations, no rounding) per category and unit, over the resolved tickets of the range that
 * have a unit. Ranks are mid-ranks within the category, computed by the database, so the
 * Kruskal–Wallis statistic is exact however many tickets there are and only one row per
 * category × unit comes back.
 */
export async function resolutionRanks(db: Database, builder: SqlBuilder): Promise<RankCell[]> {
  const unit = builder.keys[0]!.sql;
  builder.where(TICKET_MEASURES.resolution_time.population).where(`${unit} IS NOT NULL`);
  const durations = `SELECT ${unit} AS unit, t.category AS category, ${TICKET_MEASURES.resolution_time.seconds} AS seconds ${builder.from()}`;
  const sql = `
    SELECT category, unit, count(*)::integer AS n,
      sum(low_rank + (ties - 1) / 2.0)::double precision AS rank_sum,
      sum((ties * ties - 1)::numeric)::text AS tie_term,
      (percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds))::double precision AS median
    FROM (
      SELECT unit, category, seconds,
        rank() OVER (PARTITION BY category ORDER BY seconds) AS low_rank,
        count(*) OVER (PARTITION BY category, seconds) AS ties
      FROM (${durations}) d
    ) ranked
    GROUP BY category, unit`;
  const rows = await db.query<{ category: string | null; unit: string; n: number; rank_sum: number; tie_term: string; median: number }>(sql, builder.params);
  return rows.map((r) => ({
    category: r.category,
    unit: String(r.unit),
    n: Number(r.n),
    rankSum: Number(r.rank_sum),
    tieTerm: BigInt(r.tie_term),
    median: Number(r.median),
  }));
}
