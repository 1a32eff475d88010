import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { BUILTIN_CHANNELS, BUILTIN_TOUCHPOINTS, TICKET_STATUSES } from '../../src/domain/catalog.ts';
import { mappingSchema, type Mapping } from '../../src/import/mapping.ts';
import { Random } from '../lib/random.ts';

/**
 * Seeded, streaming generators for the import benchmark: the same seed and row count give the
 * same bytes, and no file is ever held in memory. The files look like exports from a help desk
 * and a survey tool: quoted text with commas and quotes, Arabic and Lithuanian comments, empty
 * cells, a custom channel (so catalog registration runs) and a column kept as an attribute.
 */

export type BenchKind = 'tickets' | 'responses';

const START = Date.UTC(2023, 0, 1);
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;
const CHANNELS = [...BUILTIN_CHANNELS, 'whatsapp', 'Live Chat'];
const CATEGORIES = ['billing', 'delivery', 'account', 'bug', 'how-to', 'refund', 'login'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const REGIONS = ['EMEA', 'MENA', 'Baltics', 'NA', 'APAC'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const LANGUAGES = ['en', 'ar', 'lt'];
const SUBJECTS = [
  'Where is my order?',
  'Refund for order, please',
  'Cannot log in after "password reset"',
  'لم يصل طلبي بعد',
  'Neveikia apmokėjimas kortele',
  'Invoice shows the wrong VAT number',
];
const COMMENTS = [
  'Fast and friendly, thanks!',
  'Took three emails, but "Anna" solved it in the end',
  'خدمة ممتازة، شكراً لكم',
  'Labai greitai atsakė, ačiū',
  'The app keeps logging me out, again',
  'ok',
];

/** ISO 8601 with seconds and a Z, as help-desk APIs export it. */
function isoUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** Local wall time without an offset, as survey tools export it (read in the mapping's zone). */
function localTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function csv(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const TICKET_HEADER = [
  'id', 'created_at', 'customer_id', 'channel', 'agent_id', 'team_id', 'category', 'priority', 'status', 'subject',
  'first_response_at', 'resolved_at', 'closed_at', 'reopen_count', 'handle_seconds', 'region',
];

function ticketLine(r: Random, i: number): string {
  const created = START + Math.floor(r.next() * SPAN_MS);
  const status = r.pick(TICKET_STATUSES);
  const solved = status === 'solved' || status === 'closed';
  const firstResponse = r.chance(0.9) ? isoUtc(created + r.int(60, 48 * 3600) * 1000) : '';
  const resolved = solved ? created + r.int(600, 10 * 24 * 3600) * 1000 : undefined;
  return [
    `T${i}`,
    isoUtc(created),
    `C${r.int(1, 200_000)}`,
    csv(r.pick(CHANNELS)),
    r.chance(0.95) ? `A${r.int(1, 400)}` : '',
    `team-${r.int(1, 25)}`,
    r.pick(CATEGORIES),
    r.pick(PRIORITIES),
    status.toUpperCase(),
    csv(r.pick(SUBJECTS)),
    firstResponse,
    resolved === undefined ? '' : isoUtc(resolved),
    resolved !== undefined && status === 'closed' ? isoUtc(resolved + 86_400_000) : '',
    String(r.chance(0.85) ? 0 : r.int(1, 4)),
    (r.int(30, 7200) + r.int(0, 99) / 100).toFixed(2),
    r.pick(REGIONS),
  ].join(',');
}

export const RESPONSE_HEADER = [
  'id', 'kind', 'score', 'comment', 'language', 'submitted_at', 'survey_id', 'question_id', 'customer_id',
  'touchpoint', 'channel', 'agent_id', 'ticket_id', 'device',
];

function responseLine(r: Random, i: number): string {
  const kind = r.pick(['nps', 'nps', 'csat', 'ces'] as const);
  const score = kind === 'nps' ? r.int(0, 10) : kind === 'csat' ? r.int(1, 5) : r.int(1, 7);
  const language = r.pick(LANGUAGES);
  const fromSupport = r.chance(0.4);
  return [
    `R${i}`,
    kind,
    String(score),
    r.chance(0.35) ? csv(r.pick(COMMENTS)) : '',
    language,
    localTime(START + Math.floor(r.next() * SPAN_MS)),
    `S${r.int(1, 12)}`,
    `Q${r.int(1, 3)}`,
    `C${r.int(1, 200_000)}`,
    fromSupport ? 'support' : r.pick(BUILTIN_TOUCHPOINTS),
    csv(r.pick(CHANNELS)),
    fromSupport ? `A${r.int(1, 400)}` : '',
    fromSupport ? `T${r.int(1, 1_000_000)}` : '',
    r.pick(DEVICES),
  ].join(',');
}

/** The mapping each generated file is imported with (the header names the rest). */
export const BENCH_MAPPINGS: Record<BenchKind, Mapping> = {
  tickets: mappingSchema.parse({ kind: 'tickets', fields: { 'attributes.region': 'region' } }),
  // Survey tools export local time: read it in a zone with daylight saving time.
  responses: mappingSchema.parse({ kind: 'responses', timezone: 'Europe/Vilnius', fields: { 'attributes.device': 'device' } }),
};

/** Writes `rows` rows of one kind to `path`, streaming; resolves with the file size in bytes. */
export async function generateCsv(kind: BenchKind, path: string, rows: number, seed: number): Promise<number> {
  const random = new Random(seed);
  const line = kind === 'tickets' ? ticketLine : responseLine;
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write((kind === 'tickets' ? TICKET_HEADER : RESPONSE_HEADER).join(',') + '\n');
  const CHUNK = 2000;
  for (let start = 1; start <= rows; start += CHUNK) {
    const lines: string[] = [];
    for (let i = start; i < start + CHUNK && i <= rows; i++) lines.push(line(random, i));
    await write(lines.join('\n') + '\n');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
