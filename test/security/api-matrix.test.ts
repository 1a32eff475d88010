import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../../src/http/app.ts';
import { addMembership, createApiKey, createUser } from '../../src/storage/accounts.ts';
import { createAnnotation } from '../../src/storage/annotations.ts';
import { createRule } from '../../src/storage/alerts.ts';
import { createAssessment } from '../../src/storage/assessments.ts';
import { createBenchmark } from '../../src/storage/benchmarks.ts';
import { enqueueWebhookMessages } from '../../src/storage/webhooks.ts';
import { saveSurvey } from '../../src/storage/surveys.ts';
import { upsertThemeLabel } from '../../src/storage/theme-labels.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { newWebhookSecret } from '../../src/webhooks/signature.ts';
import { describeEachEngine } from '../support/databases.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/**
 * The matrix: every operation of the OpenAPI document (which a test here checks is every /api
 * route the app serves) called with another workspace's credentials and ids. Workspace A holds
 * data marked with a unique string; workspace B's admin key asks for A by name and for A's ids in
 * its own workspace, and A's viewer key asks for what needs more than a viewer. The answers are
 * 404 or 403 (never 2xx), never contain A's marker, and A's data is unchanged afterwards. The
 * same requests also prove every documented operation is exercised by a test: the set of
 * operations called here is compared with the document's.
 */

type Doc = { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean }>; responses: Record<string, unknown>; description: string; requestBody?: unknown }>> };

