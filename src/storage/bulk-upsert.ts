import { recordKind, type RecordKindName, type StoredRecord } from '../domain/record-kinds.ts';
import { encodeCsv } from './copy-csv.ts';
import type { Database, Transaction } from './database.ts';
import { beginRollupBatch } from './rollups.ts';
import { openCasesForImport } from './cases.ts';
import { deriveTicketTimes, DERIVABLE_TICKET_FIELDS } from './ticket-derivation.ts';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface UpsertOptions {
  deferRollups?: boolean;
  /** Columns written only where the stored record has no value yet (a mapping's `onlyIfEmpty`). */
  fillOnly?: readonly string[];
  /**
   * Run the whole batch in its transaction and roll it back: the counts say what it would
   * insert, update and leave unchanged, and nothing is stored (an import's dry run).
   */
  rollback?: boolean;
}

const STAGE = 'sada_stage';
const CATALOG_COLUMNS = { channel: 'channels', touchpoint: 'touchpoints' } as const;

/**
 * Writes one batch in one transaction: COPY into a temporary table, then one INSERT … ON
 * CONFLICT into the real table. Only the columns the import maps are written, so importing a
 * file with fewer columns never erases what another import set; attributes are merged. Rows
 * whose values are all the same are not touched (and counted as unchanged), so re-importing a
 * file changes nothing. The ids within one batch must be distinct.
 */
export async function upsertBatch(
  db: Database,
  workspaceId: number,
  kindName: RecordKindName,
  columns: readonly string[],
  records: readonly StoredRecord[],
  options: UpsertOptions = {},
): Promise<UpsertCounts> {
  return upsertEncodedBatch(db, workspaceId, kindName, columns, { csv: encodeCsv(records, stageColumnsOf(columns)), count: records.length }, options);
}

/** The columns of a batch's COPY, in order: id, the mapped values, attributes. */
export function stageColumnsOf(columns: readonly string[]): string[] {
  return ['id', ...columns.filter((c) => c !== 'id' && c !== 'attributes'), 'attributes'];
}

/**
 * upsertBatch for records already encoded as the CSV COPY reads (`encodeCsv` over
 * `stageColumnsOf(columns)`): an import encodes its batches where it reads them.
 */
