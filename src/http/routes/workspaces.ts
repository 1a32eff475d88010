import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { isValidZone } from '../../domain/values.ts';
import { WORKSPACE_NAME } from '../../domain/workspace.ts';
import { addMembership, membershipsOf } from '../../storage/accounts.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { createWorkspace, deleteWorkspace, listWorkspaces, WorkspaceError, WorkspaceTaken, type Workspace } from '../../storage/workspaces.ts';
import { actorOf, type Principal } from '../auth.ts';
import { apiOperation, parseBody, parseQuery } from '../openapi.ts';
import type { WorkspaceCache } from '../workspace-cache.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Workspaces through the management API (docs/accounts.md). A workspace's name is its permanent
 * identifier: it is in every published survey link, widget snippet and hook URL, so it cannot be
 * renamed; its time zone and metric settings change through PATCH /api/v1/settings.
 *
 * Who may create one: a signed-in user who is admin of at least one workspace (they become the
 * new one's admin), or SADA_API_TOKEN. An API key belongs to one workspace and can neither create
 * nor delete workspaces. Deleting needs an admin and the name repeated in ?confirm=, because it
 * takes every record, survey, answer and key of the workspace with it.
 */

const BODY_LIMIT = 4 * 1024;

const workspaceSchema = z.object({ name: z.string(), timezone: z.string(), role: z.enum(['admin', 'analyst', 'viewer']) });
export const newWorkspaceSchema = z
  .object({
    name: z
      .string({ required_error: 'name is required: lower-case letters, digits, dots, dashes or underscores, e.g. "acme-eu"' })
      .regex(WORKSPACE_NAME, 'name must be 1–63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit'),
    timezone: z.string().refine(isValidZone, 'timezone must be an IANA time zone such as UTC, Europe/Vilnius or Asia/Riyadh').optional(),
  })
  .strict();
const deleteQuery = z.object({ confirm: z.string().describe('The workspace name again: deleting takes everything in it').optional() });

const operations = {
  list: apiOperation({ method: 'get', path: '/api/v1/workspaces', tag: 'accounts', role: 'signed-in', summary: 'The workspaces the caller belongs to, with their role', responses: { 200: { description: 'Workspaces', schema: z.object({ workspaces: z.array(workspaceSchema) }) } } }),
  create: apiOperation({
    method: 'post', path: '/api/v1/workspaces', tag: 'accounts', role: 'signed-in', summary: 'Create a workspace (the creator becomes its admin)', body: newWorkspaceSchema,
    responses: { 201: { description: 'Created', schema: z.object({ workspace: workspaceSchema }) }, 400: 'Not a valid name or time zone', 403: 'Only admins and SADA_API_TOKEN create workspaces', 409: 'The name is taken' },
  }),
  get: apiOperation({ method: 'get', path: '/api/v1/workspaces/{name}', tag: 'accounts', role: 'viewer', summary: 'One workspace', responses: { 200: { description: 'The workspace', schema: z.object({ workspace: workspaceSchema }) } } }),
  remove: apiOperation({
    method: 'delete', path: '/api/v1/workspaces/{name}', tag: 'accounts', role: 'admin', summary: 'Delete a workspace and everything in it', query: deleteQuery,
    responses: { 204: 'Deleted', 400: 'The name was not repeated in ?confirm=', 403: 'Not an admin, or an API key' },
  }),
};

const json = (workspace: Pick<Workspace, 'name' | 'timezone'>, role: string) => ({ name: workspace.name, timezone: workspace.timezone, role });

function refuseKeys(principal: Principal, what: string): void {
  if (principal.kind === 'key') throw new HTTPException(403, { message: `An API key belongs to one workspace and cannot ${what}; sign in as an admin, or use SADA_API_TOKEN.` });
}

export function workspaceRoutes(db: Database, defaultWorkspace: string, cache: WorkspaceCache): Hono {
  const routes = new Hono();

  routes.get('/workspaces', async (c) => {
    const principal = c.get('principal');
    if (principal.kind === 'user') {
      const memberships = await membershipsOf(db, principal.userId!);
      return c.json({ workspaces: memberships.map((m) => json({ name: m.workspace, timezone: m.timezone }, m.role)) });
    }
    const all = await listWorkspaces(db);
    const visible = all.filter((w) => principal.everyWorkspace || principal.roles.has(w.id));
    return c.json({ workspaces: visible.map((w) => json(w, principal.everyWorkspace ? 'admin' : principal.roles.get(w.id)!)) });
  });

  routes.post('/workspaces', async (c) => {
    const principal = c.get('principal');
    refuseKeys(principal, 'create workspaces');
    const isAdminSomewhere = principal.everyWorkspace || [...principal.roles.values()].includes('admin');
    if (!isAdminSomewhere) throw new HTTPException(403, { message: 'Only admins of a workspace can create new workspaces; ask one of your admins.' });
    const input = await parseBody(c, operations.create.body!, BODY_LIMIT);
    try {
      const workspace = await db.transaction(async (tx) => {
        const created = await createWorkspace(tx, input.name, { timezone: input.timezone });
        if (principal.kind === 'user') await addMembership(tx, created.id, principal.userId!, 'admin');
        await writeAudit(tx, { workspaceId: created.id, actor: actorOf(principal), action: 'workspace.create', target: `workspace:${created.name}`, details: { timezone: created.timezone } });
        return created;
      });
      return c.json({ workspace: json(workspace, 'admin') }, 201);
    } catch (error) {
      if (error instanceof WorkspaceTaken) return c.json({ error: 'conflict', message: error.message }, 409);
      if (error instanceof WorkspaceError) return c.json({ error: 'invalid_body', message: error.message }, 400);
      throw error;
    }
  });

  routes.get('/workspaces/:name', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace, name: c.req.param('name') }, 'viewer');
    return c.json({ workspace: json(workspace, c.get('workspaceRole')) });
  });

  routes.delete('/workspaces/:name', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace, name: c.req.param('name') }, 'admin');
    refuseKeys(c.get('principal'), 'delete workspaces');
    const { confirm } = parseQuery(c, deleteQuery);
    if (confirm !== workspace.name) {
      throw new HTTPException(400, {
        message: `Deleting "${workspace.name}" removes every record, survey, answer, member and key in it, for good. To go ahead, repeat its name: DELETE /api/v1/workspaces/${workspace.name}?confirm=${workspace.name}`,
      });
    }
    await db.transaction(async (tx) => {
      await deleteWorkspace(tx, workspace.id);
      // The audit log is global (migration 0011): it outlives the workspace and says who deleted it.
      await writeAudit(tx, { workspaceId: workspace.id, actor: actorOf(c.get('principal')), action: 'workspace.delete', target: `workspace:${workspace.name}` });
    });
    cache.forget(workspace.name);
    return c.body(null, 204);
  });

  return routes;
}
