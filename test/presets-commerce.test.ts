import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RecordKindName } from '../src/domain/record-kinds.ts';
import { importFile, type ImportSummary } from '../src/import/importer.ts';
import { prepareWithPreset } from '../src/import/preset-files.ts';
import { metricReport } from '../src/reports/metric-report.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { formatPath, readFormatJson } from './support/formats.ts';
import { writeTemp } from './support/presets.ts';

/**
 * Shop and billing presets end to end on the real samples (../shared/formats): every record
 * lands, a re-import changes nothing, and the metrics Sada computes are the ones worked out by
 * hand. Documents built here start from the samples' own records.
 */

const reports = mkdtempSync(join(tmpdir(), 'sada-presets-commerce-'));
const counts = (s: ImportSummary) => [s.inserted, s.updated, s.unchanged, s.rejected, s.skipped];
const epoch = (iso: string) => Date.parse(iso) / 1000;

type Doc = Record<string, unknown>;

describeEachEngine('shop and billing presets', (t) => {
  async function load(workspace: Workspace, kind: RecordKindName, path: string, spec: string) {
    const prepared = await prepareWithPreset(path, kind, spec);
    return importFile(t.db, { workspace, kind, path, reportDir: reports, batchSize: 2, ...prepared });
  }
  const metric = async (workspace: Workspace, name: string, options: { by?: string[]; from?: string; to?: string } = {}) =>
    (await metricReport(t.db, workspace, { metric: name, ...options })).groups;

  test('Stripe sample: both subscriptions and the customer land, and a re-import changes nothing', async () => {
    const ws = await t.workspace('stripe');
    const path = formatPath('stripe-subscriptions.json');
    assert.deepEqual(counts(await load(ws, 'subscriptions', path, 'stripe')), [2, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'stripe')), [1, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'subscriptions', path, 'stripe')), [0, 0, 2, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'stripe')), [0, 0, 1, 0, 0]);
    const rows = await t.db.query<{ id: string; started_at: Date; ended_at: Date | null }>('SELECT id, started_at, ended_at FROM subscriptions WHERE workspace_id = $1 ORDER BY id', [ws.id]);
    assert.deepEqual(
      rows.map((r) => [r.id, r.started_at.toISOString(), r.ended_at?.toISOString() ?? null]),
      [
        ['sub_1Pgc6rB7WZ01zgkWNy0Cn5nw', '2009-02-13T23:31:30.000Z', '2009-02-13T23:31:30.000Z'],
        ['sub_HeFKfIvdgFh3qw', '2020-07-14T22:42:25.000Z', null],
      ],
    );
  });

  test('Stripe round trip: churn and retention by month are the ones counted by hand', async () => {
    const ws = await t.workspace('stripe-churn');
    const [current, legacy] = readFormatJson<{ subscriptions: Doc[] }>('stripe-subscriptions.json').subscriptions;
    const sub = (template: Doc | undefined, id: string, customer: string, start: string, end: string | null, extra: Doc = {}) => ({
      ...template,
      id,
      customer,
      start_date: epoch(start),
      created: epoch(start),
      status: end ? 'canceled' : 'active',
      ended_at: end ? epoch(end) : null,
      canceled_at: end ? epoch(end) : null,
      cancel_at: null,
      ...extra,
    });
    const doc = {
      object: 'list',
      data: [
        sub(legacy, 'sub_a', 'cus_a', '2024-01-10T08:00:00Z', null),
        sub(legacy, 'sub_b', 'cus_b', '2024-01-15T08:00:00Z', '2024-03-20T08:00:00Z', { cancellation_details: { reason: 'cancellation_requested', feedback: 'too_expensive', comment: null } }),
        sub(current, 'sub_c', 'cus_c', '2024-02-03T08:00:00Z', '2024-02-25T08:00:00Z', { cancellation_details: { reason: 'payment_failed', feedback: null, comment: null } }),
        sub(current, 'sub_d', 'cus_d', '2024-03-05T08:00:00Z', null),
        sub(legacy, 'sub_e', 'cus_e', '2024-03-06T08:00:00Z', null, { status: 'incomplete_expired' }),
      ],
    };
    const path = writeTemp(doc);
    assert.deepEqual(counts(await load(ws, 'subscriptions', path, 'stripe')), [4, 0, 0, 0, 1]);
    // By hand. February: active on 1 Feb a and b; on 1 Mar a and b (c started and ended inside
    // February, so it is in neither count): churn 0 of 2. March: active on 1 Mar a and b; on 1 Apr
    // a and d (b ended on 20 Mar): churn 1 of 2 = 50%; retention (2 at the end − 1 new) ÷ 2 = 50%.
    const churn = await metric(ws, 'churn', { by: ['month'], from: '2024-02-01', to: '2024-03-31' });
    assert.deepEqual(churn.map((g) => [g.key.month, g.n, g.value]), [['2024-02', 2, 0], ['2024-03', 2, 50]]);
    const retention = await metric(ws, 'retention', { by: ['month'], from: '2024-03-01', to: '2024-03-31' });
    assert.deepEqual(retention.map((g) => [g.key.month, g.n, g.value]), [['2024-03', 2, 50]]);
    const [reason] = await t.db.query<{ cancel_reason: string; attributes: Doc }>("SELECT cancel_reason, attributes FROM subscriptions WHERE workspace_id = $1 AND id = 'sub_b'", [ws.id]);
    assert.deepEqual([reason?.cancel_reason, reason?.attributes.cancel_feedback], ['cancellation_requested', 'too_expensive']);
    assert.deepEqual(counts(await load(ws, 'subscriptions', path, 'stripe')), [0, 0, 4, 0, 1]);
  });
  test('WooCommerce sample: both orders and their buyers land, and a re-import changes nothing', async () => {
    const ws = await t.workspace('woocommerce');
    const path = formatPath('woocommerce-orders.json');
    assert.deepEqual(counts(await load(ws, 'orders', path, 'woocommerce')), [2, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'woocommerce')), [2, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'orders', path, 'woocommerce')), [0, 0, 2, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'woocommerce')), [0, 0, 2, 0, 0]);
    const rows = await t.db.query<{ id: string; customer_id: string; placed_at: Date; status: string }>('SELECT id, customer_id, placed_at, status FROM orders WHERE workspace_id = $1 ORDER BY id', [ws.id]);
    assert.deepEqual(
      rows.map((r) => [r.id, r.customer_id, r.placed_at.toISOString(), r.status]),
      [
        ['723', '26', '2017-03-21T19:16:00.000Z', 'fulfilled'],
        ['727', 'john.doe@example.com', '2017-03-22T19:28:02.000Z', 'paid'],
      ],
    );
  });

  test('WooCommerce round trip: the repeat purchase rate is the one counted by hand, guests counted by e-mail', async () => {
    const ws = await t.workspace('woocommerce-repeat');
    const [guest, registered] = readFormatJson<{ orders: Doc[] }>('woocommerce-orders.json').orders;
    const copy = (template: Doc | undefined, id: number, extra: Doc) => ({ ...template, id, number: String(id), ...extra });
    const doc = [
      guest,
      registered,
      copy(registered, 728, { status: 'processing', date_created_gmt: '2017-04-02T10:00:00' }),
      copy(guest, 729, { billing: { ...(guest!.billing as Doc), email: 'John.Doe@Example.com' }, date_created_gmt: '2017-04-03T10:00:00' }),
      copy(registered, 730, { customer_id: 31, date_created_gmt: '2017-04-05T10:00:00' }),
      copy(registered, 731, { customer_id: 32, status: 'cancelled' }),
      copy(registered, 732, { customer_id: 32, status: 'refunded' }),
      copy(registered, 733, { customer_id: 33, status: 'checkout-draft' }),
    ];
    const path = writeTemp(doc.map((order, i) => (i < 3 ? { ...order, new_field: `n${i}` } : order)));
    const first = await load(ws, 'orders', path, 'woocommerce');
    assert.deepEqual(counts(first), [7, 0, 0, 0, 1]);
    // Three orders carry a field the preset does not know: kept on each, named once in the summary.
    assert.deepEqual(first.warnings, [
      '1 record(s) not imported: carts the block checkout saved as drafts (status checkout-draft): not placed',
      'fields the woocommerce preset (orders) does not know, kept as attributes: new_field',
    ]);
    const kept = await t.db.query<{ id: string; v: string }>("SELECT id, attributes->>'new_field' AS v FROM orders WHERE workspace_id = $1 AND attributes ? 'new_field' ORDER BY id", [ws.id]);
    assert.deepEqual(kept.map((r) => [r.id, r.v]), [['723', 'n1'], ['727', 'n0'], ['728', 'n2']]);
    // By hand: customers with an order that counts (not cancelled or refunded): 26 (723, 728),
    // john.doe@example.com (727, 729: the e-mail lower-cased), 31 (730); 32 has only a cancelled
    // and a refunded order. Two of the three bought again: 66.7%.
    const [repeat] = await metric(ws, 'repeat_purchase_rate');
    assert.equal(repeat?.n, 3);
    assert.ok(Math.abs((repeat?.value ?? 0) - (2 / 3) * 100) < 1e-9, String(repeat?.value));
    assert.deepEqual(counts(await load(ws, 'orders', path, 'woocommerce')), [0, 0, 7, 0, 1]);
  });
  test('Shopify sample: one order per order however many rows, its buyers, the repeat purchase rate counted by hand; a re-import changes nothing', async () => {
    const ws = await t.workspace('shopify');
    const path = formatPath('shopify-orders.csv');
    // 10 rows: orders #1051 (1 row), #1050 (4 rows) and #1044 (5 rows); batches of 2 orders.
    assert.deepEqual(counts(await load(ws, 'orders', path, 'shopify')), [3, 0, 0, 0, 0]);
    // #1051 and #1050 were bought by the same e-mail: the second is the same customer again.
    assert.deepEqual(counts(await load(ws, 'customers', path, 'shopify')), [2, 0, 1, 0, 7]);
    const rows = await t.db.query<{ id: string; placed_at: Date; amount: number; status: string; items: number; skus: string[] }>(
      `SELECT id, placed_at, amount::float8 AS amount, status, items, ARRAY(SELECT i->>'sku' FROM jsonb_array_elements(attributes->'line_items') AS i) AS skus
       FROM orders WHERE workspace_id = $1 ORDER BY placed_at`,
      [ws.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.id, r.placed_at.toISOString(), r.amount, r.status, r.items, r.skus]),
      [
        ['6798479098155', '2025-12-06T15:36:16.000Z', 17758.28, 'paid', 8, ['SC-LAV-VAN', 'LW-MIN-BRN', 'CB-ETH-500', 'YM-ECO-001', 'WH-BT-001']],
        ['6798481490219', '2025-12-06T15:37:30.000Z', 11594, 'paid', 6, ['LW-MIN-BRN', 'YM-ECO-001', 'SC-LAV-VAN', 'CB-ETH-500']],
        ['6798481555755', '2025-12-06T15:37:33.000Z', 1299, 'paid', 1, ['CB-ETH-500']],
      ],
    );
    // By hand: two customers; [redacted]@gmail.com placed #1051 and #1050, test1@gmail.com #1044: 1 of 2 = 50%.
    const [repeat] = await metric(ws, 'repeat_purchase_rate');
    assert.deepEqual([repeat?.n, repeat?.value], [2, 50]);
    assert.deepEqual(counts(await load(ws, 'orders', path, 'shopify')), [0, 0, 3, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'customers', path, 'shopify')), [0, 0, 3, 0, 7]);
  });
});
