import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNextPath } from '../../src/accounts/redirect.ts';
import { createApp } from '../../src/http/app.ts';
import { signLink } from '../../src/listening/link-token.ts';
import { createApiKey } from '../../src/storage/accounts.ts';
import { listJobs } from '../../src/storage/jobs.ts';
import { linkKey, saveSurvey, setSurveyStatus } from '../../src/storage/surveys.ts';
import { createWebhook, DELIVER_WEBHOOK } from '../../src/storage/webhooks.ts';
import type { Workspace } from '../../src/storage/workspaces.ts';
import { newWebhookSecret } from '../../src/webhooks/signature.ts';
import { describeEachEngine } from '../support/databases.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/**
 * The attacks that hit similar products (issue 5), each answered by a test. The ones below run
 * here end to end; deeper variants live beside the code they test:
 *
 * | attack | here | more |
 * |---|---|---|
 * | stored XSS (answers, names, `javascript:` links) | ✓ | test/public-api.test.ts (review page escaped, CSP), test/survey-pages.test.ts, test/distribution.test.ts (e-mail) |
 * | another workspace's surveys, responses, customers by id; keys beyond role or workspace | api-matrix.test.ts (every route) | test/accounts.test.ts (API keys) |
 * | SSRF through webhook URLs | ssrf.test.ts | test/webhooks.test.ts (redirects not followed) |
 * | CSV formula injection | ✓ | src/reports/csv.test.ts, test/customers-export.test.ts |
 * | single-use link twice, token missing or null → 409 | ✓ | test/public-api.test.ts |
 * | editing a finished response, answering a closed survey | ✓ | test/survey-pages.test.ts |
 * | trusted fields forged in the public body | ✓ | test/public-api.test.ts |
 * | ballot stuffing from one address and from many, per workspace | ✓ | test/public-api.test.ts, src/http/public-guard.test.ts |
 * | widget identify() without the server's HMAC | ✓ | test/widget.test.ts, src/listening/identity.test.ts |
 * | open redirect after sign-in | ✓ | src/accounts/redirect.test.ts, test/accounts.test.ts |
 * | oversized input (long strings, many keys, deep nesting, big bodies) | ✓ | test/public-api.test.ts (over a real socket) |
 * | a client retry after a timeout → one response, one webhook | ✓ | test/webhooks.test.ts |
 */

