import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashPassword } from '../src/accounts/password.ts';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { importFile } from '../src/import/importer.ts';
import { mappingSchema } from '../src/import/mapping.ts';
import { addMembership, createApiKey, createSession, createUser } from '../src/storage/accounts.ts';
import type { Database } from '../src/storage/database.ts';
import { findWorkspace, type Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

const TOKEN = 'workspaces-test-token-long-enough-for-sada';
const ORIGIN = 'http://localhost';
const FAST = { memorySize: 1024, iterations: 1, parallelism: 1 };

async function signedIn(db: Database, memberships: Array<[Workspace, Role]>) {
  const user = await createUser(db, { email: `w-${randomUUID().slice(0, 8)}@example.com`, passwordHash: await hashPassword('a long enough password', FAST) });
  for (const [workspace, role] of memberships) await addMembership(db, workspace.id, user.id, role);
  const { token } = await createSession(db, user.id);
  return { user, headers: { cookie: `sada_session=${token}`, origin: ORIGIN } };
}

const post = (body: unknown, headers: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const fresh = () => `ws-${randomUUID().slice(0, 8)}`;

/** Every table that holds a workspace's rows: the test below finds them in the catalogue, so a new table cannot slip past. */
async function rowsLeft(db: Database, workspaceId: number): Promise<Record<string, number>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'workspace_id' ORDER BY table_name`,
  );
  assert.ok(tables.length > 20, `workspace tables found: ${tables.length}`);
  const left: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM "${table_name}" WHERE workspace_id = $1`, [workspaceId]);
    if (row!.n > 0) left[table_name] = row!.n;
  }
  return left;
}

