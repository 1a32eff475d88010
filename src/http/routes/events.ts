import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { SEND_INVITATION, type InvitationPayload } from '../../jobs/send-invitation.ts';
import { SEND_SMS } from '../../jobs/send-sms.ts';
import type { Database } from '../../storage/database.ts';
import { enqueueJob } from '../../storage/jobs.ts';
import { findSurvey } from '../../storage/surveys.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import { readJsonBody } from '../json-body.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * POST /api/v1/events (an analyst's or admin's API key or session, or SADA_API_TOKEN): something
 * happened to a customer (an order delivered, a ticket solved). The workspace's triggers (`settings.listening.triggers`) say which survey it
 * asks and after how long; each match becomes a send_invitation job due at occurredAt + delay, in
 * the same transaction as the event. An event id (the body's `id` or the Idempotency-Key header)
 * makes a retry schedule nothing new. docs/distribution.md.
 */

export const BUILTIN_EVENTS = ['order_completed', 'order_delivered', 'ticket_solved', 'subscription_cancelled', 'signup'] as const;

const EVENT_BODY_LIMIT = 64 * 1024;
/** An invitation due longer ago than this (old events sent late, a backfill) is not scheduled. */
export const STALE_AFTER_DAYS = 7;
const text = (what: string, max = 200) =>
  z.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a string` }).trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);
const reference = (what: string) =>
  z.union([text(what), z.object({ id: text(`${what}.id`) }).passthrough()], { errorMap: () => ({ message: `${what} must be its id ("o-7") or an object with an id ({"id": "o-7"})` }) });

export const eventSchema = z
  .object({
    id: text('id').optional(),
    workspace: text('workspace', 63).optional(),
    type: z
      .string({ required_error: `type is required: one of ${BUILTIN_EVENTS.join(', ')} or a name of your own` })
      .regex(/^[a-z][a-z0-9_.-]{0,63}$/, `type must be one of ${BUILTIN_EVENTS.join(', ')} or a name of your own in lower case (letters, digits, _ . -, at most 64 characters)`),
    customer: z
      .object(
        {
          id: text('customer.id'),
          email: z.string().trim().max(320, 'customer.email is too long').email('customer.email must be an e-mail address such as ana@example.com').optional(),
          phone: z.string().trim().regex(/^\+?[0-9 ().-]{5,32}$/, 'customer.phone must be a phone number such as +37060000000').optional(),
          name: z.string().max(200, 'customer.name must be at most 200 characters').optional(),
          language: z
            .string()
            .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'customer.language must be a language tag such as en, ar or lt-LT')
            .optional(),
        },
        { required_error: 'customer is required: {"id": "c-42", "email": "ana@example.com"}', invalid_type_error: 'customer must be an object: {"id": "c-42", "email": "ana@example.com"}' },
      )
      .strict(),
    order: reference('order').optional(),
    ticket: reference('ticket').optional(),
    occurredAt: z.string().datetime({ offset: true, message: 'occurredAt must be an ISO 8601 time with its zone, e.g. 2026-05-01T14:30:00Z' }).optional(),
    properties: z.record(z.unknown()).optional(),
  })
  .strict();
export type EventInput = z.infer<typeof eventSchema>;

/** One entry of settings.listening.triggers: the survey an event type asks, after a delay (PATCH /api/v1/workspace-settings sets them). */
export const triggerSchema = z
  .object({
    event: z.string({ required_error: 'event is required: the event type, e.g. order_delivered' }).trim().min(1, 'event must not be empty').max(100, 'event is at most 100 characters'),
    survey: z.string({ required_error: 'survey is required: the id of the survey to send' }).trim().min(1, 'survey must not be empty').max(200),
    delayMinutes: z.number().int('delayMinutes is a whole number of minutes').min(0, 'delayMinutes is 0 to 525600 (a year)').max(525_600, 'delayMinutes is 0 to 525600 (a year)').default(0),
    /** How the invitation goes: e-mail (default) or SMS (jobs/send-sms.ts). */
    channel: z.enum(['email', 'sms'], { errorMap: () => ({ message: 'channel is email or sms' }) }).default('email'),
  })
  .strict();
export type Trigger = z.infer<typeof triggerSchema>;

/** The workspace's triggers, and a note for each entry that is not one. */
export function triggersOf(workspace: Pick<Workspace, 'settings'>): { triggers: Trigger[]; problems: string[] } {
  const raw = (workspace.settings as { listening?: { triggers?: unknown } }).listening?.triggers;
  if (raw === undefined) return { triggers: [], problems: [] };
  if (!Array.isArray(raw)) return { triggers: [], problems: ['settings.listening.triggers must be a list of {"event", "survey", "delayMinutes"}'] };
  const triggers: Trigger[] = [];
  const problems: string[] = [];
  raw.forEach((entry, index) => {
    const parsed = triggerSchema.strip().safeParse(entry);
    if (parsed.success) triggers.push(parsed.data);
    else problems.push(`settings.listening.triggers[${index}] is ignored: ${parsed.error.issues.map((i) => (i.path.length && i.message.startsWith(String(i.path.at(-1))) ? i.message : `${i.path.join('.') || '(entry)'} ${i.message}`)).join('; ')}`);
  });
  return { triggers, problems };
}

const idOf = (value: EventInput['order']) => (value === undefined ? undefined : typeof value === 'string' ? value : value.id);

export function eventRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.post('/', async (c) => {
    const body = await readJsonBody(c, EVENT_BODY_LIMIT);
    if (!body.ok) return c.json({ error: body.status === 413 ? 'too_large' : 'invalid_json', message: body.message }, body.status);
    const parsed = eventSchema.safeParse(body.value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}${i.path.length ? ` in ${i.path.join('.')}` : ''}: put your own data under "properties"` : i.message }));
      return c.json({ error: 'invalid_event', message: issues.map((i) => i.message).join('; '), issues }, 400);
    }
    const event = parsed.data;
    const headerKey = c.req.header('idempotency-key')?.trim();
    if (headerKey !== undefined && (headerKey.length < 1 || headerKey.length > 200)) {
      return c.json({ error: 'invalid_event', message: 'Idempotency-Key must be 1 to 200 characters' }, 400);
    }
    if (headerKey && event.id && headerKey !== event.id) {
      return c.json({ error: 'invalid_event', message: 'The Idempotency-Key header and the body\'s "id" differ: send one, or the same value in both' }, 400);
    }
    const workspace = await workspaceOf(c, { db, defaultWorkspace, name: event.workspace }, 'analyst');

    const eventId = event.id ?? headerKey ?? `ev_${randomUUID()}`;
    const occurredAt = event.occurredAt ? new Date(event.occurredAt) : new Date();
    const { triggers, problems } = triggersOf(workspace);
    const warnings = [...problems];
    const matching: Array<Trigger> = [];
    for (const trigger of triggers.filter((t) => t.event === event.type)) {
      const stored = await findSurvey(db, workspace.id, trigger.survey);
      if (!stored) warnings.push(`the trigger for ${event.type} names survey "${trigger.survey}", which this workspace does not have`);
      else matching.push(trigger);
    }
    const stored = { ...event, id: eventId, occurredAt: occurredAt.toISOString() };
    delete (stored as { workspace?: string }).workspace;

    const outcome = await db.transaction(async (tx) => {
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO events (workspace_id, id, type, customer_id, occurred_at, payload) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
         ON CONFLICT (workspace_id, id) DO NOTHING RETURNING id`,
        [workspace.id, eventId, event.type, event.customer.id, occurredAt.toISOString(), JSON.stringify(stored)],
      );
      if (inserted.length === 0) {
        const [same] = await tx.query<{ same: boolean }>('SELECT payload = $3::jsonb AS same FROM events WHERE workspace_id = $1 AND id = $2', [workspace.id, eventId, JSON.stringify(stored)]);
        return { duplicate: true as const, same: Boolean(same?.same) };
      }
      const scheduled: Array<{ job: number; survey: string; runAt: string }> = [];
      for (const trigger of matching) {
        const runAt = new Date(occurredAt.getTime() + trigger.delayMinutes * 60_000);
        if (runAt.getTime() < Date.now() - STALE_AFTER_DAYS * 86_400_000) {
          warnings.push(`no invitation to "${trigger.survey}": occurredAt + ${trigger.delayMinutes} minutes was more than ${STALE_AFTER_DAYS} days ago, too late to ask`);
          continue;
        }
        const payload: InvitationPayload = {
          event: eventId,
          eventType: event.type,
          survey: trigger.survey,
          customer: { id: event.customer.id, email: event.customer.email, name: event.customer.name, language: event.customer.language, ...(event.customer.phone ? { phone: event.customer.phone } : {}) },
          order: idOf(event.order),
          ticket: idOf(event.ticket),
        };
        const sms = trigger.channel === 'sms';
        const job = await enqueueJob(tx, workspace.id, { kind: sms ? SEND_SMS : SEND_INVITATION, payload: payload as unknown as Record<string, unknown>, runAt, dedupeKey: `${eventId}:${trigger.survey}`, subjectId: event.customer.id });
        if (job !== undefined) scheduled.push({ job, survey: trigger.survey, runAt: runAt.toISOString() });
      }
      return { duplicate: false as const, scheduled };
    });

    if (outcome.duplicate) {
      if (!outcome.same) return c.json({ error: 'conflict', message: `Event "${eventId}" was received before with other content; send a new id for a new event.` }, 409);
      const jobs = await db.query<{ id: number; survey: string; run_at: Date }>(
        `SELECT id, payload->>'survey' AS survey, run_at FROM jobs WHERE workspace_id = $1 AND kind = ANY ($2::text[]) AND payload->>'event' = $3 ORDER BY id`,
        [workspace.id, [SEND_INVITATION, SEND_SMS], eventId],
      );
      return c.json({ event: eventId, duplicate: true, scheduled: jobs.map((j) => ({ job: Number(j.id), survey: j.survey, runAt: new Date(j.run_at).toISOString() })), warnings }, 200);
    }
    if (matching.length === 0 && warnings.length === 0) warnings.push(`no trigger in settings.listening.triggers for "${event.type}": the event is stored and asks no survey`);
    return c.json({ event: eventId, duplicate: false, scheduled: outcome.scheduled, warnings }, 202);
  });
  return routes;
}
