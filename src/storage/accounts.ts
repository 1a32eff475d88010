import type { Role } from '../accounts/roles.ts';
import { newApiKey, randomToken, sha256Hex } from '../accounts/tokens.ts';
import type { Database, Transaction } from './database.ts';

/**
 * Users, memberships, sessions and API keys (migration 0011, docs/accounts.md). Plain SQL so
 * that every function runs the same inside a transaction (with its audit row) or outside one.
 * Secrets arrive and leave only as hashes; the one exception is a new API key's secret, returned
 * once by createApiKey.
 */

export type Queryable = Pick<Database, 'query'> | Transaction;

export class AccountError extends Error {
  constructor(
    readonly code: 'email_taken' | 'already_member' | 'last_admin' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

export interface User {
  id: number;
  email: string;
  name: string;
  locale: string;
  createdAt: Date;
}

export interface UserWithPassword extends User {
  passwordHash: string | null;
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  locale: string;
  created_at: Date;
  password_hash: string | null;
}

const toUser = (row: UserRow): User => ({ id: Number(row.id), email: row.email, name: row.name, locale: row.locale, createdAt: new Date(row.created_at) });

export const SESSION_DAYS = 14;
export const SESSION_MS = SESSION_DAYS * 86_400_000;
/** A session used again after this long gets its expiry moved (so a request is not a write). */
const SESSION_TOUCH_MS = 5 * 60_000;
/** An API key's last_used_at is written at most this often. */
const KEY_TOUCH_MS = 60_000;

export const normalizeEmail = (email: string): string => email.trim().normalize('NFC');

export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM users');
  return Number(row?.n ?? 0);
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserWithPassword | undefined> {
  const [row] = await db.query<UserRow>('SELECT id, email, name, locale, created_at, password_hash FROM users WHERE lower(email) = lower($1)', [normalizeEmail(email)]);
  return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function findUser(db: Queryable, id: number): Promise<User | undefined> {
  const [row] = await db.query<UserRow>('SELECT id, email, name, locale, created_at, password_hash FROM users WHERE id = $1', [id]);
  return row ? toUser(row) : undefined;
}

/** A new user; AccountError email_taken when the address (in any case) has an account. */
export async function createUser(db: Queryable, input: { email: string; name?: string; passwordHash: string | null; locale?: string }): Promise<User> {
  const [row] = await db.query<UserRow>(
    `INSERT INTO users (email, name, password_hash, locale) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(email))) DO NOTHING RETURNING id, email, name, locale, created_at, password_hash`,
    [normalizeEmail(input.email), input.name?.trim() ?? '', input.passwordHash, input.locale ?? 'en'],
  );
  if (!row) throw new AccountError('email_taken', `There is already an account for ${input.email}.`);
  return toUser(row);
}

export async function setPasswordHash(db: Queryable, userId: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

export interface Membership {
  workspaceId: number;
  workspace: string;
  timezone: string;
  role: Role;
}

export async function membershipsOf(db: Queryable, userId: number): Promise<Membership[]> {
  const rows = await db.query<{ workspace_id: number; name: string; timezone: string; role: Role }>(
    `SELECT m.workspace_id, w.name, w.timezone, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
     WHERE m.user_id = $1 ORDER BY w.name`,
    [userId],
  );
  return rows.map((r) => ({ workspaceId: Number(r.workspace_id), workspace: r.name, timezone: r.timezone, role: r.role }));
}

export interface Member extends User {
  role: Role;
  memberSince: Date;
}

export async function listMembers(db: Queryable, workspaceId: number): Promise<Member[]> {
  const rows = await db.query<UserRow & { role: Role; member_since: Date }>(
    `SELECT u.id, u.email, u.name, u.locale, u.created_at, m.role, m.created_at AS member_since
     FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY lower(u.email)`,
    [workspaceId],
  );
  return rows.map((r) => ({ ...toUser(r), role: r.role, memberSince: new Date(r.member_since) }));
}

export async function findMember(db: Queryable, workspaceId: number, userId: number): Promise<Member | undefined> {
  return (await listMembersWhere(db, workspaceId, userId))[0];
}

async function listMembersWhere(db: Queryable, workspaceId: number, userId: number): Promise<Member[]> {
  const rows = await db.query<UserRow & { role: Role; member_since: Date }>(
    `SELECT u.id, u.email, u.name, u.locale, u.created_at, m.role, m.created_at AS member_since
     FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND m.user_id = $2`,
    [workspaceId, userId],
  );
  return rows.map((r) => ({ ...toUser(r), role: r.role, memberSince: new Date(r.member_since) }));
}

/** Adds the user to the workspace; AccountError already_member if they are in it. */
export async function addMembership(db: Queryable, workspaceId: number, userId: number, role: Role): Promise<void> {
  const inserted = await db.query('INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id', [workspaceId, userId, role]);
  if (inserted.length === 0) throw new AccountError('already_member', 'That person is already a member of this workspace.');
}

/** The workspace's admins, locked until the transaction ends (two demotions cannot both pass the last-admin check). */
async function lockedAdmins(tx: Transaction, workspaceId: number): Promise<number[]> {
  const rows = await tx.query<{ user_id: number }>(`SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'admin' ORDER BY user_id FOR UPDATE`, [workspaceId]);
  return rows.map((r) => Number(r.user_id));
}

/** Changes a member's role; refuses to leave the workspace without an admin. Returns the role before. */
export async function changeRole(tx: Transaction, workspaceId: number, userId: number, role: Role): Promise<Role> {
  const admins = await lockedAdmins(tx, workspaceId);
  const [current] = await tx.query<{ role: Role }>('SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2 FOR UPDATE', [workspaceId, userId]);
  if (!current) throw new AccountError('not_found', 'That person is not a member of this workspace.');
  if (current.role === 'admin' && role !== 'admin' && admins.length <= 1) {
    throw new AccountError('last_admin', 'This is the workspace’s last admin: make someone else admin first.');
  }
  await tx.query('UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2', [workspaceId, userId, role]);
  return current.role;
}

/** Removes a member from the workspace (the account stays); refuses to remove the last admin. Returns the role they had. */
export async function removeMembership(tx: Transaction, workspaceId: number, userId: number): Promise<Role> {
  const admins = await lockedAdmins(tx, workspaceId);
  const [current] = await tx.query<{ role: Role }>('SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2 FOR UPDATE', [workspaceId, userId]);
  if (!current) throw new AccountError('not_found', 'That person is not a member of this workspace.');
  if (current.role === 'admin' && admins.length <= 1) {
    throw new AccountError('last_admin', 'This is the workspace’s last admin: make someone else admin first.');
  }
  await tx.query('DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2', [workspaceId, userId]);
  return current.role;
}

// Sessions ---------------------------------------------------------------------------------

/** A new session for the user: the token goes into the cookie, only its hash into the table. */
export async function createSession(db: Queryable, userId: number, now = new Date()): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomToken(32);
  const id = sha256Hex(token);
  const expiresAt = new Date(now.getTime() + SESSION_MS);
  await db.query('DELETE FROM sessions WHERE expires_at < $1', [now]);
  await db.query('INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)', [id, userId, now, expiresAt]);
  return { token, id, expiresAt };
}

export interface SessionUser {
  sessionId: string;
  user: User;
  expiresAt: Date;
  /** The expiry moved forward on this request (the cookie should be sent again). */
  renewed: boolean;
}

/** The user behind a session cookie's token, sliding its expiry; undefined for an unknown or expired one. */
export async function sessionUser(db: Queryable, token: string, now = new Date()): Promise<SessionUser | undefined> {
  const id = sha256Hex(token);
  const [row] = await db.query<UserRow & { expires_at: Date; last_seen_at: Date }>(
    `SELECT u.id, u.email, u.name, u.locale, u.created_at, s.expires_at, s.last_seen_at
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2`,
    [id, now],
  );
  if (!row) return undefined;
  let expiresAt = new Date(row.expires_at);
  let renewed = false;
  if (now.getTime() - new Date(row.last_seen_at).getTime() >= SESSION_TOUCH_MS) {
    expiresAt = new Date(now.getTime() + SESSION_MS);
    await db.query('UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1', [id, now, expiresAt]);
    renewed = true;
  }
  return { sessionId: id, user: toUser(row), expiresAt, renewed };
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
}

// API keys ---------------------------------------------------------------------------------

export interface ApiKey {
  id: number;
  workspaceId: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface ApiKeyRow {
  id: number;
  workspace_id: number;
  name: string;
  role: Role;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const KEY_COLUMNS = 'id, workspace_id, name, role, prefix, created_at, last_used_at, revoked_at';
const toKey = (r: ApiKeyRow): ApiKey => ({
  id: Number(r.id),
  workspaceId: Number(r.workspace_id),
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
  revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
});

/** A new key; `secret` is returned this once and never stored. */
export async function createApiKey(db: Queryable, input: { workspaceId: number; name: string; role: Role; createdBy?: number }): Promise<{ key: ApiKey; secret: string }> {
  const { secret, prefix, hash } = newApiKey();
  const [row] = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (workspace_id, name, role, prefix, secret_hash, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`,
    [input.workspaceId, input.name, input.role, prefix, hash, input.createdBy ?? null],
  );
  return { key: toKey(row!), secret };
}

export async function listApiKeys(db: Queryable, workspaceId: number): Promise<ApiKey[]> {
  return (await db.query<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id`, [workspaceId])).map(toKey);
}

/** Revokes the workspace's key (at once: the next request with it is refused); undefined if the workspace has no such key. */
export async function revokeApiKey(db: Queryable, workspaceId: number, id: number): Promise<ApiKey | undefined> {
  const [row] = await db.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE workspace_id = $1 AND id = $2 RETURNING ${KEY_COLUMNS}`,
    [workspaceId, id],
  );
  return row ? toKey(row) : undefined;
}

/** The live key whose secret this is (noting when it was used), else undefined. */
export async function apiKeyBySecret(db: Queryable, secret: string, now = new Date()): Promise<ApiKey | undefined> {
  const [row] = await db.query<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL`, [sha256Hex(secret)]);
  if (!row) return undefined;
  const key = toKey(row);
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= KEY_TOUCH_MS) {
    await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [key.id, now]);
  }
  return key;
}