describeEachEngine('workspaces API', (t) => {
  test('an admin creates a workspace, becomes its admin, sees it listed; names are checked and never reused', async () => {
    const home = await t.workspace('home');
    const admin = await signedIn(t.db, [[home, 'admin']]);
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: home.name });
    const name = fresh();

    const created = await app.request('/api/v1/workspaces', post({ name, timezone: 'Europe/Vilnius' }, admin.headers));
    assert.equal(created.status, 201, await created.clone().text());
    assert.deepEqual(await created.json(), { workspace: { name, timezone: 'Europe/Vilnius', role: 'admin' } });

    const listed = await (await app.request('/api/v1/workspaces', { headers: admin.headers })).json();
    assert.deepEqual(listed.workspaces.map((w: { name: string }) => w.name).sort(), [home.name, name].sort());
    const one = await app.request(`/api/v1/workspaces/${name}`, { headers: admin.headers });
    assert.deepEqual(await one.json(), { workspace: { name, timezone: 'Europe/Vilnius', role: 'admin' } });

    // The built-in catalogue came with it, as with every workspace.
    const workspace = (await findWorkspace(t.db, name))!;
    const [touchpoints] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM touchpoints WHERE workspace_id = $1', [workspace.id]);
    assert.ok(touchpoints!.n >= 5);
    const [audit] = await t.db.query<{ action: string }>('SELECT action FROM audit_log WHERE workspace_id = $1', [workspace.id]);
    assert.equal(audit?.action, 'workspace.create');

    const again = await app.request('/api/v1/workspaces', post({ name }, admin.headers));
    assert.equal(again.status, 409);
    assert.match((await again.json()).message, /taken/);
    const taken = await app.request('/api/v1/workspaces', post({ name: home.name }, admin.headers));
    assert.equal(taken.status, 409, 'another team’s name is refused, never joined');

    for (const [body, pattern] of [
      [{ name: 'Acme EU' }, /lower-case/],
      [{ name: 'x'.repeat(64) }, /1–63/],
      [{ name: fresh(), timezone: 'Mars/Olympus' }, /IANA/],
      [{ name: fresh(), owner: 'me' }, /unknown field owner/],
      [{}, /name is required/],
    ] as const) {
      const response = await app.request('/api/v1/workspaces', post(body, admin.headers));
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match((await response.json()).message, pattern);
    }
  });

  test('who may create: not analysts or viewers, not API keys, not from another site; SADA_API_TOKEN may', async () => {
    const home = await t.workspace('home');
    const app = createApp({ db: t.db, version: 'test', apiToken: TOKEN, defaultWorkspace: home.name });
    for (const role of ['analyst', 'viewer'] as const) {
      const someone = await signedIn(t.db, [[home, role]]);
      const response = await app.request('/api/v1/workspaces', post({ name: fresh() }, someone.headers));
      assert.equal(response.status, 403, role);
      assert.match((await response.json()).message, /Only admins/);
    }
    const { secret } = await createApiKey(t.db, { workspaceId: home.id, name: 'server', role: 'admin' });
    const byKey = await app.request('/api/v1/workspaces', post({ name: fresh() }, { authorization: `Bearer ${secret}` }));
    assert.equal(byKey.status, 403);
    assert.match((await byKey.json()).message, /API key belongs to one workspace/);
    const keyList = await (await app.request('/api/v1/workspaces', { headers: { authorization: `Bearer ${secret}` } })).json();
    assert.deepEqual(keyList.workspaces, [{ name: home.name, timezone: home.timezone, role: 'admin' }], 'a key sees its own workspace only');

    const admin = await signedIn(t.db, [[home, 'admin']]);
    const crossSite = await app.request('/api/v1/workspaces', post({ name: fresh() }, { ...admin.headers, origin: 'https://evil.example' }));
    assert.equal(crossSite.status, 403, 'a cookie request from another site');

    const name = fresh();
    const byToken = await app.request('/api/v1/workspaces', post({ name }, { authorization: `Bearer ${TOKEN}` }));
    assert.equal(byToken.status, 201);
    assert.ok(await findWorkspace(t.db, name));
  });

  test('a stranger cannot see or delete a workspace; deleting needs an admin and the name repeated, and takes every row with it', async () => {
    const home = await t.workspace('home');
    const admin = await signedIn(t.db, [[home, 'admin']]);
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: home.name });
    const name = fresh();
    assert.equal((await app.request('/api/v1/workspaces', post({ name }, admin.headers))).status, 201);
    const workspace = (await findWorkspace(t.db, name))!;
    // Some of what a workspace holds: a member, a key, a customer, an audit row (from the creation).
    const analyst = await signedIn(t.db, [[workspace, 'analyst']]);
    await createApiKey(t.db, { workspaceId: workspace.id, name: 'server', role: 'admin' });
    const customer = await app.request(`/api/v1/customers?workspace=${name}`, post({ id: 'c-1', attributes: { plan: 'pro' } }, admin.headers));
    assert.equal(customer.status, 201, await customer.clone().text());
    // A ticket and an answer, so that the two rollups without a foreign key (migration 0023) hold rows.
    const files = mkdtempSync(join(tmpdir(), 'sada-workspace-delete-'));
    const load = (kind: 'tickets' | 'responses', csv: string) => {
      writeFileSync(join(files, `${kind}.csv`), csv);
      return importFile(t.db, { workspace, kind, path: join(files, `${kind}.csv`), mapping: mappingSchema.parse({}), reportDir: files });
    };
    await load('tickets', 'id,created_at,first_response_at\nt1,2024-01-05T10:00:00Z,2024-01-05T10:05:00Z\n');
    await load('responses', 'id,kind,score,submitted_at\nr1,nps,9,2024-01-05\n');
    const held = await rowsLeft(t.db, workspace.id);
    assert.ok(held.ticket_rollups_monthly! > 0 && held.response_rollups! > 0, JSON.stringify(held));

    const stranger = await signedIn(t.db, [[home, 'admin']]);
    for (const request of [
      app.request(`/api/v1/workspaces/${name}`, { headers: stranger.headers }),
      app.request(`/api/v1/workspaces/${name}?confirm=${name}`, { method: 'DELETE', headers: stranger.headers }),
    ]) {
      const response = await request;
      assert.equal(response.status, 404, 'the answer never tells a stranger it exists');
      assert.match((await response.json()).message, /There is no workspace/);
    }
    const byAnalyst = await app.request(`/api/v1/workspaces/${name}?confirm=${name}`, { method: 'DELETE', headers: analyst.headers });
    assert.equal(byAnalyst.status, 403);
    const unconfirmed = await app.request(`/api/v1/workspaces/${name}?confirm=${home.name}`, { method: 'DELETE', headers: admin.headers });
    assert.equal(unconfirmed.status, 400);
    assert.match((await unconfirmed.json()).message, new RegExp(`confirm=${name}`));
    assert.ok(await findWorkspace(t.db, name), 'still there');

    const deleted = await app.request(`/api/v1/workspaces/${name}?confirm=${name}`, { method: 'DELETE', headers: admin.headers });
    assert.equal(deleted.status, 204);
    assert.equal(await findWorkspace(t.db, name), undefined);
    const { audit_log: auditRows, ...left } = await rowsLeft(t.db, workspace.id);
    assert.deepEqual(left, {}, 'no table keeps rows of a deleted workspace');
    const audit = await t.db.query<{ action: string; actor_label: string }>('SELECT action, actor_label FROM audit_log WHERE workspace_id = $1 ORDER BY id', [workspace.id]);
    assert.equal(auditRows, audit.length, 'only the global audit log outlives it');
    assert.deepEqual(audit.at(-1), { action: 'workspace.delete', actor_label: admin.user.email });
    assert.equal((await app.request(`/api/v1/workspaces/${name}`, { headers: admin.headers })).status, 404);
    assert.equal((await app.request(`/api/v1/workspaces/${home.name}`, { headers: admin.headers })).status, 200, 'the other workspace is untouched');
  });
});
