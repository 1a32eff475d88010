import type { Firing } from '../alerts/evaluate.ts';
import { type AlertRule, type Channel, type RuleDefinition } from '../alerts/rules.ts';
import type { Queryable } from './accounts.ts';
import type { Database, Transaction } from './database.ts';
import { enqueueJob } from './jobs.ts';
import { OncePerWindow } from './once-per-window.ts';

/**
 * Alert rules, their firings and deliveries (migration 0016, docs/alerts.md). Every query names
 * the workspace. recordFirings is where "never the same alert twice" is enforced: the dedupe
 * key's unique index (two workers, a retried job, the schedule and new data all see the same
 * incident: one row), and the cool-down, read with the rule's row locked (FOR UPDATE) so two
 * evaluations cannot both send within it.
 */

export const EVALUATE_ALERTS = 'evaluate_alerts';
export const DELIVER_ALERT = 'deliver_alert';

interface RuleRow {
  id: number;
  name: string;
  kind: string;
  metric: string | null;
  params: Record<string, unknown>;
  channels: Channel[];
  cooldown_minutes: number;
  enabled: boolean;
  created_at: Date | string;
  last_fired_at: Date | string | null;
  created_by: string;
  updated_at: Date | string;
}

export interface StoredRule extends AlertRule {
  createdBy: string;
  updatedAt: Date;
}

const RULE_COLUMNS = 'id, name, kind, metric, params, channels, cooldown_minutes, enabled, created_at, last_fired_at, created_by, updated_at';

function ruleOf(row: RuleRow): StoredRule {
  return {
    id: Number(row.id),
    name: row.name,
    definition: { kind: row.kind, metric: row.metric, params: row.params } as RuleDefinition,
    channels: row.channels,
    cooldownMinutes: row.cooldown_minutes,
    enabled: row.enabled,
    createdAt: new Date(row.created_at),
    lastFiredAt: row.last_fired_at ? new Date(row.last_fired_at) : null,
    createdBy: row.created_by,
    updatedAt: new Date(row.updated_at),
  };
}

export interface RuleInput {
  name: string;
  definition: RuleDefinition;
  channels: Channel[];
  cooldownMinutes: number;
  enabled: boolean;
}

export async function listRules(db: Queryable, workspaceId: number, options: { enabledOnly?: boolean } = {}): Promise<StoredRule[]> {
  const rows = await db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE workspace_id = $1 AND ($2::boolean IS NOT TRUE OR enabled) ORDER BY id`, [workspaceId, options.enabledOnly ?? false]);
  return rows.map(ruleOf);
}

export async function findRule(db: Queryable, workspaceId: number, id: number): Promise<StoredRule | undefined> {
  const [row] = await db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? ruleOf(row) : undefined;
}

export async function createRule(tx: Queryable, workspaceId: number, input: RuleInput, createdBy: string): Promise<StoredRule> {
  const [row] = await tx.query<RuleRow>(
    `INSERT INTO alert_rules (workspace_id, name, kind, metric, params, channels, cooldown_minutes, enabled, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9) RETURNING ${RULE_COLUMNS}`,
    [workspaceId, input.name, input.definition.kind, input.definition.metric ?? null, JSON.stringify(input.definition.params), JSON.stringify(input.channels), input.cooldownMinutes, input.enabled, createdBy],
  );
  return ruleOf(row!);
}

export async function updateRule(tx: Queryable, workspaceId: number, id: number, input: RuleInput): Promise<StoredRule | undefined> {
  const [row] = await tx.query<RuleRow>(
    `UPDATE alert_rules SET name = $3, kind = $4, metric = $5, params = $6::jsonb, channels = $7::jsonb, cooldown_minutes = $8, enabled = $9, updated_at = now()
     WHERE workspace_id = $1 AND id = $2 RETURNING ${RULE_COLUMNS}`,
    [workspaceId, id, input.name, input.definition.kind, input.definition.metric ?? null, JSON.stringify(input.definition.params), JSON.stringify(input.channels), input.cooldownMinutes, input.enabled],
  );
  return row ? ruleOf(row) : undefined;
}

export async function deleteRule(tx: Queryable, workspaceId: number, id: number): Promise<boolean> {
  const rows = await tx.query<{ id: number }>('DELETE FROM alert_rules WHERE workspace_id = $1 AND id = $2 RETURNING id', [workspaceId, id]);
  return rows.length > 0;
}

/** Where a channel goes, as people may read it: the addresses, or the URL's host (never its path, which may hold a token). */
export function channelTarget(channel: Channel): string {
  if (channel.type === 'email') return channel.to.join(', ');
  try {
    return new URL(channel.url).host;
  } catch {
    return '?';
  }
}

export interface RecordedFiring {
  eventId: number;
  dedupeKey: string;
  suppressed: boolean;
}

/**
 * Records one rule's firings in one transaction: the rule's row is locked; each firing not yet
 * recorded (ON CONFLICT on the dedupe key does nothing) is stored, suppressed when the rule fired
 * and was sent within its cool-down, else sent: one deliver_alert job per channel (dedupe key
 * alert:<event>:<channel>), and the rule's last_fired_at moves to now. Returns the new firings.
 */
export async function recordFirings(db: Database, workspaceId: number, ruleId: number, firings: readonly Firing[]): Promise<RecordedFiring[]> {
  if (firings.length === 0) return [];
  return db.transaction(async (tx) => {
    const [rule] = await tx.query<RuleRow & { cooling: boolean }>(
      `SELECT ${RULE_COLUMNS}, (last_fired_at IS NOT NULL AND last_fired_at > now() - make_interval(mins => cooldown_minutes)) AS cooling
       FROM alert_rules WHERE workspace_id = $1 AND id = $2 AND enabled FOR UPDATE`,
      [workspaceId, ruleId],
    );
    if (!rule) return [];
    let cooling = rule.cooling;
    const recorded: RecordedFiring[] = [];
    for (const firing of firings) {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO alert_events (workspace_id, rule_id, rule_name, kind, dedupe_key, period, response_id, figure, suppressed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
         ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING id`,
        [workspaceId, ruleId, rule.name, rule.kind, firing.dedupeKey, firing.period ?? null, firing.responseId ?? null, JSON.stringify(firing.figure), cooling],
      );
      if (!row) continue;
      const eventId = Number(row.id);
      recorded.push({ eventId, dedupeKey: firing.dedupeKey, suppressed: cooling });
      if (cooling) continue;
      await queueDeliveries(tx, workspaceId, eventId, rule.channels);
      await tx.query('UPDATE alert_rules SET last_fired_at = now() WHERE workspace_id = $1 AND id = $2', [workspaceId, ruleId]);
      // A cool-down of 0 sends every firing; otherwise the next one in this batch is within it.
      cooling = rule.cooldown_minutes > 0;
    }
    return recorded;
  });
}

