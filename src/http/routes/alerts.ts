import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { roleAllows } from '../../accounts/roles.ts';
import { ALERT_KINDS, ALERT_METRICS, channelSchema, ruleDefinitionSchema, type Channel, type ChannelInput } from '../../alerts/rules.ts';
import { ruleFirings } from '../../jobs/evaluate-alerts.ts';
import { ReportError } from '../../reports/metric-report.ts';
import { channelTarget, createRule, deleteRule, findRule, listEvents, listRules, scheduleEvaluation, updateRule, type StoredRule } from '../../storage/alerts.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { newWebhookSecret } from '../../webhooks/signature.ts';
import { allowPrivateFromEnv, checkWebhookUrl, type Resolver } from '../../webhooks/url-guard.ts';
import { actorOf } from '../auth.ts';
import { apiOperation, idParam, parseBody, parseQuery, zodMessage } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Alert rules and their history (docs/alerts.md): viewers read, analysts and admins write. A
 * Slack or webhook URL is checked against SSRF at save (and again at every send); a signed
 * webhook's secret is made by Sada when not given and shown once, in the answer that made it.
 */

const BODY_LIMIT = 16 * 1024;
const NOT_FOUND = 'There is no such alert rule in this workspace.';

const common = {
  name: z.string({ required_error: 'name is required' }).trim().min(1).max(120),
  channels: z.array(channelSchema).max(10).default([]),
  cooldownMinutes: z.number().int().min(0).max(525_600).default(1440),
  enabled: z.boolean().default(true),
};
export const alertRuleCreateSchema = z.discriminatedUnion(
  'kind',
  ruleDefinitionSchema.options.map((option) => option.extend(common)) as unknown as [z.ZodDiscriminatedUnionOption<'kind'>, ...z.ZodDiscriminatedUnionOption<'kind'>[]],
);
export const alertRuleUpdateSchema = z
  .object({
    name: common.name.optional(),
    channels: z.array(channelSchema).max(10).optional(),
    cooldownMinutes: z.number().int().min(0).max(525_600).optional(),
    enabled: z.boolean().optional(),
    kind: z.enum(ALERT_KINDS).optional(),
    metric: z.enum(ALERT_METRICS).nullable().optional(),
    params: z.record(z.unknown()).optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one of name, channels, cooldownMinutes, enabled, kind, metric, params');
const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
  rule: z.coerce.number().int().min(1).optional(),
});
const testQuery = z.object({ at: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'at must be a day as YYYY-MM-DD').optional() });

const channelOut = z.object({ type: z.enum(['email', 'slack', 'webhook']), target: z.string(), language: z.string(), to: z.array(z.string()).optional(), url: z.string().optional(), secretSet: z.boolean().optional() });
const ruleOut = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(ALERT_KINDS),
  metric: z.string().nullable(),
  params: z.record(z.unknown()),
  channels: z.array(channelOut),
  cooldownMinutes: z.number().int(),
  enabled: z.boolean(),
  lastFiredAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const eventOut = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  ruleName: z.string(),
  kind: z.string(),
  period: z.string().nullable(),
  responseId: z.string().nullable(),
  figure: z.record(z.unknown()),
  suppressed: z.boolean(),
  firedAt: z.string(),
  deliveries: z.array(z.object({ channel: z.number().int(), type: z.string(), target: z.string(), status: z.string(), attempts: z.number().int(), responseCode: z.number().int().nullable(), lastError: z.string().nullable(), deliveredAt: z.string().nullable() })),
});
const secretsOut = z.record(z.string()).describe('channel index → the signed webhook secret Sada made, shown this once');

