import type { RecordKindName } from '../domain/record-kinds.ts';
import type { Database, Transaction } from './database.ts';
import { LIFECYCLE_ROLLUP, rebuildLifecycleRollup } from './lifecycle-rollup.ts';
import { durationBucketSql } from './metrics/queries.ts';
import { DURATION_MEASURE_NAMES, isDurationMeasure, TICKET_MEASURE_NAMES, ticketMeasure, type TicketMeasure, type TicketMeasureName } from './metrics/ticket-measures.ts';

/**
 * Keeps the rollup tables in step with the raw rows. Each import batch adds the new version of
 * the rows it touched and subtracts the old one, in the batch's own transaction, so a rollup is
 * exactly as committed as the rows it sums. Whatever cannot be updated that way (a customer's
 * segment changed (every rollup groups by it), the workspace changed time zone, no rollup built yet) marks the rollup stale:
 * queries then read the raw rows until `refreshRollups` rebuilds it (at the end of every import,
 * or `sada rollups`).
 */

export type RollupName = 'responses' | 'tickets' | 'responses_monthly' | 'responses_segment_monthly' | 'tickets_monthly';
/**
 * Every rollup tracked in rollup_state: the ones above, kept by deltas, and the monthly lifecycle
 * rollup (churn, retention), which is only ever rebuilt (src/storage/lifecycle-rollup.ts).
 */
export type AnyRollupName = RollupName | typeof LIFECYCLE_ROLLUP;
export const ROLLUP_NAMES: readonly AnyRollupName[] = ['responses', 'tickets', 'responses_monthly', 'responses_segment_monthly', 'tickets_monthly', LIFECYCLE_ROLLUP];
/** The rollups built from each table: a daily tier and smaller monthly ones. */
const TIERS = { responses: ['responses', 'responses_monthly', 'responses_segment_monthly'], tickets: ['tickets', 'tickets_monthly'] } as const;

const delta = (name: RollupName) => `sada_rollup_delta_${name}`;
/** The calendar day, or the first day of the month, of an instant in the workspace's zone ($2 unless given). */
const dayOf = (column: string, monthly: boolean, zone = '$2') =>
  monthly ? `date_trunc('month', ${column} AT TIME ZONE ${zone})::date` : `(${column} AT TIME ZONE ${zone})::date`;

type ResponseTier = 'daily' | 'monthly' | 'segment';

/**
 * Contributions of responses (`r`, joined to their customers `c`) to a response rollup tier:
 * one row per key with its count. `from` names where the responses come from, `zone` the time
 * zone expression, `where` the filter; `perWorkspace` adds workspace_id to the key.
 */
function responseContributionSql(tier: ResponseTier, source: { from: string; zone: string; where: string; perWorkspace: boolean }): string {
  const columns = {
    daily: "coalesce(r.survey_id, '') AS survey_id, coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel,",
    monthly: "coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel,",
    segment: '',
  }[tier];
  const keyCount = { daily: RESPONSE_KEY, monthly: RESPONSE_MONTHLY_KEY, segment: RESPONSE_SEGMENT_KEY }[tier].length + (source.perWorkspace ? 1 : 0);
  return `SELECT ${source.perWorkspace ? 'r.workspace_id, ' : ''}${dayOf('r.submitted_at', tier !== 'daily', source.zone)} AS day, r.kind, ${columns}
      coalesce(c.segment, '') AS segment, r.scale_min, r.scale_max, r.score, count(*)::integer AS n
    FROM ${source.from}
    LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
    WHERE ${source.where} AND r.score IS NOT NULL
    GROUP BY ${Array.from({ length: keyCount }, (_, i) => i + 1).join(', ')}`;
}

/**
 * Contributions of a workspace's responses ($1) to response_rollups; `only` (SQL selecting ids)
 * restricts them. The query starts from those ids, so a batch costs primary-key lookups whatever
 * the planner believes about the table's size.
 */