async function queueDeliveries(tx: Transaction, workspaceId: number, eventId: number, channels: readonly Channel[]): Promise<void> {
  for (const [index, channel] of channels.entries()) {
    await tx.query(
      `INSERT INTO alert_deliveries (workspace_id, event_id, channel, type, target, channel_config) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [workspaceId, eventId, index, channel.type, channelTarget(channel), JSON.stringify(channel)],
    );
    await enqueueJob(tx, workspaceId, { kind: DELIVER_ALERT, payload: { event: eventId, channel: index }, dedupeKey: `alert:${eventId}:${index}` });
  }
}

export interface AlertEvent {
  id: number;
  ruleId: number;
  ruleName: string;
  kind: string;
  period: string | null;
  responseId: string | null;
  figure: Record<string, unknown>;
  suppressed: boolean;
  firedAt: string;
  deliveries: Array<{ channel: number; type: string; target: string; status: string; attempts: number; responseCode: number | null; lastError: string | null; deliveredAt: string | null }>;
}

interface EventRow {
  id: number;
  rule_id: number;
  rule_name: string;
  kind: string;
  period: string | null;
  response_id: string | null;
  figure: Record<string, unknown>;
  suppressed: boolean;
  fired_at: Date | string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The history, newest first, `limit` at a time; `before` is the last id of the page before. */
export async function listEvents(db: Queryable, workspaceId: number, options: { limit: number; before?: number; ruleId?: number }): Promise<AlertEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT id, rule_id, rule_name, kind, period, response_id, figure, suppressed, fired_at FROM alert_events
     WHERE workspace_id = $1 AND ($2::bigint IS NULL OR id < $2) AND ($3::integer IS NULL OR rule_id = $3)
     ORDER BY id DESC LIMIT $4`,
    [workspaceId, options.before ?? null, options.ruleId ?? null, options.limit],
  );
  if (rows.length === 0) return [];
  const deliveries = await db.query<{ event_id: number; channel: number; type: string; target: string; status: string; attempts: number; response_code: number | null; last_error: string | null; delivered_at: Date | string | null }>(
    `SELECT event_id, channel, type, target, status, attempts, response_code, last_error, delivered_at FROM alert_deliveries
     WHERE workspace_id = $1 AND event_id = ANY ($2::bigint[]) ORDER BY event_id, channel`,
    [workspaceId, rows.map((r) => Number(r.id))],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    ruleId: Number(r.rule_id),
    ruleName: r.rule_name,
    kind: r.kind,
    period: r.period,
    responseId: r.response_id,
    figure: r.figure,
    suppressed: r.suppressed,
    firedAt: iso(r.fired_at)!,
    deliveries: deliveries
      .filter((d) => Number(d.event_id) === Number(r.id))
      .map((d) => ({ channel: d.channel, type: d.type, target: d.target, status: d.status, attempts: d.attempts, responseCode: d.response_code, lastError: d.last_error, deliveredAt: iso(d.delivered_at) })),
  }));
}

