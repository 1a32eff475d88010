import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { createWebhook, deleteWebhook, findDelivery, findWebhook, listDeliveries, listWebhooks, resendDelivery, updateWebhook } from '../../storage/webhooks.ts';
import { WEBHOOK_EVENTS } from '../../webhooks/events.ts';
import { newWebhookSecret } from '../../webhooks/signature.ts';
import { allowPrivateFromEnv, checkWebhookUrl, type Resolver } from '../../webhooks/url-guard.ts';
import { actorOf } from '../auth.ts';
import { apiOperation, idParam, parseBody, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Outgoing webhooks, for a workspace's admins (docs/webhooks.md): register an endpoint (its URL
 * checked against SSRF at save, and again at every send), change, delete; each endpoint's
 * delivery log; resend a delivery. The signing secret is shown when made (create, rotate).
 */

const BODY_LIMIT = 8 * 1024;
const NOT_FOUND = 'There is no such webhook in this workspace.';
const NO_DELIVERY = 'There is no such webhook delivery in this workspace.';

const url = z.string({ required_error: 'url is required: where to POST, e.g. https://hooks.example.com/sada' }).trim().min(1).max(2048);
const events = z
  .array(z.enum(WEBHOOK_EVENTS, { errorMap: () => ({ message: `events are ${WEBHOOK_EVENTS.join(' and ')}` }) }))
  .min(1, `events must name at least one of ${WEBHOOK_EVENTS.join(', ')}`)
  .max(WEBHOOK_EVENTS.length)
  .transform((list) => [...new Set(list)]);
const description = z.string().trim().max(200).nullable().optional();

export const webhookCreateSchema = z.object({ url, events: events.default([...WEBHOOK_EVENTS]), description, enabled: z.boolean().optional() }).strict();
export const webhookUpdateSchema = z
  .object({ url: url.optional(), events: events.optional(), description, enabled: z.boolean().optional(), rotateSecret: z.literal(true).optional() })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one of url, events, description, enabled, rotateSecret');
export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

const webhookSchema = z.object({ id: z.number().int(), url: z.string(), events: z.array(z.string()), description: z.string().nullable(), enabled: z.boolean(), createdAt: z.string(), updatedAt: z.string() });
const deliverySchema = z.object({
  id: z.number().int(),
  webhookId: z.number().int(),
  messageId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'retrying', 'delivered', 'failed']),
  attempts: z.number().int(),
  responseCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

const ops = {
  list: apiOperation({ method: 'get', path: '/api/v1/webhooks', tag: 'webhooks', role: 'admin', summary: 'The workspace’s webhook endpoints', responses: { 200: { description: 'The endpoints', schema: z.object({ webhooks: z.array(webhookSchema) }) } } }),
  create: apiOperation({
    method: 'post', path: '/api/v1/webhooks', tag: 'webhooks', role: 'admin', summary: 'Register an endpoint (the answer holds its signing secret)', body: webhookCreateSchema,
    responses: { 201: { description: 'Registered; `secret` is shown this once', schema: z.object({ webhook: webhookSchema, secret: z.string() }) }, 400: 'Not valid, or the URL is refused (SSRF)' },
  }),
  get: apiOperation({ method: 'get', path: '/api/v1/webhooks/{id}', tag: 'webhooks', role: 'admin', summary: 'One endpoint', responses: { 200: { description: 'The endpoint', schema: z.object({ webhook: webhookSchema }) } } }),
  update: apiOperation({
    method: 'patch', path: '/api/v1/webhooks/{id}', tag: 'webhooks', role: 'admin', summary: 'Change an endpoint, or rotate its secret', body: webhookUpdateSchema,
    responses: { 200: { description: 'Changed (with `secret` when rotated)', schema: z.object({ webhook: webhookSchema, secret: z.string().optional() }) }, 400: 'Not valid, or the URL is refused' },
  }),
  remove: apiOperation({ method: 'delete', path: '/api/v1/webhooks/{id}', tag: 'webhooks', role: 'admin', summary: 'Delete an endpoint and its delivery log', responses: { 204: 'Deleted' } }),
  deliveries: apiOperation({
    method: 'get', path: '/api/v1/webhooks/{id}/deliveries', tag: 'webhooks', role: 'admin', summary: 'An endpoint’s delivery log, newest first', query: deliveriesQuery,
    responses: { 200: { description: 'Deliveries: status, attempts, last response code and error, next attempt', schema: z.object({ deliveries: z.array(deliverySchema) }) } },
  }),
  resend: apiOperation({
    method: 'post', path: '/api/v1/webhook-deliveries/{id}/resend', tag: 'webhooks', role: 'admin', summary: 'Send a delivery again now (same message id)',
    responses: { 202: { description: 'Queued', schema: z.object({ delivery: deliverySchema }) }, 409: 'An attempt is in flight' },
  }),
};

