import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { RECORD_KINDS, type StoredRecord, type StoredValue } from '../domain/record-kinds.ts';
import { importFile, type ImportSummary } from '../import/importer.ts';
import { mappingSchema } from '../import/mapping.ts';
import { parseSurvey, SurveyDefinitionError, type Survey } from '../listening/survey.ts';
import type { Database } from '../storage/database.ts';
import { saveSurvey } from '../storage/surveys.ts';
import { openDemoCases } from '../storage/cases.ts';
import { ensureWorkspace, type Workspace } from '../storage/workspaces.ts';
import { createDemo, DEMO_ATTRIBUTES, DEMO_KINDS, type DemoKind, type DemoOptions, type DemoPlan } from './generator.ts';

/**
 * `sada demo`: generates the demo company (generator.ts) and imports it through the same path
 * as a user's files — each kind is streamed to a CSV file, then read back by importFile with a
 * plain mapping (columns named like the fields, extra columns kept as attributes). Files are
 * written and imported one kind at a time and deleted as soon as they are imported, so memory
 * stays flat and the disk holds at most one kind's file. The example surveys (examples/surveys/,
 * one per touchpoint and one for employees) are created in the workspace too, so the link pages
 * have something to ask.
 */

export const DEFAULT_DEMO_WORKSPACE = 'demo';

export interface RunDemoOptions extends DemoOptions {
  /** Workspace to fill (created if new); default "demo". */
  workspace?: string;
  /** Where importFile writes its summary (and any rejects) files. */
  reportDir: string;
  /** Folder for the temporary CSV files; default the system temp folder. */
  tempDir?: string;
  /** Rows per import transaction (importFile's default when absent). */
  batchSize?: number;
  onProgress?: (progress: DemoProgress) => void;
  /** Aborting stops after the batch being imported; running the same demo again completes it. */
  signal?: AbortSignal;
}

export interface DemoProgress {
  kind: DemoKind;
  /** 1-based position of the kind among DEMO_KINDS. */
  step: number;
  steps: number;
  phase: 'generating' | 'importing' | 'done';
  /** Rows generated (generating) or read back (importing) so far. */
  rows: number;
  /** Rows of this kind the plan expects (approximate for subscriptions and responses). */
  expected: number;
}

export interface DemoResult {
  workspace: Workspace;
  plan: DemoPlan;
  status: 'done' | 'interrupted';
  /** Rows generated per kind (the kinds not reached when interrupted are absent). */
  generated: Partial<Record<DemoKind, number>>;
  summaries: ImportSummary[];
  /** The example surveys, created or brought back to their example document. */
  surveys: Array<{ id: string; outcome: 'created' | 'updated' }>;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  seconds: number;
}

function encodeCell(value: StoredValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV columns of a kind: its fields (attributes aside), then its attribute columns. */
export function demoColumns(kind: DemoKind): { fields: string[]; attributes: readonly string[] } {
  return { fields: RECORD_KINDS[kind].fields.map((f) => f.name).filter((name) => name !== 'attributes'), attributes: DEMO_ATTRIBUTES[kind] };
}

const CHUNK = 1 << 16;

/** Streams records to a CSV file, waiting for the disk when the stream's buffer is full. */
export async function writeDemoCsv(path: string, kind: DemoKind, records: Iterable<StoredRecord>, onRows?: (rows: number) => void): Promise<number> {
  const { fields, attributes } = demoColumns(kind);
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let chunk = [...fields, ...attributes].join(',') + '\n';
  let rows = 0;
  for (const record of records) {
    const attrs = (record.attributes ?? {}) as Record<string, StoredValue>;
    let line = '';
    for (let i = 0; i < fields.length; i++) line += (i > 0 ? ',' : '') + encodeCell(record[fields[i]!]);
    for (const name of attributes) line += ',' + encodeCell(attrs[name]);
    chunk += line + '\n';
    rows++;
    if (chunk.length >= CHUNK) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      chunk = '';
      if (rows % 50_000 < 100) onRows?.(rows);
    }
  }
  out.end(chunk);
  await Promise.race([finished(out), failed]);
  onRows?.(rows);
  return rows;
}

