import type { RecordKindName, StoredRecord } from '../domain/record-kinds.ts';
import { upsertBatch } from '../storage/bulk-upsert.ts';
import type { Database } from '../storage/database.ts';
import { refreshRollups } from '../storage/rollups.ts';
import type { Workspace } from '../storage/workspaces.ts';
import type { HookRecord } from './hooks.ts';
import { presetImport } from './presets/index.ts';
import type { JsonPresetSource, Preset } from './presets/types.ts';
import { createRowMapper, type RowProblem } from './row-mapper.ts';
import { createShaper } from './shaping.ts';

/**
 * A webhook delivery's records into the workspace, through the same preset code and the same
 * upsert as a file import (importer.ts): shaped and mapped by the tool's preset source, written
 * by upsertBatch in one transaction per source, so the same delivery twice changes nothing.
 */

export interface HookOutcome {
  kind: RecordKindName;
  source: string;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records the preset does not import, with the reason (an offered, unanswered rating…). */
  skipped: string[];
  problems: RowProblem[];
}

/** The delivery's records as the preset's source maps them: what would be stored, without a database. */
export function mapHookRecords(preset: Preset, source: JsonPresetSource, records: readonly Record<string, unknown>[], zone: string) {
  const prepared = presetImport({ preset, source });
  const mapper = createRowMapper(source.kind, prepared.mapping, undefined, {
    zone: prepared.mapping.timezone ?? zone,
    dateFormat: prepared.mapping.dateFormat ?? 'auto',
    implicitColumns: false,
    optionalColumns: true,
  });
  const shaper = createShaper(prepared.records, mapper.sourceColumns);
  const stored = new Map<string, StoredRecord>();
  const skipped: string[] = [];
  const problems: RowProblem[] = [];
  records.forEach((record, index) => {
    const expanded = shaper.expand({ kind: 'row', line: index + 1, cells: record });
    if (expanded.skipped) skipped.push(expanded.skipped);
    for (const { row, attributes } of expanded.rows) {
      const mapped = mapper.map(row);
      if (!mapped.ok) {
        problems.push(...mapped.problems);
        continue;
      }
      mapped.record.attributes = { ...attributes, ...(mapped.record.attributes as Record<string, unknown>) };
      // One INSERT takes an id once: a later row of the same id wins, as a later delivery would.
      stored.set(mapped.record.id as string, mapped.record);
    }
  });
  return { kind: source.kind, columns: mapper.columns, fillOnly: mapper.fillOnly, records: [...stored.values()], skipped, problems, preset: prepared.preset };
}

export async function storeHookRecords(db: Database, workspace: Workspace, records: readonly HookRecord[]): Promise<HookOutcome[]> {
  const bySource = new Map<JsonPresetSource, { preset: Preset; records: Record<string, unknown>[] }>();
  for (const { preset, source, record } of records) {
    const entry = bySource.get(source) ?? { preset, records: [] };
    entry.records.push(record);
    bySource.set(source, entry);
  }
  const outcomes: HookOutcome[] = [];
  let changed = false;
  for (const [source, { preset, records: sourceRecords }] of bySource) {
    const mapped = mapHookRecords(preset, source, sourceRecords, workspace.timezone);
    const counts = await upsertBatch(db, workspace.id, mapped.kind, mapped.columns, mapped.records, { fillOnly: mapped.fillOnly });
    changed ||= counts.inserted + counts.updated > 0;
    outcomes.push({ kind: mapped.kind, source: mapped.preset, ...counts, skipped: mapped.skipped, problems: mapped.problems });
  }
  // What a batch could not keep current (churn and retention after an order, say) is rebuilt,
  // as at the end of an import.
  if (changed) await refreshRollups(db, workspace.id);
  return outcomes;
}