function responseContributions(only: string | undefined, tier: ResponseTier): string {
  return responseContributionSql(tier, {
    from: only ? `(${only}) AS touched (id) JOIN responses r ON r.workspace_id = $1 AND r.id = touched.id` : 'responses r',
    zone: '$2',
    where: 'r.workspace_id = $1',
    perWorkspace: false,
  });
}
const RESPONSE_KEY = ['day', 'kind', 'survey_id', 'touchpoint', 'channel', 'segment', 'scale_min', 'scale_max', 'score'];
const RESPONSE_MONTHLY_KEY = RESPONSE_KEY.filter((c) => c !== 'survey_id');
const RESPONSE_SEGMENT_KEY = RESPONSE_MONTHLY_KEY.filter((c) => c !== 'touchpoint' && c !== 'channel');

/**
 * Contributions of tickets to the ticket rollups. Per measure: n = tickets in the population,
 * x = successes (rates) or tickets with an amount (cost), sum and sum_squares of the seconds or
 * the amount. Counts and sums come from one GROUP BY per anchor (created_at, resolved_at) with an
 * aggregate per measure, turned into a row per measure afterwards (`ticketTotalsSql`); the monthly
 * tier's duration histograms need a group per bucket (`ticketHistogramSql`). The daily tier only
 * counts and sums: its size is bounded by the calendar, not by the tickets.
 */
function ticketContributions(only: string | undefined, monthly: boolean): string {
  const measures = monthly ? TICKET_MEASURE_NAMES.filter((name) => !isDurationMeasure(name)) : TICKET_MEASURE_NAMES;
  const totals = ticketTotalsSql(only, monthly, measures);
  return monthly ? `${totals}\nUNION ALL\n${ticketHistogramSql(only)}` : totals;
}

/** Where the tickets come from: all the workspace's ($1), or those `only` selects (by primary key). */
const ticketSource = (only: string | undefined) => (only ? `(${only}) AS touched (id) JOIN tickets t ON t.workspace_id = $1 AND t.id = touched.id` : 'tickets t');

const ticketValueOf = (m: TicketMeasure) => {
  const value = m.seconds ?? m.amount;
  return value ? `(${value})::double precision` : 'NULL::double precision';
};

function ticketTotalsSql(only: string | undefined, monthly: boolean, measures: readonly TicketMeasureName[]): string {
  const from = `FROM ${ticketSource(only)}
    LEFT JOIN customers c ON c.workspace_id = t.workspace_id AND c.id = t.customer_id
    LEFT JOIN employees e ON e.workspace_id = t.workspace_id AND e.id = t.agent_id`;
  const successOf = (m: TicketMeasure) => m.success ?? (m.amount ? `(${m.amount}) IS NOT NULL` : 'false');
  const parts: string[] = [];
  for (const anchor of ['created_at', 'resolved_at'] as const) {
    const names = measures.filter((name) => ticketMeasure(name).anchor === anchor);
    if (names.length === 0) continue;
    const aggregates = names.flatMap((name, i) => {
      const m = ticketMeasure(name);
      const pop = `(${m.population})`;
      return [
        `count(*) FILTER (WHERE ${pop})::integer AS n${i}`,
        `count(*) FILTER (WHERE ${pop} AND (${successOf(m)}))::integer AS x${i}`,
        `coalesce(sum(${ticketValueOf(m)}) FILTER (WHERE ${pop}), 0)::double precision AS s${i}`,
        `coalesce(sum(${ticketValueOf(m)} ^ 2) FILTER (WHERE ${pop}), 0)::double precision AS q${i}`,
      ];
    });
    parts.push(`SELECT a.day, m.measure, a.channel, a.segment, ${monthly ? '0::double precision AS bucket, ' : ''}m.n, m.x, m.sum, m.sum_squares
      FROM (SELECT ${dayOf(`t.${anchor}`, monthly)} AS day, coalesce(t.channel, '') AS channel, coalesce(c.segment, '') AS segment, ${aggregates.join(', ')}
        ${from}
        WHERE t.workspace_id = $1 AND t.${anchor} IS NOT NULL
        GROUP BY 1, 2, 3) a
      CROSS JOIN LATERAL (VALUES ${names.map((name, i) => `('${name}', a.n${i}, a.x${i}, a.s${i}, a.q${i})`).join(', ')}) AS m (measure, n, x, sum, sum_squares)
      WHERE m.n > 0`);
  }
  return parts.join('\nUNION ALL\n');
}

