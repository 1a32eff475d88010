import { createHash } from 'node:crypto';
import { toKey } from '../domain/catalog.ts';
import { recordKind, type FieldSpec, type RecordKindName, type StoredRecord, type StoredValue } from '../domain/record-kinds.ts';
import { checkRecord, fieldsFilledByRules } from '../domain/record-rules.ts';
import { parseBoolean, parseInteger, parseNumber, parseTimestamp, type Parsed } from '../domain/values.ts';
import { MappingError, type FieldSource, type Mapping } from './mapping.ts';
import type { SourceRow } from './readers/source-row.ts';

/** One reason a row was not imported, pointing at the cell a person has to fix. */
export interface RowProblem {
  line: number;
  /** Column name (or JSON path), with its 1-based position in the header when there is one. */
  column: string;
  field: string;
  value: string;
  reason: string;
}

export type MappedRow = { ok: true; record: StoredRecord } | { ok: false; problems: RowProblem[] };

export interface RowMapper {
  /** The record fields every mapped row carries (id and attributes included). */
  columns: string[];
  /** Columns that only fill records without a value (`onlyIfEmpty` in the mapping). */
  fillOnly: string[];
  /** Source columns (or JSON paths) the mapping reads. */
  sourceColumns: string[];
  map(row: SourceRow): MappedRow;
}

interface CompiledField {
  spec: FieldSpec;
  /** Record key: the field name, or the attribute name for attributes.<name>. */
  target: string;
  isAttribute: boolean;
  column?: string;
  constant?: unknown;
  /** "text {column} text": the columns it names, in order of appearance. */
  template?: { text: string; columns: string[] };
  dateFormat: string;
  values?: Record<string, unknown>;
  /** Required by the kind, or by the mapping for this file. */
  required: boolean;
  onlyIfEmpty: boolean;
}

export interface RowMapperOptions {
  zone: string;
  dateFormat: string;
  /**
   * Fill fields the mapping does not name from a column (or JSON key) of the same name
   * (default true). Presets say everything they take, so they turn it off.
   */
  implicitColumns?: boolean;
  /**
   * A column the mapping names but the file lacks leaves the field empty instead of stopping the
   * import (default false): for exports whose columns the user picks, such as Freshdesk's.
   */
  optionalColumns?: boolean;
}

const ATTRIBUTE_SPEC: FieldSpec = { name: 'attributes', type: 'text', doc: '' };

