import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordKindName, StoredRecord } from '../../src/domain/record-kinds.ts';
import { prepareWithPreset } from '../../src/import/preset-files.ts';
import { openSource } from '../../src/import/readers/index.ts';
import { guessFormat } from '../../src/import/readers/index.ts';
import { createRowMapper, type RowProblem } from '../../src/import/row-mapper.ts';
import { createShaper } from '../../src/import/shaping.ts';
import { formatPath } from './formats.ts';

export interface MappedSample {
  preset: string;
  records: StoredRecord[];
  problems: (RowProblem | { line: number; reason: string })[];
  warnings: string[];
  skipped: number;
  /** Source records read. */
  read: number;
}

/**
 * Reads a file with a preset exactly as `sada import <kind> <file> --preset <spec>` does, up to
 * the records it would store, without a database: what the per-preset tests check field by field.
 */
export async function mapWithPreset(path: string, kind: RecordKindName, spec: string, zone = 'UTC'): Promise<MappedSample> {
  const prepared = await prepareWithPreset(path, kind, spec);
  const format = prepared.format ?? guessFormat(path)!;
  const mapping = prepared.mapping;
  const source = await openSource(createReadStream(path), format, {
    delimiter: mapping.delimiter,
    allowRaggedRows: mapping.raggedRows === 'allow',
    relaxQuotes: mapping.quotes === 'relaxed',
    ...(format === 'json' && prepared.records.jsonPath !== undefined ? { jsonPath: prepared.records.jsonPath } : {}),
  });
  const mapper = createRowMapper(kind, mapping, source.header, { zone: mapping.timezone ?? zone, dateFormat: mapping.dateFormat ?? 'auto', implicitColumns: false, optionalColumns: true });
  const shaper = createShaper(prepared.records, mapper.sourceColumns);
  const result: MappedSample = { preset: prepared.preset, records: [], problems: [], warnings: [], skipped: 0, read: 0 };
  for await (const item of source.items) {
    result.read++;
    if (item.kind === 'problem') {
      result.problems.push(item);
      continue;
    }
    const expanded = shaper.expand(item);
    for (const { row, attributes } of expanded.rows) {
      const mapped = mapper.map(row);
      if (mapped.ok) result.records.push({ ...mapped.record, attributes: { ...attributes, ...(mapped.record.attributes as object) } });
      else result.problems.push(...mapped.problems);
    }
  }
  result.warnings = [...source.warnings, ...shaper.warnings()];
  result.skipped = shaper.skippedCount();
  return result;
}

export function mapSample(name: string, kind: RecordKindName, spec: string, zone?: string): Promise<MappedSample> {
  return mapWithPreset(formatPath(name), kind, spec, zone);
}

const scratch = mkdtempSync(join(tmpdir(), 'sada-preset-test-'));
let counter = 0;

/** Writes a document built in a test (from a sample's records) to a temporary file. */
export function writeTemp(content: unknown, extension = 'json'): string {
  const path = join(scratch, `doc-${counter++}.${extension}`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Freshdesk's real export header, with rows written in a test (Freshdesk publishes no sample rows). */
export function freshdeskCsv(rows: Record<string, string>[]): string {
  const header = readFileSync(formatPath('freshdesk-tickets-export.csv'), 'utf8').trim().split(',');
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [header.join(','), ...rows.map((row) => header.map((column) => cell(row[column] ?? '')).join(','))].join('\n') + '\n';
}