/**
 * The monthly duration histograms: each ticket becomes a row per duration measure it is in the
 * population of (one scan per measure, UNION ALL: on PGlite a third faster than a LATERAL VALUES
 * list over one scan), grouped by month, measure, channel, segment and bucket. Durations read
 * only the ticket (`t`).
 */
function ticketHistogramSql(only: string | undefined): string {
  const rows = DURATION_MEASURE_NAMES.map((name) => {
    const m = ticketMeasure(name);
    return `SELECT '${name}' AS measure, t.${m.anchor} AS anchor, t.channel, t.customer_id, ${ticketValueOf(m)} AS value
        FROM ${ticketSource(only)} WHERE t.workspace_id = $1 AND t.${m.anchor} IS NOT NULL AND (${m.population})`;
  });
  return `SELECT ${dayOf('m.anchor', true)} AS day, m.measure, coalesce(m.channel, '') AS channel, coalesce(c.segment, '') AS segment,
      ${durationBucketSql('m.value')}::double precision AS bucket,
      count(*)::integer AS n, 0 AS x, coalesce(sum(m.value), 0)::double precision AS sum, coalesce(sum(m.value ^ 2), 0)::double precision AS sum_squares
    FROM (${rows.join('\n      UNION ALL ')}) m
    LEFT JOIN customers c ON c.workspace_id = $1 AND c.id = m.customer_id
    GROUP BY 1, 2, 3, 4, 5`;
}
const TICKET_KEY = ['day', 'measure', 'channel', 'segment'];
const TICKET_MONTHLY_KEY = [...TICKET_KEY, 'bucket'];

/**
 * Keeps ticket_histograms_monthly, the compact copy of the monthly duration histograms: one row
 * per month × measure × channel × segment with the histogram as two arrays, plus the same summed
 * over channels, over segments and over both (`summed_over`), so a report by month × segment
 * reads one row a group instead of merging thousands of buckets itself. The two arrays are
 * aligned (one aggregate node fills both from the same rows) but in no particular order: an
 * ORDER BY inside array_agg makes PostgreSQL sort every bucket row by six keys, which in PGlite
 * took three times as long as the whole grouping. `cells` selects the
 * (day, measure, …) that changed; every month and measure of the workspace when undefined.
 */
async function refreshHistogramArrays(tx: Transaction, workspaceId: number, cells?: string): Promise<void> {
  const only = cells ? `AND (day, measure) IN (SELECT DISTINCT day, measure FROM (${cells}) AS changed)` : '';
  await tx.query(`DELETE FROM ticket_histograms_monthly WHERE workspace_id = $1 ${only}`, [workspaceId]);
  // Hashing the groups is what makes this fast; the planner, counting the arrays' memory, would
  // rather sort every bucket row by five keys (in PGlite four times as long as the grouping).
  await tx.exec('SET LOCAL enable_sort = off');
  await tx.query(
    `INSERT INTO ticket_histograms_monthly (workspace_id, measure, day, summed_over, channel, segment, buckets, counts, n, sum, sum_squares)
     SELECT $1, measure, day, summed_over, channel, segment,
       array_agg(bucket), array_agg(n), sum(n), sum(sum), sum(sum_squares)
     FROM (
       SELECT measure, day, concat_ws(',', CASE WHEN GROUPING(channel) = 1 THEN 'channels' END, CASE WHEN GROUPING(segment) = 1 THEN 'segments' END) AS summed_over,
         CASE WHEN GROUPING(channel) = 1 THEN '' ELSE channel END AS channel, CASE WHEN GROUPING(segment) = 1 THEN '' ELSE segment END AS segment,
         bucket, sum(n)::integer AS n, sum(sum) AS sum, sum(sum_squares) AS sum_squares
       FROM ticket_rollups_monthly
       WHERE workspace_id = $1 AND n > 0 AND measure = ANY($2::text[]) ${only}
       GROUP BY GROUPING SETS ((measure, day, channel, segment, bucket), (measure, day, segment, bucket), (measure, day, channel, bucket), (measure, day, bucket))
     ) per_bucket
     GROUP BY measure, day, summed_over, channel, segment`,
    [workspaceId, DURATION_MEASURE_NAMES],
  );
  await tx.exec('SET LOCAL enable_sort = on');
}