export interface WebhookRouteOptions {
  /** Whether private targets are allowed (default: SADA_WEBHOOKS_ALLOW_PRIVATE at each request). */
  allowPrivate?: () => boolean;
  resolve?: Resolver;
}

export function webhookRoutes(db: Database, defaultWorkspace: string, options: WebhookRouteOptions = {}): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };
  const allowPrivate = options.allowPrivate ?? (() => allowPrivateFromEnv());
  const checkUrl = async (text: string) => {
    const check = await checkWebhookUrl(text, { allowPrivate: allowPrivate(), resolve: options.resolve });
    if (!check.ok) throw new HTTPException(400, { message: `url is refused: ${check.reason}` });
    return check.url.href;
  };

  routes.get('/webhooks', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    return c.json({ webhooks: await listWebhooks(db, workspace.id) });
  });

  routes.post('/webhooks', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const input = await parseBody(c, webhookCreateSchema, BODY_LIMIT);
    const href = await checkUrl(input.url);
    const secret = newWebhookSecret();
    const actor = actorOf(c.get('principal'));
    const webhook = await db.transaction(async (tx) => {
      const created = await createWebhook(tx, workspace.id, { ...input, url: href, secret });
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'webhook.create', target: `webhook:${created.id}`, details: { url: created.url, events: created.events } });
      return created;
    });
    return c.json({ webhook, secret }, 201);
  });

  routes.get('/webhooks/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const found = await findWebhook(db, workspace.id, idParam(c.req.param('id'), NOT_FOUND));
    if (!found) throw new HTTPException(404, { message: NOT_FOUND });
    const { secret: _secret, ...webhook } = found;
    return c.json({ webhook });
  });

  routes.patch('/webhooks/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const changes = await parseBody(c, webhookUpdateSchema, BODY_LIMIT);
    const href = changes.url === undefined ? undefined : await checkUrl(changes.url);
    const secret = changes.rotateSecret ? newWebhookSecret() : undefined;
    const actor = actorOf(c.get('principal'));
    const webhook = await db.transaction(async (tx) => {
      const updated = await updateWebhook(tx, workspace.id, id, { url: href, events: changes.events, description: changes.description, enabled: changes.enabled, secret });
      if (updated) {
        const { rotateSecret, ...rest } = changes;
        await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'webhook.update', target: `webhook:${id}`, details: { ...rest, ...(href ? { url: href } : {}), ...(rotateSecret ? { secret: 'rotated' } : {}) } });
      }
      return updated;
    });
    if (!webhook) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json(secret ? { webhook, secret } : { webhook });
  });

  routes.delete('/webhooks/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const actor = actorOf(c.get('principal'));
    const deleted = await db.transaction(async (tx) => {
      const gone = await deleteWebhook(tx, workspace.id, id);
      if (gone) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'webhook.delete', target: `webhook:${id}` });
      return gone;
    });
    if (!deleted) throw new HTTPException(404, { message: NOT_FOUND });
    return c.body(null, 204);
  });

  routes.get('/webhooks/:id/deliveries', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const query = parseQuery(c, deliveriesQuery);
    if (!(await findWebhook(db, workspace.id, id))) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ deliveries: await listDeliveries(db, workspace.id, id, query) });
  });

  routes.post('/webhook-deliveries/:id/resend', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'), NO_DELIVERY);
    const actor = actorOf(c.get('principal'));
    const outcome = await db.transaction(async (tx) => {
      const result = await resendDelivery(tx, workspace.id, id);
      if (result === 'queued') await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'webhook.resend', target: `webhook_delivery:${id}` });
      return result;
    });
    if (outcome === 'not_found') throw new HTTPException(404, { message: NO_DELIVERY });
    if (outcome === 'busy') throw new HTTPException(409, { message: 'An attempt to send this delivery is in flight; look again in a moment.' });
    const { payload: _payload, ...delivery } = (await findDelivery(db, workspace.id, id))!;
    return c.json({ delivery }, 202);
  });

  return routes;
}