const ops = {
  list: apiOperation({ method: 'get', path: '/api/v1/alert-rules', tag: 'alerts', role: 'viewer', summary: 'The workspace’s alert rules', responses: { 200: { description: 'The rules', schema: z.object({ rules: z.array(ruleOut) }) } } }),
  create: apiOperation({
    method: 'post', path: '/api/v1/alert-rules', tag: 'alerts', role: 'analyst', summary: 'Make an alert rule', body: alertRuleCreateSchema,
    responses: { 201: { description: 'Made; `secrets` holds any webhook secret Sada made', schema: z.object({ rule: ruleOut, secrets: secretsOut }) }, 400: 'Not valid, or a URL is refused (SSRF)' },
  }),
  get: apiOperation({ method: 'get', path: '/api/v1/alert-rules/{id}', tag: 'alerts', role: 'viewer', summary: 'One alert rule', responses: { 200: { description: 'The rule', schema: z.object({ rule: ruleOut }) } } }),
  update: apiOperation({
    method: 'patch', path: '/api/v1/alert-rules/{id}', tag: 'alerts', role: 'analyst', summary: 'Change, enable or disable an alert rule', body: alertRuleUpdateSchema,
    responses: { 200: { description: 'Changed', schema: z.object({ rule: ruleOut, secrets: secretsOut }) }, 400: 'Not valid, or a URL is refused' },
  }),
  remove: apiOperation({ method: 'delete', path: '/api/v1/alert-rules/{id}', tag: 'alerts', role: 'analyst', summary: 'Delete an alert rule and its history', responses: { 204: 'Deleted' } }),
  test: apiOperation({
    method: 'post', path: '/api/v1/alert-rules/{id}/test', tag: 'alerts', role: 'analyst', summary: 'What the rule would fire on now (or on the day `at`), without recording or sending anything', query: testQuery,
    responses: { 200: { description: 'The firings it sees, with their figures and dedupe keys', schema: z.object({ firings: z.array(z.object({ dedupeKey: z.string(), period: z.string().optional(), responseId: z.string().optional(), figure: z.record(z.unknown()) })) }) } },
  }),
  history: apiOperation({
    method: 'get', path: '/api/v1/alerts', tag: 'alerts', role: 'viewer', summary: 'Alert history, newest first: what fired, its figure, and the delivery to each channel', query: historyQuery,
    responses: { 200: { description: 'A page of alerts; pass `next` as `before` for the next page', schema: z.object({ alerts: z.array(eventOut), next: z.number().int().nullable() }) } },
  }),
};
void ops;

export interface AlertRouteOptions {
  allowPrivate?: () => boolean;
  resolve?: Resolver;
}