function lookup(cells: Record<string, unknown>, column: string): unknown {
  if (column in cells) return cells[column];
  if (!column.includes('.')) return undefined;
  let value: unknown = cells;
  for (const part of column.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Empty: nothing, blank text, or (in JSON) an empty list or object. */
function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && !(value instanceof Date) && Object.keys(value).length === 0;
}

function convert(field: CompiledField, raw: unknown, zone: string): Parsed<StoredValue> {
  const { spec } = field;
  if (field.isAttribute) return { ok: true, value: raw as StoredValue };
  const text = typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  let parsed: Parsed<StoredValue>;
  switch (spec.type) {
    case 'text':
      parsed = { ok: true, value: text };
      break;
    case 'key':
      parsed = { ok: true, value: toKey(text) };
      break;
    case 'integer':
      parsed = typeof raw === 'number' ? (Number.isSafeInteger(raw) ? { ok: true, value: raw } : { ok: false, reason: `${raw} is not a whole number` }) : parseInteger(text);
      break;
    case 'number':
      parsed = typeof raw === 'number' ? { ok: true, value: raw } : parseNumber(text);
      break;
    case 'boolean':
      parsed = typeof raw === 'boolean' ? { ok: true, value: raw } : parseBoolean(text);
      break;
    case 'timestamp':
      parsed = parseTimestamp(text, { format: field.dateFormat, zone });
      break;
    case 'json':
      parsed = typeof raw === 'object' ? { ok: true, value: raw as Record<string, unknown> } : { ok: false, reason: 'expected a JSON object' };
      break;
  }
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (spec.oneOf && typeof value === 'string' && !spec.oneOf.includes(value)) {
    return { ok: false, reason: `"${text}" is not one of ${spec.oneOf.join(', ')} (translate it with "values" in the mapping)` };
  }
  if (typeof value === 'number') {
    if (spec.min !== undefined && value < spec.min) return { ok: false, reason: `${value} is below the minimum ${spec.min}` };
    if (spec.max !== undefined && value > spec.max) return { ok: false, reason: `${value} is above the maximum ${spec.max}` };
  }
  return parsed;
}

function translate(values: Record<string, unknown>, raw: unknown): unknown {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return raw;
  const text = String(raw).trim();
  if (Object.hasOwn(values, text)) return values[text];
  const lower = text.toLowerCase();
  for (const [from, to] of Object.entries(values)) if (from.toLowerCase() === lower) return to;
  return raw;
}

/**
 * Compiles a mapping for one kind and one file header into a function that turns a source row
 * into a record or into the list of its problems. Fields not mapped explicitly are taken from
 * a column of the same name when the file has one.
 */
export function createRowMapper(
  kindName: RecordKindName,
  mapping: Mapping,
  header: readonly string[] | undefined,
  options: RowMapperOptions,
): RowMapper {
  const implicit = options.implicitColumns ?? true;
  const kind = recordKind(kindName);
  const headerIndex = new Map(header?.map((name, i) => [name, i] as const));
  const headerLower = new Map(header?.map((name) => [name.toLowerCase(), name] as const));
  const compiled: CompiledField[] = [];

  const sourceOf = (source: FieldSource, spec: FieldSpec, target: string, isAttribute: boolean): CompiledField => {
    const s = typeof source === 'string' ? { column: source } : source;
    const templateColumns = s.template === undefined ? [] : [...s.template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
    for (const column of s.column !== undefined ? [s.column] : templateColumns) {
      if (header && !headerIndex.has(column) && !options.optionalColumns) {
        throw new MappingError(
          `the mapping takes ${target} from column "${column}", which the file does not have. Columns: ${header.join(', ')}`,
        );
      }
    }
    return {
      spec,
      target,
      isAttribute,
      column: s.column,
      constant: s.value,
      template: s.template === undefined ? undefined : { text: s.template, columns: templateColumns },
      dateFormat: s.format ?? mapping.dateFormat ?? options.dateFormat,
      values: s.values,
      required: spec.required === true || s.required === true,
      onlyIfEmpty: s.onlyIfEmpty === true,
    };
  };

  for (const spec of kind.fields) {
    if (spec.name === 'attributes') continue;
    const explicit = mapping.fields[spec.name];
    if (explicit !== undefined) {
      compiled.push(sourceOf(explicit, spec, spec.name, false));
    } else if (implicit && headerLower.has(spec.name)) {
      compiled.push(sourceOf(headerLower.get(spec.name)!, spec, spec.name, false));
    } else if (implicit && !header) {
      // JSON rows have no header to check against: a key named like the field fills it.
      compiled.push(sourceOf(spec.name, spec, spec.name, false));
    } else if (spec.required) {
      throw new MappingError(
        `${kindName} need "${spec.name}" (${spec.doc}): map it with --map ${spec.name}=<column>` +
          (header ? `. Columns: ${header.join(', ')}` : ''),
      );
    }
  }
  for (const [field, source] of Object.entries(mapping.fields)) {
    if (field.startsWith('attributes.')) {
      compiled.push(sourceOf(source, ATTRIBUTE_SPEC, field.slice('attributes.'.length), true));
    }
  }
  const usedColumns = new Set(compiled.flatMap((f) => (f.column !== undefined ? [f.column] : (f.template?.columns ?? []))));
  const unmappedColumns = mapping.keepUnmappedAsAttributes && header ? header.filter((c) => !usedColumns.has(c) && c !== '') : [];
  const hasId = compiled.some((f) => f.target === 'id' && !f.isAttribute);
  const occurrences = new Map<string, number>();

  const columnLabel = (column: string | undefined, template?: { text: string }) => {
    if (template) return `template "${template.text}"`;
    if (column === undefined) return '(constant)';
    const index = headerIndex.get(column);
    return index === undefined ? column : `${column} (column ${index + 1})`;
  };

  const columns = [
    ...new Set(['id', ...compiled.filter((f) => !f.isAttribute).map((f) => f.target), ...fieldsFilledByRules(kindName), 'attributes']),
  ];
  const map = (row: SourceRow): MappedRow => {
    const record: StoredRecord = {};
    const attributes: Record<string, unknown> = {};
    const problems: RowProblem[] = [];
    for (const field of compiled) {
      let raw = field.column !== undefined ? lookup(row.cells, field.column) : field.template ? fillTemplate(field.template, row.cells) : field.constant;
      if (field.values) raw = translate(field.values, raw);
      if (isBlank(raw)) {
        if (field.required) {
          problems.push({ line: row.line, column: columnLabel(field.column, field.template), field: field.target, value: '', reason: `${field.target} is required but empty` });
        } else if (!field.isAttribute) {
          record[field.target] = null;
        }
        continue;
      }
      const parsed = convert(field, raw, options.zone);
      if (!parsed.ok) {
        problems.push({ line: row.line, column: columnLabel(field.column, field.template), field: field.target, value: String(raw), reason: parsed.reason });
      } else if (field.isAttribute) {
        attributes[field.target] = parsed.value;
      } else {
        record[field.target] = parsed.value;
      }
    }
    for (const column of unmappedColumns) {
      const raw = row.cells[column];
      if (!isBlank(raw)) attributes[column] = raw;
    }
    if (problems.length === 0) {
      for (const problem of checkRecord(kindName, record)) {
        const source = compiled.find((f) => f.target === problem.field && !f.isAttribute);
        problems.push({
          line: row.line,
          column: columnLabel(source?.column, source?.template),
          field: problem.field,
          value: String(source?.column !== undefined ? (lookup(row.cells, source.column) ?? '') : ''),
          reason: problem.reason,
        });
      }
    }
    if (problems.length > 0) return { ok: false, problems };
    record.attributes = attributes;
    if (!hasId || record.id === null) record.id = contentId(record, occurrences);
    return { ok: true, record };
  };
  const fillOnly = compiled.filter((f) => f.onlyIfEmpty && !f.isAttribute && f.target !== 'id').map((f) => f.target);
  return { columns, fillOnly, sourceColumns: [...usedColumns], map };
}

/** Fills "{column}" placeholders; blank (undefined) when a named cell is blank. */
function fillTemplate(template: { text: string; columns: string[] }, cells: Record<string, unknown>): string | undefined {
  for (const column of template.columns) if (isBlank(lookup(cells, column))) return undefined;
  return template.text.replace(/\{([^{}]+)\}/g, (_, column: string) => String(lookup(cells, column)).trim());
}

/**
 * A stable id for a row without one: a hash of its values plus how many identical rows came
 * before it in the file, so two identical purchases stay two orders and a re-import of the same
 * file finds the same ids.
 */
function contentId(record: StoredRecord, occurrences: Map<string, number>): string {
  const canonical = JSON.stringify(Object.keys(record).sort().filter((k) => k !== 'id').map((k) => [k, record[k]]));
  const digest = createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
  const seen = occurrences.get(digest) ?? 0;
  occurrences.set(digest, seen + 1);
  return seen === 0 ? `h:${digest}` : `h:${digest}:${seen + 1}`;
}
