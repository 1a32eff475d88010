import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Hono } from 'hono';
import { hashPassword, PASSWORD_PARAMETERS, verificationWork } from '../src/accounts/password.ts';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { requireSignedInPage } from '../src/http/auth.ts';
import { SetupToken } from '../src/http/setup-token.ts';
import { addMembership, countUsers, createUser } from '../src/storage/accounts.ts';
import type { Database } from '../src/storage/database.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine, openTestPGlite } from './support/databases.ts';

const TOKEN = 'accounts-test-token-long-enough-for-sada';
const PASSWORD = 'a long enough password';
const ORIGIN = 'http://localhost';
/** Cheap hashes for the fixtures (the real parameters are checked in password.test.ts; a sign-in upgrades them). */
const FAST = { memorySize: 1024, iterations: 1, parallelism: 1 };

async function person(db: Database, workspace: Workspace | undefined, role: Role = 'admin', password = PASSWORD) {
  const email = `p-${randomUUID().slice(0, 8)}@Example.com`;
  const user = await createUser(db, { email, name: 'Ana', passwordHash: await hashPassword(password, FAST) });
  if (workspace) await addMembership(db, workspace.id, user.id, role);
  return { ...user, email, password };
}

type App = ReturnType<typeof createApp>;

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function signIn(app: App, email: string, password = PASSWORD): Promise<string> {
  const response = await app.request('/api/v1/session', json('POST', { email, password }));
  assert.equal(response.status, 200, await response.clone().text());
  const cookie = /sada_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(cookie, 'a session cookie');
  return `sada_session=${cookie}`;
}

