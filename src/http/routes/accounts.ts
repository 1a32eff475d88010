import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { hashPassword, passwordProblem } from '../../accounts/password.ts';
import { ROLES, type Role } from '../../accounts/roles.ts';
import { sha256Hex } from '../../accounts/tokens.ts';
import {
  AccountError,
  addMembership,
  changeRole,
  createApiKey,
  createUser,
  deleteSession,
  findMember,
  findUserByEmail,
  listApiKeys,
  listMembers,
  membershipsOf,
  removeMembership,
  revokeApiKey,
  type ApiKey,
  type Member,
  type User,
} from '../../storage/accounts.ts';
import { listAudit, writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { listWorkspaces } from '../../storage/workspaces.ts';
import { actorOf, clearSessionCookie, crossSiteProblem, SESSION_COOKIE, type AuthOptions } from '../auth.ts';
import { readJsonBody } from '../json-body.ts';
import type { SignIn } from '../sign-in.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Sign-in and the management API of people and keys (docs/accounts.md):
 *
 * - `sessionRoutes` (mounted before the auth gate): POST /api/v1/session signs in,
 *   DELETE /api/v1/session signs out.
 * - `accountRoutes` (behind it): GET /api/v1/me; /api/v1/users, /api/v1/api-keys and
 *   /api/v1/audit for a workspace's admins. Every change writes its audit row in its own
 *   transaction.
 */

const BODY_LIMIT = 16 * 1024;

const email = z
  .string({ required_error: 'email is required', invalid_type_error: 'email must be a string' })
  .trim()
  .max(320, 'email is too long')
  .email('email must be an e-mail address such as ana@example.com');
const role = z.enum(ROLES, { errorMap: () => ({ message: `role must be one of ${ROLES.join(', ')}` }) });

export const signInSchema = z.object({ email: z.string({ required_error: 'email is required' }).max(320), password: z.string({ required_error: 'password is required' }).max(1024) });
export const newUserSchema = z
  .object({
    email,
    name: z.string().trim().max(200, 'name must be at most 200 characters').optional(),
    password: z.string().max(256).optional(),
    locale: z.enum(['en', 'ar', 'lt'], { errorMap: () => ({ message: 'locale must be en, ar or lt' }) }).optional(),
    role,
  })
  .strict();
export const roleChangeSchema = z.object({ role }).strict();
export const newKeySchema = z
  .object({
    name: z.string({ required_error: 'name is required: what the key is for, e.g. "shop backend"' }).trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
    role,
  })
  .strict();

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

async function parseBody<T>(c: Context, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const body = await readJsonBody(c, BODY_LIMIT);
  if (!body.ok) return { ok: false, response: c.json({ error: body.status === 413 ? 'too_large' : 'invalid_json', message: body.message }, body.status) };
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message }));
    return { ok: false, response: c.json({ error: 'invalid_body', message: issues.map((i) => i.message).join('; '), issues }, 400) };
  }
  return { ok: true, value: parsed.data };
}

const userJson = (u: User) => ({ id: u.id, email: u.email, name: u.name, locale: u.locale });
const memberJson = (m: Member) => ({ ...userJson(m), role: m.role, memberSince: m.memberSince.toISOString() });
const keyJson = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

const ACCOUNT_ERROR_STATUS = { email_taken: 409, already_member: 409, last_admin: 409, not_found: 404 } as const;

function accountError(c: Context, error: unknown): Response {
  if (!(error instanceof AccountError)) throw error;
  return c.json({ error: error.code, message: error.message }, ACCOUNT_ERROR_STATUS[error.code]);
}

const idParam = (value: string): number | undefined => (/^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined);

const auditQuery = z.object({ limit: z.string().describe('1 to 1000; default 100').optional(), before: z.string().describe('An entry id, to page back').optional() });
apiOperation({ method: 'get', path: '/api/v1/audit', tag: 'accounts', role: 'admin', summary: 'The audit log, newest first', query: auditQuery, responses: { 200: 'Entries', 400: 'Not a valid limit or entry id' } });

