import { createReadStream } from 'node:fs';
import { loadavg } from 'node:os';
import type { StoredRecord } from '../../src/domain/record-kinds.ts';
import { importFile } from '../../src/import/importer.ts';
import type { Mapping } from '../../src/import/mapping.ts';
import { openSource } from '../../src/import/readers/index.ts';
import { createRowMapper } from '../../src/import/row-mapper.ts';
import { stageColumnsOf } from '../../src/storage/bulk-upsert.ts';
import { encodeCsv } from '../../src/storage/copy-csv.ts';
import type { Database, Transaction } from '../../src/storage/database.ts';
import type { Workspace } from '../../src/storage/workspaces.ts';
import { collectGarbage, MemorySampler, type MemoryMarks } from '../lib/memory.ts';
import type { BenchKind } from './generate.ts';

/**
 * The layers of an import, each measured on its own over the same file, so the cost of every
 * layer shows: reading (csv-parse), mapping (typed values, validation), encoding (the CSV COPY
 * reads), a raw COPY into a twin of the table (no temporary table, no upsert), the import
 * (importFile: COPY into a temporary table + INSERT … ON CONFLICT) and a re-import of the same
 * file, where every row is unchanged.
 */

export type PhaseName = 'read' | 'map' | 'encode' | 'copy' | 'import' | 'reimport';

export const PHASE_LABELS: Record<PhaseName, string> = {
  read: 'read (csv-parse only)',
  map: 'read + map',
  encode: 'read + map + encode COPY CSV',
  copy: 'raw COPY (no upsert)',
  import: 'import (importFile)',
  reimport: 're-import, all unchanged',
};

export interface PhaseResult {
  engine: 'none' | 'pglite' | 'postgres';
  kind: BenchKind;
  phase: PhaseName;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  counts?: { inserted: number; updated: number; unchanged: number; rejected: number };
  memory: MemoryMarks;
  /** The machine's 1-minute load average when the phase ended (2 cores: above 2 means contention). */
  load: number;
  /** Import phases: seconds the database spent, by kind of statement (see STATEMENT_KINDS). */
  database?: Record<string, number>;
}

/** How the import's statements are grouped in the breakdown, first match wins. */
export const STATEMENT_KINDS: [string, RegExp][] = [
  ['copy to stage', /^COPY sada_stage\b/],
  ['stage table', /^CREATE TEMP TABLE sada_stage\b/],
  ['upsert', /^WITH up AS \(\s*INSERT INTO/],
  ['rollups', /rollup|pg_advisory_xact_lock/],
  ['ticket derivation', /^UPDATE tickets AS t\b|FROM messages WHERE/],
  ['catalog keys', /^INSERT INTO (channels|touchpoints)\b/],
  ['analyze', /^ANALYZE\b|reltuples/],
];

/** The database, timing every statement into `seconds` by STATEMENT_KINDS. */
function timed(db: Database, seconds: Record<string, number>): Database {
  const add = (sql: string, started: number) => {
    const text = sql.trimStart();
    const kind = STATEMENT_KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
    seconds[kind] = (seconds[kind] ?? 0) + (performance.now() - started) / 1000;
  };
  const time = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      add(sql, started);
    }
  };
  const wrap = (tx: Transaction): Transaction => ({
    query: (sql, params) => time(sql, () => tx.query(sql, params)),
    exec: (sql) => time(sql, () => tx.exec(sql)),
    copyCsv: (table, columns, csv) => time(`COPY ${table}`, () => tx.copyCsv(table, columns, csv)),
  });
  return {
    engine: db.engine,
    kysely: db.kysely,
    query: (sql, params) => time(sql, () => db.query(sql, params)),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}

export interface PhaseInput {
  kind: BenchKind;
  path: string;
  rows: number;
  mapping: Mapping;
  batchSize: number;
  /** Zone the workspace uses for times without an offset (importFile's default). */
  workspaceZone: string;
}

