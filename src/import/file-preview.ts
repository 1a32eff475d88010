import { createReadStream } from 'node:fs';
import type { RecordKindName, StoredValue } from '../domain/record-kinds.ts';
import { MappingError, mappingSchema, type FileFormat, type Mapping } from './mapping.ts';
import { detectSources, presetImport, PresetError, resolvePreset, type PresetImport } from './presets/index.ts';
import { openSource } from './readers/index.ts';
import type { SourceRow } from './readers/source-row.ts';
import { createRowMapper, type RowProblem } from './row-mapper.ts';
import { createShaper, type RecordShaping } from './shaping.ts';
import { sampleFile } from './sniff.ts';

/**
 * What the dashboard's Import page shows before anything is stored: the columns and first rows
 * of an uploaded file, the presets whose shape it has, and the first rows read through a mapping
 * (each field's value as Sada would store it, or the problem that would reject the row). Reads
 * only the start of the file, whatever its size.
 */

export interface PresetOffer {
  /** What `--preset` takes: `shopify:orders`. */
  spec: string;
  tool: string;
  toolTitle: string;
  source: string;
  sourceTitle: string;
  kind: RecordKindName;
}

export interface FileInspection {
  format: FileFormat;
  /** Column names (CSV), or the dotted keys of the first records (JSON). */
  columns: string[];
  /** The first rows as read, cell by cell (nested JSON values as JSON text). */
  rows: Array<{ line: number; cells: Record<string, string> }>;
  /** The unit `line` counts: text lines, or elements of a JSON array. */
  unit: 'line' | 'element';
  /** JSON: where the records are (dotted path, '' for the document). */
  jsonPath?: string;
  presets: PresetOffer[];
  /** Problems reading the start of the file. */
  problems: Array<{ line: number; reason: string }>;
}

const SAMPLE_ROWS = 8;
/** Items read at most to find the preview's rows (a file whose every row is a problem ends the look early). */
const MAX_ITEMS = 200;

const cellText = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** A JSON record's keys, nested objects as dotted paths (two levels), for the column pickers. */
function flatten(record: Record<string, unknown>, prefix = '', depth = 0, out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 1 && Object.keys(value).length > 0) {
      flatten(value as Record<string, unknown>, path, depth + 1, out);
    } else {
      out[path] = cellText(value);
    }
  }
  return out;
}

async function readFirst(path: string, format: FileFormat, jsonPath: string | undefined, count: number) {
  const input = createReadStream(path);
  try {
    const source = await openSource(input, format, { allowRaggedRows: false, ...(jsonPath ? { jsonPath } : {}) });
    const rows: SourceRow[] = [];
    const problems: Array<{ line: number; reason: string }> = [];
    let items = 0;
    for await (const item of source.items) {
      if (item.kind === 'row') rows.push(item);
      else problems.push({ line: item.line, reason: item.reason });
      if (rows.length >= count || ++items >= MAX_ITEMS) break;
    }
    return { header: source.header, unit: source.unit, rows, problems };
  } finally {
    input.destroy();
  }
}

export async function inspectFile(path: string, format: FileFormat): Promise<FileInspection> {
  const sample = await sampleFile(path, format);
  const matches = detectSources(sample);
  const presets = matches.map((m) => ({
    spec: `${m.preset.name}:${m.source.name}`,
    tool: m.preset.name,
    toolTitle: m.preset.title,
    source: m.source.name,
    sourceTitle: m.source.title,
    kind: m.source.kind,
  }));
  // JSON: the records are where a preset found them, else in the first array near the top.
  let jsonPath: string | undefined;
  if (sample.format === 'json') {
    jsonPath = matches[0]?.jsonPath ?? sample.candidates.find((c) => c.container === 'array')?.path ?? '';
  }
  const read = await readFirst(path, format, jsonPath || undefined, SAMPLE_ROWS).catch((error: Error) => {
    throw new MappingError(`the file cannot be read as ${format.toUpperCase()}: ${error.message}`);
  });
  const rows = read.rows.map((row) => ({
    line: row.line,
    cells: read.header ? Object.fromEntries(Object.entries(row.cells).map(([k, v]) => [k, cellText(v)])) : flatten(row.cells),
  }));
  const columns = read.header ?? [...new Set(rows.flatMap((r) => Object.keys(r.cells)))];
  return { format, columns, rows, unit: read.unit, ...(jsonPath !== undefined ? { jsonPath } : {}), presets, problems: read.problems };
}

