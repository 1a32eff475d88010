import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline, Readable, type Transform } from 'node:stream';
import { parse } from 'csv-parse';
import Assembler from 'stream-json/Assembler.js';
import Parser from 'stream-json/Parser.js';
import type { FileFormat } from './mapping.ts';

/**
 * A look at the start of a file, enough to tell which tool exported it: the header of a CSV, the
 * first record of each array (and the plain members of each object) near the top of a JSON
 * document, or the first line of NDJSON. Only the first megabyte is read, whatever the file's size.
 */

/** Where records may be in a JSON document, and the first of them. */
export interface JsonCandidate {
  /** Dotted path of object keys from the top ('' for the document itself). */
  path: string;
  /** The first element of an array there; for an object, its members (nested values emptied). */
  record: Record<string, unknown>;
  container: 'array' | 'object' | 'line';
}

export type FileSample =
  | { format: 'csv' | 'tsv'; header: string[] }
  | { format: 'json' | 'ndjson'; candidates: JsonCandidate[] }
  | { format: 'whitespace' };

export const SAMPLE_BYTES = 1 << 20;
/** Paths deeper than this many keys are not candidates (API responses nest records one or two deep). */
const MAX_DEPTH = 3;

/** Throws ENOENT (with the path) when there is no such file. */
export async function sampleFile(path: string, format: FileFormat, bytes = SAMPLE_BYTES): Promise<FileSample> {
  statSync(path);
  return sampleStream(createReadStream(path, { end: bytes - 1 }), format);
}

/** `input` through `transform`, with the input's errors (a file that cannot be read) passed on. */
function through<T extends Transform>(input: Readable, transform: T): T {
  return pipeline(input, transform, () => {}) as T;
}

export async function sampleStream(input: Readable, format: FileFormat): Promise<FileSample> {
  try {
    switch (format) {
      case 'csv':
      case 'tsv':
        return { format, header: await firstCsvRecord(input, format === 'csv' ? ',' : '\t') };
      case 'ndjson':
        return { format, candidates: await firstLine(input) };
      case 'json':
        return { format, candidates: await jsonCandidates(input) };
      case 'whitespace':
        return { format };
    }
  } finally {
    input.destroy();
  }
}

async function firstCsvRecord(input: Readable, delimiter: string): Promise<string[]> {
  const records = through(input, parse({ delimiter, bom: true, to_line: 1, relax_quotes: true, relax_column_count: true }));
  try {
    for await (const record of records as AsyncIterable<string[]>) return record.map((name) => name.trim());
  } catch {
    // A file cut at the sample's end mid-quote: no header to read.
  }
  return [];
}

async function firstLine(input: Readable): Promise<JsonCandidate[]> {
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      if (text.trim() === '') continue;
      const value: unknown = JSON.parse(text);
      return isRecord(value) ? [{ path: '', record: value, container: 'line' }] : [];
    }
  } catch {
    // Not JSON, or not readable.
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface Token {
  name: string;
  value?: string;
}

type Frame =
  | { type: 'object'; path: string | undefined; depth: number; key: string | undefined; members: Record<string, unknown> | undefined }
  | { type: 'array'; path: string | undefined; depth: number; count: number };

/**
 * Walks the tokens of the document's start. A frame's path is undefined inside arrays (elements
 * are not addressable by a dotted path of keys).
 */
async function jsonCandidates(input: Readable): Promise<JsonCandidate[]> {
  const found: JsonCandidate[] = [];
  const frames: Frame[] = [];
  let assembling: { assembler: Assembler; path: string } | undefined;
  const scalar = (token: Token): unknown => {
    switch (token.name) {
      case 'stringValue':
        return token.value;
      case 'numberValue':
        return Number(token.value);
      case 'trueValue':
        return true;
      case 'falseValue':
        return false;
      default:
        return null;
    }
  };
  const tokens = through(input, new Parser({ streamValues: false }));
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (assembling) {
        assembling.assembler.consume(token);
        if (assembling.assembler.done) {
          found.push({ path: assembling.path, record: assembling.assembler.current as Record<string, unknown>, container: 'array' });
          assembling = undefined;
        }
        continue;
      }
      const top = frames.at(-1);
      if (token.name === 'keyValue') {
        if (top?.type === 'object') top.key = token.value;
        continue;
      }
      if (token.name === 'endObject' || token.name === 'endArray') {
        const frame = frames.pop();
        if (frame?.type === 'object' && frame.members && frame.path !== undefined) {
          found.push({ path: frame.path, record: frame.members, container: 'object' });
        }
        continue;
      }
      // A value starts: where is it?
      let path: string | undefined;
      let depth = 0;
      if (!top) {
        path = '';
      } else if (top.type === 'object') {
        depth = top.depth + 1;
        path = top.path === undefined || depth > MAX_DEPTH ? undefined : top.path === '' ? top.key : `${top.path}.${top.key}`;
        if (top.members && top.key !== undefined) {
          top.members[top.key] = token.name === 'startObject' ? {} : token.name === 'startArray' ? [] : scalar(token);
        }
      } else {
        top.count++;
        depth = top.depth + 1;
        if (top.count === 1 && top.path !== undefined && token.name === 'startObject') {
          assembling = { assembler: new Assembler(), path: top.path };
          assembling.assembler.consume(token);
          continue;
        }
      }
      if (token.name === 'startObject') {
        frames.push({ type: 'object', path, depth, key: undefined, members: path === undefined ? undefined : {} });
      } else if (token.name === 'startArray') {
        frames.push({ type: 'array', path, depth, count: 0 });
      }
    }
  } catch {
    // The sample ends inside the document (or the file is not JSON): keep what was found.
  }
  return found;
}
