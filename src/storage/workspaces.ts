import { BUILTIN_CHANNELS, BUILTIN_TOUCHPOINTS } from '../domain/catalog.ts';
import { isValidZone } from '../domain/values.ts';
import { workspaceNameProblem } from '../domain/workspace.ts';
import type { Database } from './database.ts';

export interface Workspace {
  id: number;
  name: string;
  timezone: string;
  /** Per-workspace metric settings (thresholds, churn window); see docs/metrics.md. */
  settings: Record<string, unknown>;
}

const COLUMNS = ['id', 'name', 'timezone', 'settings'] as const;

export class WorkspaceError extends Error {}

export async function findWorkspace(db: Database, name: string): Promise<Workspace | undefined> {
  return db.kysely.selectFrom('workspaces').select(COLUMNS).where('name', '=', name).executeTakeFirst();
}

export async function listWorkspaces(db: Database): Promise<Workspace[]> {
  return db.kysely.selectFrom('workspaces').select(COLUMNS).orderBy('name').execute();
}

/**
 * The workspace of that name, created with the built-in touchpoints and channels if new (in
 * `timezone`, default UTC; an existing workspace keeps its own).
 */
export async function ensureWorkspace(db: Database, name: string, options: { timezone?: string } = {}): Promise<Workspace> {
  const problem = workspaceNameProblem(name);
  if (problem) throw new WorkspaceError(problem);
  if (options.timezone && !isValidZone(options.timezone)) throw new WorkspaceError(`"${options.timezone}" is not an IANA time zone`);
  const existing = await findWorkspace(db, name);
  if (existing) return existing;
  return db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values({ name, ...(options.timezone ? { timezone: options.timezone } : {}) }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const workspace = await trx
      .selectFrom('workspaces')
      .select(COLUMNS)
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('touchpoints')
      .values(BUILTIN_TOUCHPOINTS.map((key, position) => ({ workspace_id: workspace.id, key, position, builtin: true })))
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .execute();
    await trx
      .insertInto('channels')
      .values(BUILTIN_CHANNELS.map((key) => ({ workspace_id: workspace.id, key, builtin: true })))
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .execute();
    return workspace;
  });
}