/** A response rollup's rows summed into a coarser key (days into months when `toMonths`). */
function regroupSql(table: string, key: readonly string[], toMonths: boolean): string {
  const select = key.map((c) => (c === 'day' && toMonths ? `date_trunc('month', day::timestamp)::date AS day` : c));
  return `SELECT ${select.join(', ')}, sum(n)::integer AS n FROM ${table} WHERE workspace_id = $1
    GROUP BY ${key.map((_, i) => i + 1).join(', ')} HAVING sum(n) > 0`;
}

interface RollupSpec {
  table: string;
  key: string[];
  values: string[];
  contributions: (only: string | undefined) => string;
  /**
   * A finer rollup this one can be rebuilt from while that one is fresh (far fewer rows than the
   * raw table): `sql` selects the key and value columns from it, $1 being the workspace and, when
   * `readsRawRows`, $2 its time zone (what the finer rollup lacks is then read from the raw rows).
   */
  rebuildFrom?: { rollup: RollupName; sql: string; readsRawRows?: boolean };
  /** A table derived from this one, brought in step after it changed (cells: SQL selecting what changed). */
  derived?: { table: string; refresh: (tx: Transaction, workspaceId: number, cells?: string) => Promise<void> };
}

const SPECS: Record<RollupName, RollupSpec> = {
  responses: { table: 'response_rollups', key: RESPONSE_KEY, values: ['n'], contributions: (only) => responseContributions(only, 'daily') },
  tickets: { table: 'ticket_rollups', key: TICKET_KEY, values: ['n', 'x', 'sum', 'sum_squares'], contributions: (only) => ticketContributions(only, false) },
  responses_monthly: {
    table: 'response_rollups_monthly',
    key: RESPONSE_MONTHLY_KEY,
    values: ['n'],
    contributions: (only) => responseContributions(only, 'monthly'),
    rebuildFrom: { rollup: 'responses', sql: regroupSql('response_rollups', RESPONSE_MONTHLY_KEY, true) },
  },
  responses_segment_monthly: {
    table: 'response_rollups_segment_monthly',
    key: RESPONSE_SEGMENT_KEY,
    values: ['n'],
    contributions: (only) => responseContributions(only, 'segment'),
    rebuildFrom: { rollup: 'responses_monthly', sql: regroupSql('response_rollups_monthly', RESPONSE_SEGMENT_KEY, false) },
  },
  tickets_monthly: {
    table: 'ticket_rollups_monthly',
    key: TICKET_MONTHLY_KEY,
    values: ['n', 'x', 'sum', 'sum_squares'],
    contributions: (only) => ticketContributions(only, true),
    // Counts and sums per month are the daily tier's summed; the histograms are not in it.
    rebuildFrom: {
      rollup: 'tickets',
      sql: `SELECT date_trunc('month', day::timestamp)::date AS day, measure, channel, segment, 0::double precision AS bucket,
          sum(n)::integer AS n, sum(x)::integer AS x, sum(sum) AS sum, sum(sum_squares) AS sum_squares
        FROM ticket_rollups WHERE workspace_id = $1 AND NOT measure = ANY(ARRAY[${DURATION_MEASURE_NAMES.map((m) => `'${m}'`).join(', ')}])
        GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0
        UNION ALL
        ${ticketHistogramSql(undefined)}`,
      readsRawRows: true,
    },
    derived: { table: 'ticket_histograms_monthly', refresh: refreshHistogramArrays },
  },
};

interface Freshness {
  timezone: string;
  fresh: Set<AnyRollupName>;
}

/**
 * Which of the workspace's rollups are fresh. Writers pass `lock`: they hold the rollup_state
 * rows FOR SHARE until they commit, so a rebuild (which takes them FOR UPDATE) waits for the
 * answers being written and counts them, and answers written during a rebuild wait for it and
 * then add their delta to the rebuilt rows. Without it, answers committed after a rebuild's
 * snapshot but by writers that saw the rollup stale were lost from it (found by review: 600 of
 * 302,241 answers missing after five rebuilds under load).
 */
