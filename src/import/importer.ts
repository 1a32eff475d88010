import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import type { RecordKindName, StoredRecord } from '../domain/record-kinds.ts';
import { keepPlannerStatistics, upsertBatch, type UpsertCounts } from '../storage/bulk-upsert.ts';
import type { Database } from '../storage/database.ts';
import { compareFigures, disagreementWarning, type FigureCheck, type FigureComparison } from '../storage/figure-checks.ts';
import { finishImportRun, startImportRun } from '../storage/import-runs.ts';
import { deferRollupsForLargeImport, refreshRollups } from '../storage/rollups.ts';
import { queueSentimentScoring } from '../storage/text-sentiment.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { checkMappingFields, MappingError, type FileFormat, type Mapping } from './mapping.ts';
import { guessFormat, openSource } from './readers/index.ts';
import { createRowMapper, type MappedRow, type RowProblem } from './row-mapper.ts';
import { createShaper, type ExpandedRecord, type RecordShaping } from './shaping.ts';

export interface ImportRequest {
  workspace: Workspace;
  kind: RecordKindName;
  path: string;
  mapping: Mapping;
  /** Overrides the mapping's and the extension's format. */
  format?: FileFormat;
  /** Zone for times without an offset; default: the mapping's, else the workspace's. */
  timezone?: string;
  /** Folder for the summary and rejects files. */
  reportDir: string;
  batchSize?: number;
  onProgress?: (progress: { bytesRead: number; totalBytes: number; rows: number }) => void;
  /** Aborting stops after the batch being written; a re-run completes the job. */
  signal?: AbortSignal;
  /**
   * A preset's reading of the file (src/import/presets/): where the records are, how each becomes
   * rows, which fields it knows. The mapping then takes only what it names; fields nobody takes
   * are kept as attributes and listed in the warnings.
   */
  records?: RecordShaping;
  /** The tool's own figures to compare with Sada's once the file is imported. */
  checks?: readonly FigureCheck[];
  /** The preset used, for the summary (`zendesk:tickets`). */
  preset?: string;
  /**
   * Read, map and check every row and run each batch's upsert in a transaction that is rolled
   * back: the summary says what the import would insert, update, leave unchanged and reject, and
   * nothing is stored (no import run either). Rows repeated across batches count once per batch.
   */
  dryRun?: boolean;
  /** How many rejects the summary carries (`firstRejects`); default 10. */
  shownRejects?: number;
}

export interface ImportSummary {
  workspace: string;
  kind: RecordKindName;
  source: string;
  status: 'done' | 'interrupted';
  /** A dry run: the counts are what the import would do; nothing was stored. */
  dryRun: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Source records a preset did not import, each for a reason listed in the warnings. */
  skipped: number;
  preset: string | undefined;
  /** The tool's own figures against Sada's (presets whose exports carry them). */
  comparisons: FigureComparison[];
  /** Where `line` in the rejects counts: text lines, or elements of a JSON array. */
  unit: 'line' | 'element';
  rejectsFile: string | undefined;
  summaryFile: string;
  /** The first rejects, to show on screen; all of them are in the rejects file. */
  firstRejects: RowProblem[];
  warnings: string[];
  seconds: number;
}

const SHOWN_REJECTS = 10;
/** Rows per transaction when the request does not say. */
export const DEFAULT_BATCH_SIZE = 5000;

/** Counts the bytes that pass, for the progress bar. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Streams a file into one kind of record: read → map and validate each row → write in batches,
 * each batch in its own transaction. Bad rows go to the rejects file with line, column and
 * reason; good rows are imported; memory stays flat whatever the file size.
 */