/** A rule as the API shows it: webhook secrets never; Slack and webhook URLs (which carry tokens) only to those who may change the rule. */
function ruleJson(rule: StoredRule, writer: boolean) {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.definition.kind,
    metric: rule.definition.metric ?? null,
    params: rule.definition.params as Record<string, unknown>,
    channels: rule.channels.map((channel) => ({
      type: channel.type,
      target: channelTarget(channel),
      language: channel.language,
      ...(channel.type === 'email' ? { to: channel.to } : writer ? { url: channel.url } : {}),
      ...(channel.type === 'webhook' ? { secretSet: true } : {}),
    })),
    cooldownMinutes: rule.cooldownMinutes,
    enabled: rule.enabled,
    lastFiredAt: rule.lastFiredAt?.toISOString() ?? null,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

export function alertRoutes(db: Database, defaultWorkspace: string, options: AlertRouteOptions = {}): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };
  const allowPrivate = options.allowPrivate ?? (() => allowPrivateFromEnv());

  /** URLs checked (SSRF), webhook secrets kept (same URL as before) or made; the made ones returned to show once. */
  const prepareChannels = async (channels: ChannelInput[], before: readonly Channel[]): Promise<{ channels: Channel[]; secrets: Record<string, string> }> => {
    const secrets: Record<string, string> = {};
    const out: Channel[] = [];
    for (const [index, channel] of channels.entries()) {
      if (channel.type === 'email') {
        out.push(channel);
        continue;
      }
      const check = await checkWebhookUrl(channel.url, { allowPrivate: allowPrivate(), resolve: options.resolve });
      if (!check.ok) throw new HTTPException(400, { message: `channels.${index}.url is refused: ${check.reason}` });
      if (channel.type === 'slack') {
        out.push({ ...channel, url: check.url.href });
        continue;
      }
      const kept = before.find((c): c is Extract<Channel, { type: 'webhook' }> => c.type === 'webhook' && c.url === check.url.href);
      const secret = channel.secret ?? kept?.secret ?? newWebhookSecret();
      if (!channel.secret && !kept) secrets[String(index)] = secret;
      out.push({ ...channel, url: check.url.href, secret });
    }
    return { channels: out, secrets };
  };

  routes.get('/alert-rules', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const writer = roleAllows(c.get('workspaceRole'), 'analyst');
    return c.json({ rules: (await listRules(db, workspace.id)).map((r) => ruleJson(r, writer)) });
  });

  routes.post('/alert-rules', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const input = (await parseBody(c, alertRuleCreateSchema, BODY_LIMIT)) as z.output<typeof ruleDefinitionSchema> & { name: string; channels: ChannelInput[]; cooldownMinutes: number; enabled: boolean };
    const { name, channels: given, cooldownMinutes, enabled, ...definition } = input;
    const { channels, secrets } = await prepareChannels(given, []);
    const actor = actorOf(c.get('principal'));
    const rule = await db.transaction(async (tx) => {
      const created = await createRule(tx, workspace.id, { name, definition: definition as z.output<typeof ruleDefinitionSchema>, channels, cooldownMinutes, enabled }, actor.label);
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'alert_rule.create', target: `alert_rule:${created.id}`, details: { name, kind: definition.kind } });
      await scheduleEvaluation(tx, workspace.id);
      return created;
    });
    return c.json({ rule: ruleJson(rule, true), secrets }, 201);
  });

  routes.get('/alert-rules/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const rule = await findRule(db, workspace.id, idParam(c.req.param('id'), NOT_FOUND));
    if (!rule) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ rule: ruleJson(rule, roleAllows(c.get('workspaceRole'), 'analyst')) });
  });

  routes.patch('/alert-rules/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const changes = await parseBody(c, alertRuleUpdateSchema, BODY_LIMIT);
    const stored = await findRule(db, workspace.id, id);
    if (!stored) throw new HTTPException(404, { message: NOT_FOUND });
    let definition = stored.definition;
    if (changes.kind !== undefined || changes.metric !== undefined || changes.params !== undefined) {
      const kindChanged = changes.kind !== undefined && changes.kind !== stored.definition.kind;
      const parsed = ruleDefinitionSchema.safeParse({
        kind: changes.kind ?? stored.definition.kind,
        metric: changes.metric !== undefined ? changes.metric : kindChanged ? undefined : stored.definition.metric,
        params: changes.params ?? (kindChanged ? {} : stored.definition.params),
      });
      if (!parsed.success) throw new HTTPException(400, { message: zodMessage(parsed.error) });
      definition = parsed.data;
    }
    const prepared = changes.channels ? await prepareChannels(changes.channels, stored.channels) : { channels: stored.channels, secrets: {} };
    const actor = actorOf(c.get('principal'));
    const rule = await db.transaction(async (tx) => {
      const updated = await updateRule(tx, workspace.id, id, {
        name: changes.name ?? stored.name,
        definition,
        channels: prepared.channels,
        cooldownMinutes: changes.cooldownMinutes ?? stored.cooldownMinutes,
        enabled: changes.enabled ?? stored.enabled,
      });
      if (updated) {
        const { channels: _channels, ...rest } = changes;
        await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'alert_rule.update', target: `alert_rule:${id}`, details: { ...rest, ...(changes.channels ? { channels: prepared.channels.map(channelTarget) } : {}) } });
        await scheduleEvaluation(tx, workspace.id);
      }
      return updated;
    });
    if (!rule) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ rule: ruleJson(rule, true), secrets: prepared.secrets });
  });

  routes.delete('/alert-rules/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const actor = actorOf(c.get('principal'));
    const deleted = await db.transaction(async (tx) => {
      const gone = await deleteRule(tx, workspace.id, id);
      if (gone) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'alert_rule.delete', target: `alert_rule:${id}` });
      return gone;
    });
    if (!deleted) throw new HTTPException(404, { message: NOT_FOUND });
    return c.body(null, 204);
  });

  routes.post('/alert-rules/:id/test', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const query = parseQuery(c, testQuery);
    const rule = await findRule(db, workspace.id, id);
    if (!rule) throw new HTTPException(404, { message: NOT_FOUND });
    // A day: its end in UTC is close enough to "that day" for a preview.
    const at = query.at ? new Date(`${query.at}T23:59:59Z`) : new Date();
    if (Number.isNaN(at.getTime())) throw new HTTPException(400, { message: `at "${query.at}" is not a day` });
    try {
      const firings = await ruleFirings(db, workspace, rule, at);
      return c.json({ firings: firings.map(({ ruleId: _r, ...f }) => f) });
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  });

  routes.get('/alerts', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, historyQuery);
    const alerts = await listEvents(db, workspace.id, { limit: query.limit, before: query.before, ruleId: query.rule });
    return c.json({ alerts, next: alerts.length === query.limit ? alerts.at(-1)!.id : null });
  });

  return routes;
}