describeEachEngine('accounts', (t) => {
  const appFor = (workspace: Workspace, extra: Partial<Parameters<typeof createApp>[0]> = {}) =>
    createApp({ db: t.db, version: 'test', apiToken: TOKEN, defaultWorkspace: workspace.name, ...extra });

  test('sign in, /me, cookie flags, sign out (the session row goes, the cookie stops working)', async () => {
    const ws = await t.workspace('acc');
    const other = await t.workspace('acc-other');
    const ana = await person(t.db, ws, 'analyst');
    await addMembership(t.db, other.id, ana.id, 'viewer');
    const app = appFor(ws);

    const response = await app.request('/api/v1/session', json('POST', { email: ana.email.toUpperCase(), password: PASSWORD }));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.user.email, ana.email);
    assert.deepEqual(
      body.workspaces.sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)),
      [{ name: ws.name, role: 'analyst' }, { name: other.name, role: 'viewer' }].sort((a, b) => a.name.localeCompare(b.name)),
    );
    const setCookie = response.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^sada_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Lax/);
    assert.match(setCookie, /; Path=\//);
    assert.match(setCookie, /; Max-Age=1209600/);
    assert.doesNotMatch(setCookie, /Secure/, 'plain http: not Secure, or the browser would drop it');
    const cookie = setCookie.split(';')[0]!;
    const token = cookie.split('=')[1]!;
    const stored = await t.db.query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1', [ana.id]);
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.id, token, 'only the hash of the token is stored');
    assert.match(stored[0]!.id, /^[0-9a-f]{64}$/);
    const [hash] = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [ana.id]);
    assert.match(hash!.password_hash, /m=19456,t=2,p=1/, 'a weaker hash is upgraded at sign-in');

    const me = await app.request('/api/v1/me', { headers: { cookie } });
    assert.equal(me.status, 200);
    const meBody = await me.json();
    assert.deepEqual(meBody.user, { id: ana.id, email: ana.email, name: 'Ana', locale: 'en' });
    assert.deepEqual(new Set(meBody.workspaces.map((w: { name: string; role: string; timezone: string }) => `${w.name}:${w.role}:${w.timezone}`)), new Set([`${ws.name}:analyst:UTC`, `${other.name}:viewer:UTC`]));

    const out = await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie, origin: ORIGIN } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /sada_session=;.*Max-Age=0/);
    assert.equal((await t.db.query('SELECT id FROM sessions WHERE user_id = $1', [ana.id])).length, 0);
    const after = await app.request('/api/v1/me', { headers: { cookie } });
    assert.equal(after.status, 401);
    assert.equal((await after.json()).error, 'unauthorized');
  });

  test('the cookie is Secure over https, and when SADA_PUBLIC_URL is https', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws);
    const viaHttps = await appFor(ws).request('https://sada.example/api/v1/session', json('POST', { email: ana.email, password: PASSWORD }));
    assert.match(viaHttps.headers.get('set-cookie') ?? '', /; Secure/);
    const behindTls = await appFor(ws, { publicUrl: 'https://cx.example.com' }).request('/api/v1/session', json('POST', { email: ana.email, password: PASSWORD }));
    assert.match(behindTls.headers.get('set-cookie') ?? '', /; Secure/);
    const proxied = await appFor(ws, { trustProxy: true }).request('/api/v1/session', json('POST', { email: ana.email, password: PASSWORD }, { 'x-forwarded-proto': 'https' }));
    assert.match(proxied.headers.get('set-cookie') ?? '', /; Secure/);
  });

  test('a wrong password and an unknown e-mail get the same answer, for the same work', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws);
    const app = appFor(ws);
    await signIn(app, ana.email); // the stored hash now has the real parameters
    const timed = async (email: string) => {
      const before = verificationWork.kibPasses;
      const response = await app.request('/api/v1/session', json('POST', { email, password: 'not the password at all' }));
      return { status: response.status, body: await response.json(), work: verificationWork.kibPasses - before, cookie: response.headers.get('set-cookie') };
    };
    await timed(`nobody-${randomUUID()}@example.com`); // the dummy hash is made once
    const wrong = await timed(ana.email);
    const unknown = await timed(`nobody-${randomUUID()}@example.com`);
    assert.equal(wrong.status, 401);
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(unknown.status, wrong.status);
    assert.equal(wrong.cookie, null);
    assert.match(wrong.body.message, /e-mail address or the password is wrong/);
    // Both verify one argon2id hash with today's parameters (~0.1 s): an unknown address is not answered faster.
    assert.equal(wrong.work, PASSWORD_PARAMETERS.memorySize * PASSWORD_PARAMETERS.iterations);
    assert.equal(unknown.work, wrong.work);
    const missing = await app.request('/api/v1/session', json('POST', { email: ana.email }));
    assert.equal(missing.status, 400);
  });

  test('sign-in is rate limited per e-mail and per client address, even for the right password', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws);
    const app = appFor(ws, { loginLimits: { perAddress: 5, perEmail: 2, windowMs: 60_000 } });
    const attempt = (email: string, password: string) => app.request('/api/v1/session', json('POST', { email, password }));
    assert.equal((await attempt(ana.email, 'wrong password one')).status, 401);
    assert.equal((await attempt(ana.email, 'wrong password two')).status, 401);
    const limited = await attempt(ana.email, PASSWORD);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.match((await limited.json()).message, /Too many sign-in attempts/);
    // The same address trying other accounts runs out too.
    assert.equal((await attempt(`x1-${randomUUID()}@example.com`, 'whatever-whatever')).status, 401);
    assert.equal((await attempt(`x2-${randomUUID()}@example.com`, 'whatever-whatever')).status, 401);
    assert.equal((await attempt(`x3-${randomUUID()}@example.com`, 'whatever-whatever')).status, 429);
    const form = await app.request('/login', { method: 'POST', body: new URLSearchParams({ email: ana.email, password: PASSWORD }) });
    assert.equal(form.status, 429);
    assert.match(await form.text(), /Too many attempts/);
  });

  test('cookie-authenticated writes must come from this site (CSRF)', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws, 'admin');
    const app = appFor(ws);
    const cookie = await signIn(app, ana.email);
    const event = { type: 'signup', customer: { id: 'c-1' } };
    const attempts: Array<Record<string, string>> = [{}, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site', origin: ORIGIN }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }];
    for (const headers of attempts) {
      const refused = await app.request('/api/v1/events', json('POST', event, { cookie, ...headers }));
      assert.equal(refused.status, 403, JSON.stringify(headers));
      assert.match((await refused.json()).message, /another site|Origin header/);
    }
    const refusedKey = await app.request('/api/v1/api-keys', json('POST', { name: 'x', role: 'viewer' }, { cookie, origin: 'https://evil.example' }));
    assert.equal(refusedKey.status, 403);
    assert.equal((await t.db.query('SELECT id FROM api_keys WHERE workspace_id = $1', [ws.id])).length, 0, 'nothing was written');
    assert.equal((await app.request('/api/v1/events', json('POST', event, { cookie, origin: ORIGIN }))).status, 202);
    assert.equal((await app.request('/api/v1/events', json('POST', event, { cookie, 'sec-fetch-site': 'same-origin' }))).status, 202);
    assert.equal((await app.request(`/api/v1/metrics/nps`, { headers: { cookie } })).status, 200, 'reads need no Origin');
    // Signing out and in from another site are refused too.
    assert.equal((await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie, origin: 'https://evil.example' } })).status, 403);
    assert.equal((await app.request('/api/v1/session', json('POST', { email: ana.email, password: PASSWORD }, { origin: 'https://evil.example' }))).status, 403);
    // A bearer key is not a browser's ambient credential: no Origin needed.
    assert.equal((await app.request('/api/v1/events', json('POST', event, { authorization: `Bearer ${TOKEN}` }))).status, 202);
  });

  test('API keys: shown once, stored hashed, bound to their role and their workspace, revocable', async () => {
    const a = await t.workspace('acc-a');
    const b = await t.workspace('acc-b');
    const admin = await person(t.db, a, 'admin');
    const app = appFor(a);
    const cookie = await signIn(app, admin.email);
    const create = async (role: Role) => {
      const response = await app.request(`/api/v1/api-keys?workspace=${a.name}`, json('POST', { name: `${role} server`, role }, { cookie, origin: ORIGIN }));
      assert.equal(response.status, 201);
      return (await response.json()) as { key: { id: number; prefix: string; role: string }; secret: string };
    };
    const viewer = await create('viewer');
    const analyst = await create('analyst');
    assert.match(viewer.secret, /^sada_[A-Za-z0-9_-]{43}$/);
    assert.equal(viewer.key.prefix, viewer.secret.slice(0, 12));
    const listed = await app.request(`/api/v1/api-keys?workspace=${a.name}`, { headers: { cookie } });
    const listText = await listed.text();
    assert.ok(!listText.includes(viewer.secret) && !listText.includes(viewer.secret.slice(12)), 'the secret is never listed');
    assert.equal(JSON.parse(listText).keys.length, 2);
    const [row] = await t.db.query<{ secret_hash: string }>('SELECT secret_hash FROM api_keys WHERE id = $1', [viewer.key.id]);
    assert.match(row!.secret_hash, /^[0-9a-f]{64}$/);

    const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
    const event = { type: 'signup', customer: { id: 'c-1' } };
    // Viewer: reads, cannot write.
    assert.equal((await app.request(`/api/v1/metrics/nps?workspace=${a.name}`, { headers: bearer(viewer.secret) })).status, 200);
    assert.equal((await app.request('/api/v1/metrics/nps', { headers: bearer(viewer.secret) })).status, 200, 'a key without ?workspace= means its own');
    const viewerPost = await app.request('/api/v1/events', json('POST', event, bearer(viewer.secret)));
    assert.equal(viewerPost.status, 403);
    assert.deepEqual(await viewerPost.json(), { error: 'forbidden', message: `Your role in workspace "${a.name}" is viewer; this needs analyst or above.` });
    assert.equal((await app.request(`/api/v1/api-keys?workspace=${a.name}`, { headers: bearer(analyst.secret) })).status, 403, 'only admins manage keys');
    // Analyst: writes events.
    assert.equal((await app.request('/api/v1/events', json('POST', event, bearer(analyst.secret)))).status, 202);
    // Another workspace: the same 404 as a workspace that does not exist.
    const foreign = await app.request(`/api/v1/metrics/nps?workspace=${b.name}`, { headers: bearer(analyst.secret) });
    assert.equal(foreign.status, 404);
    assert.deepEqual(await foreign.json(), { error: 'not_found', message: `There is no workspace "${b.name}".` });
    const foreignEvent = await app.request('/api/v1/events', json('POST', { ...event, workspace: b.name }, bearer(analyst.secret)));
    assert.equal(foreignEvent.status, 404);
    assert.equal((await app.request(`/api/v1/events?workspace=${b.name}`, json('POST', event, bearer(analyst.secret)))).status, 404);
    assert.equal((await t.db.query('SELECT id FROM events WHERE workspace_id = $1', [b.id])).length, 0);
    // Used keys say when.
    const [used] = await t.db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_keys WHERE id = $1', [analyst.key.id]);
    assert.ok(used!.last_used_at);
    // Revoked: refused at once.
    const revoke = await app.request(`/api/v1/api-keys/${analyst.key.id}?workspace=${a.name}`, { method: 'DELETE', headers: { cookie, origin: ORIGIN } });
    assert.equal(revoke.status, 200);
    assert.ok((await revoke.json()).key.revokedAt);
    const revoked = await app.request('/api/v1/metrics/nps', { headers: bearer(analyst.secret) });
    assert.equal(revoked.status, 401);
    assert.match((await revoked.json()).message, /revoked/);
    // A key id of another workspace is not found from this one.
    const otherAdmin = await person(t.db, b, 'admin');
    const otherCookie = await signIn(app, otherAdmin.email);
    assert.equal((await app.request(`/api/v1/api-keys/${viewer.key.id}?workspace=${b.name}`, { method: 'DELETE', headers: { cookie: otherCookie, origin: ORIGIN } })).status, 404);
    assert.equal((await app.request(`/api/v1/api-keys?workspace=${a.name}`, { headers: { cookie: otherCookie } })).status, 404, 'not a member of a: it does not exist for them');
    const [still] = await t.db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [viewer.key.id]);
    assert.equal(still!.revoked_at, null);
    // Made-up keys and tokens.
    assert.equal((await app.request('/api/v1/metrics/nps', { headers: bearer(`sada_${'A'.repeat(43)}`) })).status, 401);
    assert.equal((await app.request('/api/v1/metrics/nps', { headers: { authorization: 'Basic abc' } })).status, 401);
  });

  test('members: admins add, change roles and remove people; never the last admin; every change is in the audit log', async () => {
    const ws = await t.workspace('acc');
    const admin = await person(t.db, ws, 'admin');
    const app = appFor(ws);
    const cookie = await signIn(app, admin.email);
    const send = (method: string, path: string, body?: unknown) =>
      app.request(`${path}${path.includes('?') ? '&' : '?'}workspace=${ws.name}`, body === undefined ? { method, headers: { cookie, origin: ORIGIN } } : json(method, body, { cookie, origin: ORIGIN }));

    const newEmail = `new-${randomUUID().slice(0, 8)}@example.com`;
    assert.equal((await send('POST', '/api/v1/users', { email: newEmail, role: 'viewer' })).status, 400, 'a new account needs a password');
    assert.equal((await send('POST', '/api/v1/users', { email: newEmail, role: 'viewer', password: 'short' })).status, 400);
    assert.equal((await send('POST', '/api/v1/users', { email: newEmail, role: 'boss', password: PASSWORD })).status, 400);
    const added = await send('POST', '/api/v1/users', { email: newEmail, name: 'Lina', role: 'viewer', password: PASSWORD, locale: 'ar' });
    assert.equal(added.status, 201);
    const { user: lina, created } = await added.json();
    assert.equal(created, true);
    assert.deepEqual({ email: lina.email, name: lina.name, role: lina.role, locale: lina.locale }, { email: newEmail, name: 'Lina', role: 'viewer', locale: 'ar' });
    assert.equal((await send('POST', '/api/v1/users', { email: newEmail.toUpperCase(), role: 'admin' })).status, 409, 'already a member');
    // An existing account (from another workspace) is added without touching its password.
    const elsewhere = await person(t.db, await t.workspace('acc-else'), 'admin');
    const joined = await send('POST', '/api/v1/users', { email: elsewhere.email, role: 'analyst', password: 'an attempt to change it' });
    assert.equal(joined.status, 201);
    assert.equal((await joined.json()).created, false);
    await signIn(app, elsewhere.email, PASSWORD);

    const list = await (await send('GET', '/api/v1/users')).json();
    assert.deepEqual(list.users.map((u: { email: string; role: string }) => u.role).sort(), ['admin', 'analyst', 'viewer']);
    assert.ok(list.users.every((u: Record<string, unknown>) => !('password_hash' in u) && !('passwordHash' in u)));

    // A viewer cannot manage people.
    const linaCookie = await signIn(app, newEmail);
    assert.equal((await app.request(`/api/v1/users?workspace=${ws.name}`, { headers: { cookie: linaCookie } })).status, 403);
    assert.equal((await app.request(`/api/v1/users/${lina.id}?workspace=${ws.name}`, json('PATCH', { role: 'admin' }, { cookie: linaCookie, origin: ORIGIN }))).status, 403);

    assert.equal((await send('PATCH', `/api/v1/users/${admin.id}`, { role: 'viewer' })).status, 409, 'the last admin stays admin');
    assert.match((await (await send('DELETE', `/api/v1/users/${admin.id}`)).json()).message, /last admin/);
    const promoted = await send('PATCH', `/api/v1/users/${lina.id}`, { role: 'admin' });
    assert.equal(promoted.status, 200);
    assert.equal((await promoted.json()).user.role, 'admin');
    assert.equal((await app.request(`/api/v1/users?workspace=${ws.name}`, { headers: { cookie: linaCookie } })).status, 200, 'the new role counts at once');
    assert.equal((await send('DELETE', `/api/v1/users/${elsewhere.id}`)).status, 204);
    assert.equal((await send('DELETE', `/api/v1/users/${elsewhere.id}`)).status, 404);
    assert.equal((await send('PATCH', `/api/v1/users/999999999`, { role: 'viewer' })).status, 404);
    assert.equal((await send('PATCH', `/api/v1/users/abc`, { role: 'viewer' })).status, 404);
    assert.equal((await send('PATCH', `/api/v1/users/${admin.id}`, { role: 'viewer' })).status, 200, 'now there is another admin');

    const audit = await app.request(`/api/v1/audit?workspace=${ws.name}`, { headers: { cookie: linaCookie } });
    assert.equal(audit.status, 200);
    const entries = (await audit.json()).entries as Array<{ action: string; target: string; actor: { kind: string; label: string }; details: Record<string, unknown> }>;
    assert.deepEqual(
      entries.map((e) => e.action).reverse(),
      ['user.create', 'member.add', 'member.add', 'member.role', 'member.remove', 'member.role'],
    );
    assert.equal(entries.at(-1)!.actor.label, admin.email);
    assert.deepEqual(entries[2]!.details, { from: 'viewer', to: 'admin' });
    assert.equal(entries[0]!.actor.label, admin.email);
    const page = await app.request(`/api/v1/audit?workspace=${ws.name}&limit=2`, { headers: { cookie: linaCookie } });
    assert.equal((await page.json()).entries.length, 2);
    // The API token is admin everywhere; its changes are logged as such.
    const byToken = await app.request(`/api/v1/api-keys?workspace=${ws.name}`, json('POST', { name: 'ci', role: 'viewer' }, { authorization: `Bearer ${TOKEN}` }));
    assert.equal(byToken.status, 201);
    const [last] = await t.db.query<{ actor_kind: string; actor_label: string; action: string }>('SELECT actor_kind, actor_label, action FROM audit_log WHERE workspace_id = $1 ORDER BY id DESC LIMIT 1', [ws.id]);
    assert.deepEqual(last, { actor_kind: 'token', actor_label: 'SADA_API_TOKEN', action: 'api_key.create' });
  });

  test('a user sees only their workspaces: 404 for the others, the same as for none', async () => {
    const mine = await t.workspace('acc-mine');
    const theirs = await t.workspace('acc-theirs');
    const viewer = await person(t.db, mine, 'viewer');
    const app = appFor(theirs); // the server's default workspace is one the user is not in
    const cookie = await signIn(app, viewer.email);
    assert.equal((await app.request('/api/v1/metrics/nps', { headers: { cookie } })).status, 200, 'no ?workspace=: the only one they belong to');
    const foreign = await app.request(`/api/v1/metrics/nps?workspace=${theirs.name}`, { headers: { cookie } });
    const none = await app.request('/api/v1/metrics/nps?workspace=no-such-workspace-here', { headers: { cookie } });
    assert.equal(foreign.status, 404);
    assert.equal(none.status, 404);
    assert.equal((await foreign.json()).message.replace(theirs.name, 'X'), (await none.json()).message.replace('no-such-workspace-here', 'X'));
    const unsigned = await app.request('/api/v1/metrics/nps');
    assert.equal(unsigned.status, 401);
    assert.match((await unsigned.json()).message, /Sign in/);
  });

  test('the sign-in page in three languages; it sends the browser on only to a path of this site', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws);
    const app = appFor(ws);
    const page = await app.request('/login?next=/surveys&lang=ar');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /<meta charset="utf-8" \/>/);
    assert.match(html, /تسجيل الدخول إلى صدى/);
    assert.match(html, /name="next" value="\/surveys"/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.doesNotMatch(html, /<script/);
    assert.match(await (await app.request('/login?lang=lt')).text(), /<html lang="lt" dir="ltr">[\s\S]*Prisijunkite prie Sada/);
    assert.match(await (await app.request('/login', { headers: { 'accept-language': 'en' } })).text(), /Sign in to Sada/);
    assert.match(await (await app.request('/login?next="><script>alert(1)</script>')).text(), /name="next" value="\/"/, 'a hostile next is dropped, and would be escaped anyway');

    const post = (next: string, password = PASSWORD) => app.request('/login', { method: 'POST', headers: { origin: ORIGIN }, body: new URLSearchParams({ email: ana.email, password, next }) });
    const good = await post('/surveys?workspace=acme');
    assert.equal(good.status, 303);
    assert.equal(good.headers.get('location'), '/surveys?workspace=acme');
    assert.match(good.headers.get('set-cookie') ?? '', /sada_session=[^;]+; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax/);
    for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/\t/evil.example', '\\/evil.example']) {
      const response = await post(next);
      assert.equal(response.status, 303, next);
      assert.equal(response.headers.get('location'), '/', next);
    }
    const viaQuery = await app.request('/login?next=//evil.example', { method: 'POST', headers: { origin: ORIGIN }, body: new URLSearchParams({ email: ana.email, password: PASSWORD }) });
    assert.equal(viaQuery.headers.get('location'), '/');
    const wrong = await post('/surveys', 'not the right password');
    assert.equal(wrong.status, 401);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /role="alert"[^>]*>The e-mail address or the password is wrong/);
    assert.match(wrongHtml, new RegExp(`value="${ana.email.replace('.', '\\.')}"`), 'the e-mail is kept, the password is not');
    const crossSite = await app.request('/login', { method: 'POST', headers: { origin: 'https://evil.example' }, body: new URLSearchParams({ email: ana.email, password: PASSWORD }) });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.headers.get('set-cookie'), null);
    // Signed in already: /login goes straight on.
    const cookie = /sada_session=[^;]+/.exec(good.headers.get('set-cookie')!)![0];
    const again = await app.request('/login?next=/surveys', { headers: { cookie } });
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), '/surveys');
  });

  test('requireSignedInPage: a browser without a session goes to /login?next=, with one it gets the page and a principal', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws, 'viewer');
    const cookie = await signIn(appFor(ws), ana.email);
    const app = new Hono();
    app.use('/app/*', requireSignedInPage({ db: t.db }));
    app.get('/app/*', (c) => c.text(`hello ${c.get('principal').label} (${c.get('principal').kind})`));
    app.post('/app/*', (c) => c.text('posted'));
    const away = await app.request('/app/overview?workspace=acme&lang=ar');
    assert.equal(away.status, 302);
    assert.equal(away.headers.get('location'), '/login?next=%2Fapp%2Foverview%3Fworkspace%3Dacme%26lang%3Dar');
    const bogus = await app.request('/app/overview', { headers: { cookie: 'sada_session=made-up' } });
    assert.equal(bogus.status, 302);
    const page = await app.request('/app/overview', { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.equal(await page.text(), `hello ${ana.email} (user)`);
    assert.equal((await app.request('/app/x', { method: 'POST', headers: { cookie } })).status, 403, 'a write without Origin');
    assert.equal((await app.request('/app/x', { method: 'POST', headers: { cookie, origin: ORIGIN } })).status, 200);
    assert.equal((await app.request('/app/x', { method: 'POST' })).status, 401);
  });

  test('sessions expire after 14 days unused and slide while used', async () => {
    const ws = await t.workspace('acc');
    const ana = await person(t.db, ws);
    const app = appFor(ws);
    const cookie = await signIn(app, ana.email);
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '1 day', expires_at = now() + interval '13 days' WHERE user_id = $1`, [ana.id]);
    const used = await app.request('/api/v1/me', { headers: { cookie } });
    assert.equal(used.status, 200);
    assert.match(used.headers.get('set-cookie') ?? '', /Max-Age=1209600/, 'the cookie is sent again with the new expiry');
    const [row] = await t.db.query<{ days: number }>(`SELECT extract(epoch FROM expires_at - now()) / 86400 AS days FROM sessions WHERE user_id = $1`, [ana.id]);
    assert.ok(Number(row!.days) > 13.9);
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [ana.id]);
    assert.equal((await app.request('/api/v1/me', { headers: { cookie } })).status, 401);
  });
});

test('first run: the one-time setup link creates the first admin, once', async () => {
  const db = await openTestPGlite();
  try {
    assert.equal(await countUsers(db), 0);
    const setup = new SetupToken();
    const token = setup.issue();
    const app = createApp({ db, version: 'test', defaultWorkspace: 'acme', setup });
    assert.equal((await app.request('/setup?token=wrong')).status, 404);
    assert.equal((await app.request('/setup')).status, 404);
    const page = await app.request(`/setup?token=${token}&lang=ar`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /إعداد صدى/);
    assert.match(html, /name="workspace"[^>]*value="acme"/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(await (await app.request(`/setup?token=${token}&lang=lt`)).text(), /Sada parengimas/);

    const submit = (fields: Record<string, string>) =>
      app.request('/setup', { method: 'POST', headers: { origin: ORIGIN }, body: new URLSearchParams({ token, name: 'Rūta', email: 'ruta@example.com', password: PASSWORD, workspace: 'acme', ...fields }) });
    assert.equal((await submit({ password: 'short' })).status, 400);
    assert.equal((await submit({ email: 'not-an-address' })).status, 400);
    assert.equal((await submit({ workspace: 'Not A Name' })).status, 400);
    assert.equal((await submit({ token: 'wrong' })).status, 404);
    assert.equal(await countUsers(db), 0);

    const done = await submit({});
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/');
    const cookie = /sada_session=[^;]+/.exec(done.headers.get('set-cookie') ?? '')?.[0];
    assert.ok(cookie);
    const me = await (await app.request('/api/v1/me', { headers: { cookie } })).json();
    assert.equal(me.user.email, 'ruta@example.com');
    assert.deepEqual(me.workspaces, [{ name: 'acme', timezone: 'UTC', role: 'admin' }]);
    const audit = await db.query<{ action: string; actor_kind: string }>('SELECT action, actor_kind FROM audit_log ORDER BY id');
    assert.deepEqual(audit, [{ action: 'user.create', actor_kind: 'setup' }, { action: 'member.add', actor_kind: 'setup' }]);

    // Used: the link is dead, and so would be any other token now that a user exists.
    assert.equal((await submit({ email: 'second@example.com' })).status, 404);
    assert.equal((await app.request(`/setup?token=${token}`)).status, 404);
    const another = setup.issue();
    assert.equal((await app.request(`/setup?token=${another}`)).status, 404, 'users exist: no setup whatever the token');
    assert.equal(await countUsers(db), 1);
  } finally {
    await db.close();
  }
});