async function freshness(q: Pick<Transaction, 'query'>, workspaceId: number, lock = false): Promise<Freshness> {
  // One round trip: the workspace's zone rides along on each state row (no rows: nothing is fresh).
  const rows = await q.query<{ rollup: AnyRollupName; stale: boolean; timezone: string; workspace_timezone: string }>(
    `SELECT rollup, stale, timezone, (SELECT w.timezone FROM workspaces w WHERE w.id = $1) AS workspace_timezone
     FROM rollup_state WHERE workspace_id = $1 ORDER BY rollup${lock ? ' FOR SHARE' : ''}`,
    [workspaceId],
  );
  const timezone = rows[0]?.workspace_timezone ?? 'UTC';
  return { timezone, fresh: new Set(rows.filter((r) => !r.stale && r.timezone === timezone).map((r) => r.rollup)) };
}

/** Which fresh rollups (if any) can answer queries for this workspace right now. */
export async function freshRollups(db: Database, workspaceId: number): Promise<Set<AnyRollupName>> {
  return (await freshness(db, workspaceId)).fresh;
}

/** What a batch of `kind` changes in the rollups: a delta over some ids, or staleness. */
function effect(kind: RecordKindName, columns: readonly string[]): { delta?: readonly RollupName[]; stale?: readonly AnyRollupName[] } {
  switch (kind) {
    case 'responses':
      return { delta: TIERS.responses };
    case 'tickets':
    case 'messages':
      return { delta: TIERS.tickets };
    case 'customers':
      return columns.includes('segment') ? { stale: ROLLUP_NAMES } : {};
    case 'employees':
      // An agent's hourly cost prices the tickets without a cost of their own.
      return columns.includes('hourly_cost') ? { stale: TIERS.tickets } : {};
    case 'subscriptions':
    case 'orders':
      // Who is active in a month depends on all of a customer's rows: rebuilt, never delta-kept.
      return { stale: [LIFECYCLE_ROLLUP] };
    default:
      return {};
  }
}

/**
 * Before a large import: per-batch deltas cost more than one rebuild at the end once a file
 * brings more than a fifth of what the table holds (or 50,000 rows). Returns whether the import
 * should skip them: its batches then write no deltas, and the first batch that changes anything
 * marks the rollups stale in its own transaction (`beginRollupBatch` with `deferred`), so the
 * end of the import rebuilds them — and a re-import that changes nothing keeps them as they are.
 */
export async function deferRollupsForLargeImport(db: Database, workspaceId: number, kind: RecordKindName, expectedRows: number): Promise<boolean> {
  if (!effect(kind, []).delta) return false;
  const table = kind === 'responses' ? 'responses' : 'tickets';
  const [row] = await db.query<{ rows: number }>(`SELECT count(*)::integer AS rows FROM ${table} WHERE workspace_id = $1`, [workspaceId]);
  return expectedRows >= Math.max(50_000, (row?.rows ?? 0) / 5);
}

export interface RollupBatch {
  /** Call after the batch has written its rows (and derived ticket fields); `changed`: whether it changed any. */
  after(changed: boolean): Promise<void>;
}

/**
 * Call inside the batch's transaction before it writes. `idsSql` selects the ids of the
 * responses or tickets the batch may change (for messages: their tickets), with parameters
 * `params` numbered from $3 ($1 is the workspace, $2 its time zone). `deferred`: the import
 * rebuilds the rollups at its end (`deferRollupsForLargeImport`), so a batch that changes rows
 * only marks them stale.
 */
