import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LineWriter, type ShapeOptions, type ShapeProblem, type ShapeResult } from '../shaping.ts';

/**
 * Shapes the "Anonymous Bank" call log (one tab-separated line per call, February 1999) into
 * `calls.csv`, one row per call with full local timestamps, for `tickets.mapping.json`.
 *
 * The log writes the day once (`990201` = 1999-02-01, YYMMDD) and every moment of the call as a
 * time of day in its own column: entry to the voice-response unit (VRU), queue start and exit,
 * service start and exit. This script joins them:
 *
 * - `created_at` = date + `vru_entry` (the first contact).
 * - A later time of day more than 12 hours *earlier* than the entry belongs to the next day
 *   (a call that crosses midnight: entry 23:59:54, service 0:00:26). Smaller differences are left
 *   alone, so a clock glitch shows up as an importer reject instead of being moved a day.
 * - A stage that did not happen is written `0:00:00`–`0:00:00` with a duration of 0; those are
 *   left empty. (A real stage can start at midnight: then its exit or duration is not zero.)
 * - `answered_at` = service start, only for calls whose outcome is AGENT (a person answered);
 *   `answered_seconds` = `ser_time` for the same calls. Calls that hung up (HANG) or were phantom
 *   calls (PHANTOM) get neither, so they do not count in handle time.
 * - `ended_at` = the last moment recorded (service exit, else queue exit, else VRU exit).
 *
 * The ticket id is left to the mapping (a template `{vru_line}-{call_id}`: call ids repeat across
 * VRU lines, never within one).
 *
 * Every raw column is copied too (as `vru_line`, `call_id`, …), and `source_line` is the line in
 * the raw file, so a reject in the import points back to it. Times are local (the mapping sets
 * Asia/Jerusalem). A line that cannot be read (wrong number of fields, a date or time that is not
 * one) is returned as a problem and not written.
 */

const RAW = 'data_anonymous_bank_february.txt';
const RAW_COLUMNS = [
  'vru+line', 'call_id', 'customer_id', 'priority', 'type', 'date', 'vru_entry', 'vru_exit', 'vru_time',
  'q_start', 'q_exit', 'q_time', 'outcome', 'ser_start', 'ser_exit', 'ser_time', 'server',
] as const;
type RawColumn = (typeof RAW_COLUMNS)[number];

const SHAPED_COLUMNS = [
  'created_at', 'vru_exited_at', 'queue_entered_at', 'queue_exited_at', 'service_started_at', 'service_ended_at',
  'answered_at', 'answered_seconds', 'ended_at',
  'vru_line', 'call_id', 'customer_id', 'priority', 'type', 'outcome', 'server',
  'vru_time', 'q_time', 'ser_time', 'date', 'vru_entry', 'vru_exit', 'q_start', 'q_exit', 'ser_start', 'ser_exit',
  'source_line',
] as const;

const DAY = 86_400;
const NO_TIME = '0:00:00';

function parseDate(text: string): { y: number; m: number; d: number } | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const date = { y: yy >= 70 ? 1900 + yy : 2000 + yy, m: Number(m[2]), d: Number(m[3]) };
  const check = new Date(Date.UTC(date.y, date.m - 1, date.d));
  return check.getUTCMonth() === date.m - 1 && check.getUTCDate() === date.d ? date : undefined;
}

function parseTime(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return h < 24 && mi < 60 && s < 60 ? h * 3600 + mi * 60 + s : undefined;
}

/** Local "YYYY-MM-DD HH:mm:ss" for the day plus a number of seconds (may pass midnight). */
function localTimestamp(day: { y: number; m: number; d: number }, seconds: number): string {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d) + seconds * 1000);
  return t.toISOString().slice(0, 19).replace('T', ' ');
}

