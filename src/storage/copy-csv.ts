import type { StoredRecord, StoredValue } from '../domain/record-kinds.ts';

/**
 * Encodes records as the CSV that PostgreSQL's COPY reads: NULL is an empty unquoted field,
 * every string is quoted (so an empty string stays an empty string). PostgreSQL text cannot
 * hold NUL characters, so they are dropped rather than failing the whole batch.
 */
export function encodeValue(value: StoredValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return quote(JSON.stringify(value));
}

function quote(text: string): string {
  const clean = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return `"${clean.replaceAll('"', '""')}"`;
}

export function encodeCsv(records: readonly StoredRecord[], columns: readonly string[]): string {
  let out = '';
  for (const record of records) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += ',';
      line += encodeValue(record[columns[i]!]);
    }
    out += line + '\n';
  }
  return out;
}
