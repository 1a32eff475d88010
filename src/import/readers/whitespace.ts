import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { RaggedRowCounter, toCells, type ReaderOptions, type SourceFile, type SourceItem } from './source-row.ts';

/** Columns separated by runs of spaces or tabs (CDNOW and other fixed-width exports); no quoting. */
export async function readWhitespace(input: Readable, options: ReaderOptions): Promise<SourceFile> {
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const split = (line: string) => (line.trim() === '' ? [] : line.trim().split(/\s+/));
  const first = await lines.next();
  const header = first.done ? [] : split(first.value);
  const warnings: string[] = [];
  const ragged = new RaggedRowCounter();
  async function* items(): AsyncGenerator<SourceItem> {
    let line = 1;
    for (;;) {
      const next = await lines.next();
      if (next.done) {
        ragged.report(header.length, warnings);
        return;
      }
      line++;
      yield toCells(header, split(next.value), line, options, ragged);
    }
  }
  return { header, unit: 'line', items: items(), warnings };
}
