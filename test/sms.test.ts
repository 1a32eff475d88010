import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { smtpMailer } from '../src/jobs/mailer.ts';
import { SEND_SMS } from '../src/jobs/send-sms.ts';
import { httpSmsSender, smsBody } from '../src/jobs/sms.ts';
import { createJobWorker } from '../src/jobs/worker.ts';
import { verifyLink } from '../src/listening/link-token.ts';
import { listJobs } from '../src/storage/jobs.ts';
import { linkKey, saveSurvey } from '../src/storage/surveys.ts';
import { describeEachEngine } from './support/databases.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** Events → an SMS invitation through a configurable HTTP provider (a local receiver here). */

const TOKEN = 'test-token-0123456789abcdefghij';
const PUBLIC = 'https://cx.example.com';

test('the body template: JSON values are JSON-escaped, form values URL-encoded', () => {
  assert.deepEqual(smsBody('{"to":"{to}","text":"{text}"}', '+370 600', 'Say "hi"\n'), { body: '{"to":"+370 600","text":"Say \\"hi\\"\\n"}', contentType: 'application/json' });
  assert.deepEqual(smsBody('To={to}&Body={text}', '+370600', 'a&b=c'), { body: 'To=%2B370600&Body=a%26b%3Dc', contentType: 'application/x-www-form-urlencoded' });
});

let provider: Receiver;
before(async () => {
  provider = await startReceiver();
});
after(() => provider.close());

describeEachEngine('SMS invitations', (t) => {
  test('an event with an SMS trigger queues a job; the worker posts the text with the personal short link to the provider', async () => {
    const ws = await t.workspace('sms');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    await t.db.query(`UPDATE workspaces SET settings = settings || jsonb_build_object('listening', $2::jsonb) WHERE id = $1`, [ws.id, JSON.stringify({ triggers: [{ event: 'order_delivered', survey: 'checkout', delayMinutes: 0, channel: 'sms' }] })]);
    const app = createApp({ db: t.db, version: 'test', apiToken: TOKEN });
    const posted = await app.request('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `ev-${ws.name}`, workspace: ws.name, type: 'order_delivered', customer: { id: 'c-1', phone: '+37060000001', language: 'lt' }, order: 'o-1' }),
    });
    assert.equal(posted.status, 202, await posted.clone().text());
    const [job] = await listJobs(t.db, ws.id, SEND_SMS);
    assert.ok(job);
    const path = `/sms-${ws.name}`;
    const sms = httpSmsSender({ url: `${provider.url}${path}`, body: '{"to":"{to}","message":"{text}"}', auth: 'X-Api-Key: k-123' });
    const worker = createJobWorker(t.db, { mailer: smtpMailer(undefined, undefined), publicUrl: () => PUBLIC, sms }, { workspaceIds: [ws.id], log: () => {} });
    await worker.runOnce();
    const [received] = provider.received.filter((r) => r.url === path);
    assert.ok(received, 'the provider got the message');
    assert.equal(received.headers['x-api-key'], 'k-123');
    assert.equal(received.headers['content-type'], 'application/json');
    const body = JSON.parse(received.body);
    assert.equal(body.to, '+37060000001');
    // The text carries a short link (a signed token alone would fill an SMS); it redirects to the personal link.
    const short = /https:\/\/cx\.example\.com\/r\/([0-9A-Za-z]{10})$/.exec(body.message);
    assert.ok(short, body.message);
    assert.ok(short[0].length <= 40, `a short link: ${short[0]}`);
    const redirect = await app.request(`/r/${short[1]}`);
    assert.equal(redirect.status, 302);
    const link = /^\/s\/([^/]+)\/checkout\?t=(\S+)$/.exec(redirect.headers.get('location') ?? '');
    assert.ok(link, redirect.headers.get('location') ?? 'no location');
    assert.equal(decodeURIComponent(link[1]!), ws.name);
    const check = verifyLink(await linkKey(t.db, ws.id), decodeURIComponent(link[2]!), 'checkout');
    assert.ok(check.ok && check.claims.c === 'c-1', 'the link names the customer');
    const page = await app.request(redirect.headers.get('location')!);
    assert.equal(page.status, 200, 'the survey opens');

    // Unknown and expired codes answer with a page, never a redirect.
    const unknown = await app.request('/r/AAAAAAAAAA');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /not valid/);
    assert.equal((await app.request('/r/..%2Fevil')).status, 404);
    await t.db.query('UPDATE short_links SET expires_at = now() - interval \'1 second\' WHERE workspace_id = $1 AND code = $2', [ws.id, short[1]]);
    assert.equal((await app.request(`/r/${short[1]}`)).status, 410);
    // Guessing codes is limited per client address.
    const fresh = createApp({ db: t.db, version: 'test', apiToken: TOKEN });
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await fresh.request('/r/BBBBBBBBBB')).status);
    assert.deepEqual([statuses.at(0), statuses.at(29), statuses.at(30)], [404, 404, 429]);
    assert.equal((await listJobs(t.db, ws.id, SEND_SMS))[0]!.status, 'done');
  });

  test('a provider error is retried; no phone is skipped with the reason', async () => {
    const ws = await t.workspace('sms-fail');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    await t.db.query(`UPDATE workspaces SET settings = settings || jsonb_build_object('listening', $2::jsonb) WHERE id = $1`, [ws.id, JSON.stringify({ triggers: [{ event: 'signup', survey: 'checkout', channel: 'sms' }] })]);
    const app = createApp({ db: t.db, version: 'test', apiToken: TOKEN });
    const send = (id: string, customer: Record<string, string>) =>
      app.request('/api/v1/events', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ id, workspace: ws.name, type: 'signup', customer }) });
    assert.equal((await send('e1', { id: 'c-1', phone: '+37060000002' })).status, 202);
    assert.equal((await send('e2', { id: 'c-2' })).status, 202);
    provider.reply = (_r, response) => {
      response.writeHead(503);
      response.end('busy');
    };
    try {
      const sms = httpSmsSender({ url: `${provider.url}/down-${ws.name}` });
      await createJobWorker(t.db, { mailer: smtpMailer(undefined, undefined), publicUrl: () => PUBLIC, sms }, { workspaceIds: [ws.id], log: () => {} }).runOnce();
    } finally {
      provider.reply = (_r, response) => {
        response.writeHead(200);
        response.end('ok');
      };
    }
    const jobs = await listJobs(t.db, ws.id, SEND_SMS);
    const byCustomer = new Map(jobs.map((j) => [(j.payload as { customer: { id: string } }).customer.id, j]));
    assert.equal(byCustomer.get('c-1')!.status, 'queued');
    assert.match(byCustomer.get('c-1')!.last_error!, /503/);
    assert.equal(byCustomer.get('c-2')!.status, 'skipped');
    assert.match(byCustomer.get('c-2')!.result!, /^no_phone/);
  });
});
