import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordKindName, StoredRecord } from '../../src/domain/record-kinds.ts';
import { prepareWithPreset } from '../../src/import/preset-files.ts';
import { openSource } from '../../src/import/readers/index.ts';
import { guessFormat } from '../../src/import/readers/index.ts';
import { createRowMapper, type RowProblem } from '../../src/import/row-mapper.ts';
import { createShaper, type ExpandedRecord } from '../../src/import/shaping.ts';
import { formatPath } from './formats.ts';

export interface MappedSample {
  preset: string;
  records: StoredRecord[];
  problems: (RowProblem | { line: number; reason: string })[];
  warnings: string[];
  skipped: number;
  /** Source records read. */
  read: number;
}

/**
 * Reads a file with a preset exactly as `sada import <kind> <file> --preset <spec>` does, up to
 * the records it would store, without a database: what the per-preset tests check field by field.
 */
export async function mapWithPreset(path: string, kind: RecordKindName, spec: string, zone = 'UTC'): Promise<MappedSample> {
  const prepared = await prepareWithPreset(path, kind, spec);
  const format = prepared.format ?? guessFormat(path)!;
  const mapping = prepared.mapping;
  const source = await openSource(createReadStream(path), format, {
    delimiter: mapping.delimiter,
    allowRaggedRows: mapping.raggedRows === 'allow',
    relaxQuotes: mapping.quotes === 'relaxed',
    ...(format === 'json' && prepared.records.jsonPath !== undefined ? { jsonPath: prepared.records.jsonPath } : {}),
  });
  const mapper = createRowMapper(kind, mapping, source.header, { zone: mapping.timezone ?? zone, dateFormat: mapping.dateFormat ?? 'auto', implicitColumns: false, optionalColumns: true });
  const shaper = createShaper(prepared.records, mapper.sourceColumns);
  const result: MappedSample = { preset: prepared.preset, records: [], problems: [], warnings: [], skipped: 0, read: 0 };
  const take = (expanded: ExpandedRecord[]) => {
    for (const { row, attributes } of expanded.flatMap((e) => e.rows)) {
      const mapped = mapper.map(row);
      if (mapped.ok) result.records.push({ ...mapped.record, attributes: { ...attributes, ...(mapped.record.attributes as object) } });
      else result.problems.push(...mapped.problems);
    }
  };
  for await (const item of source.items) {
    result.read++;
    if (item.kind === 'problem') {
      result.problems.push(item);
      continue;
    }
    take(shaper.push(item));
  }
  take(shaper.end());
  result.warnings = [...source.warnings, ...shaper.warnings()];
  result.skipped = shaper.skippedCount();
  return result;
}

export function mapSample(name: string, kind: RecordKindName, spec: string, zone?: string): Promise<MappedSample> {
  return mapWithPreset(formatPath(name), kind, spec, zone);
}

const scratch = mkdtempSync(join(tmpdir(), 'sada-preset-test-'));
let counter = 0;

/** Writes a document built in a test (from a sample's records) to a temporary file. */
export function writeTemp(content: unknown, extension = 'json'): string {
  const path = join(scratch, `doc-${counter++}.${extension}`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Freshdesk's real export header, with rows written in a test (Freshdesk publishes no sample rows). */
export function freshdeskCsv(rows: Record<string, string>[]): string {
  const header = readFileSync(formatPath('freshdesk-tickets-export.csv'), 'utf8').trim().split(',');
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [header.join(','), ...rows.map((row) => header.map((column) => cell(row[column] ?? '')).join(','))].join('\n') + '\n';
}

const epoch = (iso: string) => Date.parse(iso) / 1000;
type Doc = Record<string, unknown>;

/**
 * A Chatwoot conversation with values of the types its jbuilder view writes: the sample is the
 * shape only (Chatwoot publishes no example records). The keys are checked against the sample.
 */
export function chatwootConversation(overrides: Doc = {}): Doc {
  return {
    meta: {
      sender: { id: 901, name: 'Rūta', email: 'ruta@example.com', phone_number: '+37060000000', thumbnail: '' },
      channel: 'Channel::WebWidget',
      assignee: { id: 7, name: 'Ona', email: 'ona@example.com', available_name: 'Ona' },
      team: { id: 3, name: 'billing' },
      hmac_verified: false,
    },
    id: 42,
    messages: [],
    account_id: 1,
    uuid: '4e8a0c1e-0000-4000-8000-000000000042',
    additional_attributes: { browser: { browser_name: 'Firefox' } },
    agent_last_seen_at: epoch('2024-03-01T10:30:00Z'),
    assignee_last_seen_at: epoch('2024-03-01T10:30:00Z'),
    can_reply: true,
    contact_last_seen_at: 0,
    custom_attributes: { plan: 'pro' },
    inbox_id: 5,
    labels: ['refund'],
    muted: false,
    snoozed_until: null,
    status: 'resolved',
    created_at: epoch('2024-03-01T10:00:00Z'),
    timestamp: epoch('2024-03-01T11:00:00Z'),
    first_reply_created_at: epoch('2024-03-01T10:04:00Z'),
    unread_count: 0,
    last_non_activity_message: null,
    last_activity_at: epoch('2024-03-01T11:00:00Z'),
    priority: 'high',
    waiting_since: 0,
    sla_policy_id: null,
    ...overrides,
  };
}
