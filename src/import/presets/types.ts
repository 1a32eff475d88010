import type { z } from 'zod';
import type { RecordKindName } from '../../domain/record-kinds.ts';
import type { FigureCheck } from '../../storage/figure-checks.ts';
import type { mappingSchema } from '../mapping.ts';

/**
 * A preset imports one tool's exports without a mapping: `sada import tickets export.json
 * --preset zendesk`. A tool has one source per shape it exports (the ticket export, the metrics
 * export, the satisfaction ratings…); each source says which kind of record it fills, where the
 * records are in the file, how one record becomes rows (optional) and the mapping of those rows,
 * in the same mapping format as a mapping file. Everything here is pure: no I/O.
 *
 * To add a tool: one file in this folder exporting a `Preset`, added to the list in index.ts,
 * and a section in docs/presets.md (a test checks that every source is documented there).
 */

/** One record of the source, as read: a JSON object or a CSV row (column → text). */
export type SourceRecord = Record<string, unknown>;

/**
 * The rows one source record becomes (several for one-to-many), or why it is not imported. A
 * row's `$attributes` object (e.g. custom fields made flat) is kept as attributes of its record
 * as it is, beside those the mapping names.
 */
export type Shaped = SourceRecord[] | { skip: string };

/** How consecutive source records that belong together become one (SourceBase.group). */
export interface RecordGroup {
  /** The record's group (an order's name); undefined: a group of its own. */
  key: (record: SourceRecord) => string | undefined;
  /** The group's records, in file order, as one record. */
  merge: (records: SourceRecord[]) => SourceRecord;
}

/** A mapping as written in a mapping file (defaults not yet applied). */
export type MappingInput = z.input<typeof mappingSchema>;

interface SourceBase {
  /** Unique within the tool; `--preset zendesk:ticket-metrics` picks it without detection. */
  name: string;
  /** What it reads, for people: "Incremental Ticket Export (GET /api/v2/incremental/tickets/cursor.json)". */
  title: string;
  kind: RecordKindName;
  /**
   * One source record → the rows the mapping reads, or a reason to skip it (counted and reported,
   * never dropped silently). Without it the record itself is the row.
   */
  shape?: (record: SourceRecord) => Shaped;
  /**
   * Consecutive records that are one record of the tool (a Shopify order's line-item rows): the
   * records with the same key, one after the other, are merged into one before `shape`. Only the
   * group being read is held, so memory stays flat; a key met again later starts a new group.
   */
  group?: RecordGroup;
  /** How rows become records: the same format as a mapping file (docs/importing.md). */
  mapping: MappingInput;
  /** Source fields (dotted paths) the shape function reads beyond those the mapping names. */
  reads?: readonly string[];
  /**
   * Source fields left out on purpose, each with the reason (docs/presets.md repeats them). Any
   * other field the preset does not take is kept as an attribute and listed in the summary.
   */
  ignore?: Readonly<Record<string, string>>;
  /** The tool's own figures compared with Sada's after the import (tickets only). */
  checks?: readonly FigureCheck[];
  /**
   * Prefix for the attributes of unknown fields, for a source that adds to records another
   * export creates (Zendesk's ticket metrics to its tickets): the two never overwrite each other's.
   */
  unknownPrefix?: string;
  /**
   * For a source that takes one part of a record another source imports (the requester of a
   * ticket, the rating of a conversation): only fields under this path can be unknown, and
   * their attribute names start below it.
   */
  unknownScope?: string;
}

export interface JsonPresetSource extends SourceBase {
  format: 'json';
  /**
   * Dotted path of the records in the tool's response (`tickets`, `data.payload`); '' when the
   * document is the array itself (or one record, e.g. a saved webhook delivery). A file that wraps
   * the response deeper is read at the first path that ends with this one. NDJSON files (one
   * record a line) are read too.
   */
  path: string;
  /** Whether a record (the first one of the file) has this source's shape. */
  detect: (record: SourceRecord) => boolean;
}

export interface CsvPresetSource extends SourceBase {
  format: 'csv';
  /** Whether a header (trimmed column names) is this export's. */
  detect: (header: readonly string[]) => boolean;
}

export type PresetSource = JsonPresetSource | CsvPresetSource;

export interface Preset {
  /** What `--preset` takes: `zendesk`. */
  name: string;
  /** The tool's name for people: `Zendesk`. */
  title: string;
  /** Where its mapping is documented. */
  docs: string;
  sources: readonly PresetSource[];
}
