import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordKindName } from '../../src/domain/record-kinds.ts';
import { importFile } from '../../src/import/importer.ts';
import { mappingSchema } from '../../src/import/mapping.ts';
import type { Workspace } from '../../src/storage/workspaces.ts';
import type { TestDatabase } from './databases.ts';

/**
 * Imports CSV text through the real importer (same-named columns, no mapping file), failing the
 * test if any row is rejected: what the hand-computed metric tests start from.
 */
export function csvLoader(t: TestDatabase, options: { batchSize?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sada-test-csv-'));
  let counter = 0;
  return async function load(workspace: Workspace, kind: RecordKindName, csv: string) {
    const path = join(dir, `${kind}-${counter++}.csv`);
    writeFileSync(path, csv);
    const summary = await importFile(t.db, {
      workspace,
      kind,
      path,
      mapping: mappingSchema.parse({}),
      reportDir: join(dir, 'reports'),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    assert.equal(summary.rejected, 0, JSON.stringify(summary.firstRejects));
    return summary;
  };
}
