import type { Database } from '../database.ts';

/**
 * The most recent moment anything happened in a workspace (an answer, a ticket, an order, a
 * visit): where the dashboard's default period ends, so a workspace whose data stops last
 * month opens on last month instead of an empty one. Each max() reads its anchor's index.
 */
export async function latestActivity(db: Database, workspaceId: number): Promise<Date | null> {
  const [row] = await db.query<{ latest: Date | string | null }>(
    `SELECT GREATEST(
       (SELECT max(submitted_at) FROM responses WHERE workspace_id = $1),
       (SELECT max(created_at) FROM tickets WHERE workspace_id = $1),
       (SELECT max(placed_at) FROM orders WHERE workspace_id = $1),
       (SELECT max(visited_at) FROM visits WHERE workspace_id = $1)) AS latest`,
    [workspaceId],
  );
  return row?.latest ? new Date(row.latest) : null;
}
