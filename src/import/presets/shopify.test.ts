import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { formatPath } from '../../../test/support/formats.ts';
import { mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';
import { shopifyStatus } from './shopify.ts';

const at = (iso: string) => new Date(iso);
type Doc = Record<string, unknown>;

/** The sample's header and rows, for documents built from them. */
export function shopifySample(): { header: string; rows: string[] } {
  const [header = '', ...rows] = readFileSync(formatPath('shopify-orders.csv'), 'utf8').trimEnd().split('\n');
  return { header, rows };
}

describe('Shopify preset', () => {
  test('the sample is recognised as orders and their customers, and only as those', async () => {
    const found = detectSources(await sampleFile(formatPath('shopify-orders.csv'), 'csv')).map((m) => `${m.preset.name}:${m.source.name}`);
    assert.deepEqual(found, ['shopify:orders', 'shopify:customers']);
  });

  test('orders: one per order however many rows, times with the shop’s offset read exactly, statuses and channels as documented', async () => {
    const result = await mapSample('shopify-orders.csv', 'orders', 'shopify');
    // 10 rows: 3 orders (1, 4 and 5 line items), each read as one record with all its rows.
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems, result.warnings], [10, 3, 0, [], []]);
    assert.deepEqual(
      result.records.map((r) => [r.id, (r.attributes as Doc).order_name, r.customer_id, r.placed_at, r.amount, r.currency, r.status, r.channel, r.items]),
      [
        ['6798481555755', '#1051', '[redacted]@gmail.com', at('2025-12-06T15:37:33Z'), 1299, 'INR', 'paid', 'app-301689896961', 1],
        ['6798481490219', '#1050', '[redacted]@gmail.com', at('2025-12-06T15:37:30Z'), 11594, 'INR', 'paid', 'app-301689896961', 6],
        ['6798479098155', '#1044', 'test1@gmail.com', at('2025-12-06T15:36:16Z'), 17758.28, 'INR', 'paid', 'draft-order', 8],
      ],
    );
    assert.deepEqual((result.records[1]?.attributes as Doc).line_items, [
      { quantity: 1, name: 'Minimalist Leather Wallet', price: 3499, sku: 'LW-MIN-BRN' },
      { quantity: 2, name: 'Premium Eco-Friendly Yoga Mat', price: 2499, sku: 'YM-ECO-001' },
      { quantity: 2, name: 'Lavender & Vanilla Soy Candle', price: 899, sku: 'SC-LAV-VAN' },
      { quantity: 1, name: 'Organic Ethiopian Coffee Beans', price: 1299, sku: 'CB-ETH-500' },
    ]);
    // Every order has all its items: the sample's rows per order, and quantity × price adds up to
    // each order's Subtotal (the order-level value Shopify writes on the first row only).
    const { rows } = shopifySample();
    const rowsOf = (name: string) => rows.filter((line) => line.startsWith(`${name},`)).length;
    for (const record of result.records) {
      const attributes = record.attributes as Doc & { line_items: { quantity: number; price: number }[] };
      assert.equal(attributes.line_items.length, rowsOf(attributes.order_name as string), String(attributes.order_name));
      assert.equal(attributes.line_items.reduce((sum, i) => sum + i.quantity * i.price, 0), Number(attributes.subtotal), String(attributes.order_name));
    }
    assert.deepEqual(result.records[2]?.attributes, {
      order_name: '#1044',
      financial_status: 'paid',
      fulfillment_status: 'unfulfilled',
      paid_at: '2025-12-06 10:36:17 -0500',
      source: 'shopify_draft_order',
      subtotal: '16292.00',
      shipping: '0.00',
      taxes: '1466.28',
      discount_amount: '0.00',
      refunded_amount: '0.00',
      outstanding_balance: '0.00',
      payment_method: 'manual',
      accepts_marketing: 'no',
      risk_level: 'Low',
      employee: '[redacted staff name]',
      billing_country: 'IN',
      shipping_country: 'IN',
      line_items: [
        { quantity: 3, name: 'Lavender & Vanilla Soy Candle', price: 899, sku: 'SC-LAV-VAN' },
        { quantity: 1, name: 'Minimalist Leather Wallet', price: 3499, sku: 'LW-MIN-BRN' },
        { quantity: 2, name: 'Organic Ethiopian Coffee Beans', price: 1299, sku: 'CB-ETH-500' },
        { quantity: 1, name: 'Premium Eco-Friendly Yoga Mat', price: 2499, sku: 'YM-ECO-001' },
        { quantity: 1, name: 'Wireless Bluetooth Headphones', price: 4999, sku: 'WH-BT-001' },
      ],
    });
  });

  test('line-item rows whose order’s first row is missing, or an order whose rows are apart: counted, never glued to another order', async () => {
    const { header, rows } = shopifySample();
    // #1050's item rows without its first row, then #1051, then #1050's first row alone.
    const csv = [header, rows[2]!, rows[3]!, rows[0]!, rows[1]!].join('\n');
    const result = await mapWithPreset(writeTemp(csv, 'csv'), 'orders', 'shopify');
    assert.deepEqual([result.read, result.skipped, result.problems], [4, 1, []]);
    assert.deepEqual(result.warnings, ["1 record(s) not imported: line-item rows without their order's first row (Shopify writes an order's values on its first row only)"]);
    assert.deepEqual(result.records.map((r) => [(r.attributes as Doc).order_name, r.items]), [['#1051', 1], ['#1050', 1]]);
  });

  test('statuses: every documented combination', () => {
    const status = (financial: string, fulfillment = 'unfulfilled', cancelled = '') => shopifyStatus({ 'Financial Status': financial, 'Fulfillment Status': fulfillment, 'Cancelled at': cancelled });
    assert.deepEqual(
      [
        status('paid', 'unfulfilled', '2025-12-07 09:00:00 -0500'),
        status('refunded', 'fulfilled'),
        status('voided'),
        status('partially_refunded', 'restocked'),
        status('pending', 'fulfilled'),
        status('paid'),
        status('partially_paid', 'partial'),
        status('partially_refunded'),
        status('pending'),
        status('authorized'),
        status('expired'),
      ],
      ['cancelled', 'refunded', 'cancelled', 'returned', 'fulfilled', 'paid', 'paid', 'paid', 'placed', 'placed', 'placed'],
    );
  });

  test('an export without the Id column: the order name is the id; channels of other sources; unknown columns named once', async () => {
    const { header, rows } = shopifySample();
    const columns = header.split(',');
    const idAt = columns.indexOf('Id');
    const sourceAt = columns.indexOf('Source');
    const drop = (line: string, extra: string) => {
      const cells = line.split(','); // the sample's cells hold no commas inside quotes
      cells.splice(idAt, 1);
      return [...cells, extra].join(',');
    };
    const withSource = (line: string, source: string) => line.split(',').map((cell, i) => (i === sourceAt ? source : cell)).join(',');
    const csv = [drop(header, 'Custom Column'), drop(withSource(rows[0]!, 'pos'), 'x'), drop(withSource(rows[1]!, 'web'), ''), ...rows.slice(2, 5).map((line) => drop(line, ''))].join('\n');
    const result = await mapWithPreset(writeTemp(csv, 'csv'), 'orders', 'shopify');
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems], [5, 2, 0, []]);
    assert.deepEqual(result.records.map((r) => [r.id, r.channel, r.items]), [['#1051', 'in-store', 1], ['#1050', 'web', 6]]);
    assert.equal((result.records[0]?.attributes as Doc)['Custom Column'], 'x');
    assert.deepEqual(result.warnings, ['fields the shopify preset (orders) does not know, kept as attributes: Custom Column']);
  });

  test('customers: one per order’s first row, known by e-mail', async () => {
    const result = await mapSample('shopify-orders.csv', 'customers', 'shopify');
    assert.deepEqual([result.read, result.skipped, result.problems], [10, 7, []]);
    assert.deepEqual(result.warnings, ["7 record(s) not imported: further line-item rows of an order (Shopify writes an order's values on its first row only)"]);
    assert.deepEqual(result.records, [
      { id: '[redacted]@gmail.com', name: 'rohith T', email: '[redacted]@gmail.com', country: null, city: null, attributes: { accepts_marketing: 'yes' } },
      { id: '[redacted]@gmail.com', name: 'rohith T', email: '[redacted]@gmail.com', country: null, city: null, attributes: { accepts_marketing: 'yes' } },
      { id: 'test1@gmail.com', name: 'ram a', email: 'test1@gmail.com', country: 'IN', city: null, attributes: { accepts_marketing: 'no' } },
    ]);
  });
});
