import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { STRIPE_TOLERANCE_SECONDS } from '../src/import/hooks.ts';
import { setHookSecret } from '../src/storage/hook-secrets.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { readFileSync } from 'node:fs';
import { formatPath, readFormatJson } from './support/formats.ts';
import { chatwootConversation, mapSample } from './support/presets.ts';

/**
 * Webhook receivers end to end: for each tool, a delivery built from its sample in
 * ../shared/formats, signed as the tool signs it, lands the records the file import would; a
 * missing or wrong signature (or a stale Stripe one) is refused with 401 and stores nothing; the
 * same delivery twice stores one record.
 */

type Doc = Record<string, unknown>;
type Headers = Record<string, string>;
const SECRET = 'shh-this-is-the-tools-secret';
const mac = (algorithm: 'sha1' | 'sha256', key: string | Buffer, text: string, encoding: 'hex' | 'base64') => createHmac(algorithm, key).update(text).digest(encoding);

/** Each tool's signing, as the tool does it, over the exact body text. */
const SIGN: Record<string, (body: string, secret: string) => Headers> = {
  zendesk: (body, secret) => {
    const timestamp = '2026-05-01T10:00:00Z';
    return { 'X-Zendesk-Webhook-Signature': mac('sha256', secret, timestamp + body, 'base64'), 'X-Zendesk-Webhook-Signature-Timestamp': timestamp };
  },
  freshdesk: (_body, secret) => ({ authorization: `Basic ${Buffer.from(`sada:${secret}`).toString('base64')}` }),
  chatwoot: (body, secret) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return { 'X-Chatwoot-Signature': `sha256=${mac('sha256', secret, `${timestamp}.${body}`, 'hex')}`, 'X-Chatwoot-Timestamp': timestamp, 'X-Chatwoot-Delivery': 'd-1' };
  },
  intercom: (body, secret) => ({ 'X-Hub-Signature': `sha1=${mac('sha1', secret, body, 'hex')}` }),
  helpscout: (body, secret) => ({ 'X-HelpScout-Signature': mac('sha1', secret, body, 'base64'), 'X-HelpScout-Event': 'satisfaction.ratings' }),
  shopify: (body, secret) => ({ 'X-Shopify-Hmac-Sha256': mac('sha256', secret, body, 'base64'), 'X-Shopify-Topic': 'orders/create' }),
  woocommerce: (body, secret) => ({ 'X-WC-Webhook-Signature': mac('sha256', secret, body, 'base64'), 'X-WC-Webhook-Topic': 'order.updated' }),
  stripe: (body, secret) => {
    const t = Math.floor(Date.now() / 1000);
    return { 'Stripe-Signature': `t=${t},v1=${mac('sha256', secret, `${t}.${body}`, 'hex')}` };
  },
  formbricks: (body, secret) => {
    const id = 'msg_1';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac('sha256', key, `${id}.${timestamp}.${body}`, 'base64')}` };
  },
  delighted: (body, secret) => ({ 'X-Delighted-Webhook-Signature': `sha256=${mac('sha256', secret, body, 'hex')}` }),
  typeform: (body, secret) => ({ 'Typeform-Signature': `sha256=${mac('sha256', secret, body, 'base64')}` }),
};
/** Formbricks' secrets are Standard Webhooks ones: whsec_ and base64. */
const secretOf = (tool: string) => (tool === 'formbricks' ? `whsec_${Buffer.from(SECRET).toString('base64')}` : SECRET);

/** The Shopify sample's order #1044 (five line items over five CSV rows) as the orders/create webhook sends it. */
function shopifyOrder(): Doc {
  const [header = '', ...rows] = readFileSync(formatPath('shopify-orders.csv'), 'utf8').trimEnd().split('\n');
  const columns = header.split(',');
  const cells = rows.filter((line) => line.startsWith('#1044,')).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
  const first = cells[0]!;
  return {
    id: Number(first.Id),
    admin_graphql_api_id: `gid://shopify/Order/${first.Id}`,
    name: first.Name,
    email: first.Email,
    created_at: '2025-12-06T10:36:16-05:00',
    processed_at: '2025-12-06T10:36:16-05:00',
    currency: first.Currency,
    total_price: first.Total,
    subtotal_price: first.Subtotal,
    total_tax: first.Taxes,
    total_discounts: first['Discount Amount'],
    financial_status: first['Financial Status'],
    fulfillment_status: null,
    cancelled_at: null,
    source_name: first.Source,
    browser_ip: '203.0.113.9',
    billing_address: { name: first['Billing Name'], country_code: first['Billing Country'] },
    customer: { id: 1, email: first.Email, first_name: 'ram' },
    total_shipping_price_set: { shop_money: { amount: first.Shipping, currency_code: 'INR' }, presentment_money: { amount: first.Shipping, currency_code: 'INR' } },
    line_items: cells.map((row, i) => ({ id: i + 1, quantity: Number(row['Lineitem quantity']), name: row['Lineitem name'], title: row['Lineitem name'], price: row['Lineitem price'], sku: row['Lineitem sku'], vendor: row.Vendor })),
  };
}

