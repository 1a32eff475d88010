import { createInterface } from 'node:readline';
import { pipeline, Transform, type Readable } from 'node:stream';
import Assembler from 'stream-json/Assembler.js';
import pick from 'stream-json/filters/Pick.js';
import streamArray from 'stream-json/streamers/StreamArray.js';
import type { SourceFile, SourceItem } from './source-row.ts';

function asCells(value: unknown, line: number): SourceItem {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'problem', line, reason: 'expected a JSON object', raw: JSON.stringify(value)?.slice(0, 200) };
  }
  return { kind: 'row', line, cells: value as Record<string, unknown> };
}

/** A JSON array of objects, streamed element by element so memory stays flat. */
export async function readJsonArray(input: Readable): Promise<SourceFile> {
  const stream = input.pipe(streamArray.withParser());
  async function* items(): AsyncGenerator<SourceItem> {
    try {
      for await (const { key, value } of stream as AsyncIterable<{ key: number; value: unknown }>) {
        yield asCells(value, key + 1);
      }
    } catch (error) {
      yield { kind: 'problem', line: 0, reason: `the file is not a JSON array of objects: ${(error as Error).message}; the rest of the file was not read` };
    }
  }
  return { header: undefined, unit: 'element', items: items(), warnings: [] };
}

interface Token {
  name: string;
  value?: string;
}

/**
 * The records at a dotted path inside a JSON document (`tickets`, `data.payload`), as API
 * responses and exports nest them: an array there is streamed element by element, a single
 * object there is one record (a saved webhook delivery). Memory stays flat for the array.
 */
export async function readJsonAt(input: Readable, path: string): Promise<SourceFile> {
  type Found = { value: unknown; element: number } | { notRecords: true };
  const assembler = new Assembler();
  let mode: 'array' | 'object' | 'other' | undefined;
  let element = 0;
  // Tokens are assembled synchronously, inside the stream: only whole records cross into the
  // async loop below (an await per token would cost more than the parsing).
  const records = new Transform({
    objectMode: true,
    transform(token: Token, _encoding, done) {
      if (mode === 'other') return done();
      if (mode === undefined) {
        mode = token.name === 'startArray' ? 'array' : token.name === 'startObject' ? 'object' : 'other';
        if (mode === 'other') return done(null, { notRecords: true } satisfies Found);
      }
      assembler.consume(token);
      if (mode === 'array' && assembler.depth === 1 && (assembler.current as unknown[]).length > 0) {
        element++;
        return done(null, { value: (assembler.current as unknown[]).pop(), element } satisfies Found);
      }
      if (mode === 'object' && assembler.done) return done(null, { value: assembler.current, element: 1 } satisfies Found);
      done();
    },
  });
  // pipeline passes a parse error (or the file's) on to `records`, where the loop below sees it.
  const stream = pipeline(input, pick.withParser({ filter: path, once: true, streamValues: false }), records, () => {});
  async function* items(): AsyncGenerator<SourceItem> {
    try {
      for await (const found of stream as AsyncIterable<Found>) {
        if ('notRecords' in found) {
          yield { kind: 'problem', line: 0, reason: `"${path}" in this file is not an array of records or a record` };
          return;
        }
        yield asCells(found.value, found.element);
      }
    } catch (error) {
      yield { kind: 'problem', line: element + 1, reason: `the file is not valid JSON: ${(error as Error).message}; the rest of the file was not read` };
      return;
    }
    if (mode === undefined) yield { kind: 'problem', line: 0, reason: `the file has no records at "${path}"` };
  }
  return { header: undefined, unit: 'element', items: items(), warnings: [] };
}

/** Newline-delimited JSON: one object per line; blank lines are ignored. */
export async function readNdjson(input: Readable): Promise<SourceFile> {
  async function* items(): AsyncGenerator<SourceItem> {
    let line = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield { kind: 'problem', line, reason: `not valid JSON: ${(error as Error).message}`, raw: text.slice(0, 200) };
        continue;
      }
      yield asCells(value, line);
    }
  }
  return { header: undefined, unit: 'line', items: items(), warnings: [] };
}
