import type { Queryable } from './accounts.ts';

/**
 * The audit log: one row per change to accounts, keys and settings, written in the transaction
 * of the change itself (both commit or neither). docs/accounts.md.
 */

export interface Actor {
  kind: 'user' | 'key' | 'token' | 'cli' | 'setup';
  userId?: number;
  keyId?: number;
  /** What a person reading the log recognises: an e-mail, a key's prefix, "SADA_API_TOKEN". */
  label: string;
}

export interface AuditEntry {
  workspaceId: number | null;
  actor: Actor;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (workspace_id, actor_kind, actor_user_id, actor_key_id, actor_label, action, target, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [entry.workspaceId, entry.actor.kind, entry.actor.userId ?? null, entry.actor.keyId ?? null, entry.actor.label, entry.action, entry.target ?? null, JSON.stringify(entry.details ?? {})],
  );
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: { kind: Actor['kind']; userId: number | null; keyId: number | null; label: string };
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** The workspace's log, newest first; `before` (an id) pages back. */
export async function listAudit(db: Queryable, workspaceId: number, options: { limit?: number; before?: number } = {}): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const rows = await db.query<{ id: number; at: Date; actor_kind: Actor['kind']; actor_user_id: number | null; actor_key_id: number | null; actor_label: string; action: string; target: string | null; details: Record<string, unknown> }>(
    `SELECT id, at, actor_kind, actor_user_id, actor_key_id, actor_label, action, target, details FROM audit_log
     WHERE workspace_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [workspaceId, options.before ?? null, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at),
    actor: { kind: r.actor_kind, userId: r.actor_user_id === null ? null : Number(r.actor_user_id), keyId: r.actor_key_id === null ? null : Number(r.actor_key_id), label: r.actor_label },
    action: r.action,
    target: r.target,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
  }));
}
