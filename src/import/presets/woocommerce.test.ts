import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';

const at = (iso: string) => new Date(iso);
type Doc = Record<string, unknown>;

/** The real Analytics export header, with rows written here (the sample is the header only). */
export function analyticsCsv(rows: Record<string, string>[]): string {
  const header = readFileSync(formatPath('woocommerce-orders-analytics-export.csv'), 'utf8').trim().split(',');
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [header.join(','), ...rows.map((row) => header.map((column) => cell(row[column] ?? '')).join(','))].join('\n') + '\n';
}

describe('WooCommerce preset', () => {
  test('each sample is recognised as its own sources, and only as those', async () => {
    const found = async (name: string, format: 'json' | 'csv') => detectSources(await sampleFile(formatPath(name), format)).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath ?? ''}`);
    assert.deepEqual(await found('woocommerce-orders.json', 'json'), ['woocommerce:orders@orders', 'woocommerce:customers@orders']);
    assert.deepEqual(await found('woocommerce-orders-analytics-export.csv', 'csv'), ['woocommerce:analytics-orders-csv@']);
    // The API itself answers with a bare array.
    const bare = readFormatJson<{ orders: Doc[] }>('woocommerce-orders.json').orders;
    assert.deepEqual(detectSources(await sampleFile(writeTemp(bare), 'json')).map((m) => `${m.source.name}@${m.jsonPath}`), ['orders@', 'customers@']);
  });

  test('orders: the GMT twin anchors placed_at, statuses and channels translate, a guest is known by e-mail', async () => {
    const result = await mapSample('woocommerce-orders.json', 'orders', 'woocommerce');
    assert.deepEqual([result.read, result.records.length, result.problems, result.skipped, result.warnings], [2, 2, [], 0, []]);
    const [guest, registered] = result.records;
    assert.deepEqual(guest, {
      id: '727',
      customer_id: 'john.doe@example.com',
      // date_created 16:28:02 is the site's time; date_created_gmt 19:28:02 the instant.
      placed_at: at('2017-03-22T19:28:02Z'),
      amount: 29.35,
      currency: 'USD',
      status: 'paid',
      channel: 'rest-api',
      items: 3,
      attributes: {
        guest: true,
        paid_at: '2017-03-22T19:28:08Z',
        modified_at: '2017-03-22T19:28:08Z',
        products: ['Woo Single #1', 'Ship Your Idea &ndash; Color: Black, Size: M Test'],
        shipping_method: 'Flat Rate',
        billing_country: 'US',
        woocommerce_status: 'processing',
        number: '727',
        parent_id: 0,
        created_via: 'rest-api',
        discount_total: '0.00',
        shipping_total: '10.00',
        total_tax: '1.35',
        prices_include_tax: false,
        payment_method: 'bacs',
      },
    });
    assert.deepEqual(
      [registered?.id, registered?.customer_id, registered?.placed_at, registered?.status, registered?.channel, registered?.items, registered?.amount],
      ['723', '26', at('2017-03-21T19:16:00Z'), 'fulfilled', 'web', 2, 39],
    );
    const attributes = registered?.attributes as Doc;
    assert.deepEqual([attributes.completed_at, attributes.refunded_total, attributes.guest], ['2017-03-21T19:54:51Z', 19, false]);
  });

  test('every status translates as documented; drafts and trash are counted, not imported; unknown fields are named once', async () => {
    const [order] = readFormatJson<{ orders: Doc[] }>('woocommerce-orders.json').orders;
    const statuses = ['pending', 'on-hold', 'processing', 'completed', 'cancelled', 'refunded', 'failed', 'shipped-by-plugin', 'checkout-draft', 'trash'];
    const doc = statuses.map((status, i) => ({ ...order, id: 1000 + i, status, ...(i === 0 ? { new_field: 'x', meta_data: [{ id: 1, key: 'gift_message', value: 'Happy birthday' }] } : {}) }));
    const result = await mapWithPreset(writeTemp(doc), 'orders', 'woocommerce');
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems], [10, 8, 2, []]);
    assert.deepEqual(result.records.map((r) => r.status), ['placed', 'placed', 'paid', 'fulfilled', 'cancelled', 'refunded', 'cancelled', null]);
    assert.equal((result.records[7]?.attributes as Doc).woocommerce_status, 'shipped-by-plugin');
    assert.deepEqual([(result.records[0]?.attributes as Doc).new_field, (result.records[0]?.attributes as Doc).meta_gift_message], ['x', 'Happy birthday']);
    assert.deepEqual(result.warnings, [
      '1 record(s) not imported: carts the block checkout saved as drafts (status checkout-draft): not placed',
      '1 record(s) not imported: orders in the trash (status trash)',
      'fields the woocommerce preset (orders) does not know, kept as attributes: new_field',
    ]);
  });

  test('customers: registered buyers by id, guests by their e-mail', async () => {
    const result = await mapSample('woocommerce-orders.json', 'customers', 'woocommerce');
    assert.deepEqual([result.read, result.problems, result.warnings], [2, [], []]);
    assert.deepEqual(result.records, [
      { id: 'john.doe@example.com', name: 'John Doe', email: 'john.doe@example.com', country: 'US', city: 'San Francisco', attributes: { guest: true, state: 'CA' } },
      { id: '26', name: 'João Silva', email: 'joao.silva@example.com', country: 'BR', city: 'Rio de Janeiro', attributes: { guest: false, state: 'RJ' } },
    ]);
  });

  test('Analytics CSV: site-local dates read in the import zone, status words translated', async () => {
    const empty = await mapSample('woocommerce-orders-analytics-export.csv', 'orders', 'woocommerce');
    assert.deepEqual([empty.read, empty.records.length, empty.problems], [0, 0, []], 'the sample is the header only');
    const csv = analyticsCsv([
      { Date: '2017-03-22 16:28:02', 'Order #': '727', 'N. Revenue (formatted)': '$18.00', Status: 'Processing', Customer: 'John Doe', 'Customer type': 'new', 'Product(s)': 'Woo Single #1, Ship Your Idea', 'Items sold': '3', 'Coupon(s)': '', 'Net Sales': '18', Attribution: 'Direct' },
      { Date: '2017-03-21 16:16:00', 'Order #': '723', 'N. Revenue (formatted)': '$29.00', Status: 'completed', Customer: 'João Silva', 'Customer type': 'returning', 'Product(s)': 'Woo Album #2, Woo Ninja', 'Items sold': '2', 'Coupon(s)': 'SPRING', 'Net Sales': '29', Attribution: 'Organic: Google' },
      { Date: '2017-03-20 10:00:00', 'Order #': '700', Status: 'On hold', Customer: 'Guest', 'Customer type': 'new', 'Items sold': '1', 'Net Sales': '5' },
    ]);
    const result = await mapWithPreset(writeTemp(csv, 'csv'), 'orders', 'woocommerce', 'America/Sao_Paulo');
    assert.deepEqual([result.read, result.records.length, result.problems, result.warnings], [3, 3, [], []]);
    const [processing, completed, onHold] = result.records;
    // The site's zone here is UTC−3 (São Paulo, 2017): 16:28:02 local = 19:28:02Z, the REST API's GMT twin.
    assert.deepEqual(processing, {
      id: '727',
      placed_at: at('2017-03-22T19:28:02Z'),
      amount: 18,
      status: 'paid',
      items: 3,
      attributes: { woocommerce_status: 'Processing', customer_name: 'John Doe', customer_type: 'new', products: 'Woo Single #1, Ship Your Idea', attribution: 'Direct' },
    });
    assert.deepEqual([completed?.status, (completed?.attributes as Doc).coupons, onHold?.status], ['fulfilled', 'SPRING', 'placed']);
  });
});
