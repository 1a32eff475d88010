import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../src/http/app.ts';
import { deliverWebhookHandler } from '../../src/jobs/deliver-webhook.ts';
import { createApiKey } from '../../src/storage/accounts.ts';
import { JobWorker } from '../../src/storage/jobs.ts';
import { createWebhook, DELIVER_WEBHOOK, enqueueWebhookMessages, listDeliveries } from '../../src/storage/webhooks.ts';
import { newWebhookSecret } from '../../src/webhooks/signature.ts';
import { checkWebhookUrl, forbiddenAddress, type Resolver } from '../../src/webhooks/url-guard.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

/**
 * SSRF through webhook URLs. Private targets stay forbidden here (SADA_WEBHOOKS_ALLOW_PRIVATE is
 * not set): loopback in every spelling, the metadata address, private and IPv6-mapped ranges,
 * localhost, names that resolve inside, DNS rebinding between save and send, and redirects.
 */
delete process.env.SADA_WEBHOOKS_ALLOW_PRIVATE;

const INSIDE = [
  'http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.0.0.1/', 'http://0x7f000001/', 'http://0/', 'http://0.0.0.0:8080/',
  'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://10.0.0.5/', 'http://172.16.3.4/', 'http://192.168.1.1/', 'http://100.64.0.1/',
  'http://[::1]/', 'http://[::]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:ffff:10.0.0.1]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:7f00:1::]/',
  'http://[fd12:3456::1]/', 'http://[fc00::1]/', 'http://[fe80::1]/', 'http://[ff02::1]/', 'http://localhost/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://224.0.0.1/',
];
const OUTSIDE = ['https://93.184.215.14/', 'https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/', 'http://[::ffff:93.184.215.14]/'];

test('every spelling of an inside address is refused; public addresses pass', async () => {
  for (const url of INSIDE) {
    const check = await checkWebhookUrl(url, { allowPrivate: false, resolve: async () => [{ address: '93.184.215.14', family: 4 }] });
    assert.equal(check.ok, false, `${url} must be refused`);
  }
  for (const url of OUTSIDE) assert.equal((await checkWebhookUrl(url, { allowPrivate: false })).ok, true, url);
  assert.equal(forbiddenAddress('8.8.8.8'), undefined);
  assert.match(forbiddenAddress('169.254.169.254')!, /metadata/);
  for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:25/', 'http://user:pw@example.com/', 'not a url']) {
    assert.equal((await checkWebhookUrl(url, { allowPrivate: false })).ok, false, url);
  }
});

test('a name is checked by every address it resolves to', async () => {
  const resolve: Resolver = async (host) => (host === 'mixed.example' ? [{ address: '93.184.215.14', family: 4 }, { address: '10.1.2.3', family: 4 }] : [{ address: '::1', family: 6 }]);
  assert.equal((await checkWebhookUrl('https://mixed.example/', { allowPrivate: false, resolve })).ok, false);
  assert.equal((await checkWebhookUrl('https://inside.example/', { allowPrivate: false, resolve })).ok, false);
  assert.equal((await checkWebhookUrl('https://inside.example/', { allowPrivate: true, resolve })).ok, true, 'the explicit setting allows private targets');
});

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

describeEachEngine('security: SSRF through webhooks', (t) => {
  test('the API refuses inside URLs at save', async () => {
    const ws = await t.workspace('ssrf');
    const admin = (await createApiKey(t.db, { workspaceId: ws.id, name: 'admin', role: 'admin' })).secret;
    const app = createApp({ db: t.db, version: 'test' });
    for (const url of [...INSIDE.filter((u) => !u.includes('localhost')).slice(0, 12), 'http://localhost/', receiver.url]) {
      const response = await app.request(`/api/v1/webhooks?workspace=${ws.name}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
      assert.equal(response.status, 400, url);
      assert.match((await response.json()).message, /refused/);
    }
    assert.equal((await t.db.query('SELECT 1 FROM webhooks WHERE workspace_id = $1', [ws.id])).length, 0);
  });

  test('DNS rebinding: a name that resolved outside at save and inside at send is refused at send, nothing is sent', async () => {
    const ws = await t.workspace('rebind');
    const webhook = await createWebhook(t.db, ws.id, { url: `http://rebind.example:${receiver.port}/hook`, secret: newWebhookSecret(), events: ['response.created'] });
    await t.db.transaction((tx) => enqueueWebhookMessages(tx, ws.id, [{ submissionId: 's1', event: 'response.created', messageId: 'msg_s1', payload: {} }]));
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const before = receiver.received.length;
    await new JobWorker(t.db, { [DELIVER_WEBHOOK]: deliverWebhookHandler({ db: t.db, resolve }) }, { workspaceIds: [ws.id], log: () => {} }).runOnce();
    assert.equal(receiver.received.length, before, 'nothing reached the inside address');
    const [delivery] = await listDeliveries(t.db, ws.id, webhook.id, { limit: 5 });
    assert.equal(delivery!.status, 'failed');
    assert.match(delivery!.lastError!, /refused: .*127\.0\.0\.1.*loopback/);
  });

  test('the connection goes to the address that was checked (pinned), and a redirect inside is not followed', async () => {
    const ws = await t.workspace('pin');
    // A name the system cannot resolve: the delivery arrives only if the connection used the checked address.
    const webhook = await createWebhook(t.db, ws.id, { url: `http://pinned.invalid:${receiver.port}/pin-${ws.name}`, secret: newWebhookSecret(), events: ['response.created'] });
    await t.db.transaction((tx) => enqueueWebhookMessages(tx, ws.id, [{ submissionId: 's2', event: 'response.created', messageId: 'msg_s2', payload: {} }]));
    const lookups: string[] = [];
    const resolve: Resolver = async (host) => (lookups.push(host), [{ address: '127.0.0.1', family: 4 }]);
    receiver.reply = (_request, response) => {
      response.writeHead(307, { location: `http://169.254.169.254/latest/meta-data/` });
      response.end();
    };
    try {
      // Private targets allowed for this one endpoint's test only: the receiver is on loopback.
      await new JobWorker(t.db, { [DELIVER_WEBHOOK]: deliverWebhookHandler({ db: t.db, resolve, allowPrivate: () => true }) }, { workspaceIds: [ws.id], log: () => {} }).runOnce();
    } finally {
      receiver.reply = (_r, response) => {
        response.writeHead(200);
        response.end('ok');
      };
    }
    assert.deepEqual(lookups, ['pinned.invalid'], 'resolved once, by the check');
    assert.equal(receiver.received.filter((r) => r.url === `/pin-${ws.name}`).length, 1, 'arrived through the pinned address');
    assert.equal(receiver.received[receiver.received.length - 1]!.headers.host, `pinned.invalid:${receiver.port}`, 'the Host is the URL’s name');
    const [delivery] = await listDeliveries(t.db, ws.id, webhook.id, { limit: 5 });
    assert.equal(delivery!.status, 'retrying');
    assert.equal(delivery!.responseCode, 307, 'the redirect is an answer, not followed');
  });
});
