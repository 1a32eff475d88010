import type { Database } from './database.ts';

/** The segments customers of a workspace fall in, most customers first: the segment filter's choices. */
export async function customerSegments(db: Database, workspaceId: number, limit = 100): Promise<string[]> {
  const rows = await db.query<{ segment: string }>(
    `SELECT segment FROM customers WHERE workspace_id = $1 AND segment IS NOT NULL
     GROUP BY segment ORDER BY count(*) DESC, segment LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map((row) => row.segment);
}