interface Case {
  tool: string;
  body: () => Doc;
  /** The table and id the delivery's main record lands as. */
  table: string;
  id: string;
}

const CASES: Case[] = [
  {
    tool: 'zendesk',
    // An event webhook: Zendesk writes the ticket in `detail`, ids as strings.
    body: () => {
      const ticket = readFormatJson<{ tickets: Doc[] }>('zendesk-tickets-incremental.json').tickets[0]!;
      return { type: 'zen:event-type:ticket.created', account_id: 1, id: '01HX-EXAMPLE', time: ticket.created_at, zendesk_event_version: '2022-11-06', subject: `zen:ticket:${ticket.id}`, detail: { ...ticket, id: String(ticket.id) }, event: {} };
    },
    table: 'tickets',
    id: '145',
  },
  { tool: 'freshdesk', body: () => readFormatJson<{ tickets: Doc[] }>('freshdesk-tickets-api.json').tickets[0]!, table: 'tickets', id: '22' },
  {
    tool: 'chatwoot',
    body: () => {
      const { account_id: _account, ...conversation } = chatwootConversation();
      return { event: 'conversation_status_changed', ...conversation, account: { id: 1, name: 'Acme' } };
    },
    table: 'tickets',
    id: '42',
  },
  {
    tool: 'intercom',
    body: () => {
      const conversation = (readFormatJson<{ list_conversations_example: { conversations: Doc[] } }>('intercom-conversations.json').list_conversations_example.conversations[0]!);
      return { type: 'notification_event', app_id: 'abc', id: 'notif_1', topic: 'conversation.admin.closed', created_at: 1700000000, data: { type: 'notification_event_data', item: conversation } };
    },
    table: 'tickets',
    id: '335',
  },
  { tool: 'helpscout', body: () => readFormatJson<{ rating_webhook_example: Doc }>('helpscout-rating-webhook.json').rating_webhook_example, table: 'responses', id: '5434' },
  { tool: 'shopify', body: shopifyOrder, table: 'orders', id: '6798479098155' },
  { tool: 'woocommerce', body: () => readFormatJson<{ orders: Doc[] }>('woocommerce-orders.json').orders[0]!, table: 'orders', id: '727' },
  {
    tool: 'stripe',
    body: () => ({ id: 'evt_1', object: 'event', type: 'customer.subscription.updated', data: { object: readFormatJson<{ subscriptions: Doc[] }>('stripe-subscriptions.json').subscriptions[0]! } }),
    table: 'subscriptions',
    id: 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw',
  },
  {
    tool: 'formbricks',
    body: () => {
      const response = readFormatJson<{ get_responses_example: { data: Doc[] } }>('formbricks-responses-api.json').get_responses_example.data[0]!;
      return { webhookId: 'wh_1', event: 'responseFinished', data: response };
    },
    table: 'responses',
    id: '',
  },
  {
    tool: 'delighted',
    // The webhook sends the person itself, not its id.
    body: () => {
      const response = readFormatJson<{ survey_responses: Doc[] }>('delighted-survey-responses.json').survey_responses[0]!;
      return { event_type: 'survey_response.updated', event_id: 'ev-1', event_data: { ...response, person: { id: response.person, email: 'someone@example.com', name: 'Some One', created_at: 1641289000 } } };
    },
    table: 'responses',
    id: '210554372',
  },
  {
    tool: 'typeform',
    body: () => {
      const { response_id: _id, landing_id: _landing, ...response } = readFormatJson<{ items: Doc[] }>('typeform-responses.json').items[0]!;
      return { event_id: '01H-EV', event_type: 'form_response', form_response: { ...response, definition: { id: response.form_id, title: 'Checkout', fields: [] } } };
    },
    table: 'responses',
    id: '',
  },
];