export async function beginRollupBatch(
  tx: Transaction,
  workspaceId: number,
  kind: RecordKindName,
  columns: readonly string[],
  idsSql: string,
  params: unknown[],
  deferred = false,
): Promise<RollupBatch> {
  const { delta: tiers, stale } = effect(kind, columns);
  const markStale = (names: readonly AnyRollupName[]) =>
    tx.query('UPDATE rollup_state SET stale = true WHERE workspace_id = $1 AND rollup = ANY($2::text[])', [workspaceId, names]);
  const noop = { after: async () => {} };
  if (stale) {
    await markStale(stale);
    return noop;
  }
  if (!tiers) return noop;
  if (deferred) return { after: async (changed) => void (changed && (await markStale(tiers))) };
  const state = await freshness(tx, workspaceId, true);
  const live = tiers.filter((name) => state.fresh.has(name));
  if (live.length === 0) return noop;
  const args = [workspaceId, state.timezone, ...params];
  for (const name of live) {
    const spec = SPECS[name];
    await tx.exec(`CREATE TEMP TABLE ${delta(name)} ON COMMIT DROP AS SELECT ${spec.key.join(', ')}, ${spec.values.join(', ')} FROM ${spec.table} WITH NO DATA`);
    // The old contribution of the rows, subtracted.
    await tx.query(
      `INSERT INTO ${delta(name)} SELECT ${spec.key.join(', ')}, ${spec.values.map((v) => `-${v}`).join(', ')} FROM (${spec.contributions(idsSql)}) old`,
      args,
    );
  }
  return {
    async after() {
      for (const name of live) {
        const spec = SPECS[name];
        const keys = spec.key.join(', ');
        const valueList = spec.values.join(', ');
        await tx.query(`INSERT INTO ${delta(name)} SELECT ${keys}, ${valueList} FROM (${spec.contributions(idsSql)}) new`, args);
        await tx.query(
          `INSERT INTO ${spec.table} (workspace_id, ${keys}, ${valueList})
           SELECT $1, ${keys}, ${spec.values.map((v) => `sum(${v})`).join(', ')} FROM ${delta(name)}
           GROUP BY ${keys} ORDER BY ${keys}
           ON CONFLICT (workspace_id, ${keys}) DO UPDATE SET ${spec.values.map((v) => `${v} = ${spec.table}.${v} + EXCLUDED.${v}`).join(', ')}`,
          [workspaceId],
        );
        await spec.derived?.refresh(tx, workspaceId, `SELECT day, measure FROM ${delta(name)}`);
        await tx.exec(`DROP TABLE ${delta(name)}`);
      }
    },
  };
}

/**
 * For responses that did not exist before this transaction (live survey answers, `ids`): their
 * contribution is added to each fresh tier, by the same statement the group commit uses
 * (`newResponseRollupCtes`), so both paths lock the same rows in the same order.
 */
export async function addNewResponsesToRollups(tx: Transaction, workspaceId: number, ids: readonly string[]): Promise<void> {
  await tx.query(
    `WITH new_responses AS (
       SELECT workspace_id, submitted_at, kind, survey_id, touchpoint, channel, customer_id, scale_min, scale_max, score
       FROM responses WHERE workspace_id = $1 AND id = ANY($2::text[])),
     ${newResponseRollupCtes('new_responses')}
     SELECT 1`,
    [workspaceId, ids],
  );
}

/**
 * Common table expressions that add `source` — a data-modifying CTE's RETURNING rows with the
 * columns of responses, new in this statement — to every response tier that is fresh for their
 * workspace, so that inserting answers and rolling them up is one statement (one round trip,
 * atomic without an explicit transaction). Append after `source` in a WITH list.
 */
export function newResponseRollupCtes(source: string): string {
  // Every rollup_state row of the workspaces is locked FOR SHARE, stale or not (see freshness).
  const state = `rollup_state_held AS (
    SELECT s.workspace_id, s.rollup, s.stale, s.timezone FROM rollup_state s
    WHERE s.workspace_id IN (SELECT DISTINCT workspace_id FROM ${source}) ORDER BY s.workspace_id, s.rollup FOR SHARE),
  rollup_fresh AS (
    SELECT h.workspace_id, h.rollup, w.timezone FROM rollup_state_held h JOIN workspaces w ON w.id = h.workspace_id
    WHERE NOT h.stale AND h.timezone = w.timezone)`;
  const tiers = TIERS.responses.map((name, i) => {
    const spec = SPECS[name];
    const keys = spec.key.join(', ');
    const contributions = responseContributionSql(name === 'responses' ? 'daily' : name === 'responses_monthly' ? 'monthly' : 'segment', {
      from: `${source} r JOIN rollup_fresh f ON f.workspace_id = r.workspace_id AND f.rollup = '${name}'`,
      zone: 'f.timezone',
      where: 'true',
      perWorkspace: true,
    });
    // Reading the previous tier's result makes PostgreSQL finish it first: the tiers are locked
    // daily → monthly → segment, the order of every other writer (unreferenced CTEs would run
    // in an unspecified order, and did deadlock against single answers under review).
    const after = i === 0 ? '' : ` CROSS JOIN (SELECT count(*) FROM rollup_${i - 1}) AS previous_tier`;
    return `rollup_${i} AS (
    INSERT INTO ${spec.table} (workspace_id, ${keys}, n)
    SELECT added.workspace_id, ${spec.key.map((k) => `added.${k}`).join(', ')}, added.n FROM (${contributions}) added${after}
    ORDER BY added.workspace_id, ${spec.key.map((k) => `added.${k}`).join(', ')}
    ON CONFLICT (workspace_id, ${keys}) DO UPDATE SET n = ${spec.table}.n + EXCLUDED.n
    RETURNING 1)`;
  });
  return [state, ...tiers].join(',\n');
}

