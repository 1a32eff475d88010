import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { caseOwnerJob } from '../../jobs/notify-case-owner.ts';
import { caseMetrics } from '../../metrics/cases.ts';
import { writeAudit } from '../../storage/audit.ts';
import { addCaseNote, CASE_STATUSES, caseNotes, caseOwners, caseRecords, findCase, listCases, updateCase } from '../../storage/cases.ts';
import type { Database } from '../../storage/database.ts';
import { enqueueJob } from '../../storage/jobs.ts';
import { actorOf } from '../auth.ts';
import { apiOperation, idParam, parseBody, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * The closed loop (docs/cases.md): follow-up cases opened by dissatisfied answers. Viewers read
 * the queue, a case and the metrics; analysts and admins assign, move and annotate cases, each
 * change audited in its own transaction. Giving a case to someone else e-mails them
 * (jobs/notify-case-owner.ts), the job enqueued in the same transaction.
 */

const BODY_LIMIT = 8 * 1024;
const NOT_FOUND = 'There is no such case in this workspace.';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const caseListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const list = value.split(',').map((s) => s.trim());
      const bad = list.filter((s) => !(CASE_STATUSES as readonly string[]).includes(s));
      if (bad.length) ctx.addIssue({ code: 'custom', message: `status must be open, contacted or resolved (comma-separated), not "${bad.join(',')}"` });
      return list as Array<(typeof CASE_STATUSES)[number]>;
    })
    .describe('open, contacted, resolved (comma-separated)'),
  owner: z
    .string()
    .regex(/^(none|[1-9]\d{0,9})$/, 'owner is a user id, or "none" for unassigned cases')
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'none' ? ('none' as const) : Number(v)))
    .describe('A user id, or none'),
  overdue: z.enum(['true', 'false'], { errorMap: () => ({ message: 'overdue is true or false' }) }).optional().describe('true: only overdue cases'),
  limit: z.coerce.number({ invalid_type_error: 'limit is a number from 1 to 200' }).int().min(1, 'limit is 1 to 200').max(200, 'limit is 1 to 200').default(50).describe('1 to 200'),
  offset: z.coerce.number({ invalid_type_error: 'offset is a whole number' }).int().min(0, 'offset is 0 or more').max(1_000_000).default(0).describe('Cases to skip'),
});