/** The example survey documents, one JSON file each (docs/surveys.md). */
export const EXAMPLE_SURVEYS_DIR = new URL('../../examples/surveys/', import.meta.url);

/** Every example survey, validated; a broken file is named in the error. */
export function exampleSurveys(): Survey[] {
  return readdirSync(EXAMPLE_SURVEYS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      try {
        return parseSurvey(JSON.parse(readFileSync(new URL(name, EXAMPLE_SURVEYS_DIR), 'utf8')));
      } catch (error) {
        if (error instanceof SurveyDefinitionError) throw new SurveyDefinitionError(error.problems.map((p) => `examples/surveys/${name}: ${p}`));
        throw new Error(`examples/surveys/${name}: ${(error as Error).message}`);
      }
    });
}

function expectedRows(plan: DemoPlan, kind: DemoKind): number {
  const { sizes } = plan;
  switch (kind) {
    case 'teams':
      return sizes.teams;
    case 'employees':
      return sizes.employees;
    case 'customers':
      return sizes.customers;
    case 'subscriptions':
      return Math.round(sizes.customers * 0.36);
    case 'orders':
      return sizes.orders;
    case 'tickets':
      return sizes.tickets;
    case 'visits':
      return sizes.visits;
    case 'responses':
      return plan.responses;
  }
}

/**
 * Generates the demo company and imports it into a workspace. The same options always give the
 * same records, so running it again changes nothing (every row comes back unchanged).
 */
export async function runDemo(db: Database, options: RunDemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const demo = createDemo(options);
  const surveys = exampleSurveys();
  const workspace = await ensureWorkspace(db, options.workspace ?? DEFAULT_DEMO_WORKSPACE);
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'sada-demo-'));
  const result: DemoResult = {
    workspace,
    plan: demo.plan,
    status: 'done',
    generated: {},
    summaries: [],
    surveys: [],
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    seconds: 0,
  };
  const mapping = mappingSchema.parse({ format: 'csv', dateFormat: 'iso', timezone: 'UTC', keepUnmappedAsAttributes: true });
  try {
    // The surveys first: a few rows, and an interrupted demo still has them.
    for (const survey of surveys) result.surveys.push({ id: survey.id, outcome: await saveSurvey(db, workspace.id, survey) });
    for (const [index, kind] of DEMO_KINDS.entries()) {
      if (options.signal?.aborted) {
        result.status = 'interrupted';
        break;
      }
      const expected = expectedRows(demo.plan, kind);
      const progress = (phase: DemoProgress['phase'], rows: number) =>
        options.onProgress?.({ kind, step: index + 1, steps: DEMO_KINDS.length, phase, rows, expected });
      const path = join(dir, `demo-${kind}.csv`);
      progress('generating', 0);
      const rows = await writeDemoCsv(path, kind, demo.records(kind), (n) => progress('generating', n));
      result.generated[kind] = rows;
      progress('importing', 0);
      const summary = await importFile(db, {
        workspace,
        kind,
        path,
        mapping: { ...mapping, kind },
        reportDir: options.reportDir,
        batchSize: options.batchSize,
        signal: options.signal,
        onProgress: (p) => progress('importing', p.rows),
      });
      rmSync(path, { force: true });
      result.summaries.push(summary);
      result.inserted += summary.inserted;
      result.updated += summary.updated;
      result.unchanged += summary.unchanged;
      result.rejected += summary.rejected;
      progress('done', summary.rows);
      if (summary.status === 'interrupted') {
        result.status = 'interrupted';
        break;
      }
    }
    // A follow-up history for the Cases page (docs/cases.md), once the answers are in.
    if (result.status === 'done') await openDemoCases(db, workspace.id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