/** Rebuilds every rollup of the workspace that is missing, stale or built for another time zone. */
export async function refreshRollups(db: Database, workspaceId: number): Promise<AnyRollupName[]> {
  const state = await freshness(db, workspaceId);
  const rebuilt: AnyRollupName[] = [];
  for (const name of ROLLUP_NAMES) {
    if (state.fresh.has(name)) continue;
    await rebuildRollup(db, workspaceId, name);
    rebuilt.push(name);
  }
  return rebuilt;
}

const REBUILD_WORK_MEM = '64MB';

export async function rebuildRollup(db: Database, workspaceId: number, name: AnyRollupName): Promise<void> {
  if (name === LIFECYCLE_ROLLUP) return rebuildLifecycleRollup(db, workspaceId);
  const spec = SPECS[name];
  // The state row exists (committed, stale) before the rebuild locks it, so writers always find
  // a row to hold FOR SHARE: a first build would otherwise race the answers written meanwhile.
  await db.query(
    `INSERT INTO rollup_state (workspace_id, rollup, timezone, stale) SELECT id, $2, timezone, true FROM workspaces WHERE id = $1 ON CONFLICT DO NOTHING`,
    [workspaceId, name],
  );
  await db.transaction(async (tx) => {
    // Waits for the writers holding the row FOR SHARE and makes new ones wait (see freshness).
    await tx.query('SELECT 1 FROM rollup_state WHERE workspace_id = $1 AND rollup = $2 FOR UPDATE', [workspaceId, name]);
    // A rebuild groups up to millions of rows: in the default 4 MB its hash tables and sorts
    // spill to disk in a dozen batches.
    await tx.exec(`SET LOCAL work_mem = '${REBUILD_WORK_MEM}'`);
    const [ws] = await tx.query<{ timezone: string }>('SELECT timezone FROM workspaces WHERE id = $1', [workspaceId]);
    const timezone = ws?.timezone ?? 'UTC';
    await tx.query(`DELETE FROM ${spec.table} WHERE workspace_id = $1`, [workspaceId]);
    const columns = `${spec.key.join(', ')}, ${spec.values.join(', ')}`;
    const finer = spec.rebuildFrom && (await freshness(tx, workspaceId)).fresh.has(spec.rebuildFrom.rollup) ? spec.rebuildFrom : undefined;
    await tx.query(
      `INSERT INTO ${spec.table} (workspace_id, ${columns})
       SELECT $1, ${columns} FROM (${finer ? finer.sql : spec.contributions(undefined)}) c`,
      finer && !finer.readsRawRows ? [workspaceId] : [workspaceId, timezone],
    );
    if (spec.derived) {
      // Statistics of the rows just written, so that the derived table is grouped by hashing:
      // believing the table small, the planner sorts hundreds of thousands of rows instead.
      await tx.exec(`ANALYZE ${spec.table}`);
      await spec.derived.refresh(tx, workspaceId);
    }
    await tx.query(
      `INSERT INTO rollup_state (workspace_id, rollup, timezone, stale, built_at) VALUES ($1, $2, $3, false, now())
       ON CONFLICT (workspace_id, rollup) DO UPDATE SET timezone = EXCLUDED.timezone, stale = false, built_at = now()`,
      [workspaceId, name, timezone],
    );
  });
  // Fresh statistics for the planner (PGlite runs no autovacuum): without them it takes the
  // rebuilt table for empty and sorts tens of thousands of histogram rows on disk.
  await db.query(`ANALYZE ${spec.derived?.table ?? spec.table}`);
}