export const caseUpdateSchema = z
  .object({
    status: z.enum(CASE_STATUSES, { errorMap: () => ({ message: 'status is open, contacted or resolved' }) }).optional(),
    ownerUserId: z.number({ invalid_type_error: 'ownerUserId is a user id, or null to unassign' }).int().positive().nullable().optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.ownerUserId !== undefined, 'send status, ownerUserId or both');

export const caseNoteSchema = z
  .object({
    text: z.string({ required_error: 'text is required: what was done or said', invalid_type_error: 'text must be a string' }).trim().min(1, 'text must not be empty').max(4000, 'text must be at most 4000 characters'),
  })
  .strict();

export const caseMetricsQuery = z.object({
  from: z.string().regex(DAY, 'from is a day written YYYY-MM-DD').optional().describe('First day cases were opened, in the workspace’s time zone'),
  to: z.string().regex(DAY, 'to is a day written YYYY-MM-DD').optional().describe('Last day, included'),
});

const ops = {
  list: apiOperation({ method: 'get', path: '/api/v1/cases', tag: 'cases', role: 'viewer', summary: 'The follow-up queue: unresolved cases by due date (overdue first), then resolved ones', query: caseListQuery, responses: { 200: 'A page of cases, the total and who may own them', 400: 'Not a valid filter' } }),
  metrics: apiOperation({ method: 'get', path: '/api/v1/cases/metrics', tag: 'cases', role: 'viewer', summary: 'Time to close the loop, share closed within the SLA, recovery (n and 95% intervals)', query: caseMetricsQuery, responses: { 200: 'The three metrics', 400: 'Not a valid range' } }),
  get: apiOperation({ method: 'get', path: '/api/v1/cases/{id}', tag: 'cases', role: 'viewer', summary: 'One case with the answer, the customer and the notes', responses: { 200: 'The case' } }),
  update: apiOperation({ method: 'patch', path: '/api/v1/cases/{id}', tag: 'cases', role: 'analyst', summary: 'Change a case’s status or owner', body: caseUpdateSchema, responses: { 200: 'Changed', 400: 'Not valid' } }),
  note: apiOperation({ method: 'post', path: '/api/v1/cases/{id}/notes', tag: 'cases', role: 'analyst', summary: 'Add a note to a case', body: caseNoteSchema, responses: { 201: 'Added', 400: 'Not valid' } }),
};

function dayStart(value: string | undefined, zone: string, name: string, plusDays = 0): Date | undefined {
  if (!value) return undefined;
  const parsed = DateTime.fromFormat(value, 'yyyy-MM-dd', { zone });
  if (!parsed.isValid) throw new HTTPException(400, { message: `${name} must be a real date written YYYY-MM-DD, not "${value}"` });
  return parsed.plus({ days: plusDays }).toJSDate();
}

export function caseRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/cases', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, ops.list.query!) as z.output<typeof caseListQuery>;
    const page = await listCases(db, workspace.id, { status: query.status, owner: query.owner, overdue: query.overdue === undefined ? undefined : query.overdue === 'true', limit: query.limit, offset: query.offset });
    return c.json({ workspace: workspace.name, ...page, limit: query.limit, offset: query.offset, owners: await caseOwners(db, workspace.id) });
  });

  // Before /cases/:id, which would take "metrics" for an id.
  routes.get('/cases/metrics', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, ops.metrics.query!) as z.output<typeof caseMetricsQuery>;
    const from = dayStart(query.from, workspace.timezone, 'from');
    const to = dayStart(query.to, workspace.timezone, 'to', 1);
    const { records, now } = await caseRecords(db, workspace.id, { from, to });
    return c.json({ workspace: workspace.name, from: query.from ?? null, to: query.to ?? null, asOf: now.toISOString(), ...caseMetrics(records, now) });
  });

  routes.get('/cases/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const found = await findCase(db, workspace.id, id);
    if (!found) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ case: { ...found, notes: await caseNotes(db, workspace.id, id) }, owners: await caseOwners(db, workspace.id) });
  });

  routes.patch('/cases/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const change = await parseBody(c, caseUpdateSchema, BODY_LIMIT);
    const actor = actorOf(c.get('principal'));
    const updated = await db.transaction(async (tx) => {
      const [locked] = await tx.query('SELECT 1 FROM cases WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspace.id, id]);
      if (!locked) return undefined;
      const before = (await findCase(tx, workspace.id, id))!;
      if (change.ownerUserId) {
        const [member] = await tx.query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role IN ('admin', 'analyst')`, [workspace.id, change.ownerUserId]);
        if (!member) throw new HTTPException(400, { message: `User ${change.ownerUserId} is not an analyst or admin of this workspace: only they can own a case.` });
      }
      await updateCase(tx, workspace.id, id, change);
      const after = (await findCase(tx, workspace.id, id))!;
      const details: Record<string, { from: unknown; to: unknown }> = {};
      if (before.status !== after.status) details.status = { from: before.status, to: after.status };
      if ((before.owner?.id ?? null) !== (after.owner?.id ?? null)) details.owner = { from: before.owner?.email ?? null, to: after.owner?.email ?? null };
      if (Object.keys(details).length > 0) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'case.update', target: `case:${id}`, details });
      // The new owner hears of it by e-mail, unless they took the case themselves (docs/cases.md).
      if (details.owner && after.owner && after.owner.id !== actor.userId) await enqueueJob(tx, workspace.id, caseOwnerJob(id, after.owner.id));
      return after;
    });
    if (!updated) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ case: { ...updated, notes: await caseNotes(db, workspace.id, id) } });
  });

  routes.post('/cases/:id/notes', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const { text } = await parseBody(c, caseNoteSchema, BODY_LIMIT);
    const actor = actorOf(c.get('principal'));
    const note = await db.transaction(async (tx) => {
      const [locked] = await tx.query('SELECT 1 FROM cases WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspace.id, id]);
      if (!locked) return undefined;
      const added = await addCaseNote(tx, workspace.id, id, { authorUserId: actor.userId ?? null, authorLabel: actor.label, text });
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'case.note', target: `case:${id}`, details: { note: added.id } });
      return added;
    });
    if (!note) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ note }, 201);
  });

  return routes;
}
