import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
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
