import { DateTime, IANAZone } from 'luxon';

/**
 * Turning the text of a cell into a typed value. Every parser returns either the value or a
 * reason a person can act on; none throws, so one bad cell never stops an import.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Date formats named in docs/importing.md; anything else is read as a Luxon format string. */
export const NAMED_DATE_FORMATS = [
  'auto',
  'iso',
  'yyyymmdd',
  'dd/mm/yyyy',
  'mm/dd/yyyy',
  'mm/yyyy',
  'epoch-s',
  'epoch-ms',
] as const;

export interface DateOptions {
  /** One of NAMED_DATE_FORMATS or a Luxon format string such as `EEE MMM dd HH:mm:ss ZZZ yyyy`. */
  format: string;
  /** IANA zone for times written without an offset. */
  zone: string;
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const MONTH_YEAR = /^(\d{1,2})\/(\d{4})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

function fromParts(parts: Parts, zone: string, offset?: string): Parsed<Date> {
  const fast = fastTimestamp(parts, zone, offset);
  if (fast !== undefined) return ok(new Date(fast));
  let effectiveZone = zone;
  if (offset) {
    const upper = offset.toUpperCase();
    effectiveZone = upper === 'Z' || upper === 'UTC' || upper === 'GMT' ? 'UTC' : `UTC${normaliseOffset(offset)}`;
  }
  const dt = DateTime.fromObject(parts, { zone: effectiveZone });
  if (!dt.isValid) return fail(`not a real date or time (${dt.invalidExplanation ?? dt.invalidReason})`);
  return ok(dt.toJSDate());
}

/**
 * The fast path of fromParts, for imports of millions of rows: the same instant Luxon's
 * DateTime.fromObject(parts, { zone }) gives, without building a DateTime. It handles in-range
 * values in UTC, a fixed offset or an IANA zone; anything else (hour 24, years before 100, zones
 * Luxon reads specially) returns undefined and goes through Luxon, which also words the errors.
 */
function fastTimestamp(parts: Parts, zone: string, offset: string | undefined): number | undefined {
  const { year, month, day } = parts;
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  const second = parts.second ?? 0;
  const millisecond = parts.millisecond ?? 0;
  const inRange =
    year >= 100 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && (day <= 28 || day <= daysInMonth(year, month)) &&
    hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millisecond >= 0 && millisecond <= 999;
  const integers =
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && Number.isInteger(hour) &&
    Number.isInteger(minute) && Number.isInteger(second) && Number.isInteger(millisecond);
  if (!inRange || !integers) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (offset) {
    const upper = offset.toUpperCase();
    if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return local;
    // As Luxon reads the zone "UTC±hh:mm" that fromParts would hand it.
    const normalised = normaliseOffset(offset);
    const minutes = Number(normalised.slice(1, 3)) * 60 + Number(normalised.slice(4, 6));
    return local - (normalised[0] === '-' ? -minutes : minutes) * 60_000;
  }
  const rule = zoneRule(zone);
  if (rule === undefined) return undefined;
  if (typeof rule === 'number') return local - rule * 60_000;
  // Luxon's fixOffset, starting from the zone's offset now, with offsets from the cache.
  const o = rule.offset(Date.now());
  let utcGuess = local - o * 60_000;
  const o2 = rule.offset(utcGuess);
  if (o === o2) return utcGuess;
  utcGuess -= (o2 - o) * 60_000;
  const o3 = rule.offset(utcGuess);
  if (o2 === o3) return utcGuess;
  return local - Math.min(o2, o3) * 60_000; // a time in a daylight-saving gap
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Offsets are cached by spans of this length; no zone changes its offset twice within one. */
const SPAN_MS = 6 * 3_600_000;

/** An IANA zone's UTC offsets in minutes, cached by six-hour span of UTC time. */
class ZoneOffsets {
  readonly #zone: IANAZone;
  readonly #bySpan = new Map<number, number>();

  constructor(zone: IANAZone) {
    this.#zone = zone;
  }

  offset(ts: number): number {
    const span = Math.floor(ts / SPAN_MS);
    let cached = this.#bySpan.get(span);
    if (cached === undefined) {
      // Luxon reads offsets at whole seconds: the first and last second of the span agree
      // unless a transition falls inside it; then every time in that span is asked of Luxon.
      const first = this.#zone.offset(span * SPAN_MS);
      cached = first === this.#zone.offset(span * SPAN_MS + SPAN_MS - 1000) ? first : Number.NaN;
      if (this.#bySpan.size >= 100_000) this.#bySpan.clear();
      this.#bySpan.set(span, cached);
    }
    return Number.isNaN(cached) ? this.#zone.offset(ts) : cached;
  }
}

const zoneRules = new Map<string, number | ZoneOffsets | undefined>();

/**
 * How Luxon reads a zone name: a fixed offset in minutes (UTC, GMT, UTC+3), an IANA zone, or
 * undefined for what the fast path leaves to Luxon (local, default, unknown names).
 */
function zoneRule(zone: string): number | ZoneOffsets | undefined {
  if (zoneRules.has(zone)) return zoneRules.get(zone);
  let rule: number | ZoneOffsets | undefined;
  const lowered = zone.toLowerCase();
  const fixed = /^utc(?:([+-]\d{1,2})(?::(\d{2}))?)?$/.exec(lowered);
  if (lowered === 'utc' || lowered === 'gmt') {
    rule = 0;
  } else if (fixed) {
    // Luxon's signedOffset: "-0:30" is -30 minutes.
    const hours = fixed[1] === undefined ? 0 : Number.parseInt(fixed[1], 10);
    const minutes = Number.parseInt(fixed[2] ?? '', 10) || 0;
    rule = hours * 60 + (hours < 0 || Object.is(hours, -0) ? -minutes : minutes);
  } else if (lowered !== 'default' && lowered !== 'local' && lowered !== 'system') {
    const iana = IANAZone.create(zone);
    rule = iana.isValid ? new ZoneOffsets(iana) : undefined;
  }
  if (zoneRules.size >= 1000) zoneRules.clear();
  zoneRules.set(zone, rule);
  return rule;
}

function normaliseOffset(offset: string): string {
  const digits = offset.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2, 4) || '00';
  return `${offset[0]}${hours}:${minutes}`;
}

function fromIso(text: string, zone: string): Parsed<Date> | undefined {
  const m = ISO_LIKE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  return fromParts(
    {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
      millisecond: frac ? Math.round(Number(`0.${frac}`) * 1000) : 0,
    },
    zone,
    offset,
  );
}

function fromSlashed(text: string, zone: string, dayFirst: boolean): Parsed<Date> | undefined {
  const m = SLASHED.exec(text);
  if (!m) return undefined;
  const [, a, b, y, h, mi, s] = m;
  return fromParts(
    {
      year: Number(y),
      month: Number(dayFirst ? b : a),
      day: Number(dayFirst ? a : b),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
    },
    zone,
  );
}

function fromCompact(text: string, zone: string): Parsed<Date> | undefined {
  const m = COMPACT_DATE.exec(text);
  if (!m) return undefined;
  return fromParts({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, zone);
}

function fromMonthYear(text: string, zone: string): Parsed<Date> | undefined {
  const m = MONTH_YEAR.exec(text);
  if (!m) return undefined;
  return fromParts({ year: Number(m[2]), month: Number(m[1]), day: 1 }, zone);
}

function fromEpoch(text: string, unitMs: number): Parsed<Date> | undefined {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const date = new Date(Number(text) * unitMs);
  return Number.isNaN(date.getTime()) ? fail('epoch value out of range') : ok(date);
}

/**
 * Reads a timestamp. `auto` accepts ISO 8601 (with `T` or a space, optional fraction, `Z`, an
 * offset or ` UTC`), `YYYYMMDD`, `MM/YYYY` and epoch seconds (10 digits) or milliseconds (13
 * digits). Day/month order is never guessed: `03/04/2020` needs `dd/mm/yyyy` or `mm/dd/yyyy`.
 */
export function parseTimestamp(raw: string, options: DateOptions): Parsed<Date> {
  const text = raw.trim();
  const { zone } = options;
  const format = options.format.toLowerCase();
  const expected = (name: string) => fail(`"${text}" is not a date in the format ${name}`);
  switch (format) {
    case 'iso':
      return fromIso(text, zone) ?? expected('ISO 8601 (YYYY-MM-DD[THH:mm[:ss]][Z|±hh:mm])');
    case 'yyyymmdd':
      return fromCompact(text, zone) ?? expected('YYYYMMDD');
    case 'dd/mm/yyyy':
      return fromSlashed(text, zone, true) ?? expected('DD/MM/YYYY');
    case 'mm/dd/yyyy':
      return fromSlashed(text, zone, false) ?? expected('MM/DD/YYYY');
    case 'mm/yyyy':
      return fromMonthYear(text, zone) ?? expected('MM/YYYY');
    case 'epoch-s':
      return fromEpoch(text, 1000) ?? expected('epoch seconds');
    case 'epoch-ms':
      return fromEpoch(text, 1) ?? expected('epoch milliseconds');
    case 'auto': {
      const parsed =
        fromIso(text, zone) ??
        fromCompact(text, zone) ??
        fromMonthYear(text, zone) ??
        (/^\d{9,10}$/.test(text) ? fromEpoch(text, 1000) : undefined) ??
        (/^\d{12,13}$/.test(text) ? fromEpoch(text, 1) : undefined);
      if (parsed) return parsed;
      if (SLASHED.test(text)) {
        return fail(`"${text}" could be day/month or month/day: set the date format to dd/mm/yyyy or mm/dd/yyyy`);
      }
      return fail(`"${text}" is not a date Sada recognises: set a date format (see sada import --help)`);
    }
    default: {
      const dt = DateTime.fromFormat(text, options.format, { zone, setZone: true });
      if (!dt.isValid) return fail(`"${text}" does not match the date format "${options.format}"`);
      return ok(dt.toJSDate());
    }
  }
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0', 'off']);

export function parseBoolean(raw: string): Parsed<boolean> {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return fail(`"${raw}" is not yes/no (use true/false, yes/no or 1/0)`);
}

export function parseNumber(raw: string): Parsed<number> {
  const text = raw.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimals only.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return fail(`"${raw}" is not a number`);
  const value = Number(text);
  return Number.isFinite(value) ? ok(value) : fail(`"${raw}" is too large a number`);
}

export function parseInteger(raw: string): Parsed<number> {
  const parsed = parseNumber(raw);
  if (!parsed.ok) return parsed;
  if (!Number.isSafeInteger(parsed.value)) return fail(`"${raw}" is not a whole number`);
  return parsed;
}