/** How to read a file: a preset, or a mapping made on the page (for JSON, where the records are). */
export interface ReadPlan {
  mapping: Mapping;
  format: FileFormat;
  records?: RecordShaping;
  checks?: PresetImport['checks'];
  preset?: string;
}

/**
 * The importer's settings for an upload: `preset` (a tool name, or tool:source) through the
 * presets' own detection, else `mapping` as the page built it. Throws MappingError or
 * PresetError with a message for people.
 */
export async function planImport(path: string, format: FileFormat, kind: RecordKindName, choice: { preset?: string; mapping?: unknown; jsonPath?: string }): Promise<ReadPlan> {
  if (choice.preset) {
    const sample = await sampleFile(path, format);
    const match = resolvePreset(sample, choice.preset, kind, 'the file');
    const parts = presetImport(match);
    return { mapping: parts.mapping, format: parts.format ?? format, records: parts.records, checks: parts.checks, preset: parts.preset };
  }
  const parsed = mappingSchema.safeParse(choice.mapping ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(mapping)'}: ${i.message}`);
    throw new MappingError(`the mapping is not valid: ${problems.join('; ')}`);
  }
  const mapping = parsed.data;
  if (mapping.kind && mapping.kind !== kind) throw new MappingError(`the mapping is for ${mapping.kind}, not ${kind}`);
  // Records nested in a JSON document: read them where they are, keep what the mapping does not take.
  const records: RecordShaping | undefined = format === 'json' && choice.jsonPath ? { label: 'the mapping', jsonPath: choice.jsonPath, known: [] } : undefined;
  return { mapping, format: mapping.format ?? format, ...(records ? { records } : {}) };
}

export interface PreviewRow {
  line: number;
  ok: boolean;
  /** The record's fields as they would be stored (attributes included). */
  values?: Record<string, StoredValue | Record<string, unknown>>;
  problems?: RowProblem[];
}

/** The first rows of the file through the plan: what each field reads, or why the row would be rejected. */
export async function previewPlan(path: string, kind: RecordKindName, plan: ReadPlan, zone: string, count = SAMPLE_ROWS): Promise<{ fields: string[]; rows: PreviewRow[] }> {
  const read = await readFirst(path, plan.format, plan.records?.jsonPath, count);
  const mapper = createRowMapper(kind, plan.mapping, read.header, {
    zone: plan.mapping.timezone ?? zone,
    dateFormat: plan.mapping.dateFormat ?? 'auto',
    ...(plan.records ? { implicitColumns: false, optionalColumns: true } : {}),
  });
  const shaper = plan.records ? createShaper(plan.records, mapper.sourceColumns) : undefined;
  const rows: PreviewRow[] = [];
  for (const problem of read.problems) rows.push({ line: problem.line, ok: false, problems: [{ line: problem.line, column: '', field: '', value: '', reason: problem.reason }] });
  const expand = (row: SourceRow) => (shaper ? shaper.push(row).flatMap((e) => e.rows) : [{ row, attributes: {} }]);
  const shaped = [...read.rows.flatMap(expand), ...(shaper ? shaper.end().flatMap((e) => e.rows) : [])];
  for (const { row, attributes } of shaped.slice(0, count)) {
    const mapped = mapper.map(row);
    if (mapped.ok) {
      const record = { ...mapped.record, attributes: { ...attributes, ...(mapped.record.attributes as Record<string, unknown>) } };
      rows.push({ line: row.line, ok: true, values: record as PreviewRow['values'] });
    } else {
      rows.push({ line: row.line, ok: false, problems: mapped.problems });
    }
  }
  rows.sort((a, b) => a.line - b.line);
  return { fields: mapper.columns, rows };
}

export { PresetError };