describeEachEngine('webhook receivers', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test' }));
  const post = (tool: string, workspace: string, body: string, headers: Headers = {}, query = '') =>
    app().request(`/api/v1/hooks/${tool}?workspace=${workspace}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const count = async (ws: Workspace, table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table} WHERE workspace_id = $1`, [ws.id]))[0]!.n;
  const ids = async (ws: Workspace, table: string) => (await t.db.query<{ id: string }>(`SELECT id FROM ${table} WHERE workspace_id = $1 ORDER BY id`, [ws.id])).map((r) => r.id);
  async function setUp(tool: string): Promise<Workspace> {
    const ws = await t.workspace(`hook-${tool}`);
    await setHookSecret(t.db, ws.id, tool, secretOf(tool));
    return ws;
  }

  for (const c of CASES) {
    test(`${c.tool}: a signed delivery lands, twice stores it once; unsigned or badly signed stores nothing`, async () => {
      const ws = await setUp(c.tool);
      const body = JSON.stringify(c.body());
      const headers = SIGN[c.tool]!(body, secretOf(c.tool));

      if (c.tool !== 'freshdesk') {
        const unsigned = await post(c.tool, ws.name, body);
        assert.equal(unsigned.status, 401, await unsigned.clone().text());
        assert.match((await unsigned.json()).message, /missing|secret/);
      }
      const forged = await post(c.tool, ws.name, body, SIGN[c.tool]!(body, 'not-the-secret-at-all'));
      assert.equal(forged.status, 401);
      if (c.tool !== 'freshdesk') {
        // Freshdesk signs nothing: its secret proves the sender, not the body.
        const tampered = await post(c.tool, ws.name, body.replace(/}$/, ',"x":1}'), headers);
        assert.equal(tampered.status, 401, 'a signature covers the exact body');
      }
      assert.equal(await count(ws, c.table), 0, 'refused deliveries store nothing');

      const first = await post(c.tool, ws.name, body, headers);
      assert.equal(first.status, 200, await first.clone().text());
      const stored = (await first.json()).stored as { kind: string; inserted: number }[];
      assert.ok(stored.some((s) => s.kind === c.table && s.inserted > 0), JSON.stringify(stored));
      const n = await count(ws, c.table);
      const landed = await ids(ws, c.table);
      if (c.id) assert.ok(landed.includes(c.id), `${c.id} in ${landed.join(', ')}`);

      const again = await post(c.tool, ws.name, body, headers);
      assert.equal(again.status, 200);
      for (const s of (await again.json()).stored as { inserted: number; updated: number }[]) assert.deepEqual([s.inserted, s.updated], [0, 0]);
      assert.equal(await count(ws, c.table), n, 'the same delivery twice changes nothing');
    });
  }

  test('the records are the ones the file import makes: Shopify’s webhook order equals the CSV export’s order, with all its line items', async () => {
    const ws = await setUp('shopify');
    const body = JSON.stringify(shopifyOrder());
    assert.equal((await post('shopify', ws.name, body, SIGN.shopify!(body, SECRET))).status, 200);
    const [row] = await t.db.query<{ id: string; customer_id: string; placed_at: Date; amount: number; currency: string; status: string; channel: string; items: number; attributes: Doc }>(
      'SELECT id, customer_id, placed_at, amount::float8 AS amount, currency, status, channel, items, attributes FROM orders WHERE workspace_id = $1',
      [ws.id],
    );
    const csv = (await mapSample('shopify-orders.csv', 'orders', 'shopify')).records.find((r) => r.id === '6798479098155')!;
    assert.deepEqual([row!.id, row!.customer_id, row!.placed_at.toISOString(), row!.amount, row!.currency, row!.status, row!.channel, row!.items], [
      csv.id,
      csv.customer_id,
      (csv.placed_at as Date).toISOString(),
      csv.amount,
      csv.currency,
      csv.status,
      csv.channel,
      csv.items,
    ]);
    assert.deepEqual(row!.attributes.line_items, (csv.attributes as Doc).line_items);
    assert.equal(row!.attributes.billing_country, 'IN');
    assert.ok(!('browser_ip' in row!.attributes) && !('customer' in row!.attributes) && !('billing_address.name' in row!.attributes), 'personal data is left out');
  });

  test('Stripe: a delivery signed more than 5 minutes ago is refused as a replay; a rolled secret’s second v1 is accepted', async () => {
    const ws = await setUp('stripe');
    const body = JSON.stringify(CASES.find((c) => c.tool === 'stripe')!.body());
    const old = Math.floor(Date.now() / 1000) - STRIPE_TOLERANCE_SECONDS - 30;
    const stale = await post('stripe', ws.name, body, { 'Stripe-Signature': `t=${old},v1=${mac('sha256', SECRET, `${old}.${body}`, 'hex')}` });
    assert.equal(stale.status, 401);
    assert.match((await stale.json()).message, /replayed/);
    assert.equal(await count(ws, 'subscriptions'), 0);
    const now = Math.floor(Date.now() / 1000);
    const rolled = await post('stripe', ws.name, body, { 'Stripe-Signature': `t=${now},v1=${mac('sha256', 'the-old-secret', `${now}.${body}`, 'hex')},v1=${mac('sha256', SECRET, `${now}.${body}`, 'hex')}` });
    assert.equal(rolled.status, 200);
    assert.equal(await count(ws, 'subscriptions'), 1);
  });

  test('Freshdesk: the secret in the URL works too; a wrong one is refused', async () => {
    const ws = await setUp('freshdesk');
    const body = JSON.stringify(CASES.find((c) => c.tool === 'freshdesk')!.body());
    assert.equal((await post('freshdesk', ws.name, body, {}, '&secret=wrong-secret-value')).status, 401);
    assert.equal((await post('freshdesk', ws.name, body, {})).status, 401);
    assert.equal(await count(ws, 'tickets'), 0);
    assert.equal((await post('freshdesk', ws.name, body, {}, `&secret=${SECRET}`)).status, 200);
    assert.equal(await count(ws, 'tickets'), 1);
  });

  test('a workspace without a secret, an unknown tool or workspace, a ping and an event Sada does not import: told what to do, nothing stored', async () => {
    const ws = await t.workspace('hook-none');
    const body = JSON.stringify(CASES.find((c) => c.tool === 'shopify')!.body());
    const noSecret = await post('shopify', ws.name, body, SIGN.shopify!(body, SECRET));
    assert.equal(noSecret.status, 401);
    assert.match((await noSecret.json()).message, /sada hooks secret shopify --workspace/);
    assert.equal((await post('nosuchtool', ws.name, body)).status, 404);
    assert.equal((await post('shopify', 'no-such-workspace', body)).status, 404);
    assert.equal(await count(ws, 'orders'), 0);

    const shop = await setUp('woocommerce');
    const ping = await app().request(`/api/v1/hooks/woocommerce?workspace=${shop.name}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=12' });
    assert.equal(ping.status, 200, 'WooCommerce keeps a webhook only when its ping gets a 200');
    const product = JSON.stringify({ id: 5, name: 'Mug' });
    const ignored = await post('woocommerce', shop.name, product, { ...SIGN.woocommerce!(product, SECRET), 'X-WC-Webhook-Topic': 'product.updated' });
    assert.equal(ignored.status, 202);
    assert.match((await ignored.json()).ignored, /product.updated/);
    assert.equal(await count(shop, 'orders'), 0);
  });

  test('deliveries are limited per workspace (settings.hooks.perMinute) with Retry-After', async () => {
    const ws = await setUp('helpscout');
    await t.db.query('UPDATE workspaces SET settings = $2 WHERE id = $1', [ws.id, JSON.stringify({ hooks: { perMinute: 2 } })]);
    const body = JSON.stringify(CASES.find((c) => c.tool === 'helpscout')!.body());
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('helpscout', ws.name, body, SIGN.helpscout!(body, SECRET))).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const other = await setUp('helpscout');
    assert.equal((await post('helpscout', other.name, body, SIGN.helpscout!(body, SECRET))).status, 200, "another workspace's limit is its own");
  });
});
