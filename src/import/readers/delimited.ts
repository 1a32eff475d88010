import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { RaggedRowCounter, toCells, type ReaderOptions, type SourceFile, type SourceItem } from './source-row.ts';

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * CSV and TSV through csv-parse. A malformed record (a stray quote) is skipped by the parser and
 * reported with its line instead of stopping the import.
 */
export async function readDelimited(input: Readable, options: ReaderOptions & { delimiter: string }): Promise<SourceFile> {
  const skipped: SourceItem[] = [];
  let lastLine = 0;
  const parser = input.pipe(
    parse({
      delimiter: options.delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_records_with_error: true,
      skip_empty_lines: false,
      relax_quotes: options.relaxQuotes ?? false,
    }),
  );
  // The parser reports skipped records as events, possibly ahead of the records before them:
  // they wait here and are merged back in line order.
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ kind: 'problem', line: error.lines ?? lastLine + 1, reason: `unreadable row: ${error.message}` });
  });
  const skippedUpTo = function* (line: number): Generator<SourceItem> {
    while (skipped.length > 0 && skipped[0]!.line <= line) {
      const problem = skipped.shift()!;
      lastLine = Math.max(lastLine, problem.line);
      yield problem;
    }
  };
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<ParsedRecord>;
  const first = await iterator.next();
  const header = first.done ? [] : first.value.record.map((name) => name.trim());
  lastLine = first.done ? 0 : first.value.info.lines;
  const warnings: string[] = [];
  if (new Set(header).size !== header.length) warnings.push('the header repeats a column name; the last one wins');

  const ragged = new RaggedRowCounter();
  async function* items(): AsyncGenerator<SourceItem> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        yield* skippedUpTo(Infinity);
        ragged.report(header.length, warnings);
        return;
      }
      yield* skippedUpTo(next.value.info.lines);
      const start = lastLine + 1;
      lastLine = next.value.info.lines;
      yield toCells(header, next.value.record, start, options, ragged);
    }
  }
  return { header, unit: 'line', items: items(), warnings };
}
