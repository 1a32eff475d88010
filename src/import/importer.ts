import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import type { RecordKindName } from '../domain/record-kinds.ts';
import { keepPlannerStatistics, upsertEncodedBatch, type UpsertCounts } from '../storage/bulk-upsert.ts';
import type { Database } from '../storage/database.ts';
import { compareFigures, disagreementWarning, type FigureCheck, type FigureComparison } from '../storage/figure-checks.ts';
import { finishImportRun, startImportRun } from '../storage/import-runs.ts';
import { deferRollupsForLargeImport, refreshRollups } from '../storage/rollups.ts';
import { queueSentimentScoring } from '../storage/text-sentiment.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { checkMappingFields, MappingError, type FileFormat, type Mapping } from './mapping.ts';
import { readBatches, type BatchEvent, type BatchSpec } from './batches.ts';
import { readBatchesInWorker } from './batches-in-worker.ts';
import { guessFormat } from './readers/index.ts';
import type { RowProblem } from './row-mapper.ts';
import type { RecordShaping } from './shaping.ts';

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
  /**
   * Read, map and encode the file on a worker thread while this one writes; default: for files
   * of WORKER_MIN_BYTES or more without a preset's shaping.
   */
  readInWorker?: boolean;
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
/** From this size on, a file is read on a worker thread (starting one takes about a second). */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

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
  mkdirSync(request.reportDir, { recursive: true });
  const spec: BatchSpec = {
    kind,
    path: request.path,
    format,
    mapping,
    zone: request.timezone ?? mapping.timezone ?? workspace.timezone,
    batchSize: request.batchSize ?? DEFAULT_BATCH_SIZE,
    ...(request.records?.jsonPath !== undefined ? { jsonPath: request.records.jsonPath } : {}),
    shaped: request.records !== undefined,
  };
  // A preset's shaping holds functions, which cannot cross to a worker; small files are read
  // here rather than pay for starting one.
  const inWorker = request.records === undefined && (request.readInWorker ?? totalBytes >= WORKER_MIN_BYTES);
  const events = inWorker ? readBatchesInWorker(spec) : readBatches(spec, request.records);
  // The header read and the mapping checked against it (a MappingError stops here, before any run).
  const first = await events.next();
  if (first.done || first.value.type !== 'columns') throw new Error('the batch reader did not start with the columns');
  const { columns, fillOnly, unit } = first.value;

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
      rejects.write(`${unit},column,field,value,reason\n`);
    }
    rejects.write([String(problem.line), problem.column, problem.field, problem.value, problem.reason].map(csvCell).join(',') + '\n');
    if (firstRejects.length < (request.shownRejects ?? SHOWN_REJECTS)) firstRejects.push(problem);
  };

  const dryRun = request.dryRun === true;
  const { runId, statistics, deferRollups } = await (async () => ({
    runId: dryRun ? undefined : await startImportRun(db, workspace.id, kind, request.path),
    statistics: dryRun ? { afterBatch: async () => {} } : await keepPlannerStatistics(db, kind),
    // About 100 bytes a row in the CSV and JSON exports we see; only the order of magnitude matters.
    deferRollups: dryRun ? false : await deferRollupsForLargeImport(db, workspace.id, kind, totalBytes / 100),
  }))().catch(async (error) => {
    await events.return(); // stops the reading (and its worker)
    throw error;
  });
  const totals: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let rows = 0;
  let bytesRead = 0;
  let end: Extract<BatchEvent, { type: 'end' }> | undefined;

  // One batch is written while the next one is read and mapped (here, or on another core), so
  // that the database and the reading work at the same time. Batches are still written one
  // after the other, in file order.
  let writing: Promise<void> | undefined;
  const write = async (batch: { csv: string; count: number }, progress: { bytesRead: number; totalBytes: number; rows: number }) => {
    const counts = await upsertEncodedBatch(db, workspace.id, kind, columns, batch, { deferRollups, fillOnly, rollback: dryRun });
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

  let status: ImportSummary['status'] = 'done';
  try {
    for await (const event of events) {
      if (event.type === 'columns') continue;
      rows = event.rows;
      bytesRead = event.bytesRead;
      rejected += event.rejected;
      for (const problem of event.problems) reject(problem);
      if (event.type === 'end') {
        end = event;
        break;
      }
      await settle();
      // Aborting stops after the batch being written; a re-run completes the job.
      if (request.signal?.aborted) {
        status = 'interrupted';
        break;
      }
      writing = write(event, { bytesRead, totalBytes, rows });
      writing.catch(() => {}); // handled by the next settle()
    }
    await settle();
    request.onProgress?.({ bytesRead, totalBytes, rows });
  } catch (error) {
    // A batch still being written commits or rolls back before the run is marked failed.
    await settle().catch(() => {});
    if (runId !== undefined) await finishImportRun(db, workspace.id, runId, 'failed', { ...totals, rejected }, (error as Error).message);
    throw error;
  } finally {
    await events.return();
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
    skipped: end?.skipped ?? 0,
    preset: request.preset,
    comparisons,
    unit,
    rejectsFile: rejects ? rejectsPath : undefined,
    summaryFile: summaryPath,
    firstRejects,
    warnings: [
      ...(end?.warnings ?? []),
      ...comparisons.flatMap((c) => disagreementWarning(c, workspace) ?? []),
    ],
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2));
  return summary;
}
