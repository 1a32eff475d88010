import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Role } from '../accounts/roles.ts';
import { looksLikeApiKey } from '../accounts/tokens.ts';
import { apiKeyBySecret, membershipsOf, SESSION_MS, sessionUser } from '../storage/accounts.ts';
import type { Actor } from '../storage/audit.ts';
import type { Database } from '../storage/database.ts';

/**
 * Who is asking. Every /api/* request (but the public survey endpoints and sign-in) passes
 * `authenticate`, which accepts, in this order:
 *
 * 1. `Authorization: Bearer sada_…` — an API key: one workspace, one role (revoked keys fail).
 * 2. `Authorization: Bearer <SADA_API_TOKEN>` — the server's token: admin of every workspace.
 * 3. The `sada_session` cookie of a signed-in browser: the user's role in each workspace they
 *    belong to. Unsafe methods (POST, PUT, PATCH, DELETE) with a cookie must come from this
 *    site (Sec-Fetch-Site: same-origin, else an Origin of this server), else 403: SameSite=Lax
 *    already keeps the cookie off cross-site POSTs, and this also stops same-site neighbours.
 *
 * It puts a `Principal` on the context (`c.get('principal')`); routes then call `workspaceOf`
 * (workspace-access.ts) for the workspace and the role they need. docs/accounts.md.
 */

export type { Role } from '../accounts/roles.ts';

export interface Principal {
  /** user: a signed-in browser; key: an API key; token: SADA_API_TOKEN. */
  kind: 'user' | 'key' | 'token';
  /** The user (kind 'user'). */
  userId?: number;
  /** The API key (kind 'key'). */
  keyId?: number;
  /** The session (kind 'user'): sign-out deletes it. */
  sessionId?: string;
  /** What the audit log shows: the user's e-mail, the key's prefix, or "SADA_API_TOKEN". */
  label: string;
  /** Role per workspace id: a user's memberships, a key's one workspace. */
  roles: ReadonlyMap<number, Role>;
  /** SADA_API_TOKEN: admin of every workspace, `roles` empty. */
  everyWorkspace: boolean;
  /** Authenticated by the session cookie (so unsafe methods had the same-origin check). */
  viaCookie: boolean;
}

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/** The role the principal has in that workspace, or undefined when it has no access at all. */
export function roleIn(principal: Principal, workspaceId: number): Role | undefined {
  return principal.everyWorkspace ? 'admin' : principal.roles.get(workspaceId);
}

/** How the principal appears in the audit log. */
export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, userId: principal.userId, keyId: principal.keyId, label: principal.label };
}

export interface AuthOptions {
  db: Database;
  /** SADA_API_TOKEN; undefined: that bearer token is off (users and API keys still work). */
  apiToken?: string;
  /** SADA_PUBLIC_URL: an https address makes the cookie Secure and is an accepted Origin. */
  publicUrl?: string;
  /** Behind a reverse proxy: X-Forwarded-Proto says whether the client used https. */
  trustProxy?: boolean;
}

export const SESSION_COOKIE = 'sada_session';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the browser reached us over https (directly, through a trusted proxy, or as SADA_PUBLIC_URL says). */
export function isSecureRequest(c: Context, options: Pick<AuthOptions, 'publicUrl' | 'trustProxy'>): boolean {
  if (options.publicUrl?.startsWith('https:')) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return Boolean(options.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https');
}

export function setSessionCookie(c: Context, token: string, options: Pick<AuthOptions, 'publicUrl' | 'trustProxy'>): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isSecureRequest(c, options),
    maxAge: Math.floor(SESSION_MS / 1000),
  });
}

export function clearSessionCookie(c: Context, options: Pick<AuthOptions, 'publicUrl' | 'trustProxy'>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecureRequest(c, options) });
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafeMethod = (method: string): boolean => UNSAFE_METHODS.has(method.toUpperCase());

/**
 * Why this request may have been sent by another site, or undefined when it is this site's own:
 * a browser's Sec-Fetch-Site decides when present (only "same-origin" passes), else the Origin
 * must be this server's (its request URL, SADA_PUBLIC_URL, or the forwarded protocol and host
 * behind a trusted proxy). With neither header: refused, unless `allowNoHeaders` (sign-in from
 * a script, which carries no cookie to abuse).
 */
