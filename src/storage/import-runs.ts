import type { Database } from './database.ts';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Records that an import started; an earlier run of the same file that never finished is marked interrupted. */
export async function startImportRun(db: Database, workspaceId: number, kind: string, source: string): Promise<number> {
  await db.kysely
    .updateTable('import_runs')
    .set({ status: 'interrupted', finished_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('source', '=', source)
    .where('status', '=', 'running')
    .execute();
  const row = await db.kysely
    .insertInto('import_runs')
    .values({ workspace_id: workspaceId, kind, source })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishImportRun(
  db: Database,
  workspaceId: number,
  runId: number,
  status: 'done' | 'failed' | 'interrupted',
  counts: ImportCounts,
  message?: string,
): Promise<void> {
  await db.kysely
    .updateTable('import_runs')
    .set({ status, ...counts, message: message ?? null, finished_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', runId)
    .execute();
}