export interface SessionRouteOptions extends AuthOptions {
  signIn: SignIn;
}

export function sessionRoutes(options: SessionRouteOptions): Hono {
  const routes = new Hono();

  routes.post('/', async (c) => {
    // A sign-in from another site's page would sign the browser into the attacker's account.
    const problem = crossSiteProblem(c, options, { allowNoHeaders: true });
    if (problem) return c.json({ error: 'forbidden', message: problem }, 403);
    const body = await parseBody(c, signInSchema);
    if (!body.ok) return body.response;
    const outcome = await options.signIn.attempt(c, body.value.email, body.value.password);
    if (!outcome.ok) {
      if (outcome.reason === 'rate_limited') return c.json({ error: 'rate_limited', message: outcome.message }, 429, { 'Retry-After': String(outcome.retryAfterSeconds) });
      return c.json({ error: 'unauthorized', message: outcome.message }, 401);
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ user: userJson(outcome.user), workspaces: outcome.memberships.map((m) => ({ name: m.workspace, role: m.role })) });
  });

  routes.delete('/', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const problem = crossSiteProblem(c, options);
      if (problem) return c.json({ error: 'forbidden', message: problem }, 403);
      if (token.length <= 100) await deleteSession(options.db, sha256Hex(token));
    }
    clearSessionCookie(c, options);
    return c.body(null, 204);
  });

  return routes;
}

export interface AccountRouteOptions {
  db: Database;
  defaultWorkspace: string;
}

