import type { SourceRecord } from './types.ts';

/** Pure helpers the presets share. */

/** `attributes.<name>` ← `<name>` for each field kept as is. */
export function keep(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [`attributes.${name}`, name]));
}

/** `attributes.<prefix><name>` ← `<name>`. */
export function keepAs(prefix: string, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [`attributes.${prefix}${name}`, name]));
}

export function has(record: SourceRecord, ...keys: string[]): boolean {
  return keys.every((key) => Object.hasOwn(record, key));
}

export function isObject(value: unknown): value is SourceRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Headers are compared case-insensitively, ignoring spaces at the ends. */
export function hasColumns(header: readonly string[], ...names: string[]): boolean {
  const present = new Set(header.map((h) => h.trim().toLowerCase()));
  return names.every((name) => present.has(name.toLowerCase()));
}

/** Epoch seconds where 0 (or a negative number) means "not set", as Chatwoot writes it: null then. */
export function epochOrNull(value: unknown): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}

/**
 * A duration written as `HH:MM:SS` (or `HH:MM`), or as a decimal number of hours, in seconds;
 * null when empty or unreadable.
 */
export function durationSeconds(value: unknown): number | null {
  if (typeof value === 'number') return value * 3600;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  const clock = /^(\d+):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) * 3600 : null;
}

/** An instant `minutes` after an ISO timestamp, as ISO text; null when either is missing. */
export function plusMinutes(iso: unknown, minutes: unknown): string | null {
  if (typeof iso !== 'string' || typeof minutes !== 'number') return null;
  const start = Date.parse(iso);
  return Number.isNaN(start) ? null : new Date(start + minutes * 60_000).toISOString();
}
