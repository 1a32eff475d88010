import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';

const at = (iso: string) => new Date(iso);
type Doc = Record<string, unknown>;

describe('Stripe preset', () => {
  test('the sample is recognised as subscriptions and customers, and only as those', async () => {
    const found = detectSources(await sampleFile(formatPath('stripe-subscriptions.json'), 'json')).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath}`);
    assert.deepEqual(found, ['stripe:subscriptions@subscriptions', 'stripe:customers@customers']);
    // The API's own list envelope: {object: "list", data: [...]}.
    const { subscriptions } = readFormatJson<{ subscriptions: Doc[] }>('stripe-subscriptions.json');
    const envelope = await sampleFile(writeTemp({ object: 'list', data: subscriptions, has_more: false, url: '/v1/subscriptions' }), 'json');
    assert.deepEqual(detectSources(envelope).map((m) => `${m.source.name}@${m.jsonPath}`), ['subscriptions@data']);
  });

  test('subscriptions: both API shapes land, epoch seconds read as UTC, the period taken from where each shape keeps it', async () => {
    const result = await mapSample('stripe-subscriptions.json', 'subscriptions', 'stripe');
    assert.deepEqual([result.read, result.records.length, result.problems, result.skipped, result.warnings], [2, 2, [], 0, []]);
    const [current, legacy] = result.records;
    // Current shape (stripe-mock fixture): 1234567890 = 2009-02-13T23:31:30Z everywhere; the period is on the item.
    assert.deepEqual(current, {
      id: 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw',
      customer_id: 'cus_QXg1o8vcGmoR32',
      started_at: at('2009-02-13T23:31:30Z'),
      ended_at: at('2009-02-13T23:31:30Z'),
      plan: 'price_1PgafmB7WZ01zgkW6dKueIc5',
      status: 'active',
      recurring_amount: 20,
      currency: 'USD',
      cancel_reason: null,
      attributes: {
        created_at: '2009-02-13T23:31:30.000Z',
        cancel_at: '2009-02-13T23:31:30.000Z',
        canceled_at: '2009-02-13T23:31:30.000Z',
        trial_start: '2009-02-13T23:31:30.000Z',
        trial_end: '2009-02-13T23:31:30.000Z',
        current_period_start: '2030-02-06T01:08:38.000Z',
        current_period_end: '2000-12-08T15:02:53.000Z',
        billing_interval: 'month',
        billing_interval_count: 1,
        paused: 'mark_uncollectible',
        cancel_at_period_end: true,
        collection_method: 'charge_automatically',
        livemode: false,
      },
    });
    // Older shape (a real test-mode record): the period at the top level, a metered plan (no fixed amount).
    assert.deepEqual(
      [legacy?.id, legacy?.customer_id, legacy?.started_at, legacy?.ended_at, legacy?.plan, legacy?.status, legacy?.recurring_amount, legacy?.currency],
      ['sub_HeFKfIvdgFh3qw', 'cus_HeFKZGFvcdVAAd', at('2020-07-14T22:42:25Z'), null, 'free-overage', 'active', null, 'USD'],
    );
    const attributes = legacy?.attributes as Doc;
    assert.deepEqual(
      [attributes.current_period_start, attributes.current_period_end, attributes.trial_end, attributes.metadata_eligibleForTrial, attributes.latest_invoice],
      ['2021-07-01T12:00:00.000Z', '2021-08-01T12:00:00.000Z', '2020-08-01T12:00:00.000Z', 'false', 'in_1J8OZSIEn5WyEQxnqy1SOqzg'],
    );
  });

  test('cancellation: ended_at ends it, the reason and feedback kept; never-paid subscriptions counted, not imported; amounts in currency units', async () => {
    const [current, legacy] = readFormatJson<{ subscriptions: Doc[] }>('stripe-subscriptions.json').subscriptions;
    const item = (current!.items as { data: Doc[] }).data[0]!;
    const doc = {
      data: [
        {
          ...legacy,
          id: 'sub_canceled',
          status: 'canceled',
          canceled_at: 1700000000,
          ended_at: 1700000000,
          cancellation_details: { reason: 'cancellation_requested', feedback: 'too_expensive', comment: 'cheaper elsewhere' },
        },
        { ...legacy, id: 'sub_expired', status: 'incomplete_expired' },
        // Two items in yen (a zero-decimal currency): 3 × 1,000 + 500 = ¥3,500 a month.
        {
          ...current,
          id: 'sub_jpy',
          currency: 'jpy',
          customer: { id: 'cus_expanded', object: 'customer' },
          items: { object: 'list', data: [{ ...item, quantity: 3, price: { ...(item.price as Doc), unit_amount: 1000, nickname: 'seat' } }, { ...item, price: { ...(item.price as Doc), unit_amount: 500, nickname: 'support' } }] },
          unexpected_field: 'kept',
        },
      ],
    };
    const result = await mapWithPreset(writeTemp(doc), 'subscriptions', 'stripe');
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems], [3, 2, 1, []]);
    assert.deepEqual(result.warnings, [
      '1 record(s) not imported: subscriptions whose first payment never succeeded (status incomplete_expired): never active',
      'fields the stripe preset (subscriptions) does not know, kept as attributes: unexpected_field',
    ]);
    const [canceled, jpy] = result.records;
    assert.deepEqual([canceled?.status, canceled?.ended_at, canceled?.cancel_reason], ['canceled', at('2023-11-14T22:13:20Z'), 'cancellation_requested']);
    assert.deepEqual([(canceled?.attributes as Doc).cancel_feedback, (canceled?.attributes as Doc).cancel_comment, (canceled?.attributes as Doc).canceled_at], ['too_expensive', 'cheaper elsewhere', '2023-11-14T22:13:20.000Z']);
    assert.deepEqual([jpy?.customer_id, jpy?.plan, jpy?.recurring_amount, jpy?.currency, (jpy?.attributes as Doc).unexpected_field], ['cus_expanded', 'seat + support', 3500, 'JPY', 'kept']);
  });

  test('customers', async () => {
    const result = await mapSample('stripe-subscriptions.json', 'customers', 'stripe');
    assert.deepEqual([result.read, result.problems, result.warnings], [1, [], []]);
    assert.deepEqual(result.records, [
      {
        id: 'cus_QXg1o8vcGmoR32',
        name: null,
        email: null,
        country: null,
        city: null,
        attributes: { stripe_created_at: '2009-02-13T23:31:30.000Z', currency: 'usd', balance: 0, delinquent: false, tax_exempt: 'none', livemode: false },
      },
    ]);
  });
});
