import type { Database } from '../database.ts';

const TABLES = { responses: 'submitted_at', tickets: 'created_at', orders: 'placed_at', subscriptions: 'started_at', visits: 'visited_at' } as const;

/**
 * The attribute keys a workspace's records of one kind carry (what an import kept beyond the
 * known fields), read from its latest records only: a sample is enough to name the keys, and
 * the query stays cheap on millions of rows.
 */
export async function attributeKeys(db: Database, workspaceId: number, table: keyof typeof TABLES, sample = 2000): Promise<string[]> {
  const rows = await db.query<{ key: string }>(
    `SELECT DISTINCT jsonb_object_keys(attributes) AS key
     FROM (SELECT attributes FROM ${table} WHERE workspace_id = $1 AND attributes IS NOT NULL AND jsonb_typeof(attributes) = 'object'
           ORDER BY ${TABLES[table]} DESC LIMIT $2) latest
     ORDER BY key`,
    [workspaceId, sample],
  );
  return rows.map((row) => row.key);
}
