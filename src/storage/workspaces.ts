import { BUILTIN_CHANNELS, BUILTIN_TOUCHPOINTS } from '../domain/catalog.ts';
import { isValidZone } from '../domain/values.ts';
import { workspaceNameProblem } from '../domain/workspace.ts';
import type { Queryable } from './accounts.ts';
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

/**
 * A new workspace with the built-in touchpoints and channels, or a WorkspaceError if the name is
 * taken or invalid. Unlike ensureWorkspace it refuses an existing name: the management API must
 * not hand anyone another team's workspace. Takes the transaction that also makes the creator its
 * admin, so a crash never leaves a workspace nobody administers.
 */
export async function createWorkspace(tx: Queryable, name: string, options: { timezone?: string } = {}): Promise<Workspace> {
  const problem = workspaceNameProblem(name);
  if (problem) throw new WorkspaceError(problem);
  const timezone = options.timezone ?? 'UTC';
  if (!isValidZone(timezone)) throw new WorkspaceError(`"${timezone}" is not an IANA time zone such as UTC, Europe/Vilnius or Asia/Riyadh`);
  const [row] = await tx.query<Workspace>(
    'INSERT INTO workspaces (name, timezone) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name, timezone, settings',
    [name, timezone],
  );
  if (!row) throw new WorkspaceTaken(name);
  const workspace = { ...row, id: Number(row.id) };
  await tx.query('INSERT INTO touchpoints (workspace_id, key, position, builtin) SELECT $1, key, position - 1, true FROM unnest($2::text[]) WITH ORDINALITY AS t(key, position)', [
    workspace.id,
    [...BUILTIN_TOUCHPOINTS],
  ]);
  await tx.query('INSERT INTO channels (workspace_id, key, builtin) SELECT $1, key, true FROM unnest($2::text[]) AS t(key)', [workspace.id, [...BUILTIN_CHANNELS]]);
  return workspace;
}

export class WorkspaceTaken extends WorkspaceError {
  constructor(name: string) {
    super(`The workspace name "${name}" is taken; choose another.`);
  }
}

/**
 * Deletes the workspace and, through ON DELETE CASCADE on every table's workspace_id, all it
 * holds (records, rollups, surveys, jobs, memberships, keys) in one statement: a crash leaves it
 * whole or gone, never half. The global audit log keeps its entries. The two rollups without a
 * foreign key (migration 0023) are deleted by the same statement.
 */
export async function deleteWorkspace(db: Queryable, id: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `WITH bucket_rollup AS (DELETE FROM ticket_rollups_monthly WHERE workspace_id = $1),
       daily_rollup AS (DELETE FROM response_rollups WHERE workspace_id = $1)
     DELETE FROM workspaces WHERE id = $1 RETURNING id`,
    [id],
  );
  return rows.length > 0;
}