describeEachEngine('security: attacks', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true }));
  let address = 0;
  const post = (body: unknown, headers: Record<string, string> = {}, ip = `198.51.100.${++address % 250}`) =>
    app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const setUp = async (overrides: Parameters<typeof checkoutSurvey>[0] = {}, settings?: Record<string, unknown>): Promise<Workspace> => {
    const ws = await t.workspace('attack');
    if (settings) await t.db.query('UPDATE workspaces SET settings = $2 WHERE id = $1', [ws.id, JSON.stringify(settings)]);
    await saveSurvey(t.db, ws.id, checkoutSurvey(overrides));
    return ws;
  };
  const rows = (ws: Workspace) => t.db.query<{ comment: string | null; customer_id: string | null; score: number | null }>('SELECT comment, customer_id, score FROM responses WHERE workspace_id = $1 ORDER BY id', [ws.id]);

  test('stored XSS: hostile answers and names come back as JSON text or escaped HTML, never markup', async () => {
    const ws = await setUp({ reviewConsent: { text: { en: 'Publish' } } });
    const hostile = '<script>alert(1)</script><a href="javascript:alert(2)">x</a><img src=x onerror=alert(3)>';
    assert.equal((await post({ workspace: ws.name, survey: 'checkout', reviewConsent: true, answers: { recommend: { score: 10, comment: hostile } } })).status, 201);
    const page = await app().request(`/api/v1/public/reviews?workspace=${ws.name}&format=html`);
    const html = await page.text();
    assert.doesNotMatch(html, /<script>alert|<img src=x|href="javascript:/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const admin = (await createApiKey(t.db, { workspaceId: ws.id, name: 'a', role: 'admin' })).secret;
    const made = await app().request(`/api/v1/customers?workspace=${ws.name}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'c-x', name: hostile }) });
    assert.equal(made.status, 201);
    const read = await app().request(`/api/v1/customers/c-x?workspace=${ws.name}`, { headers: { authorization: `Bearer ${admin}` } });
    assert.match(read.headers.get('content-type')!, /^application\/json/, 'served as JSON, which a browser does not render');
    assert.equal(read.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await read.json()).customer.name, hostile, 'kept as text');
    const exported = await (await app().request(`/api/v1/responses/export?workspace=${ws.name}&format=csv`, { headers: { authorization: `Bearer ${admin}` } })).text();
    assert.match(exported, /'?<script>/, 'the CSV holds text; a spreadsheet does not run it');
  });

  test('CSV formula injection: comments starting = + - @ tab CR are neutralised in the export', async () => {
    const ws = await setUp();
    for (const [i, comment] of ['=cmd|" /C calc"!A0', '@SUM(1+1)*cmd', '+HYPERLINK("http://evil.example")', '-1+1'].entries()) {
      assert.equal((await post({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: i, comment } } })).status, 201);
    }
    const admin = (await createApiKey(t.db, { workspaceId: ws.id, name: 'a', role: 'viewer' })).secret;
    const csv = await (await app().request(`/api/v1/responses/export?workspace=${ws.name}`, { headers: { authorization: `Bearer ${admin}` } })).text();
    const cells = csv.split('\r\n').slice(1).filter(Boolean).flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)/g) ?? []);
    for (const cell of cells) assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@\t\r]/, cell);
  });

  test('a single-use link answers once; without its token or with null the personal survey refuses (409)', async () => {
    const ws = await setUp({ access: 'personal' });
    const token = signLink(await linkKey(t.db, ws.id), { survey: 'checkout', customer: 'c-1' });
    const body = { workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 9 } } };
    assert.equal((await post({ ...body, token })).status, 201);
    assert.equal((await post({ ...body, token })).status, 409);
    assert.equal((await post({ ...body, token: null })).status, 409);
    assert.equal((await post(body)).status, 409);
    assert.equal((await rows(ws)).length, 1);
  });

  test('a finished response cannot be edited; a closed survey takes no answer and no edit', async () => {
    const ws = await setUp();
    const first = await (await post({ workspace: ws.name, survey: 'checkout', complete: true, answers: { recommend: { score: 2 } } })).json();
    const edit = await app().request(`/api/v1/public/responses/${first.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 10 } } }) });
    assert.equal(edit.status, 409);
    const open = await (await post({ workspace: ws.name, survey: 'checkout', complete: false, answers: { recommend: { score: 3 } } })).json();
    await setSurveyStatus(t.db, ws.id, 'checkout', 'closed');
    const late = await app().request(`/api/v1/public/responses/${open.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 10 } } }) });
    assert.ok([404, 409, 410].includes(late.status), `closed: ${late.status}`);
    assert.ok([404, 409, 410].includes((await post({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 10 } } })).status));
    assert.deepEqual((await rows(ws)).map((r) => r.score).sort(), [2, 3]);
  });

  test('trusted fields forged in the public body are ignored; identify() without the HMAC stays anonymous', async () => {
    const ws = await setUp();
    const forged = await post({ workspace: ws.name, survey: 'checkout', customer_id: 'victim', customerId: 'victim', email: 'ceo@example.com', verified: true, answers: { recommend: { score: 9 } } });
    assert.ok([201, 400].includes(forged.status));
    const unsigned = await post({ workspace: ws.name, survey: 'checkout', identity: { id: 'victim', hmac: '0'.repeat(64) }, answers: { recommend: { score: 8 } } });
    assert.equal(unsigned.status, 201);
    const noHmac = await post({ workspace: ws.name, survey: 'checkout', identity: { id: 'victim' }, answers: { recommend: { score: 7 } } });
    assert.equal(noHmac.status, 201);
    assert.ok((await rows(ws)).every((r) => r.customer_id === null), 'no answer was joined to the victim');
  });

  test('ballot stuffing: one address is limited, many addresses meet the survey limit, another workspace is untouched', async () => {
    const ws = await setUp({}, { listening: { rateLimits: { perClientPerMinute: 2, perSurveyPerMinute: 5 } } });
    const other = await setUp({}, { listening: { rateLimits: { perClientPerMinute: 2 } } });
    const body = (w: Workspace) => ({ workspace: w.name, survey: 'checkout', answers: { recommend: { score: 10 } } });
    const one = [];
    for (let i = 0; i < 4; i++) one.push((await post(body(ws), {}, '203.0.113.50')).status);
    assert.deepEqual(one, [201, 201, 429, 429]);
    assert.equal((await post(body(other), {}, '203.0.113.50')).status, 201, 'limits are per workspace');
    const many = [];
    for (let i = 0; i < 6; i++) many.push((await post(body(ws), {}, `192.0.2.${100 + i}`)).status);
    assert.equal(many.filter((s) => s === 429).length, 3, 'the survey limit stops a flood from many addresses');
  });

  test('open redirect after sign-in: only paths of this site', async () => {
    for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/%0d%0aLocation:evil', '\\\\evil.example']) {
      const safe = safeNextPath(next);
      assert.ok(safe.startsWith('/') && !safe.startsWith('//') && !safe.startsWith('/\\'), `${next} → ${safe}`);
      assert.ok(!/^\/?[a-z]+:/i.test(safe) && !safe.includes('evil.example') || safe.startsWith('/%'), `${next} → ${safe}`);
    }
    const page = await (await app().request('/login?next=//evil.example')).text();
    assert.doesNotMatch(page, /evil\.example/);
  });

  test('oversized input: a megabyte string, thousands of keys, deep nesting, a big body → a 4xx', async () => {
    const ws = await setUp();
    const huge = await post({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 1, comment: 'x'.repeat(1024 * 1024) } } });
    assert.equal(huge.status, 413);
    const keys = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, { score: 1 }]));
    assert.ok([400, 413].includes((await post({ workspace: ws.name, survey: 'checkout', answers: keys })).status));
    const deep = `${'{"a":'.repeat(3000)}{"score":1}${'}'.repeat(3000)}`;
    assert.ok([400, 413].includes((await post(`{"workspace":"${ws.name}","survey":"checkout","answers":{"recommend":${deep}}}`)).status));
    assert.equal((await post({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 1, comment: 'y'.repeat(20_000) } } })).status, 400, 'a long comment inside the size limit');
    const admin = (await createApiKey(t.db, { workspaceId: ws.id, name: 'a', role: 'admin' })).secret;
    const bigHook = await app().request(`/api/v1/webhooks?workspace=${ws.name}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: `https://example.com/${'a'.repeat(20_000)}` }) });
    assert.equal(bigHook.status, 413);
    assert.equal((await rows(ws)).length, 0);
  });

  test('a client retry after a timeout: one response, one webhook per event', async () => {
    const ws = await setUp();
    await createWebhook(t.db, ws.id, { url: 'https://hooks.example.com/x', secret: newWebhookSecret(), events: ['response.created', 'response.completed'] });
    const body = { workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 6 } } };
    const headers = { 'idempotency-key': 'client-retry-0123456789' };
    const [a, b] = await Promise.all([post(body, headers), post(body, headers)]);
    const c = await post(body, headers);
    const ids = new Set([(await a.json()).id, (await b.json()).id, (await c.json()).id]);
    assert.equal(ids.size, 1);
    assert.equal((await rows(ws)).length, 1);
    assert.equal((await listJobs(t.db, ws.id, DELIVER_WEBHOOK)).length, 2, 'response.created and response.completed, once each');
  });
});