export function crossSiteProblem(c: Context, options: Pick<AuthOptions, 'publicUrl' | 'trustProxy'>, { allowNoHeaders = false } = {}): string | undefined {
  const site = c.req.header('sec-fetch-site')?.trim().toLowerCase();
  if (site) return site === 'same-origin' ? undefined : `Refused: this ${c.req.method} came from another site (Sec-Fetch-Site: ${site}). Use Sada's own pages, or an API key from a server.`;
  const origin = c.req.header('origin')?.trim();
  if (!origin) {
    return allowNoHeaders ? undefined : `Refused: a ${c.req.method} signed in by cookie must carry an Origin header (browsers send one). From a server or script, use an API key instead of the cookie.`;
  }
  const url = new URL(c.req.url);
  const allowed = new Set([url.origin]);
  if (options.publicUrl) allowed.add(new URL(options.publicUrl).origin);
  if (options.trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ?? c.req.header('host');
    if (proto && host) allowed.add(`${proto}://${host}`.toLowerCase());
  }
  return allowed.has(origin.toLowerCase()) ? undefined : `Refused: this ${c.req.method} came from another site (Origin ${origin}). Use Sada's own pages, or an API key from a server.`;
}

type Resolution = { principal: Principal } | { refusal: string } | undefined;

/** The user of a valid session cookie as a principal (sliding the session's expiry and the cookie with it). */
export async function principalFromSession(c: Context, options: AuthOptions): Promise<Principal | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 100) return undefined;
  const session = await sessionUser(options.db, token);
  if (!session) return undefined;
  if (session.renewed) setSessionCookie(c, token, options);
  const memberships = await membershipsOf(options.db, session.user.id);
  return {
    kind: 'user',
    userId: session.user.id,
    sessionId: session.sessionId,
    label: session.user.email,
    roles: new Map(memberships.map((m) => [m.workspaceId, m.role])),
    everyWorkspace: false,
    viaCookie: true,
  };
}

async function resolve(c: Context, options: AuthOptions, expected: Buffer | undefined): Promise<Resolution> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!bearer) return { refusal: 'Send the key as "Authorization: Bearer <key>".' };
    if (looksLikeApiKey(bearer)) {
      const key = await apiKeyBySecret(options.db, bearer);
      if (!key) return { refusal: 'That API key is not valid: it was revoked or never existed. An admin can create one at /api/v1/api-keys.' };
      return { principal: { kind: 'key', keyId: key.id, label: `${key.prefix}… (${key.name})`, roles: new Map([[key.workspaceId, key.role]]), everyWorkspace: false, viaCookie: false } };
    }
    if (!expected) return { refusal: 'That bearer token is not an API key (sada_…), and this server has no SADA_API_TOKEN set.' };
    if (!timingSafeEqual(digest(bearer), expected)) return { refusal: 'That bearer token is neither an API key nor the SADA_API_TOKEN.' };
    return { principal: { kind: 'token', label: 'SADA_API_TOKEN', roles: new Map(), everyWorkspace: true, viaCookie: false } };
  }
  const principal = await principalFromSession(c, options);
  return principal ? { principal } : undefined;
}

/**
 * The /api/* gate: a principal from an API key, SADA_API_TOKEN or the session cookie, else 401;
 * a cookie-authenticated unsafe request from another site gets 403.
 */
export function authenticate(options: AuthOptions): MiddlewareHandler {
  const expected = options.apiToken ? digest(options.apiToken) : undefined;
  return async (c, next) => {
    const resolution = await resolve(c, options, expected);
    if (!resolution) {
      return c.json(
        { error: 'unauthorized', message: 'Sign in first (POST /api/v1/session, or the page /login), or send an API key or the SADA_API_TOKEN as "Authorization: Bearer <key>".' },
        401,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    if ('refusal' in resolution) return c.json({ error: 'unauthorized', message: resolution.refusal }, 401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    const { principal } = resolution;
    if (principal.viaCookie && isUnsafeMethod(c.req.method)) {
      const problem = crossSiteProblem(c, options);
      if (problem) return c.json({ error: 'forbidden', message: problem }, 403);
    }
    c.set('principal', principal);
    await next();
  };
}

/**
 * For the pages of the web app: a browser without a valid session is sent to
 * `/login?next=<this path>`; with one, the user's principal is on the context as for the API.
 * Mount it on page routes: `app.use('/app/*', requireSignedInPage(auth))` with the same
 * AuthOptions as the API (createApp builds them). Non-GET requests without a session get 401.
 */
export function requireSignedInPage(options: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const principal = await principalFromSession(c, options);
    if (!principal) {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.json({ error: 'unauthorized', message: 'Sign in first: /login' }, 401);
      const url = new URL(c.req.url);
      c.header('Cache-Control', 'no-store');
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    if (isUnsafeMethod(c.req.method)) {
      const problem = crossSiteProblem(c, options);
      if (problem) return c.json({ error: 'forbidden', message: problem }, 403);
    }
    c.set('principal', principal);
    await next();
  };
}