async function measure(
  engine: PhaseResult['engine'],
  input: PhaseInput,
  phase: PhaseName,
  work: (sampler: MemorySampler) => Promise<{ rows: number; counts?: PhaseResult['counts'] }>,
): Promise<PhaseResult> {
  collectGarbage();
  const sampler = new MemorySampler(input.rows);
  const started = performance.now();
  let outcome: Awaited<ReturnType<typeof work>>;
  try {
    outcome = await work(sampler);
  } finally {
    sampler.progress(Number.MAX_SAFE_INTEGER);
  }
  const seconds = (performance.now() - started) / 1000;
  const memory = sampler.stop();
  return {
    engine,
    kind: input.kind,
    phase,
    rows: outcome.rows,
    seconds,
    rowsPerSecond: outcome.rows / seconds,
    ...(outcome.counts ? { counts: outcome.counts } : {}),
    memory,
    load: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/**
 * Streams the file through the reader and, from `upTo` 'map' on, the row mapper; hands full
 * batches to `onBatch`. The same loop importFile runs, minus the database.
 */
async function stream(
  input: PhaseInput,
  upTo: 'read' | 'map',
  sampler: MemorySampler,
  onBatch?: (records: StoredRecord[], columns: readonly string[]) => Promise<void> | void,
): Promise<number> {
  const file = createReadStream(input.path);
  try {
    const source = await openSource(file, 'csv', { delimiter: input.mapping.delimiter, allowRaggedRows: false });
    const mapper = createRowMapper(input.kind, input.mapping, source.header, {
      zone: input.mapping.timezone ?? input.workspaceZone,
      dateFormat: input.mapping.dateFormat ?? 'auto',
    });
    let rows = 0;
    let rejected = 0;
    let batch: StoredRecord[] = [];
    // Like importFile: one batch is written while the next is read and mapped.
    let writing: Promise<void> | void = undefined;
    for await (const item of source.items) {
      rows++;
      if ((rows & 1023) === 0) sampler.progress(rows);
      if (upTo === 'read') continue;
      if (item.kind === 'problem') {
        rejected++;
        continue;
      }
      const mapped = mapper.map(item);
      if (!mapped.ok) {
        rejected++;
        continue;
      }
      if (!onBatch) continue;
      batch.push(mapped.record);
      if (batch.length >= input.batchSize) {
        await writing;
        writing = onBatch(batch, mapper.columns);
        writing?.catch(() => {}); // rethrown by the next await
        batch = [];
      }
    }
    await writing;
    if (batch.length > 0) await onBatch!(batch, mapper.columns);
    if (rejected > 0) throw new Error(`${rejected} generated ${input.kind} rows were rejected: the generator and the mapper disagree`);
    return rows;
  } finally {
    file.destroy();
  }
}

export function runRead(input: PhaseInput): Promise<PhaseResult> {
  return measure('none', input, 'read', async (sampler) => ({ rows: await stream(input, 'read', sampler) }));
}

export function runMap(input: PhaseInput): Promise<PhaseResult> {
  return measure('none', input, 'map', async (sampler) => ({ rows: await stream(input, 'map', sampler) }));
}

export function runEncode(input: PhaseInput): Promise<PhaseResult> {
  return measure('none', input, 'encode', async (sampler) => ({
    rows: await stream(input, 'map', sampler, (records, columns) => {
      encodeCsv(records, stageColumnsOf(columns));
    }),
  }));
}

/**
 * COPY of the mapped rows, batch by batch (one transaction each, like the import), into `twin`:
 * an empty copy of the kind's table with the same indexes, constraints and foreign key.
 */
export function runCopy(db: Database, engine: 'pglite' | 'postgres', input: PhaseInput, twin: string, workspaceId: number): Promise<PhaseResult> {
  return measure(engine, input, 'copy', async (sampler) => ({
    rows: await stream(input, 'map', sampler, async (records, columns) => {
      for (const record of records) record.workspace_id = workspaceId;
      const copyColumns = ['workspace_id', ...stageColumnsOf(columns)];
      const csv = encodeCsv(records, copyColumns);
      await db.transaction((tx) => tx.copyCsv(twin, copyColumns, csv));
    }),
  }));
}

export function runImport(
  db: Database,
  engine: 'pglite' | 'postgres',
  input: PhaseInput,
  workspace: Workspace,
  reportDir: string,
  phase: 'import' | 'reimport',
): Promise<PhaseResult> {
  const database: Record<string, number> = {};
  return measure(engine, input, phase, async (sampler) => {
    const summary = await importFile(timed(db, database), {
      workspace,
      kind: input.kind,
      path: input.path,
      mapping: input.mapping,
      reportDir,
      batchSize: input.batchSize,
      onProgress: ({ rows }) => sampler.progress(rows),
    });
    const { inserted, updated, unchanged, rejected } = summary;
    const expected = phase === 'import' ? inserted : unchanged;
    if (summary.status !== 'done' || expected !== input.rows || rejected !== 0) {
      throw new Error(
        `${phase} of ${input.kind} on ${engine} did not do what it should: ${JSON.stringify({ status: summary.status, inserted, updated, unchanged, rejected })}`,
      );
    }
    return { rows: summary.rows, counts: { inserted, updated, unchanged, rejected } };
  }).then((result) => ({ ...result, database }));
}