export interface DeliveryToSend {
  eventId: number;
  channel: number;
  config: Channel;
  ruleName: string;
  kind: string;
  figure: Record<string, unknown>;
  firedAt: Date;
}

export async function findDeliveryToSend(db: Queryable, workspaceId: number, eventId: number, channel: number): Promise<DeliveryToSend | undefined> {
  const [row] = await db.query<{ channel_config: Channel; rule_name: string; kind: string; figure: Record<string, unknown>; fired_at: Date | string }>(
    `SELECT d.channel_config, e.rule_name, e.kind, e.figure, e.fired_at FROM alert_deliveries d
     JOIN alert_events e ON e.workspace_id = d.workspace_id AND e.id = d.event_id
     WHERE d.workspace_id = $1 AND d.event_id = $2 AND d.channel = $3`,
    [workspaceId, eventId, channel],
  );
  return row ? { eventId, channel, config: row.channel_config, ruleName: row.rule_name, kind: row.kind, figure: row.figure, firedAt: new Date(row.fired_at) } : undefined;
}

export async function recordDeliveryAttempt(
  db: Queryable,
  workspaceId: number,
  eventId: number,
  channel: number,
  outcome: { status: 'delivered' | 'retrying' | 'failed'; responseCode: number | null; error: string | null },
): Promise<void> {
  await db.query(
    `UPDATE alert_deliveries SET status = $4, attempts = attempts + 1, response_code = $5, last_error = $6,
       delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
     WHERE workspace_id = $1 AND event_id = $2 AND channel = $3`,
    [workspaceId, eventId, channel, outcome.status, outcome.responseCode, outcome.error?.slice(0, 2000) ?? null],
  );
}

/** The evaluation's time slots: every SCHEDULE_MINUTES, aligned to the hour. */
export const SCHEDULE_MINUTES = 15;

export function nextSlot(now: Date): Date {
  const ms = SCHEDULE_MINUTES * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms + ms);
}

/**
 * The next scheduled evaluation of a workspace with enabled rules: one evaluate_alerts job per
 * slot (its dedupe key is the slot), so however many servers start, restart or finish a slot,
 * each slot is evaluated once. Nothing is queued for a workspace without enabled rules.
 */
export async function scheduleEvaluation(db: Queryable, workspaceId: number, now = new Date()): Promise<void> {
  const slot = nextSlot(now);
  await db.query(
    `INSERT INTO jobs (workspace_id, kind, payload, run_at, dedupe_key, max_attempts)
     SELECT $1, $2, '{"reason":"schedule"}'::jsonb, $3::timestamptz, $4, 3
     WHERE EXISTS (SELECT 1 FROM alert_rules WHERE workspace_id = $1 AND enabled)
     ON CONFLICT (workspace_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
    [workspaceId, EVALUATE_ALERTS, slot.toISOString(), `schedule:${slot.toISOString()}`],
  );
}

/** At start-up (`sada serve`): every workspace with enabled rules has its next slot queued. */
export async function scheduleAllEvaluations(db: Queryable, now = new Date()): Promise<void> {
  const rows = await db.query<{ workspace_id: number }>('SELECT DISTINCT workspace_id FROM alert_rules WHERE enabled');
  for (const row of rows) await scheduleEvaluation(db, row.workspace_id, now);
}

/**
 * New data arrived (an answer stored, an import committed): an evaluation a few seconds later,
 * one per workspace and minute however many answers arrive (its dedupe key is the minute), and
 * only when the workspace has enabled rules. One statement, cheap enough to run after each answer.
 */
export async function evaluateSoon(db: Queryable, workspaceId: number, now = new Date()): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  await db.query(
    `INSERT INTO jobs (workspace_id, kind, payload, run_at, dedupe_key, max_attempts)
     SELECT $1, $2, '{"reason":"new_data"}'::jsonb, $3::timestamptz, $4, 3
     WHERE EXISTS (SELECT 1 FROM alert_rules WHERE workspace_id = $1 AND enabled)
     ON CONFLICT (workspace_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
    [workspaceId, EVALUATE_ALERTS, new Date(minute.getTime() + 60_000).toISOString(), `data:${minute.toISOString()}`],
  );
}

/** evaluateSoon that never fails the request it follows (an answer is stored whatever happens here); the schedule catches up. */
export async function evaluateAlertsSoon(db: Queryable, workspaceId: number): Promise<void> {
  try {
    await evaluateSoon(db, workspaceId);
  } catch (error) {
    console.error(`alerts: could not queue an evaluation for workspace ${workspaceId}: ${(error as Error).message}`);
  }
}

const queuedThisMinute = new OncePerWindow(60_000);

/**
 * evaluateAlertsSoon for one stored answer: once per workspace and minute in this process, so a
 * burst of answers costs one statement, not one each (the job's dedupe key is per minute anyway).
 */
export async function evaluateAlertsAfterAnswer(db: Queryable, workspaceId: number): Promise<void> {
  if (queuedThisMinute.first(db, String(workspaceId))) await evaluateAlertsSoon(db, workspaceId);
}
