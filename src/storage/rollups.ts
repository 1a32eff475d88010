import type { RecordKindName } from '../domain/record-kinds.ts';
import type { Database, Transaction } from './database.ts';
import { durationBucketSql } from './metrics/queries.ts';
import { TICKET_MEASURE_NAMES, ticketMeasure } from './metrics/ticket-measures.ts';

/**
 * Keeps the rollup tables in step with the raw rows. Each import batch adds the new version of
 * the rows it touched and subtracts the old one, in the batch's own transaction, so a rollup is
 * exactly as committed as the rows it sums. Whatever cannot be updated that way (a customer's
 * segment changed (both rollups group by it), the workspace changed time zone, no rollup built yet) marks the rollup stale:
 * queries then read the raw rows until `refreshRollups` rebuilds it (at the end of every import,
 * or `sada rollups`).
 */

export type RollupName = 'responses' | 'tickets' | 'responses_monthly' | 'tickets_monthly';
export const ROLLUP_NAMES: readonly RollupName[] = ['responses', 'tickets', 'responses_monthly', 'tickets_monthly'];
/** The rollups built from each table: a daily tier and a smaller monthly one. */
const TIERS = { responses: ['responses', 'responses_monthly'], tickets: ['tickets', 'tickets_monthly'] } as const;

const delta = (name: RollupName) => `sada_rollup_delta_${name}`;
/** The calendar day, or the first day of the month, of an instant in the workspace's zone ($2). */
const dayOf = (column: string, monthly: boolean) =>
  monthly ? `date_trunc('month', ${column} AT TIME ZONE $2)::date` : `(${column} AT TIME ZONE $2)::date`;

/**
 * Contributions of responses to response_rollups; `only` (SQL selecting ids) restricts them. The
 * query starts from those ids, so a batch costs primary-key lookups whatever the planner believes
 * about the table's size.
 */
function responseContributions(only: string | undefined, monthly = false): string {
  return `SELECT ${dayOf('r.submitted_at', monthly)} AS day, r.kind, ${monthly ? '' : "coalesce(r.survey_id, '') AS survey_id,"}
      coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel, coalesce(c.segment, '') AS segment,
      r.scale_min, r.scale_max, r.score, count(*)::integer AS n
    FROM ${only ? `(${only}) AS touched (id) JOIN responses r ON r.workspace_id = $1 AND r.id = touched.id` : 'responses r'}
    LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
    WHERE r.workspace_id = $1 AND r.score IS NOT NULL
    GROUP BY ${monthly ? '1, 2, 3, 4, 5, 6, 7, 8' : '1, 2, 3, 4, 5, 6, 7, 8, 9'}`;
}
const RESPONSE_KEY = ['day', 'kind', 'survey_id', 'touchpoint', 'channel', 'segment', 'scale_min', 'scale_max', 'score'];
const RESPONSE_MONTHLY_KEY = RESPONSE_KEY.filter((c) => c !== 'survey_id');

/** Contributions of tickets to ticket_rollups, one SELECT per measure. */
function ticketContributions(only: string | undefined, monthly = false): string {
  return TICKET_MEASURE_NAMES.map((name) => {
    const m = ticketMeasure(name);
    const seconds = m.seconds ?? '0';
    return `SELECT ${dayOf(`t.${m.anchor}`, monthly)} AS day, '${name}'::text AS measure, coalesce(t.channel, '') AS channel,
        ${monthly ? '' : "coalesce(t.agent_id, '') AS agent_id, coalesce(t.category, '') AS category,"} coalesce(c.segment, '') AS segment,
        ${m.seconds ? durationBucketSql(seconds) : '0'}::double precision AS bucket,
        count(*)::integer AS n, ${m.success ? `count(*) FILTER (WHERE ${m.success})` : '0'}::integer AS x,
        ${m.seconds ? `sum((${seconds})::double precision)` : '0'}::double precision AS sum,
        ${m.seconds ? `sum((${seconds})::double precision ^ 2)` : '0'}::double precision AS sum_squares
      FROM ${only ? `(${only}) AS touched (id) JOIN tickets t ON t.workspace_id = $1 AND t.id = touched.id` : 'tickets t'}
      LEFT JOIN customers c ON c.workspace_id = t.workspace_id AND c.id = t.customer_id
      WHERE t.workspace_id = $1 AND t.${m.anchor} IS NOT NULL AND (${m.population})
      GROUP BY ${monthly ? '1, 2, 3, 4, 5' : '1, 2, 3, 4, 5, 6, 7'}`;
  }).join('\nUNION ALL\n');
}
const TICKET_KEY = ['day', 'measure', 'channel', 'agent_id', 'category', 'segment', 'bucket'];
const TICKET_MONTHLY_KEY = TICKET_KEY.filter((c) => c !== 'agent_id' && c !== 'category');

const SPECS: Record<RollupName, { table: string; key: string[]; values: string[]; contributions: (only: string | undefined) => string }> = {
  responses: { table: 'response_rollups', key: RESPONSE_KEY, values: ['n'], contributions: (only) => responseContributions(only) },
  tickets: { table: 'ticket_rollups', key: TICKET_KEY, values: ['n', 'x', 'sum', 'sum_squares'], contributions: (only) => ticketContributions(only) },
  responses_monthly: {
    table: 'response_rollups_monthly',
    key: RESPONSE_MONTHLY_KEY,
    values: ['n'],
    contributions: (only) => responseContributions(only, true),
  },
  tickets_monthly: {
    table: 'ticket_rollups_monthly',
    key: TICKET_MONTHLY_KEY,
    values: ['n', 'x', 'sum', 'sum_squares'],
    contributions: (only) => ticketContributions(only, true),
  },
};