describeEachEngine('security: every route × a foreign workspace', (t) => {
  test('foreign ids and keys get 404/403 and never data, on every documented route; every route is documented and exercised', async () => {
    const app = createApp({ db: t.db, version: 'test', trustProxy: true });
    const marker = `SECRET-${Math.random().toString(36).slice(2)}`;
    const a = await t.workspace('victim');
    const b = await t.workspace('attacker');
    await saveSurvey(t.db, a.id, checkoutSurvey({ name: `Survey ${marker}` }));
    await t.db.query(`INSERT INTO customers (workspace_id, id, name, email) VALUES ($1, 'c-victim', $2, 'victim@example.com')`, [a.id, `Customer ${marker}`]);
    await t.db.query(`INSERT INTO responses (workspace_id, id, kind, score, comment, customer_id, survey_id, submitted_at) VALUES ($1, 'r-victim', 'nps', 3, $2, 'c-victim', 'checkout', now())`, [a.id, `Comment ${marker}`]);
    const annotation = await createAnnotation(t.db, a.id, { day: '2026-01-01', text: `Annotation ${marker}` }, 'test');
    const [followUp] = await t.db.query<{ id: number }>(
      `INSERT INTO cases (workspace_id, response_id, customer_id, kind, score, scale_min, scale_max, answered_at, sla_hours, due_at)
       VALUES ($1, 'r-victim', 'c-victim', 'nps', 3, 0, 10, now(), 48, now() + interval '48 hours') RETURNING id`,
      [a.id],
    );
    await t.db.query(`INSERT INTO case_notes (workspace_id, case_id, author_label, text) VALUES ($1, $2, 'test', $3)`, [a.id, followUp!.id, `Note ${marker}`]);
    const benchmark = await createBenchmark(t.db, a.id, { metric: 'nps', label: `Benchmark ${marker}`, kind: 'competitor', value: 10, asOf: '2026-01-01', sourceUrl: `https://example.org/${marker}` }, 'test');
    const assessment = await createAssessment(t.db, a.id, { version: 1, answers: { monthly_satisfaction: 3 }, note: `Assessment ${marker}` }, 'test');
    const alertRule = await createRule(t.db, a.id, { name: `Rule ${marker}`, definition: { kind: 'threshold', metric: 'nps', params: { period: 'month', below: 10, minN: 30 } }, channels: [{ type: 'email', to: ['victim@example.com'], language: 'en' }], cooldownMinutes: 60, enabled: true }, 'test');
    await upsertThemeLabel(t.db, a.id, 'x', { name: `Theme ${marker}`, pinned: true }, 'test');
    const webhook = await createWebhook(t.db, a.id, { url: `https://hooks.example.com/${marker}`, secret: newWebhookSecret(), events: ['response.created'] });
    await t.db.transaction((tx) => enqueueWebhookMessages(tx, a.id, [{ submissionId: 's-victim', event: 'response.created', messageId: 'msg_victim', payload: { marker } }]));
    const [delivery] = await t.db.query<{ id: number }>('SELECT id FROM webhook_deliveries WHERE workspace_id = $1', [a.id]);
    const user = await createUser(t.db, { email: `victim-${marker}@example.com`.toLowerCase(), name: `User ${marker}`, passwordHash: null });
    await addMembership(t.db, a.id, user.id, 'admin');
    const victimKey = await createApiKey(t.db, { workspaceId: a.id, name: `Key ${marker}`, role: 'admin' });
    const viewerA = (await createApiKey(t.db, { workspaceId: a.id, name: 'viewer', role: 'viewer' })).secret;
    const adminB = (await createApiKey(t.db, { workspaceId: b.id, name: 'attacker admin', role: 'admin' })).secret;

    const docResponse = await app.request('/api/docs');
    assert.equal(docResponse.status, 200);
    const doc = (await docResponse.json()) as Doc;

    // Structurally valid OpenAPI 3: version, paths with operations, each with responses; path parameters declared.
    assert.match(doc.openapi, /^3\.0\.\d$/);
    const ids = new Set<string>();
    for (const [path, operations] of Object.entries(doc.paths)) {
      assert.ok(path.startsWith('/'), path);
      for (const [method, op] of Object.entries(operations)) {
        assert.ok(['get', 'post', 'put', 'patch', 'delete'].includes(method), `${method} ${path}`);
        assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
        const operationId = (op as { operationId?: string }).operationId!;
        assert.ok(operationId && !ids.has(operationId), `unique operationId ${operationId}`);
        ids.add(operationId);
        for (const name of path.match(/\{[^}]+\}/g) ?? []) {
          assert.ok(op.parameters?.some((p) => p.in === 'path' && p.name === name.slice(1, -1) && p.required), `${method} ${path} declares ${name}`);
        }
      }
    }
    assert.equal(JSON.stringify(doc).includes('"$ref"'), false, 'schemas are inline: nothing to resolve');

    // Every /api route the app serves is documented, and nothing documented is unserved.
    const served = new Set(app.routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    documented.add('get /api/docs');
    assert.deepEqual([...served].filter((r) => !documented.has(r)), [], 'served routes missing from the document');
    assert.deepEqual([...documented].filter((r) => !served.has(r)), [], 'documented routes the app does not serve');

    const pathIds: Record<string, string> = {
      '/api/v1/webhooks/{id}': String(webhook.id),
      '/api/v1/webhook-deliveries/{id}': String(delivery!.id),
      '/api/v1/customers/{id}': 'c-victim',
      '/api/v1/annotations/{id}': String(annotation.id),
      '/api/v1/alert-rules/{id}': String(alertRule.id),
      '/api/v1/cases/{id}': String(followUp!.id),
      '/api/v1/benchmarks/{id}': String(benchmark.id),
      '/api/v1/assessments/{id}': String(assessment.id),
      '/api/v1/surveys/{id}': 'checkout',
      '/api/v1/users/{id}': String(user.id),
      '/api/v1/api-keys/{id}': String(victimKey.key.id),
      '/api/v1/imports/{id}': 'upload-victim',
      '/api/v1/hook-receivers/{tool}': 'zendesk',
      '/api/v1/metrics/{name}': 'nps',
      '/api/v1/workspaces/{name}': a.name,
      '/api/v1/public/surveys/{survey}': 'checkout',
      '/api/v1/public/responses/{id}': 'nope',
      '/api/v1/hooks/{tool}': 'zendesk',
    };
    const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(Object.entries(pathIds).find(([p]) => path.startsWith(p.slice(0, p.indexOf('{'))) && p.includes(`{${name}}`))?.[1] ?? 'x'));
    const body = JSON.stringify({ name: 'x', text: 'x', day: '2026-01-02', url: 'https://hooks.example.com/x', role: 'viewer', email: 'x@example.com', segment: 'x' });

    const exercised = new Set<string>();
    const failures: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const key = `${method} ${path}`;
        const publicRoute = op.description.startsWith('No credential');
        const signedIn = op.description.startsWith('Any signed-in');
        const url = fill(path);
        const send = async (credential: string, query: string) => {
          const response = await app.request(`${url}${url.includes('?') ? '&' : '?'}${query}`, {
            method: method.toUpperCase(),
            headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.77' },
            body: method === 'get' || method === 'delete' ? undefined : body,
          });
          return { status: response.status, text: await response.text() };
        };
        exercised.add(key);
        if (publicRoute) {
          // Public routes name the workspace themselves; they must not hand out A's data to anyone either.
          const answer = await send(adminB, `workspace=${a.name}`);
          if (answer.text.includes(marker) && !path.includes('/public/surveys/')) failures.push(`${key}: public answer holds A's data`);
          continue;
        }
        if (signedIn) {
          const answer = await send(adminB, `workspace=${a.name}`);
          if (answer.text.includes(marker)) failures.push(`${key}: holds A's data`);
          continue;
        }
        // B's admin asks for workspace A by name: A does not exist for B.
        const byName = await send(adminB, `workspace=${encodeURIComponent(a.name)}`);
        if (![404, 400].includes(byName.status) || byName.text.includes(marker)) failures.push(`${key} ?workspace=A → ${byName.status} ${byName.text.slice(0, 120)}`);
        if (byName.status === 400 && !/^post \/api\/v1\/(events|imports)/.test(key)) failures.push(`${key} ?workspace=A → 400 before the workspace check`);
        // B's admin uses A's ids inside B: nothing there.
        if (path.includes('{')) {
          const byId = await send(adminB, `workspace=${encodeURIComponent(b.name)}`);
          if (byId.status < 400 && !path.startsWith('/api/v1/metrics/') && !path.startsWith('/api/v1/hook-receivers/') && !(method === 'post' && path.endsWith('/preview'))) failures.push(`${key} with A's id in B → ${byId.status}`);
          if (byId.text.includes(marker)) failures.push(`${key} with A's id in B → A's data`);
        }
        // A's viewer key beyond its role.
        const role = op.description;
        if (!role.startsWith('Viewer')) {
          const asViewer = await send(viewerA, `workspace=${encodeURIComponent(a.name)}`);
          if (asViewer.status !== 403 && !(asViewer.status === 400 && /^post \/api\/v1\/(events|imports)/.test(key))) failures.push(`${key} as A's viewer → ${asViewer.status}`);
        }
      }
    }
    assert.deepEqual(failures, []);

    // A's data is all still there.
    assert.equal((await t.db.query('SELECT 1 FROM customers WHERE workspace_id = $1 AND id = $2', [a.id, 'c-victim'])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM webhooks WHERE workspace_id = $1 AND id = $2', [a.id, webhook.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM annotations WHERE workspace_id = $1 AND id = $2', [a.id, annotation.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM alert_rules WHERE workspace_id = $1 AND id = $2 AND enabled', [a.id, alertRule.id])).length, 1);
    assert.equal((await t.db.query(`SELECT 1 FROM cases WHERE workspace_id = $1 AND id = $2 AND status = 'open' AND owner_user_id IS NULL`, [a.id, followUp!.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM case_notes WHERE workspace_id = $1', [a.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM benchmarks WHERE workspace_id = $1 AND id = $2 AND value = 10', [a.id, benchmark.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM assessments WHERE workspace_id = $1 AND id = $2', [a.id, assessment.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [victimKey.key.id])).length, 1);
    assert.equal((await t.db.query("SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role = 'admin'", [a.id, user.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM surveys WHERE workspace_id = $1', [a.id])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM theme_labels WHERE workspace_id = $1 AND phrase = $2 AND name = $3 AND pinned', [a.id, 'x', `Theme ${marker}`])).length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM customers WHERE workspace_id = $1', [b.id])).length, 0, 'nothing was written into B under A’s ids either');

    // Every operation of the document was called by this test.
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    assert.deepEqual(operations.filter((o) => !exercised.has(o)), []);
  });
});
