import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseTimestamp } from './values.ts';

/**
 * parseTimestamp reads plain ISO-like times without Luxon (it is the import's hot path). These
 * properties hold it to what Luxon's DateTime.fromObject gives — the reference it replaced — in
 * zones with daylight-saving gaps and overlaps, half-hour shifts and fixed offsets.
 */

const ZONES = [
  'UTC',
  'utc',
  'GMT',
  'Etc/UTC',
  'Europe/Vilnius',
  'Asia/Riyadh',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Africa/Casablanca',
  'Asia/Kolkata',
  'UTC+3',
  'UTC-5:30',
  'utc-0:45',
];
const OFFSETS = ['', 'Z', ' UTC', 'GMT', '+03:00', '-0530', '+14', '-00:30', '+05:45', '-12:00', '+99:99'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** What fromParts computed before the fast path: Luxon, in the zone the text names or the default. */
function reference(parts: Parts, zone: string, offset: string): number | undefined {
  let effective = zone;
  const trimmed = offset.trim();
  if (trimmed) {
    const upper = trimmed.toUpperCase();
    if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') {
      effective = 'UTC';
    } else {
      const digits = trimmed.slice(1).replace(':', '');
      effective = `UTC${trimmed[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
    }
  }
  const dt = DateTime.fromObject(parts, { zone: effective });
  return dt.isValid ? dt.toJSDate().getTime() : undefined;
}

function text(parts: Parts, offset: string, withMillis: boolean): string {
  const time = `${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}${withMillis ? `.${pad(parts.millisecond, 3)}` : ''}`;
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}T${time}${offset}`;
}

function check(parts: Parts, zone: string, offset: string, withMillis: boolean): void {
  const input = text(parts, offset, withMillis);
  const expected = reference(withMillis ? parts : { ...parts, millisecond: 0 }, zone, offset);
  const parsed = parseTimestamp(input, { format: 'iso', zone });
  if (expected === undefined) {
    assert.equal(parsed.ok, false, `${input} in ${zone} should be rejected`);
  } else {
    assert.ok(parsed.ok, `${input} in ${zone}: ${parsed.ok ? '' : parsed.reason}`);
    assert.equal(parsed.value.getTime(), expected, `${input} in ${zone}`);
  }
}

const anyParts = fc.record({
  year: fc.integer({ min: 1, max: 9999 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 24 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  millisecond: fc.integer({ min: 0, max: 999 }),
});

/** Times near the daylight-saving changes of recent years (March–April, September–November). */
const nearTransitions = fc.record({
  year: fc.integer({ min: 1970, max: 2040 }),
  month: fc.constantFrom(3, 4, 9, 10, 11),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 4 }),
  minute: fc.constantFrom(0, 15, 29, 30, 31, 45, 59),
  second: fc.constantFrom(0, 1, 59),
  millisecond: fc.constantFrom(0, 1, 999),
});

describe('parseTimestamp fast path', () => {
  test('property: equals Luxon for any date, zone and offset', () => {
    fc.assert(
      fc.property(anyParts, fc.constantFrom(...ZONES), fc.constantFrom(...OFFSETS), fc.boolean(), (parts, zone, offset, millis) =>
        check(parts, zone, offset, millis),
      ),
      { numRuns: 3000 },
    );
  });

  test('property: equals Luxon in daylight-saving gaps and overlaps', () => {
    fc.assert(
      fc.property(nearTransitions, fc.constantFrom(...ZONES), fc.boolean(), (parts, zone, millis) => check(parts, zone, '', millis)),
      { numRuns: 5000 },
    );
  });

  test('the hours around the 2024 changes in Vilnius and New York, minute by minute', () => {
    for (const [zone, dates] of [
      ['Europe/Vilnius', ['2024-03-31', '2024-10-27']],
      ['America/New_York', ['2024-03-10', '2024-11-03']],
      ['Australia/Lord_Howe', ['2024-04-07', '2024-10-06']],
    ] as const) {
      for (const date of dates) {
        const [year, month, day] = date.split('-').map(Number) as [number, number, number];
        for (let minutes = 0; minutes < 5 * 60; minutes++) {
          check({ year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }, zone, '', false);
        }
      }
    }
  });

  test('hands what it does not cover to Luxon: hour 24, early years, unknown zones', () => {
    check({ year: 2024, month: 1, day: 31, hour: 24, minute: 0, second: 0, millisecond: 0 }, 'Europe/Vilnius', '', false);
    check({ year: 50, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, 'UTC', '', false);
    const unknown = parseTimestamp('2024-01-01 10:00', { format: 'auto', zone: 'Mars/Olympus' });
    assert.equal(unknown.ok, false);
    const leap = parseTimestamp('2023-02-29', { format: 'auto', zone: 'Europe/Vilnius' });
    assert.equal(leap.ok, false);
    assert.ok(parseTimestamp('2024-02-29', { format: 'auto', zone: 'Europe/Vilnius' }).ok);
  });
});
