import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { isValidZone } from '../../domain/values.ts';
import { businessHoursOf, churnDaysOf, DEFAULT_CHURN_DAYS } from '../../domain/workspace.ts';
import { caseSettingsOf, DEFAULT_CASE_SETTINGS } from '../../domain/cases.ts';
import { findHookTool, HOOK_TOOLS } from '../../import/hooks.ts';
import { DEFAULT_SCORING, scoringSettingsOf } from '../../metrics/scoring.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { setHookSecret } from '../../storage/hook-secrets.ts';
import { refreshRollups } from '../../storage/rollups.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import { actorOf } from '../auth.ts';
import { readJsonBody } from '../json-body.ts';
import { triggerSchema, triggersOf } from './events.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * The Settings page's API (docs/accounts.md#workspace-settings):
 *
 * - GET   /api/v1/workspace-settings   time zone, business hours, scoring thresholds, churn window
 *   (any member reads them)
 * - PATCH /api/v1/workspace-settings   admins change them: validated, audited in the same
 *   transaction; a new time zone rebuilds the rollups before the answer (their days are the
 *   zone's days). Thresholds, business hours and the churn window are applied when a metric is
 *   read, so nothing else is rebuilt.
 * - GET   /api/v1/hook-receivers       admins: each webhook receiver's URL and whether its secret is set
 * - PUT   /api/v1/hook-receivers/:tool/secret   set or rotate it (shown once when Sada makes it)
 * - DELETE /api/v1/hook-receivers/:tool/secret  remove it: the receiver refuses every delivery
 */

const BODY_LIMIT = 16 * 1024;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** The scales the page offers a threshold for, as the scoring settings key them. */
const SCALES = ['1-5', '1-7', '1-10', '0-10'] as const;
/** Every scale a threshold may be sent for: the page's and the yes/no scale, which GET returns too. */
const THRESHOLD_SCALES: readonly string[] = [...SCALES, '0-1'];

const thresholds = z
  .record(z.string(), z.number().int('a threshold is a whole point of the scale'))
  .superRefine((table, ctx) => {
    for (const [scale, value] of Object.entries(table)) {
      if (!THRESHOLD_SCALES.includes(scale)) {
        ctx.addIssue({ code: 'custom', path: [scale], message: `"${scale}" is not a scale Sada scores; scales: ${THRESHOLD_SCALES.join(', ')}` });
        continue;
      }
      const [min, max] = scale.split('-').map(Number) as [number, number];
      if (value <= min || value > max) ctx.addIssue({ code: 'custom', path: [scale], message: `on the ${scale} scale the threshold must be from ${min + 1} to ${max}, not ${value}` });
    }
  });

export const settingsPatchSchema = z
  .object({
    timezone: z.string().refine(isValidZone, 'timezone must be an IANA time zone such as UTC, Europe/Vilnius or Asia/Riyadh').optional(),
    businessHours: z
      .object({
        days: z
          .array(z.number().int().min(1, 'days are ISO weekdays, 1 (Monday) to 7 (Sunday)').max(7, 'days are ISO weekdays, 1 (Monday) to 7 (Sunday)'))
          .min(1, 'choose at least one open day')
          .refine((days) => new Set(days).size === days.length, 'each day once'),
        opens: z.string().regex(TIME, 'opens must be a time such as 09:00'),
        closes: z.string().regex(TIME, 'closes must be a time such as 17:00'),
      })
      .strict()
      .refine((h) => h.closes > h.opens, { message: 'closing time must be after opening time', path: ['closes'] })
      .optional(),
    metrics: z
      .object({
        positiveFrom: thresholds.optional(),
        easyFrom: thresholds.optional(),
        cesHighIsEasy: z.boolean().optional(),
      })
      .strict()
      .optional(),
    churnDays: z.number().int('the churn window is a whole number of days').min(7, 'the churn window is at least 7 days').max(730, 'the churn window is at most 730 days').optional(),
    // Which survey each event type asks, after what delay, by which channel (docs/distribution.md):
    // the whole list, replacing the one before.
    triggers: z.array(triggerSchema).max(100, 'at most 100 triggers').optional(),
    // The closed loop (docs/cases.md): which answers open a follow-up case, its SLA and default owner.
    cases: z
      .object({
        enabled: z.boolean().optional(),
        slaHours: z.number().int('the SLA is a whole number of hours').min(1, 'the SLA is at least 1 hour').max(2160, 'the SLA is at most 2160 hours (90 days)').optional(),
        ownerUserId: z.number().int().positive().nullable().optional(),
        rule: z
          .object({
            npsAtMost: z.number().int().min(0, 'npsAtMost is a score from 0 to 9').max(9, 'npsAtMost is a score from 0 to 9').nullable().optional(),
            csatBottomBox: z.number().int().min(1, 'a bottom box is 1 to 5 points').max(5, 'a bottom box is 1 to 5 points').nullable().optional(),
            cesBottomBox: z.number().int().min(1, 'a bottom box is 1 to 5 points').max(5, 'a bottom box is 1 to 5 points').nullable().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

function settingsJson(workspace: Workspace) {
  return {
    workspace: workspace.name,
    timezone: workspace.timezone,
    businessHours: businessHoursOf(workspace.settings),
    metrics: scoringSettingsOf(workspace.settings),
    churnDays: churnDaysOf(workspace.settings),
    cases: caseSettingsOf(workspace.settings),
    triggers: triggersOf(workspace).triggers,
    scales: SCALES,
    defaults: { timezone: 'UTC', businessHours: businessHoursOf({}), metrics: DEFAULT_SCORING, churnDays: DEFAULT_CHURN_DAYS, cases: DEFAULT_CASE_SETTINGS },
  };
}

async function parse<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const body = await readJsonBody(c, BODY_LIMIT);
  if (!body.ok) throw new HTTPException(body.status, { message: body.message });
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) => {
        if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
        // "timezone must be…" names its field already; "from 2 to 5, not 6" needs "metrics.positiveFrom.1-5: ".
        const path = i.path.join('.');
        return path && !i.message.startsWith(String(i.path.at(-1))) ? `${path}: ${i.message}` : i.message;
      })
      .join('; ');
    throw new HTTPException(400, { message });
  }
  return parsed.data;
}

const secretSchema = z.object({ secret: z.string().trim().min(8, 'the secret must be at least 8 characters').max(512, 'the secret must be at most 512 characters').optional() }).strict();

export function settingsRoutes(db: Database, defaultWorkspace: string, publicUrl?: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/workspace-settings', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    return c.json({ ...settingsJson(workspace), role: c.get('workspaceRole') });
  });

  routes.patch('/workspace-settings', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const patch = await parse(c, settingsPatchSchema);
    const actor = actorOf(c.get('principal'));
    const updated = await db.transaction(async (tx) => {
      const [row] = await tx.query<{ timezone: string; settings: Record<string, unknown> | string }>('SELECT timezone, settings FROM workspaces WHERE id = $1 FOR UPDATE', [workspace.id]);
      const before = { timezone: row!.timezone, settings: typeof row!.settings === 'string' ? (JSON.parse(row!.settings) as Record<string, unknown>) : row!.settings };
      const settings = { ...before.settings };
      if (patch.businessHours) settings.businessHours = patch.businessHours;
      if (patch.churnDays !== undefined) settings.churnDays = patch.churnDays;
      if (patch.metrics) {
        const old = (settings.metrics ?? {}) as Record<string, unknown>;
        settings.metrics = {
          ...old,
          ...(patch.metrics.positiveFrom ? { positiveFrom: { ...(old.positiveFrom as object), ...patch.metrics.positiveFrom } } : {}),
          ...(patch.metrics.easyFrom ? { easyFrom: { ...(old.easyFrom as object), ...patch.metrics.easyFrom } } : {}),
          ...(patch.metrics.cesHighIsEasy !== undefined ? { cesHighIsEasy: patch.metrics.cesHighIsEasy } : {}),
        };
      }
      if (patch.cases) {
        if (patch.cases.ownerUserId) {
          const [member] = await tx.query('SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role IN (\'admin\', \'analyst\')', [workspace.id, patch.cases.ownerUserId]);
          if (!member) throw new HTTPException(400, { message: `cases.ownerUserId: user ${patch.cases.ownerUserId} is not an analyst or admin of this workspace` });
        }
        const old = (settings.cases ?? {}) as Record<string, unknown>;
        const { rule, ...rest } = patch.cases;
        settings.cases = { ...old, ...rest, ...(rule ? { rule: { ...(old.rule as object), ...rule } } : {}) };
      }
      if (patch.triggers) {
        for (const [index, trigger] of patch.triggers.entries()) {
          const [survey] = await tx.query('SELECT 1 FROM surveys WHERE workspace_id = $1 AND id = $2', [workspace.id, trigger.survey]);
          if (!survey) throw new HTTPException(400, { message: `triggers.${index}.survey: there is no survey "${trigger.survey}" in workspace "${workspace.name}"; create it first (POST /api/v1/surveys)` });
        }
        settings.listening = { ...((settings.listening ?? {}) as Record<string, unknown>), triggers: patch.triggers };
      }
      const timezone = patch.timezone ?? before.timezone;
      await tx.query('UPDATE workspaces SET timezone = $2, settings = $3::jsonb WHERE id = $1', [workspace.id, timezone, JSON.stringify(settings)]);
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      if (timezone !== before.timezone) changed.timezone = { from: before.timezone, to: timezone };
      // Compared as they take effect (defaults filled in): sending back what GET returned changes nothing.
      const effective = { businessHours: businessHoursOf, metrics: scoringSettingsOf, churnDays: churnDaysOf, cases: caseSettingsOf, triggers: (s: Record<string, unknown>) => triggersOf({ settings: s }).triggers };
      for (const key of ['businessHours', 'metrics', 'churnDays', 'cases', 'triggers'] as const) {
        const from = effective[key](before.settings);
        const to = effective[key](settings);
        if (JSON.stringify(from) !== JSON.stringify(to)) changed[key] = { from, to };
      }
      if (Object.keys(changed).length > 0) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'settings.update', target: `workspace:${workspace.name}`, details: changed });
      return { ...workspace, timezone, settings, changed };
    });
    // Rollups keep days in the workspace's zone: a new zone makes them stale (rollups.ts reads
    // them only when built for the current zone), and they are rebuilt now, not at the next import.
    const rebuilt = updated.changed.timezone ? await refreshRollups(db, workspace.id) : [];
    return c.json({ ...settingsJson(updated), role: c.get('workspaceRole'), changed: Object.keys(updated.changed), rebuilt });
  });

  // Webhook receivers ------------------------------------------------------------------------

  const receiverUrl = (c: Context, tool: string, workspace: Workspace) =>
    `${(publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '')}/api/v1/hooks/${tool}?workspace=${encodeURIComponent(workspace.name)}`;

  routes.get('/hook-receivers', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const rows = await db.query<{ tool: string; updated_at: Date }>('SELECT tool, updated_at FROM hook_secrets WHERE workspace_id = $1', [workspace.id]);
    const set = new Map(rows.map((r) => [r.tool, new Date(r.updated_at).toISOString()]));
    return c.json({
      workspace: workspace.name,
      receivers: HOOK_TOOLS.map((tool) => ({
        tool: tool.name,
        title: tool.preset.title,
        url: receiverUrl(c, tool.name, workspace),
        secretFrom: tool.secretFrom,
        proof: tool.proof,
        secretSet: set.has(tool.name),
        updatedAt: set.get(tool.name) ?? null,
      })),
    });
  });

  routes.put('/hook-receivers/:tool/secret', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const tool = findHookTool(c.req.param('tool'));
    if (!tool) throw new HTTPException(404, { message: `No webhook receiver for "${c.req.param('tool')}". Receivers: ${HOOK_TOOLS.map((t) => t.name).join(', ')}.` });
    const body = await parse(c, secretSchema);
    if (!body.secret && tool.secretFrom === 'tool') {
      throw new HTTPException(400, { message: `${tool.preset.title} makes the secret it signs with: copy it from ${tool.preset.title}'s webhook settings and paste it here.` });
    }
    const made = !body.secret;
    const secret = body.secret ?? randomBytes(24).toString('base64url');
    await db.transaction(async (tx) => {
      await setHookSecret(tx, workspace.id, tool.name, secret);
      await writeAudit(tx, { workspaceId: workspace.id, actor: actorOf(c.get('principal')), action: 'hook_secret.set', target: `hook:${tool.name}`, details: { tool: tool.name, madeBySada: made } });
    });
    const url = receiverUrl(c, tool.name, workspace);
    c.header('Cache-Control', 'no-store');
    return c.json({
      tool: tool.name,
      url: tool.name === 'freshdesk' ? `${url}&secret=${encodeURIComponent(secret)}` : url,
      ...(made ? { secret } : {}),
      secretSet: true,
    });
  });

  routes.delete('/hook-receivers/:tool/secret', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const tool = findHookTool(c.req.param('tool'));
    if (!tool) throw new HTTPException(404, { message: `No webhook receiver for "${c.req.param('tool')}".` });
    const removed = await db.transaction(async (tx) => {
      const rows = await tx.query<{ tool: string }>('DELETE FROM hook_secrets WHERE workspace_id = $1 AND tool = $2 RETURNING tool', [workspace.id, tool.name]);
      if (rows.length > 0) await writeAudit(tx, { workspaceId: workspace.id, actor: actorOf(c.get('principal')), action: 'hook_secret.remove', target: `hook:${tool.name}`, details: { tool: tool.name } });
      return rows.length > 0;
    });
    if (!removed) throw new HTTPException(404, { message: `No ${tool.preset.title} secret is set for this workspace.` });
    return c.body(null, 204);
  });

  return routes;
}
