import type { RecordGroup, Shaped, SourceRecord } from './presets/types.ts';
import type { SourceRow } from './readers/source-row.ts';

/**
 * How a preset reads a tool's records: where they are in the file, how one becomes rows, and
 * which fields it knows. A field it does not know is kept as an attribute of every row the
 * record becomes (never dropped silently) and named once in the summary.
 */
export interface RecordShaping {
  /** Who reads the file, for warnings: "the Zendesk preset (tickets)". */
  label: string;
  /** JSON: dotted path of the records in the document ('' for the document itself). */
  jsonPath?: string;
  shape?: (record: SourceRecord) => Shaped;
  /** Consecutive records merged into one before `shape` (an order over several rows). */
  group?: RecordGroup;
  /** Fields known besides the columns the mapping reads: the shape's, and those left out on purpose. */
  known: readonly string[];
  /** Prefix for the attribute names of unknown fields. */
  unknownPrefix?: string;
  /** Only fields under this path can be unknown (the part of the record this source imports). */
  unknownScope?: string;
}

/** A shaped row's own attributes (custom fields, say), kept beside what the mapping takes. */
export const SHAPED_ATTRIBUTES = '$attributes';

export interface ExpandedRecord {
  /** Each row with the attributes to keep on its record: the record's unknown fields and the row's own. */
  rows: { row: SourceRow; attributes: Record<string, unknown> }[];
  /** Why it became no rows. */
  skipped?: string;
}

export interface Shaper {
  /** One whole record (a JSON object, a webhook delivery's record) → its rows. */
  expand(row: SourceRow): ExpandedRecord;
  /**
   * The next row of a file → the records completed by it: with a `group`, a row is held until a
   * row of another group (or `end`) shows its group is complete; without, each row is a record.
   */
  push(row: SourceRow): ExpandedRecord[];
  /** The file is read: the records still held. */
  end(): ExpandedRecord[];
  /** One line per skip reason and one listing the unknown fields, for the summary. */
  warnings(): string[];
  skippedCount(): number;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** `mappingColumns` are the source columns (or dotted paths) the mapping reads. */
export function createShaper(shaping: RecordShaping, mappingColumns: readonly string[]): Shaper {
  const known = new Set([...mappingColumns, ...shaping.known]);
  // A path some known field lies under: walk into it instead of keeping it whole.
  const above = new Set<string>();
  for (const path of known) {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i++) above.add(parts.slice(0, i).join('.'));
  }
  const scope = shaping.unknownScope;
  const unknownSeen = new Set<string>();
  const skips = new Map<string, number>();

  // What to do with each key under each path, decided once: records of one export share keys,
  // so the walk costs a map lookup a field.
  interface Step {
    decision: 'known' | 'walk' | 'keep';
    path: string;
    /** The field's name in the summary, and (prefixed) its attribute's. */
    label: string;
    attribute: string;
    below: Map<string, Step> | undefined;
  }
  const stepOf = (steps: Map<string, Step>, base: string, key: string): Step => {
    let step = steps.get(key);
    if (!step) {
      const path = base === '' ? key : `${base}.${key}`;
      const decision = known.has(path) ? 'known' : above.has(path) ? 'walk' : 'keep';
      const label = scope === undefined ? path : path.slice(scope.length + 1);
      step = { decision, path, label, attribute: `${shaping.unknownPrefix ?? ''}${label}`, below: decision === 'walk' ? new Map() : undefined };
      steps.set(key, step);
    }
    return step;
  };
  const collect = (value: Record<string, unknown> | unknown[], steps: Map<string, Step>, base: string, out: Record<string, unknown>) => {
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const step = stepOf(steps, base, key);
      if (step.decision === 'known') continue;
      if (step.below && child !== null && typeof child === 'object') {
        collect(child as Record<string, unknown>, step.below, step.path, out);
        continue;
      }
      if (isEmpty(child)) continue;
      out[step.attribute] = child;
      unknownSeen.add(step.label);
    }
  };
  const root = new Map<string, Step>();

  const group = shaping.group;
  let held: SourceRow[] = [];
  let heldKey: string | undefined;
  const release = (): ExpandedRecord[] => {
    if (held.length === 0) return [];
    const rows = held;
    held = [];
    heldKey = undefined;
    const first = rows[0]!;
    const cells = group ? group.merge(rows.map((r) => r.cells)) : first.cells;
    return [shaper.expand({ kind: 'row', line: first.line, cells })];
  };

  const shaper: Shaper = {
    push(row) {
      if (!group) return [shaper.expand(row)];
      const key = group.key(row.cells);
      const done = key !== undefined && key === heldKey ? [] : release();
      held.push(row);
      heldKey = key;
      // A row without a key is a group of its own.
      if (key === undefined) done.push(...release());
      return done;
    },
    end() {
      return release();
    },
    expand(row) {
      const attributes: Record<string, unknown> = {};
      if (scope === undefined) collect(row.cells, root, '', attributes);
      else {
        const part = scope.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), row.cells);
        if (part !== null && typeof part === 'object') collect(part as Record<string, unknown>, root, scope, attributes);
      }
      if (!shaping.shape) return { rows: [{ row, attributes }] };
      const shaped = shaping.shape(row.cells);
      if (!Array.isArray(shaped)) {
        skips.set(shaped.skip, (skips.get(shaped.skip) ?? 0) + 1);
        return { rows: [], skipped: shaped.skip };
      }
      return {
        rows: shaped.map(({ [SHAPED_ATTRIBUTES]: own, ...cells }) => ({
          row: { kind: 'row', line: row.line, cells },
          attributes: own !== null && typeof own === 'object' ? { ...attributes, ...(own as Record<string, unknown>) } : attributes,
        })),
      };
    },
    warnings() {
      const lines = [...skips].map(([reason, n]) => `${n} record(s) not imported: ${reason}`);
      if (unknownSeen.size > 0) {
        lines.push(`fields ${shaping.label} does not know, kept as attributes: ${[...unknownSeen].sort().join(', ')}`);
      }
      return lines;
    },
    skippedCount() {
      let n = 0;
      for (const count of skips.values()) n += count;
      return n;
    },
  };
  return shaper;
}
