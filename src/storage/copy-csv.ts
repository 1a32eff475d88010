import type { StoredRecord, StoredValue } from '../domain/record-kinds.ts';

/**
 * PostgreSQL text cannot hold NUL characters, so they are dropped rather than failing the whole
 * batch: this is the text as it will be stored.
 */
export function storedText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/**
 * Encodes records as the CSV that PostgreSQL's COPY reads: NULL is an empty unquoted field,
 * every string is quoted (so an empty string stays an empty string), NUL characters are dropped.
 */
export function encodeValue(value: StoredValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  const json = JSON.stringify(value);
  // jsonb refuses \u0000 too: drop NULs from the keys and strings inside (rarely needed).
  return quote(json.includes('\\u0000') ? JSON.stringify(withoutNul(value)) : json);
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return storedText(value);
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storedText(k), withoutNul(v)]));
  }
  return value;
}

function quote(text: string): string {
  const clean = storedText(text);
  return clean.includes('"') ? `"${clean.replaceAll('"', '""')}"` : `"${clean}"`;
}

/** One line per record with the given columns, each line starting with `prefix` (e.g. `42,`). */
export function encodeCsv(records: readonly StoredRecord[], columns: readonly string[], prefix = ''): string {
  const last = columns.length - 1;
  let out = '';
  for (const record of records) {
    let line = prefix;
    for (let i = 0; i < last; i++) line += encodeValue(record[columns[i]!]) + ',';
    out += line + encodeValue(record[columns[last]!]) + '\n';
  }
  return out;
}
