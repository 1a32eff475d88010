import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real export samples of the tools Sada has presets for, in ../shared/formats/ (or
 * SADA_FORMATS_DIR). Tests read them from there; they are not copied into the project (some are
 * ELv2-licensed connector fixtures; README.md there says where each came from).
 */
export const FORMATS_DIR = process.env.SADA_FORMATS_DIR || fileURLToPath(new URL('../../../shared/formats/', import.meta.url));

export function formatPath(name: string): string {
  return join(FORMATS_DIR, name);
}

export function readFormatJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(formatPath(name), 'utf8')) as T;
}
