import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { deliverWebhookHandler } from '../src/jobs/deliver-webhook.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { JobWorker, listJobs } from '../src/storage/jobs.ts';
import { createSubmission } from '../src/storage/submissions.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { DELIVER_WEBHOOK } from '../src/storage/webhooks.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { startReceiver, type Received, type Receiver } from './support/receiver.ts';
import { checkoutSurvey } from './support/surveys.ts';

/**
 * Outgoing webhooks: registered by admins, written in the answer's own transaction (the group
 * commit's statement included), signed per Standard Webhooks (checked here by an independent
 * verifier written from the spec), retried, logged, resent. The receiver runs on 127.0.0.1, so
 * this file turns private targets on explicitly (the SSRF tests in test/security keep them off).
 */
process.env.SADA_WEBHOOKS_ALLOW_PRIVATE = '1';

/** Standard Webhooks verification, from the spec: HMAC-SHA256 over "id.timestamp.body" keyed by the base64 after whsec_. */
function verifyStandardWebhook(secret: string, request: Received, toleranceSeconds = 300): boolean {
  const id = String(request.headers['webhook-id'] ?? '');
  const timestamp = String(request.headers['webhook-timestamp'] ?? '');
  const signatures = String(request.headers['webhook-signature'] ?? '');
  if (!id || !/^\d+$/.test(timestamp) || !signatures) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  assert.ok(secret.startsWith('whsec_'));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  assert.equal(key.length >= 24, true, 'the secret has at least 24 random bytes');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

describeEachEngine('outgoing webhooks', (t) => {
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
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  let ip = 0;
  const answer = (ws: Workspace, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${++ip % 250}`, ...headers },
      body: JSON.stringify({ workspace: ws.name, survey: 'checkout', ...body }),
    });
  const worker = (ws: Workspace) => new JobWorker(t.db, { [DELIVER_WEBHOOK]: deliverWebhookHandler({ db: t.db }) }, { workspaceIds: [ws.id], log: () => {} });
  const setUp = async () => {
    const ws = await t.workspace('hooks');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    const admin = await keyFor(ws, 'admin');
    return { ws, admin };
  };
  const forPath = (path: string) => receiver.received.filter((r) => r.url === path);

  test('an answer sends response.created and response.completed, signed; a retry of the request sends nothing more', async () => {
    const { ws, admin } = await setUp();
    const created = await call(admin, 'POST', `/api/v1/webhooks?workspace=${ws.name}`, { url: `${receiver.url}/a-${ws.name}`, description: 'CRM' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const secret = created.body.secret as string;
    assert.deepEqual(created.body.webhook.events, ['response.created', 'response.completed']);
    const listed = await call(admin, 'GET', `/api/v1/webhooks?workspace=${ws.name}`);
    assert.equal(JSON.stringify(listed.body).includes(secret), false, 'the secret is shown once');
    assert.equal((await call(admin, 'GET', `/api/v1/webhooks/${created.body.webhook.id}?workspace=${ws.name}`)).body.webhook.url, `${receiver.url}/a-${ws.name}`);

    // The group-commit path (anonymous answers), with a client retry of the same request.
    const first = await answer(ws, { answers: { recommend: { score: 9, comment: 'fast' } } }, { 'idempotency-key': 'retry-after-timeout-0001' });
    assert.equal(first.status, 201);
    const { id } = await first.json();
    const retry = await answer(ws, { answers: { recommend: { score: 9, comment: 'fast' } } }, { 'idempotency-key': 'retry-after-timeout-0001' });
    assert.equal((await retry.json()).id, id, 'the retry is the same response');
    assert.equal((await listJobs(t.db, ws.id, DELIVER_WEBHOOK)).length, 2, 'one job per event, not per request');

    await worker(ws).runOnce();
    const got = forPath(`/a-${ws.name}`).filter((r) => JSON.parse(r.body).data.submission === id);
    assert.deepEqual(got.map((r) => JSON.parse(r.body).type).sort(), ['response.completed', 'response.created']);
    for (const request of got) {
      assert.ok(verifyStandardWebhook(secret, request), 'the signature verifies');
      assert.equal(request.headers['content-type'], 'application/json');
      const body = JSON.parse(request.body);
      assert.equal(request.headers['webhook-id'], `msg_${id}_${body.type === 'response.created' ? 'created' : 'completed'}`);
      assert.deepEqual(body.data.answers, [{ question: 'recommend', kind: 'nps', score: 9, answer: null, comment: 'fast' }]);
    }
    const tampered = { ...got[0]!, body: got[0]!.body.replace('"score":9', '"score":0') };
    assert.equal(verifyStandardWebhook(secret, tampered), false, 'a changed body does not verify');
    assert.equal(verifyStandardWebhook('whsec_' + Buffer.alloc(24).toString('base64'), got[0]!), false, 'another secret does not verify');

    const deliveries = await call(admin, 'GET', `/api/v1/webhooks/${created.body.webhook.id}/deliveries?workspace=${ws.name}`);
    assert.equal(deliveries.status, 200);
    assert.deepEqual(deliveries.body.deliveries.map((d: { status: string; attempts: number; responseCode: number }) => [d.status, d.attempts, d.responseCode]), [['delivered', 1, 200], ['delivered', 1, 200]]);
  });

  test('answers with a person behind them (the single path) and a later completion send their events too', async () => {
    const { ws, admin } = await setUp();
    await call(admin, 'POST', `/api/v1/webhooks?workspace=${ws.name}`, { url: `${receiver.url}/b-${ws.name}`, events: ['response.completed'] });
    const survey = checkoutSurvey();
    const outcome = await createSubmission(t.db, ws.id, {
      survey, respondent: { customerId: 'c-7' }, language: 'en', channel: 'email', complete: false, requestHash: 'h1', contactCooldownDays: 0,
      answers: [{ questionId: 'recommend', kind: 'nps', score: 3, scaleMin: 0, scaleMax: 10, answer: null, comment: null, attributes: {} }],
    });
    assert.ok(outcome.ok);
    assert.equal((await listJobs(t.db, ws.id, DELIVER_WEBHOOK)).length, 0, 'only completed is subscribed, and it is not complete yet');
    const patch = await app().request(`/api/v1/public/responses/${outcome.state.id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { comment: 'late' } } }),
    });
    assert.equal(patch.status, 200);
    await worker(ws).runOnce();
    const [got] = forPath(`/b-${ws.name}`).filter((r) => JSON.parse(r.body).data.submission === outcome.state.id);
    const body = JSON.parse(got!.body);
    assert.equal(body.type, 'response.completed');
    assert.equal(body.data.customer, 'c-7');
    assert.deepEqual(body.data.answers, [{ question: 'recommend', kind: 'nps', score: 3, answer: null, comment: 'late' }]);
  });

  test('a failed attempt is logged with its code and next attempt, retried with backoff; a redirect is not followed; resend sends the same message again', async () => {
    const { ws, admin } = await setUp();
    const hook = (await call(admin, 'POST', `/api/v1/webhooks?workspace=${ws.name}`, { url: `${receiver.url}/c-${ws.name}`, events: ['response.created'] })).body;
    receiver.reply = (request, response) => {
      if (request.url.startsWith('/c-')) {
        response.writeHead(302, { location: `${receiver.url}/internal` });
        response.end();
      } else {
        response.writeHead(200);
        response.end('ok');
      }
    };
    try {
      assert.equal((await answer(ws, { answers: { recommend: { score: 5 } } })).status, 201);
      await worker(ws).runOnce();
    } finally {
      receiver.reply = (_r, response) => {
        response.writeHead(200);
        response.end('ok');
      };
    }
    assert.equal(forPath('/internal').length, 0, 'the redirect was not followed');
    const [failed] = (await call(admin, 'GET', `/api/v1/webhooks/${hook.webhook.id}/deliveries?workspace=${ws.name}`)).body.deliveries;
    assert.equal(failed.status, 'retrying');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.responseCode, 302);
    assert.match(failed.lastError, /redirects are not followed/);
    assert.ok(new Date(failed.nextAttemptAt).getTime() > Date.now() + 30_000, 'the next attempt is about a minute later');
    const [job] = await listJobs(t.db, ws.id, DELIVER_WEBHOOK);
    assert.equal(job!.status, 'queued');
    assert.ok(new Date(job!.run_at).getTime() > Date.now() + 30_000);
    assert.equal(await worker(ws).runOnce(), 0, 'nothing is due before the backoff');

    const resent = await call(admin, 'POST', `/api/v1/webhook-deliveries/${failed.id}/resend?workspace=${ws.name}`);
    assert.equal(resent.status, 202, JSON.stringify(resent.body));
    assert.equal(resent.body.delivery.status, 'pending');
    await worker(ws).runOnce();
    const [delivered] = (await call(admin, 'GET', `/api/v1/webhooks/${hook.webhook.id}/deliveries?workspace=${ws.name}`)).body.deliveries;
    assert.deepEqual([delivered.status, delivered.attempts, delivered.responseCode, delivered.lastError], ['delivered', 2, 200, null]);
    const attempts = forPath(`/c-${ws.name}`);
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0]!.headers['webhook-id'], attempts[1]!.headers['webhook-id'], 'the same message id on every attempt');
    assert.equal(attempts[0]!.body, attempts[1]!.body);

    // A resend of a delivered message queues it again.
    assert.equal((await call(admin, 'POST', `/api/v1/webhook-deliveries/${failed.id}/resend?workspace=${ws.name}`)).status, 202);
    await worker(ws).runOnce();
    assert.equal(forPath(`/c-${ws.name}`).length, 3);
    assert.equal((await call(admin, 'POST', `/api/v1/webhook-deliveries/999999999/resend?workspace=${ws.name}`)).status, 404);
  });

  test('admins only; validation; change, rotate, disable and delete', async () => {
    const { ws, admin } = await setUp();
    const analyst = await keyFor(ws, 'analyst');
    const q = `workspace=${ws.name}`;
    assert.equal((await call(analyst, 'GET', `/api/v1/webhooks?${q}`)).status, 403);
    assert.equal((await call(analyst, 'POST', `/api/v1/webhooks?${q}`, { url: `${receiver.url}/x` })).status, 403);
    for (const bad of [{}, { url: 'ftp://example.com/x' }, { url: `${receiver.url}/x`, events: ['response.deleted'] }, { url: `${receiver.url}/x`, events: [] }, { url: `${receiver.url}/x`, extra: 1 }, { url: 'http://user:pw@example.com/' }]) {
      const refused = await call(admin, 'POST', `/api/v1/webhooks?${q}`, bad);
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.ok(refused.body.message.length > 10);
    }
    const made = (await call(admin, 'POST', `/api/v1/webhooks?${q}`, { url: `${receiver.url}/d-${ws.name}` })).body;
    const rotated = await call(admin, 'PATCH', `/api/v1/webhooks/${made.webhook.id}?${q}`, { rotateSecret: true, enabled: false });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, made.secret);
    assert.equal(rotated.body.webhook.enabled, false);
    assert.equal((await answer(ws, { answers: { recommend: { score: 7 } } })).status, 201);
    assert.equal((await listJobs(t.db, ws.id, DELIVER_WEBHOOK)).length, 0, 'a disabled endpoint gets nothing');
    assert.equal((await call(admin, 'PATCH', `/api/v1/webhooks/${made.webhook.id}?${q}`, {})).status, 400);
    assert.equal((await call(admin, 'DELETE', `/api/v1/webhooks/${made.webhook.id}?${q}`)).status, 204);
    assert.equal((await call(admin, 'DELETE', `/api/v1/webhooks/${made.webhook.id}?${q}`)).status, 404);
    assert.equal((await call(admin, 'GET', `/api/v1/webhooks/${made.webhook.id}/deliveries?${q}`)).status, 404);
    assert.equal((await call(admin, 'GET', `/api/v1/webhooks/abc?${q}`)).status, 404);
  });
});
