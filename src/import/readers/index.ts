import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileFormat } from '../mapping.ts';
import { readDelimited } from './delimited.ts';
import { readJsonArray, readJsonAt, readNdjson } from './json.ts';
import type { ReaderOptions, SourceFile } from './source-row.ts';
import { readWhitespace } from './whitespace.ts';

const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

export function guessFormat(path: string): FileFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

export function openSource(input: Readable, format: FileFormat, options: ReaderOptions): Promise<SourceFile> {
  switch (format) {
    case 'csv':
      return readDelimited(input, { ...options, delimiter: options.delimiter ?? ',' });
    case 'tsv':
      return readDelimited(input, { ...options, delimiter: options.delimiter ?? '\t' });
    case 'whitespace':
      return readWhitespace(input, options);
    case 'json':
      return options.jsonPath !== undefined ? readJsonAt(input, options.jsonPath) : readJsonArray(input);
    case 'ndjson':
      return readNdjson(input);
  }
}
