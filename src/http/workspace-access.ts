import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { roleAllows, type Role } from '../accounts/roles.ts';
import type { Database } from '../storage/database.ts';
import { findWorkspace, type Workspace } from '../storage/workspaces.ts';
import { roleIn } from './auth.ts';

export interface WorkspaceAccessOptions {
  db: Database;
  /** The server's default workspace (SADA_WORKSPACE). */
  defaultWorkspace: string;
  /** A workspace name the request carries somewhere else than ?workspace= (a JSON body's "workspace"); it wins. */
  name?: string;
}

/**
 * The one way a route finds the workspace a request is about and checks the caller may act in
 * it. Call it from any route behind `authenticate` or `requireSignedInPage` (auth.ts):
 *
 *     const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
 *
 * - The workspace is `options.name`, else `?workspace=<name>`, else the principal's only one
 *   (an API key's workspace, or a user who belongs to exactly one), else `defaultWorkspace`.
 * - It throws HTTPException 404 "There is no workspace "<name>"." when the workspace does not
 *   exist OR the caller is not a member: the answer never tells a stranger that it exists.
 * - It throws HTTPException 403 when the caller's role there is below `needed`
 *   (viewer < analyst < admin; SADA_API_TOKEN is admin everywhere).
 * - 401 if no principal is on the context (a route mounted outside the auth middleware:
 *   a wiring mistake, refused rather than served).
 *
 * The app's error handler turns these into `{ error, message }` JSON.
 */
export async function workspaceOf(c: Context, options: WorkspaceAccessOptions, needed: Role): Promise<Workspace> {
  const principal = c.get('principal');
  if (!principal) throw new HTTPException(401, { message: 'Sign in first, or send an API key as "Authorization: Bearer <key>".' });
  const explicit = options.name ?? c.req.query('workspace');
  let workspace: Workspace | undefined;
  let name: string;
  if (explicit !== undefined) {
    name = explicit;
    workspace = await byName(options.db, name);
  } else if (!principal.everyWorkspace && principal.roles.size === 1) {
    const [id] = principal.roles.keys();
    workspace = await byId(options.db, id!);
    name = workspace?.name ?? options.defaultWorkspace;
  } else {
    name = options.defaultWorkspace;
    workspace = await byName(options.db, name);
  }
  const role = workspace ? roleIn(principal, workspace.id) : undefined;
  if (!workspace || !role) throw new HTTPException(404, { message: `There is no workspace "${name}".` });
  if (!roleAllows(role, needed)) {
    throw new HTTPException(403, { message: `Your role in workspace "${workspace.name}" is ${role}; this needs ${needed === 'admin' ? 'admin' : `${needed} or above`}.` });
  }
  c.set('workspaceRole', role);
  return workspace;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The caller's role in the workspace workspaceOf last returned. */
    workspaceRole: Role;
  }
}

const byName = (db: Database, name: string): Promise<Workspace | undefined> => (name.length > 63 ? Promise.resolve(undefined) : findWorkspace(db, name));

async function byId(db: Database, id: number): Promise<Workspace | undefined> {
  return db.kysely.selectFrom('workspaces').select(['id', 'name', 'timezone', 'settings']).where('id', '=', id).executeTakeFirst();
}