export async function shape({ datasetDir, workDir }: ShapeOptions): Promise<ShapeResult> {
  const problems: ShapeProblem[] = [];
  const out = new LineWriter(join(workDir, 'calls.csv'));
  await out.csvRow(SHAPED_COLUMNS);
  const counts = { calls: 0, crossedMidnight: 0, agentZeroService: 0, agentNoService: 0, hangWithService: 0, phantom: 0 };

  const lines = createInterface({ input: createReadStream(join(datasetDir, RAW)), crlfDelay: Infinity });
  let lineNo = 0;
  let header: string[] | undefined;
  for await (const text of lines) {
    lineNo++;
    const fields = text.split('\t');
    if (!header) {
      header = fields.map((f) => f.trim());
      const missing = RAW_COLUMNS.filter((c) => !header!.includes(c));
      if (missing.length > 0) throw new Error(`${RAW}: the header lacks ${missing.join(', ')}; is this the Anonymous Bank log?`);
      continue;
    }
    if (text.trim() === '') {
      problems.push({ file: RAW, line: lineNo, reason: 'empty line' });
      continue;
    }
    if (fields.length !== header.length) {
      problems.push({ file: RAW, line: lineNo, reason: `line has ${fields.length} tab-separated fields but the header has ${header.length}` });
      continue;
    }
    const raw = Object.fromEntries(header.map((name, i) => [name, fields[i]!.trim()])) as Record<RawColumn, string>;
    const day = parseDate(raw.date);
    if (!day) {
      problems.push({ file: RAW, line: lineNo, reason: `date "${raw.date}" is not a date written YYMMDD` });
      continue;
    }
    const entry = parseTime(raw.vru_entry);
    if (entry === undefined) {
      problems.push({ file: RAW, line: lineNo, reason: `vru_entry "${raw.vru_entry}" is not a time of day H:MM:SS` });
      continue;
    }
    let bad: string | undefined;
    let crossed = false;
    /** Seconds from the start of `date`, or undefined when the stage did not happen. */
    const at = (column: RawColumn, present: boolean): number | undefined => {
      if (!present) return undefined;
      const seconds = parseTime(raw[column]);
      if (seconds === undefined) {
        bad ??= `${column} "${raw[column]}" is not a time of day H:MM:SS`;
        return undefined;
      }
      if (entry - seconds > DAY / 2) {
        crossed = true;
        return seconds + DAY;
      }
      return seconds;
    };
    const happened = (start: RawColumn, exit: RawColumn, duration: RawColumn) =>
      !(raw[start] === NO_TIME && raw[exit] === NO_TIME && Number(raw[duration]) === 0);
    const vruExit = at('vru_exit', raw.vru_exit !== NO_TIME || raw.vru_time !== '0');
    const queued = happened('q_start', 'q_exit', 'q_time');
    const qStart = at('q_start', queued);
    const qExit = at('q_exit', queued);
    const served = happened('ser_start', 'ser_exit', 'ser_time');
    const sStart = at('ser_start', served);
    const sExit = at('ser_exit', served);
    if (bad) {
      problems.push({ file: RAW, line: lineNo, reason: bad });
      continue;
    }
    const ts = (seconds: number | undefined) => (seconds === undefined ? '' : localTimestamp(day, seconds));
    const answered = raw.outcome === 'AGENT';
    counts.calls++;
    if (crossed) counts.crossedMidnight++;
    if (answered && !served) counts.agentNoService++;
    else if (answered && Number(raw.ser_time) === 0) counts.agentZeroService++;
    if (raw.outcome === 'HANG' && served) counts.hangWithService++;
    if (raw.outcome === 'PHANTOM') counts.phantom++;

    const shaped: Record<(typeof SHAPED_COLUMNS)[number], string | number> = {
      created_at: ts(entry),
      vru_exited_at: ts(vruExit),
      queue_entered_at: ts(qStart),
      queue_exited_at: ts(qExit),
      service_started_at: ts(sStart),
      service_ended_at: ts(sExit),
      answered_at: answered ? ts(sStart) : '',
      answered_seconds: answered ? raw.ser_time : '',
      ended_at: ts(sExit ?? qExit ?? vruExit ?? entry),
      vru_line: raw['vru+line'],
      call_id: raw.call_id,
      customer_id: raw.customer_id,
      priority: raw.priority,
      type: raw.type,
      outcome: raw.outcome,
      server: raw.server,
      vru_time: raw.vru_time,
      q_time: raw.q_time,
      ser_time: raw.ser_time,
      date: raw.date,
      vru_entry: raw.vru_entry,
      vru_exit: raw.vru_exit,
      q_start: raw.q_start,
      q_exit: raw.q_exit,
      ser_start: raw.ser_start,
      ser_exit: raw.ser_exit,
      source_line: lineNo,
    };
    await out.csvRow(SHAPED_COLUMNS.map((c) => shaped[c]));
  }
  await out.close();

  const notes = [
    `${counts.calls} calls shaped from ${RAW} into calls.csv (date YYMMDD + times of day → local timestamps, Asia/Jerusalem)`,
    `${counts.crossedMidnight} calls cross midnight: their later times were moved to the next day`,
    `${counts.agentZeroService + counts.agentNoService} calls answered by an agent (AGENT) have a service time of 0 s: ${counts.agentZeroService} with a service start, ${counts.agentNoService} with no service times at all (no first response); both keep handle_seconds = 0 as logged`,
    `${counts.hangWithService} calls that hung up (HANG) have service times (server NO_SERVER); as non-answered calls they get no first response or handle time (raw times kept as attributes)`,
    `${counts.phantom} PHANTOM calls are imported with no status (attributes.outcome = PHANTOM) so they can be left out of volumes`,
  ];
  return { files: ['calls.csv'], notes, problems };
}