export function accountRoutes({ db, defaultWorkspace }: AccountRouteOptions): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/me', async (c) => {
    const principal = c.get('principal');
    if (principal.kind === 'user') {
      const [user] = await db.query<{ id: number; email: string; name: string; locale: string }>('SELECT id, email, name, locale FROM users WHERE id = $1', [principal.userId]);
      if (!user) return c.json({ error: 'unauthorized', message: 'Sign in first.' }, 401);
      const memberships = await membershipsOf(db, principal.userId!);
      return c.json({ user: { ...user, id: Number(user.id) }, workspaces: memberships.map((m) => ({ name: m.workspace, timezone: m.timezone, role: m.role })) });
    }
    const all = await listWorkspaces(db);
    const workspaces = all.filter((w) => principal.everyWorkspace || principal.roles.has(w.id)).map((w) => ({ name: w.name, timezone: w.timezone, role: principal.everyWorkspace ? 'admin' : principal.roles.get(w.id)! }));
    return c.json({ user: null, kind: principal.kind, label: principal.label, workspaces });
  });

  // People -----------------------------------------------------------------------------------

  routes.get('/users', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    return c.json({ workspace: workspace.name, users: (await listMembers(db, workspace.id)).map(memberJson) });
  });

  routes.post('/users', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const body = await parseBody(c, newUserSchema);
    if (!body.ok) return body.response;
    const input = body.value;
    const existing = await findUserByEmail(db, input.email);
    let passwordHash: string | null = null;
    if (!existing) {
      if (!input.password) return c.json({ error: 'invalid_body', message: `${input.email} has no account yet: send a password for it (at least 10 characters).` }, 400);
      const problem = passwordProblem(input.password);
      if (problem) return c.json({ error: 'invalid_body', message: problem }, 400);
      passwordHash = await hashPassword(input.password);
    }
    const actor = actorOf(c.get('principal'));
    try {
      const user = await db.transaction(async (tx) => {
        const user = existing ?? (await createUser(tx, { email: input.email, name: input.name, passwordHash, locale: input.locale }));
        if (!existing) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'user.create', target: `user:${user.id}`, details: { email: user.email } });
        await addMembership(tx, workspace.id, user.id, input.role);
        await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'member.add', target: `user:${user.id}`, details: { email: user.email, role: input.role } });
        return user;
      });
      const member = (await findMember(db, workspace.id, user.id))!;
      // An existing account keeps its own password and name: an admin of one workspace does not set them for the others.
      return c.json({ user: memberJson(member), created: !existing }, 201);
    } catch (error) {
      return accountError(c, error);
    }
  });

  routes.patch('/users/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'));
    if (id === undefined) return c.json({ error: 'not_found', message: 'That person is not a member of this workspace.' }, 404);
    const body = await parseBody(c, roleChangeSchema);
    if (!body.ok) return body.response;
    const actor = actorOf(c.get('principal'));
    try {
      await db.transaction(async (tx) => {
        const before = await changeRole(tx, workspace.id, id, body.value.role);
        if (before !== body.value.role) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'member.role', target: `user:${id}`, details: { from: before, to: body.value.role } });
      });
    } catch (error) {
      return accountError(c, error);
    }
    return c.json({ user: memberJson((await findMember(db, workspace.id, id))!) });
  });

  routes.delete('/users/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'));
    if (id === undefined) return c.json({ error: 'not_found', message: 'That person is not a member of this workspace.' }, 404);
    const actor = actorOf(c.get('principal'));
    try {
      await db.transaction(async (tx) => {
        const [user] = await tx.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [id]);
        const before = await removeMembership(tx, workspace.id, id);
        await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'member.remove', target: `user:${id}`, details: { email: user?.email, role: before } });
      });
    } catch (error) {
      return accountError(c, error);
    }
    return c.body(null, 204);
  });

  // API keys ---------------------------------------------------------------------------------

  routes.get('/api-keys', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    return c.json({ workspace: workspace.name, keys: (await listApiKeys(db, workspace.id)).map(keyJson) });
  });

  routes.post('/api-keys', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const body = await parseBody(c, newKeySchema);
    if (!body.ok) return body.response;
    const principal = c.get('principal');
    const created = await db.transaction(async (tx) => {
      const created = await createApiKey(tx, { workspaceId: workspace.id, name: body.value.name, role: body.value.role as Role, createdBy: principal.userId });
      await writeAudit(tx, { workspaceId: workspace.id, actor: actorOf(principal), action: 'api_key.create', target: `api_key:${created.key.id}`, details: { name: created.key.name, role: created.key.role, prefix: created.key.prefix } });
      return created;
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ key: keyJson(created.key), secret: created.secret, message: 'Copy the secret now: it is not shown again. Send it as "Authorization: Bearer <secret>".' }, 201);
  });

  routes.delete('/api-keys/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const id = idParam(c.req.param('id'));
    const principal = c.get('principal');
    const revoked =
      id === undefined
        ? undefined
        : await db.transaction(async (tx) => {
            const key = await revokeApiKey(tx, workspace.id, id);
            if (key) await writeAudit(tx, { workspaceId: workspace.id, actor: actorOf(principal), action: 'api_key.revoke', target: `api_key:${key.id}`, details: { name: key.name, prefix: key.prefix } });
            return key;
          });
    if (!revoked) return c.json({ error: 'not_found', message: 'This workspace has no such API key.' }, 404);
    return c.json({ key: keyJson(revoked) });
  });

  // Audit log --------------------------------------------------------------------------------

  routes.get('/audit', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    const query = parseQuery(c, auditQuery);
    const limit = Number(query.limit ?? 100);
    const before = query.before;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return c.json({ error: 'bad_request', message: 'limit must be a whole number from 1 to 1000' }, 400);
    if (before !== undefined && !/^[1-9]\d{0,17}$/.test(before)) return c.json({ error: 'bad_request', message: 'before must be an entry id from this log' }, 400);
    const entries = await listAudit(db, workspace.id, { limit, before: before === undefined ? undefined : Number(before) });
    return c.json({ workspace: workspace.name, entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
  });

  return routes;
}
