import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { RECORD_KIND_NAMES, type RecordKindName } from '../src/domain/record-kinds.ts';
import { importFile, type ImportSummary } from '../src/import/importer.ts';
import { parseMappingJson } from '../src/import/mapping.ts';
import type { Database } from '../src/storage/database.ts';
import { ensureWorkspace } from '../src/storage/workspaces.ts';
import type { ShapeFunction, ShapeResult } from './shaping.ts';

/**
 * Imports the real public datasets of ../shared/datasets/ (see examples/README.md): one
 * workspace per dataset folder, named exactly like it. Each `examples/<folder>/example.json`
 * lists the steps in order — an optional shaping script, then one import per file and mapping.
 * The datasets are read in place and never copied into the project.
 */

const EXAMPLES_DIR = fileURLToPath(new URL('.', import.meta.url));

const manifestSchema = z
  .object({
    $comment: z.string().optional(),
    /** A module in the example's folder exporting `shape` (see shaping.ts). */
    shape: z.string().min(1).optional(),
    /** The workspace's time zone (where the business is), which cuts its days and months. */
    timezone: z.string().min(1).optional(),
    steps: z
      .array(
        z
          .object({
            $comment: z.string().optional(),
            kind: z.enum(RECORD_KIND_NAMES as [RecordKindName, ...RecordKindName[]]),
            /** A file of the dataset folder, or (from: shaped) one the shaping wrote. */
            file: z.string().min(1),
            from: z.enum(['dataset', 'shaped']).default('dataset'),
            /** A mapping file in the example's folder. */
            mapping: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type ExampleManifest = z.infer<typeof manifestSchema>;

export interface ExampleStepResult {
  kind: RecordKindName;
  /** Absolute path of the imported file. */
  file: string;
  from: 'dataset' | 'shaped';
  /** Mapping file name, relative to the example's folder. */
  mapping: string;
  summary: ImportSummary;
}

export interface ExampleResult {
  /** The dataset folder's name, which is also the workspace's. */
  dataset: string;
  workspace: string;
  datasetDir: string;
  shaping: (ShapeResult & { script: string; workDir: string; seconds: number }) | undefined;
  steps: ExampleStepResult[];
  seconds: number;
}

export interface RunExamplesOptions {
  /** Default: $SADA_DATASETS_DIR, else ../shared/datasets/ next to the project. */
  datasetsDir?: string;
  /** Summaries, rejects and shaped files go to <reportDir>/<dataset>/. */
  reportDir: string;
  /** Dataset folder names to run; default all. */
  only?: string[];
  log?: (line: string) => void;
}

/** ../shared/datasets/ relative to the project root, unless SADA_DATASETS_DIR says otherwise. */
export function defaultDatasetsDir(): string {
  return process.env.SADA_DATASETS_DIR || fileURLToPath(new URL('../../shared/datasets/', import.meta.url));
}

/** The datasets that have an example (folders of examples/ with an example.json), sorted. */
export function listExamples(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => existsSync(join(EXAMPLES_DIR, name, 'example.json')))
    .sort();
}

export function loadManifest(dataset: string): ExampleManifest {
  const path = join(EXAMPLES_DIR, dataset, 'example.json');
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path} is not a valid example manifest:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('\n  ')}`);
  }
  return parsed.data;
}

/** Runs the examples in order and returns one result per dataset. */
export async function runExamples(db: Database, options: RunExamplesOptions): Promise<ExampleResult[]> {
  const log = options.log ?? (() => {});
  const datasetsDir = options.datasetsDir ?? defaultDatasetsDir();
  const all = listExamples();
  const unknown = (options.only ?? []).filter((name) => !all.includes(name));
  if (unknown.length > 0) throw new Error(`no example for ${unknown.join(', ')}; examples: ${all.join(', ')}`);
  const chosen = options.only && options.only.length > 0 ? all.filter((name) => options.only!.includes(name)) : all;

  const results: ExampleResult[] = [];
  for (const dataset of chosen) {
    const started = Date.now();
    const manifest = loadManifest(dataset);
    const datasetDir = join(datasetsDir, dataset);
    if (!existsSync(datasetDir) || !statSync(datasetDir).isDirectory()) {
      throw new Error(`dataset folder ${datasetDir} not found: set SADA_DATASETS_DIR to the folder that holds ${all.join(', ')}`);
    }
    const workspace = await ensureWorkspace(db, dataset, { timezone: manifest.timezone });
    const reportDir = join(options.reportDir, dataset);
    mkdirSync(reportDir, { recursive: true });
    log(`${dataset}: workspace "${workspace.name}"`);

    let shaping: ExampleResult['shaping'];
    if (manifest.shape) {
      const shapeStarted = Date.now();
      const workDir = join(reportDir, 'shaped');
      mkdirSync(workDir, { recursive: true });
      const module = (await import(pathToFileURL(join(EXAMPLES_DIR, dataset, manifest.shape)).href)) as { shape?: ShapeFunction };
      if (typeof module.shape !== 'function') throw new Error(`examples/${dataset}/${manifest.shape} does not export a shape function`);
      log(`${dataset}: shaping with ${manifest.shape}`);
      const result = await module.shape({ datasetDir, workDir, log });
      shaping = { ...result, script: manifest.shape, workDir, seconds: (Date.now() - shapeStarted) / 1000 };
      for (const note of result.notes) log(`${dataset}:   ${note}`);
      if (result.problems.length > 0) log(`${dataset}:   ${result.problems.length} source line(s) could not be shaped`);
    }

    const steps: ExampleStepResult[] = [];
    for (const step of manifest.steps) {
      const path = step.from === 'shaped' ? join(reportDir, 'shaped', step.file) : join(datasetDir, step.file);
      if (!existsSync(path)) {
        throw new Error(
          step.from === 'shaped'
            ? `examples/${dataset}: the shaping did not write ${step.file}`
            : `${path} not found: is ${datasetsDir} the shared datasets folder? (SADA_DATASETS_DIR)`,
        );
      }
      const mappingPath = join(EXAMPLES_DIR, dataset, step.mapping);
      const mapping = parseMappingJson(readFileSync(mappingPath, 'utf8'), `examples/${dataset}/${step.mapping}`);
      log(`${dataset}: ${step.kind} ← ${step.file} (${step.mapping})`);
      const summary = await importFile(db, {
        workspace,
        kind: step.kind,
        path,
        mapping,
        reportDir: join(reportDir, basename(step.mapping, '.mapping.json')),
      });
      log(`${dataset}:   ${countsLine(summary)}`);
      steps.push({ kind: step.kind, file: path, from: step.from, mapping: step.mapping, summary });
    }
    results.push({ dataset, workspace: workspace.name, datasetDir, shaping, steps, seconds: (Date.now() - started) / 1000 });
  }
  return results;
}

function countsLine(s: ImportSummary): string {
  return `${s.rows} ${s.unit === 'line' ? 'rows' : 'elements'}: ${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected${s.status === 'interrupted' ? ' (interrupted)' : ''}`;
}

function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A plain-text report of example results: per dataset, the shaping notes and problems, then per
 * import its counts, its first rejects (line, column, reason) and its warnings.
 */
export function formatExampleReport(results: readonly ExampleResult[], options: { rejectsShown?: number } = {}): string {
  const shown = options.rejectsShown ?? 5;
  const out: string[] = [];
  const total = { inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of results) {
    out.push(`${r.dataset} — workspace "${r.workspace}", ${r.seconds.toFixed(1)} s`);
    if (r.shaping) {
      out.push(`  shaping (${r.shaping.script}, ${r.shaping.seconds.toFixed(1)} s) → ${r.shaping.workDir}`);
      for (const note of r.shaping.notes) out.push(`    note: ${note}`);
      for (const p of r.shaping.problems.slice(0, shown)) out.push(`    problem: ${p.file} line ${p.line}: ${p.reason}`);
      if (r.shaping.problems.length > shown) out.push(`    … and ${r.shaping.problems.length - shown} more problem(s)`);
    }
    for (const step of r.steps) {
      const s = step.summary;
      total.inserted += s.inserted;
      total.updated += s.updated;
      total.unchanged += s.unchanged;
      total.rejected += s.rejected;
      out.push(`  ${step.kind} ← ${basename(step.file)}${step.from === 'shaped' ? ' (shaped)' : ''} [${step.mapping}]`);
      out.push(`    ${countsLine(s)}`);
      for (const p of s.firstRejects.slice(0, shown)) {
        const where = [p.column && `column ${p.column}`, p.field && p.field !== p.column.split(' ')[0] && `field ${p.field}`].filter(Boolean).join(', ');
        const value = p.value ? ` (value "${shorten(p.value)}")` : '';
        out.push(`    reject ${s.unit} ${p.line}${where ? `, ${where}` : ''}: ${p.reason}${value}`);
      }
      if (s.rejected > 0 && s.rejectsFile) out.push(`    all ${s.rejected} rejected row(s): ${s.rejectsFile}`);
      for (const w of s.warnings) out.push(`    warning: ${w}`);
    }
    out.push('');
  }
  out.push(
    `${results.length} dataset(s): ${total.inserted} inserted, ${total.updated} updated, ${total.unchanged} unchanged, ${total.rejected} rejected`,
  );
  return out.join('\n');
}