export async function upsertEncodedBatch(
  db: Database,
  workspaceId: number,
  kindName: RecordKindName,
  columns: readonly string[],
  batch: { csv: string; count: number },
  options: UpsertOptions = {},
): Promise<UpsertCounts> {
  if (batch.count === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const { table } = recordKind(kindName);
  const stageColumns = stageColumnsOf(columns);
  const valueColumns = stageColumns.slice(1, -1);
  const { csv } = batch;
  const work = async (tx: Transaction): Promise<UpsertCounts> => {
    await tx.exec(
      `CREATE TEMP TABLE ${STAGE} ON COMMIT DROP AS SELECT ${stageColumns.map((c) => `"${c}"`).join(', ')} FROM ${table} WITH NO DATA`,
    );
    await tx.copyCsv(STAGE, stageColumns, csv);
    // The responses or tickets this batch may change (for messages: their tickets). As an array
    // the planner sees a handful of ids and looks each one up by primary key; as a plain
    // subquery it may hash-join it against a scan of the whole workspace, once per rollup
    // measure (a re-import of 200,000 tickets on PostgreSQL: 80 s that way, 48 s this way).
    const touchedIds = `SELECT unnest(ARRAY(SELECT DISTINCT ${kindName === 'messages' ? 'ticket_id' : 'id'} FROM ${STAGE}))`;
    const rollup = await beginRollupBatch(tx, workspaceId, kindName, valueColumns, touchedIds, [], options.deferRollups);
    const [counts] = await tx.query<{ inserted: number; updated: number }>(upsertSql(kindName, table, valueColumns, options.fillOnly ?? []), [
      workspaceId,
    ]);
    await registerCatalogKeys(tx, workspaceId, valueColumns);
    if (kindName === 'messages' || kindName === 'tickets') {
      await deriveTicketTimes(tx, workspaceId, touchedIds);
    }
    const inserted = counts?.inserted ?? 0;
    const updated = counts?.updated ?? 0;
    // Recent dissatisfied answers open their follow-up cases with the batch (docs/cases.md).
    if (kindName === 'responses' && inserted + updated > 0 && !options.rollback) await openCasesForImport(tx, workspaceId, STAGE, valueColumns.includes('submitted_at'));
    await rollup.after(inserted + updated > 0);
    return { inserted, updated, unchanged: batch.count - inserted - updated };
  };
  if (!options.rollback) return db.transaction(work);
  try {
    await db.transaction(async (tx) => {
      throw new RolledBack(await work(tx));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.counts;
    throw error;
  }
  throw new Error('unreachable: a dry-run batch always rolls back');
}

/** Thrown inside a dry run's transaction so that it rolls back, carrying the counts out. */
class RolledBack extends Error {
  constructor(readonly counts: UpsertCounts) {
    super('rolled back on purpose (dry run)');
  }
}

function upsertSql(kindName: RecordKindName, table: string, valueColumns: readonly string[], fillOnly: readonly string[]): string {
  const q = (c: string) => `"${c}"`;
  const derivable = kindName === 'tickets' ? valueColumns.filter((c) => DERIVABLE_TICKET_FIELDS.includes(c) && !fillOnly.includes(c)) : [];
  // A ticket value Sada derived from messages is kept when the file has no value for it; a
  // fill-only column keeps any value the record already has.
  const incoming = (c: string) =>
    fillOnly.includes(c)
      ? `coalesce(t.${q(c)}, EXCLUDED.${q(c)})`
      : derivable.includes(c)
        ? `CASE WHEN EXCLUDED.${q(c)} IS NULL AND '${c}' = ANY(t.derived_fields) THEN t.${q(c)} ELSE EXCLUDED.${q(c)} END`
        : `EXCLUDED.${q(c)}`;
  const sets = valueColumns.map((c) => `${q(c)} = ${incoming(c)}`);
  sets.push(`attributes = t.attributes || EXCLUDED.attributes`, `updated_at = now()`);
  if (derivable.length > 0) {
    const stillDerived = derivable.map((c) => `NOT (f = '${c}' AND EXCLUDED.${q(c)} IS NOT NULL)`).join(' AND ');
    sets.push(`derived_fields = ARRAY(SELECT f FROM unnest(t.derived_fields) AS f WHERE ${stillDerived})`);
  }
  const changed =
    valueColumns.length > 0
      ? `ROW(${valueColumns.map((c) => `t.${q(c)}`).join(', ')}) IS DISTINCT FROM ROW(${valueColumns.map(incoming).join(', ')}) OR `
      : '';
  const columnList = ['workspace_id', 'id', ...valueColumns, 'attributes'].map(q).join(', ');
  const selectList = ['$1', 'id', ...valueColumns, 'attributes'].map((c) => (c === '$1' ? c : q(c))).join(', ');
  return `WITH up AS (
      INSERT INTO ${table} AS t (${columnList})
      SELECT ${selectList} FROM ${STAGE}
      ON CONFLICT (workspace_id, id) DO UPDATE SET ${sets.join(', ')}
      WHERE ${changed}NOT (t.attributes @> EXCLUDED.attributes)
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM up`;
}

/** New channel and touchpoint keys found in the data become the workspace's custom ones. */
async function registerCatalogKeys(tx: Transaction, workspaceId: number, columns: readonly string[]): Promise<void> {
  for (const [column, catalog] of Object.entries(CATALOG_COLUMNS)) {
    if (!columns.includes(column)) continue;
    await tx.query(
      `INSERT INTO ${catalog} (workspace_id, key)
       SELECT DISTINCT $1::integer, "${column}" FROM ${STAGE} WHERE "${column}" IS NOT NULL
       ON CONFLICT (workspace_id, key) DO NOTHING`,
      [workspaceId],
    );
  }
}

/**
 * PGlite runs no autovacuum, so nothing refreshes the planner's statistics while an import
 * fills a table: the planner keeps believing the table is empty and picks plans that scan it
 * for every row (a re-import of 20,000 tickets took minutes). The importer calls `afterBatch`
 * after each batch; the table is analysed once it has doubled since the last time. (Between
 * two, the planner scales the row count it knows by the table's pages, so its estimates stay
 * within a factor of two; analysing at every half cost a million-ticket import 9 s in PGlite.)
 */
export async function keepPlannerStatistics(db: Database, kind: RecordKindName): Promise<{ afterBatch(inserted: number): Promise<void> }> {
  const { table } = recordKind(kind);
  const reltuples = async () => (await db.query<{ rows: number }>('SELECT reltuples AS rows FROM pg_class WHERE oid = $1::regclass', [table]))[0]?.rows ?? -1;
  let known = await reltuples();
  // -1: never analysed. The table may hold rows all the same (loaded before, or by a restore),
  // and a re-import that inserts nothing would never reach the threshold below.
  if (known < 0) {
    await db.query(`ANALYZE ${table}`);
    known = Math.max(0, await reltuples());
  }
  let added = 0;
  return {
    async afterBatch(inserted) {
      added += inserted;
      if (added < Math.max(1000, known)) return;
      await db.query(`ANALYZE ${table}`);
      known += added;
      added = 0;
    },
  };
}
