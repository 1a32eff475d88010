import type { WebhookMessage } from '../webhooks/events.ts';
import type { Queryable } from './accounts.ts';
import type { Transaction } from './database.ts';
import { enqueueJob } from './jobs.ts';

/**
 * Outgoing webhooks (migration 0015, docs/webhooks.md): the endpoints a workspace's admins
 * register, and the delivery log. A message is written with its deliver_webhook job in the
 * transaction that stored the answer, one delivery per endpoint subscribed to the event.
 */

export const DELIVER_WEBHOOK = 'deliver_webhook';

export interface Webhook {
  id: number;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: number;
  webhookId: number;
  messageId: string;
  event: string;
  status: 'pending' | 'retrying' | 'delivered' | 'failed';
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

interface WebhookRow {
  id: number;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}
const webhookOf = (r: WebhookRow): Webhook => ({
  id: Number(r.id),
  url: r.url,
  events: r.events,
  description: r.description,
  enabled: r.enabled,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});
const WEBHOOK_COLUMNS = 'id, url, events, description, enabled, created_at, updated_at';

export async function createWebhook(db: Queryable, workspaceId: number, input: { url: string; secret: string; events: string[]; description?: string | null; enabled?: boolean }): Promise<Webhook> {
  const [row] = await db.query<WebhookRow>(
    `INSERT INTO webhooks (workspace_id, url, secret, events, description, enabled) VALUES ($1, $2, $3, $4::text[], $5, coalesce($6, true)) RETURNING ${WEBHOOK_COLUMNS}`,
    [workspaceId, input.url, input.secret, input.events, input.description ?? null, input.enabled ?? null],
  );
  return webhookOf(row!);
}

export async function listWebhooks(db: Queryable, workspaceId: number): Promise<Webhook[]> {
  return (await db.query<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE workspace_id = $1 ORDER BY id`, [workspaceId])).map(webhookOf);
}

export async function findWebhook(db: Queryable, workspaceId: number, id: number): Promise<(Webhook & { secret: string }) | undefined> {
  const [row] = await db.query<WebhookRow & { secret: string }>(`SELECT ${WEBHOOK_COLUMNS}, secret FROM webhooks WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? { ...webhookOf(row), secret: row.secret } : undefined;
}

export async function updateWebhook(
  db: Queryable,
  workspaceId: number,
  id: number,
  changes: { url?: string; events?: string[]; description?: string | null; enabled?: boolean; secret?: string },
): Promise<Webhook | undefined> {
  const [row] = await db.query<WebhookRow>(
    `UPDATE webhooks SET url = coalesce($3, url), events = coalesce($4::text[], events),
       description = CASE WHEN $5::boolean THEN $6 ELSE description END, enabled = coalesce($7, enabled),
       secret = coalesce($8, secret), updated_at = now()
     WHERE workspace_id = $1 AND id = $2 RETURNING ${WEBHOOK_COLUMNS}`,
    [workspaceId, id, changes.url ?? null, changes.events ?? null, changes.description !== undefined, changes.description ?? null, changes.enabled ?? null, changes.secret ?? null],
  );
  return row ? webhookOf(row) : undefined;
}

export async function deleteWebhook(db: Queryable, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db.query('DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2 RETURNING id', [workspaceId, id]);
  return rows.length > 0;
}

/**
 * The CTEs that write the messages of a statement's new submissions: `messages` (a jsonb
 * parameter: workspace_id, submission_id, event, message_id, payload) joined to `submissionsCte`
 * (only the submissions the statement really inserted) and to the endpoints subscribed to each
 * event; each delivery gets its job. For the group commit's single statement.
 */
export function webhookDeliveryCtes(messagesParam: string, submissionsCte: string): string {
  return `webhook_messages AS (
         SELECT m.* FROM jsonb_to_recordset(${messagesParam}::jsonb) AS m (workspace_id integer, submission_id text, event text, message_id text, payload jsonb)
         JOIN ${submissionsCte} s ON s.workspace_id = m.workspace_id AND s.id = m.submission_id),
       new_deliveries AS (
         INSERT INTO webhook_deliveries (workspace_id, webhook_id, message_id, event, payload)
         SELECT w.workspace_id, w.id, m.message_id, m.event, m.payload
         FROM webhook_messages m JOIN webhooks w ON w.workspace_id = m.workspace_id AND w.enabled AND m.event = ANY (w.events)
         RETURNING workspace_id, id),
       new_delivery_jobs AS (
         INSERT INTO jobs (workspace_id, kind, payload)
         SELECT workspace_id, '${DELIVER_WEBHOOK}', jsonb_build_object('delivery', id) FROM new_deliveries
         RETURNING id)`;
}

export const messagesParam = (workspaceId: number, messages: readonly WebhookMessage[]) =>
  messages.map((m) => ({ workspace_id: workspaceId, submission_id: m.submissionId, event: m.event, message_id: m.messageId, payload: m.payload }));

/** Writes the messages and their jobs in `tx` (the answer's own transaction). */
export async function enqueueWebhookMessages(tx: Transaction, workspaceId: number, messages: readonly WebhookMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.query(
    `WITH messages AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS m (workspace_id integer, submission_id text, event text, message_id text, payload jsonb)),
     new_deliveries AS (
       INSERT INTO webhook_deliveries (workspace_id, webhook_id, message_id, event, payload)
       SELECT w.workspace_id, w.id, m.message_id, m.event, m.payload
       FROM messages m JOIN webhooks w ON w.workspace_id = $1 AND w.enabled AND m.event = ANY (w.events)
       RETURNING workspace_id, id)
     INSERT INTO jobs (workspace_id, kind, payload) SELECT workspace_id, '${DELIVER_WEBHOOK}', jsonb_build_object('delivery', id) FROM new_deliveries`,
    [workspaceId, JSON.stringify(messagesParam(workspaceId, messages))],
  );
}

interface DeliveryRow {
  id: number;
  webhook_id: number;
  message_id: string;
  event: string;
  status: WebhookDelivery['status'];
  attempts: number;
  response_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
}
const DELIVERY_COLUMNS = 'id, webhook_id, message_id, event, status, attempts, response_code, last_error, next_attempt_at, created_at, delivered_at';
const deliveryOf = (r: DeliveryRow): WebhookDelivery => ({
  id: Number(r.id),
  webhookId: Number(r.webhook_id),
  messageId: r.message_id,
  event: r.event,
  status: r.status,
  attempts: r.attempts,
  responseCode: r.response_code,
  lastError: r.last_error,
  nextAttemptAt: iso(r.next_attempt_at),
  createdAt: iso(r.created_at)!,
  deliveredAt: iso(r.delivered_at),
});

/** An endpoint's deliveries, newest first; `before` (a delivery id) pages back. */
export async function listDeliveries(db: Queryable, workspaceId: number, webhookId: number, options: { limit: number; before?: number }): Promise<WebhookDelivery[]> {
  const rows = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND webhook_id = $2 AND ($3::bigint IS NULL OR id < $3)
     ORDER BY id DESC LIMIT $4`,
    [workspaceId, webhookId, options.before ?? null, options.limit],
  );
  return rows.map(deliveryOf);
}

export async function findDelivery(db: Queryable, workspaceId: number, id: number): Promise<(WebhookDelivery & { payload: Record<string, unknown> }) | undefined> {
  const [row] = await db.query<DeliveryRow & { payload: Record<string, unknown> }>(`SELECT ${DELIVERY_COLUMNS}, payload FROM webhook_deliveries WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? { ...deliveryOf(row), payload: row.payload } : undefined;
}

/** What an attempt found: recorded on the delivery. */
export async function recordAttempt(
  db: Queryable,
  workspaceId: number,
  id: number,
  attempt: { status: WebhookDelivery['status']; responseCode: number | null; error: string | null; nextAttemptAt: Date | null },
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, response_code = $4, last_error = $5, next_attempt_at = $6,
       delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END
     WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id, attempt.status, attempt.responseCode, attempt.error?.slice(0, 2000) ?? null, attempt.nextAttemptAt?.toISOString() ?? null],
  );
}

/**
 * Sends a delivery again, now: its queued job is moved to now, or a new job is queued when the
 * last one finished. 'busy' while an attempt is in flight.
 */
export async function resendDelivery(tx: Transaction, workspaceId: number, id: number): Promise<'queued' | 'busy' | 'not_found'> {
  const [delivery] = await tx.query<{ id: number }>('SELECT id FROM webhook_deliveries WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspaceId, id]);
  if (!delivery) return 'not_found';
  const jobs = await tx.query<{ id: number; status: string }>(
    `SELECT id, status FROM jobs WHERE workspace_id = $1 AND kind = $2 AND payload->>'delivery' = $3 AND status IN ('queued', 'running') FOR UPDATE`,
    [workspaceId, DELIVER_WEBHOOK, String(id)],
  );
  if (jobs.some((j) => j.status === 'running')) return 'busy';
  if (jobs.length > 0) await tx.query(`UPDATE jobs SET run_at = now(), updated_at = now() WHERE workspace_id = $1 AND id = ANY ($2::bigint[])`, [workspaceId, jobs.map((j) => j.id)]);
  else await enqueueJob(tx, workspaceId, { kind: DELIVER_WEBHOOK, payload: { delivery: id } });
  await tx.query(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return 'queued';
}

