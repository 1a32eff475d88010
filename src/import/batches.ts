import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { RecordKindName, StoredRecord } from '../domain/record-kinds.ts';
import { stageColumnsOf } from '../storage/bulk-upsert.ts';
import { encodeCsv } from '../storage/copy-csv.ts';
import type { FileFormat, Mapping } from './mapping.ts';
import { openSource } from './readers/index.ts';
import { createRowMapper, type MappedRow, type RowProblem } from './row-mapper.ts';
import { createShaper, type ExpandedRecord, type RecordShaping } from './shaping.ts';

/**
 * What reading a file into batches needs, as plain data: it crosses to a worker thread
 * (src/import/batch-worker.ts) as it is. A preset's shaping holds functions and is passed beside.
 */
export interface BatchSpec {
  kind: RecordKindName;
  path: string;
  format: FileFormat;
  mapping: Mapping;
  /** Zone for times without an offset. */
  zone: string;
  batchSize: number;
  /** JSON: dotted path of the records in the document. */
  jsonPath?: string;
  /** The rows come from a preset's shaping: the mapping takes only what it names. */
  shaped: boolean;
}

/** What the rows since the previous event brought: rejects, and where the reading stands. */
interface Progress {
  /** Rows rejected since the previous event, and why (a row may have several problems). */
  rejected: number;
  problems: RowProblem[];
  /** Rows (source items) read so far, and bytes. */
  rows: number;
  bytesRead: number;
}

export type BatchEvent =
  /** First, once the header is read: the columns each batch's CSV holds. */
  | { type: 'columns'; columns: string[]; fillOnly: string[]; unit: 'line' | 'element' }
  /** `count` records with distinct ids, encoded as COPY reads them (stageColumnsOf(columns)). */
  | ({ type: 'batch'; csv: string; count: number } & Progress)
  | ({ type: 'end'; warnings: string[]; skipped: number } & Progress);

/** Counts the bytes that pass, for the progress bar. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/**
 * Streams a file into batches of mapped, validated records: read → shape (presets) → map →
 * batch. Bad rows come out as problems; a batch ends at `batchSize` records or before an id
 * it already holds (PostgreSQL refuses the same key twice in one INSERT). Memory stays flat:
 * one batch is held at a time, and the next is read only when the consumer asks for it.
 */
export async function* readBatches(spec: BatchSpec, records?: RecordShaping): AsyncGenerator<BatchEvent, void, undefined> {
  let bytesRead = 0;
  const input = createReadStream(spec.path).pipe(byteCounter((n) => (bytesRead += n)));
  try {
    const { mapping } = spec;
    const source = await openSource(input, spec.format, {
      delimiter: mapping.delimiter,
      allowRaggedRows: mapping.raggedRows === 'allow',
      relaxQuotes: mapping.quotes === 'relaxed',
      ...(spec.format === 'json' && spec.jsonPath !== undefined ? { jsonPath: spec.jsonPath } : {}),
    });
    const mapper = createRowMapper(spec.kind, mapping, source.header, {
      zone: spec.zone,
      dateFormat: mapping.dateFormat ?? 'auto',
      ...(spec.shaped ? { implicitColumns: false, optionalColumns: true } : {}),
    });
    const shaper = records ? createShaper(records, mapper.sourceColumns) : undefined;
    const stageColumns = stageColumnsOf(mapper.columns);
    yield { type: 'columns', columns: mapper.columns, fillOnly: mapper.fillOnly, unit: source.unit };

    let problems: RowProblem[] = [];
    let batch: StoredRecord[] = [];
    let rejected = 0;
    let ids = new Set<string>();
    let rows = 0;
    const cut = (): BatchEvent => {
      const event: BatchEvent = { type: 'batch', csv: encodeCsv(batch, stageColumns), count: batch.length, rejected, problems, rows, bytesRead };
      batch = [];
      ids = new Set();
      problems = [];
      rejected = 0;
      return event;
    };
    const mapExpanded = (expanded: ExpandedRecord[]): MappedRow[] =>
      expanded.flatMap(({ rows: shapedRows }) =>
        shapedRows.map(({ row, attributes }) => {
          const mapped = mapper.map(row);
          if (mapped.ok) mapped.record.attributes = { ...attributes, ...(mapped.record.attributes as Record<string, unknown>) };
          return mapped;
        }),
      );
    /** Adds mapped rows; yields each batch that fills. */
    const add = function* (mappedRows: MappedRow[]): Generator<BatchEvent> {
      for (const mapped of mappedRows) {
        if (!mapped.ok) {
          rejected++;
          problems.push(...mapped.problems);
          continue;
        }
        const id = mapped.record.id as string;
        if (ids.has(id)) yield cut();
        batch.push(mapped.record);
        ids.add(id);
        if (batch.length >= spec.batchSize) yield cut();
      }
    };

    for await (const item of source.items) {
      rows++;
      if (item.kind === 'problem') {
        rejected++;
        problems.push({ line: item.line, column: '', field: '', value: item.raw ?? '', reason: item.reason });
        continue;
      }
      // A preset's shaper may hold rows until their record is complete (an order over several rows).
      yield* add(shaper ? mapExpanded(shaper.push(item)) : [mapper.map(item)]);
    }
    if (shaper) yield* add(mapExpanded(shaper.end()));
    if (batch.length > 0) yield cut();
    yield { type: 'end', warnings: [...source.warnings, ...(shaper?.warnings() ?? [])], skipped: shaper?.skippedCount() ?? 0, rejected, problems, rows, bytesRead };
  } finally {
    input.destroy();
  }
}