interface Freshness {
  timezone: string;
  fresh: Set<RollupName>;
}

async function freshness(q: Pick<Transaction, 'query'>, workspaceId: number): Promise<Freshness> {
  const rows = await q.query<{ rollup: RollupName; fresh: boolean; timezone: string }>(
    `SELECT w.timezone, s.rollup, (s.rollup IS NOT NULL AND NOT s.stale AND s.timezone = w.timezone) AS fresh
     FROM workspaces w LEFT JOIN rollup_state s ON s.workspace_id = w.id WHERE w.id = $1`,
    [workspaceId],
  );
  return { timezone: rows[0]?.timezone ?? 'UTC', fresh: new Set(rows.filter((r) => r.fresh).map((r) => r.rollup)) };
}

/** Which fresh rollups (if any) can answer queries for this workspace right now. */
export async function freshRollups(db: Database, workspaceId: number): Promise<Set<RollupName>> {
  return (await freshness(db, workspaceId)).fresh;
}

/** What a batch of `kind` changes in the rollups: a delta over some ids, or staleness. */
function effect(kind: RecordKindName, columns: readonly string[]): { delta?: readonly RollupName[]; stale?: readonly RollupName[] } {
  switch (kind) {
    case 'responses':
      return { delta: TIERS.responses };
    case 'tickets':
    case 'messages':
      return { delta: TIERS.tickets };
    case 'customers':
      return columns.includes('segment') ? { stale: ROLLUP_NAMES } : {};
    default:
      return {};
  }
}

/**
 * Before a large import: per-batch deltas cost more than one rebuild at the end once a file
 * brings more than a fifth of what the table holds (or 50,000 rows). Marks the rollups the kind
 * feeds as stale, so batches skip them and the end of the import rebuilds them; meanwhile
 * reports read the raw rows. Returns whether it did.
 */
export async function deferRollupsForLargeImport(db: Database, workspaceId: number, kind: RecordKindName, expectedRows: number): Promise<boolean> {
  const tiers = effect(kind, []).delta;
  if (!tiers) return false;
  const table = kind === 'responses' ? 'responses' : 'tickets';
  const [row] = await db.query<{ rows: number }>(`SELECT count(*)::integer AS rows FROM ${table} WHERE workspace_id = $1`, [workspaceId]);
  if (expectedRows < Math.max(50_000, (row?.rows ?? 0) / 5)) return false;
  await db.query('UPDATE rollup_state SET stale = true WHERE workspace_id = $1 AND rollup = ANY($2::text[])', [workspaceId, tiers]);
  return true;
}

export interface RollupBatch {
  /** Call after the batch has written its rows (and derived ticket fields). */
  after(): Promise<void>;
}

/**
 * Call inside the batch's transaction before it writes. `idsSql` selects the ids of the
 * responses or tickets the batch may change (for messages: their tickets), with parameters
 * `params` numbered from $3 ($1 is the workspace, $2 its time zone).
 */
export async function beginRollupBatch(
  tx: Transaction,
  workspaceId: number,
  kind: RecordKindName,
  columns: readonly string[],
  idsSql: string,
  params: unknown[],
): Promise<RollupBatch> {
  const { delta: tiers, stale } = effect(kind, columns);
  const noop = { after: async () => {} };
  if (stale) {
    await tx.query('UPDATE rollup_state SET stale = true WHERE workspace_id = $1 AND rollup = ANY($2::text[])', [workspaceId, stale]);
    return noop;
  }
  if (!tiers) return noop;
  const state = await freshness(tx, workspaceId);
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
           GROUP BY ${keys}
           ON CONFLICT (workspace_id, ${keys}) DO UPDATE SET ${spec.values.map((v) => `${v} = ${spec.table}.${v} + EXCLUDED.${v}`).join(', ')}`,
          [workspaceId],
        );
        await tx.exec(`DROP TABLE ${delta(name)}`);
      }
    },
  };
}

/** Rebuilds every rollup of the workspace that is missing, stale or built for another time zone. */
export async function refreshRollups(db: Database, workspaceId: number): Promise<RollupName[]> {
  const state = await freshness(db, workspaceId);
  const rebuilt: RollupName[] = [];
  for (const name of ROLLUP_NAMES) {
    if (state.fresh.has(name)) continue;
    await rebuildRollup(db, workspaceId, name);
    rebuilt.push(name);
  }
  return rebuilt;
}

export async function rebuildRollup(db: Database, workspaceId: number, name: RollupName): Promise<void> {
  const spec = SPECS[name];
  await db.transaction(async (tx) => {
    // Serialises rebuilds and batches of one workspace on PostgreSQL (PGlite is single-writer anyway).
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sada.rollup.${workspaceId}.${name}`]);
    const [ws] = await tx.query<{ timezone: string }>('SELECT timezone FROM workspaces WHERE id = $1', [workspaceId]);
    const timezone = ws?.timezone ?? 'UTC';
    await tx.query(`DELETE FROM ${spec.table} WHERE workspace_id = $1`, [workspaceId]);
    await tx.query(
      `INSERT INTO ${spec.table} (workspace_id, ${spec.key.join(', ')}, ${spec.values.join(', ')})
       SELECT $1, ${spec.key.join(', ')}, ${spec.values.join(', ')} FROM (${spec.contributions(undefined)}) c`,
      [workspaceId, timezone],
    );
    await tx.query(
      `INSERT INTO rollup_state (workspace_id, rollup, timezone, stale, built_at) VALUES ($1, $2, $3, false, now())
       ON CONFLICT (workspace_id, rollup) DO UPDATE SET timezone = EXCLUDED.timezone, stale = false, built_at = now()`,
      [workspaceId, name, timezone],
    );
  });
}