export async function importFile(db: Database, request: ImportRequest): Promise<ImportSummary> {
  const started = Date.now();
  const { workspace, kind, mapping } = request;
  if (mapping.kind && mapping.kind !== kind) {
    throw new MappingError(`the mapping is for ${mapping.kind}, not ${kind}`);
  }
  checkMappingFields(kind, mapping);
  const format = request.format ?? mapping.format ?? guessFormat(request.path);
  if (!format) {
    throw new MappingError(`cannot tell the format of ${request.path} from its name: add --format csv|tsv|whitespace|json|ndjson`);
  }
  const totalBytes = statSync(request.path).size;
  let bytesRead = 0;
  const input = createReadStream(request.path).pipe(byteCounter((n) => (bytesRead += n)));
  const source = await openSource(input, format, {
    delimiter: mapping.delimiter,
    allowRaggedRows: mapping.raggedRows === 'allow',
    relaxQuotes: mapping.quotes === 'relaxed',
    ...(format === 'json' && request.records?.jsonPath !== undefined ? { jsonPath: request.records.jsonPath } : {}),
  });
  const mapper = createRowMapper(kind, mapping, source.header, {
    zone: request.timezone ?? mapping.timezone ?? workspace.timezone,
    dateFormat: mapping.dateFormat ?? 'auto',
    ...(request.records ? { implicitColumns: false, optionalColumns: true } : {}),
  });
  const shaper = request.records ? createShaper(request.records, mapper.sourceColumns) : undefined;

  mkdirSync(request.reportDir, { recursive: true });
  const stem = `${basename(request.path)}.${kind}`;
  const rejectsPath = join(request.reportDir, `${stem}.rejects.csv`);
  const summaryPath = join(request.reportDir, `${stem}.summary.json`);
  rmSync(rejectsPath, { force: true });
  let rejects: WriteStream | undefined;
  const firstRejects: RowProblem[] = [];
  let rejected = 0;
  const reject = (problem: RowProblem) => {
    if (!rejects) {
      rejects = createWriteStream(rejectsPath);
      rejects.write(`${source.unit},column,field,value,reason\n`);
    }
    rejects.write([String(problem.line), problem.column, problem.field, problem.value, problem.reason].map(csvCell).join(',') + '\n');
    if (firstRejects.length < (request.shownRejects ?? SHOWN_REJECTS)) firstRejects.push(problem);
  };

  const dryRun = request.dryRun === true;
  const runId = dryRun ? undefined : await startImportRun(db, workspace.id, kind, request.path);
  const statistics = dryRun ? { afterBatch: async () => {} } : await keepPlannerStatistics(db, kind);
  // About 100 bytes a row in the CSV and JSON exports we see; only the order of magnitude matters.
  const deferRollups = dryRun ? false : await deferRollupsForLargeImport(db, workspace.id, kind, totalBytes / 100);
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE;
  const totals: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let batch: StoredRecord[] = [];
  let batchIds = new Set<string>();
  let rows = 0;

  // One batch is written while the next one is read and mapped, so that on PostgreSQL the
  // database and this process work at the same time. Batches are still written one after the
  // other, in file order.
  let writing: Promise<void> | undefined;
  const write = async (records: StoredRecord[], progress: { bytesRead: number; totalBytes: number; rows: number }) => {
    const counts = await upsertBatch(db, workspace.id, kind, mapper.columns, records, { deferRollups, fillOnly: mapper.fillOnly, rollback: dryRun });
    totals.inserted += counts.inserted;
    totals.updated += counts.updated;
    totals.unchanged += counts.unchanged;
    await statistics.afterBatch(counts.inserted);
    // Progress is reported once the batch is committed: what it shows is safely stored.
    request.onProgress?.(progress);
  };
  /** Waits for the batch being written, if any; throws its error. */
  const settle = async () => {
    const pending = writing;
    writing = undefined;
    await pending;
  };
  /**
   * Starts writing the current batch once the previous one is written; false when the import
   * was aborted meanwhile (the current batch is then not written).
   */
  const flush = async (): Promise<boolean> => {
    await settle();
    if (batch.length === 0) return true;
    if (request.signal?.aborted) return false;
    const records = batch;
    batch = [];
    batchIds = new Set();
    writing = write(records, { bytesRead, totalBytes, rows });
    writing.catch(() => {}); // handled by the next settle()
    return true;
  };

  let status: ImportSummary['status'] = 'done';
  const mapExpanded = (expanded: ExpandedRecord[]): MappedRow[] =>
    expanded.flatMap(({ rows: shapedRows }) =>
      shapedRows.map(({ row, attributes }) => {
        const mapped = mapper.map(row);
        if (mapped.ok) mapped.record.attributes = { ...attributes, ...(mapped.record.attributes as Record<string, unknown>) };
        return mapped;
      }),
    );
  /** Adds mapped rows to the batch, writing full batches; false when the import was aborted. */
  const add = async (mappedRows: MappedRow[]): Promise<boolean> => {
    for (const mapped of mappedRows) {
      if (!mapped.ok) {
        rejected++;
        for (const problem of mapped.problems) reject(problem);
        continue;
      }
      const id = mapped.record.id as string;
      // The same id twice in one INSERT is an error in PostgreSQL: write the first one first.
      if (batchIds.has(id) && !(await flush())) return false;
      batch.push(mapped.record);
      batchIds.add(id);
      // Aborting stops after the batch being written.
      if (batch.length >= batchSize && (!(await flush()) || request.signal?.aborted)) return false;
    }
    return true;
  };
  try {
    for await (const item of source.items) {
      rows++;
      if (item.kind === 'problem') {
        rejected++;
        reject({ line: item.line, column: '', field: '', value: item.raw ?? '', reason: item.reason });
        continue;
      }
      // A preset's shaper may hold rows until their record is complete (an order over several rows).
      const mappedRows = shaper ? mapExpanded(shaper.push(item)) : [mapper.map(item)];
      if (!(await add(mappedRows))) {
        status = 'interrupted';
        break;
      }
    }
    if (status === 'done' && shaper && !(await add(mapExpanded(shaper.end())))) status = 'interrupted';
    if (status === 'done' && !(await flush())) status = 'interrupted';
    await settle();
    request.onProgress?.({ bytesRead, totalBytes, rows });
  } catch (error) {
    // A batch still being written commits or rolls back before the run is marked failed.
    await settle().catch(() => {});
    if (runId !== undefined) await finishImportRun(db, workspace.id, runId, 'failed', { ...totals, rejected }, (error as Error).message);
    throw error;
  } finally {
    input.destroy();
    const stream = rejects;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
  // Rollups that these batches could not keep up to date incrementally are rebuilt now.
  if (runId !== undefined) {
    await refreshRollups(db, workspace.id);
    await finishImportRun(db, workspace.id, runId, status, { ...totals, rejected });
    // New or changed comments and ticket subjects get their sentiment from a job, after the batches committed.
    if ((kind === 'responses' || kind === 'tickets') && totals.inserted + totals.updated > 0) await queueSentimentScoring(db, workspace.id);
  }
  const comparisons = request.checks && kind === 'tickets' && !dryRun ? await compareFigures(db, workspace, request.checks) : [];

  const summary: ImportSummary = {
    workspace: workspace.name,
    kind,
    source: request.path,
    status,
    dryRun,
    rows,
    ...totals,
    rejected,
    skipped: shaper?.skippedCount() ?? 0,
    preset: request.preset,
    comparisons,
    unit: source.unit,
    rejectsFile: rejects ? rejectsPath : undefined,
    summaryFile: summaryPath,
    firstRejects,
    warnings: [
      ...source.warnings,
      ...(shaper?.warnings() ?? []),
      ...comparisons.flatMap((c) => disagreementWarning(c, workspace) ?? []),
    ],
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2));
  return summary;
}
