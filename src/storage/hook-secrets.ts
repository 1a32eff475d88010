import type { Queryable } from './accounts.ts';
import type { Database } from './database.ts';

/**
 * Per-workspace, per-tool secrets of the webhook receivers (src/http/routes/hooks.ts). A tool
 * signs each delivery with the secret (Shopify, Stripe, Zendesk… show it once the webhook is
 * made; for Freshdesk it is a shared token in the URL), so it is stored as it is.
 */

export async function setHookSecret(db: Database | Queryable, workspaceId: number, tool: string, secret: string): Promise<void> {
  await db.query(
    `INSERT INTO hook_secrets (workspace_id, tool, secret) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, tool) DO UPDATE SET secret = EXCLUDED.secret, updated_at = now()`,
    [workspaceId, tool, secret],
  );
}

export async function hookSecret(db: Database, workspaceId: number, tool: string): Promise<string | undefined> {
  const [row] = await db.query<{ secret: string }>('SELECT secret FROM hook_secrets WHERE workspace_id = $1 AND tool = $2', [workspaceId, tool]);
  return row?.secret;
}
