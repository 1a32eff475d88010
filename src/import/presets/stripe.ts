import { has, isObject, keep } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Stripe Billing: subscriptions (GET /v1/subscriptions, both API shapes) and customers
 * (GET /v1/customers). docs/presets.md#stripe has the tables.
 */

/**
 * Currencies Stripe writes in whole units (no minor unit): amounts are divided by 100 for every
 * other currency. From Stripe's list of zero-decimal currencies.
 */
export const STRIPE_ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/** Statuses of subscriptions whose first payment never went through: never active, not imported. */
export const STRIPE_NEVER_STARTED = new Set(['incomplete', 'incomplete_expired']);

/** Epoch seconds → ISO text, for the timestamps kept as attributes; null when not set. */
function iso(value: unknown): string | null {
  return typeof value === 'number' && value > 0 ? new Date(value * 1000).toISOString() : null;
}

function items(subscription: SourceRecord): SourceRecord[] {
  const list = isObject(subscription.items) && Array.isArray(subscription.items.data) ? subscription.items.data : [];
  return list.filter(isObject);
}

/** An item's price, or its legacy plan (which older records carry beside or instead of the price). */
function priceOf(item: SourceRecord): SourceRecord {
  return isObject(item.price) ? item.price : isObject(item.plan) ? item.plan : {};
}

/** What the customer pays per billing period, in currency units; null when a price is tiered or metered. */
function recurringAmount(list: SourceRecord[], currency: string | null): number | null {
  if (list.length === 0 || currency === null) return null;
  let minor = 0;
  for (const item of list) {
    const price = priceOf(item);
    const unit = typeof price.unit_amount === 'number' ? price.unit_amount : typeof price.amount === 'number' ? price.amount : null;
    if (unit === null) return null;
    minor += unit * (typeof item.quantity === 'number' ? item.quantity : 1);
  }
  return STRIPE_ZERO_DECIMAL.has(currency.toLowerCase()) ? minor : minor / 100;
}

/** The current period: top-level fields in records before API 2025-03-31, on the items after. */
function period(subscription: SourceRecord, list: SourceRecord[]): { start: unknown; end: unknown } {
  if (subscription.current_period_start !== undefined || subscription.current_period_end !== undefined) {
    return { start: subscription.current_period_start, end: subscription.current_period_end };
  }
  const item = list.find((i) => i.current_period_start !== undefined || i.current_period_end !== undefined);
  return { start: item?.current_period_start, end: item?.current_period_end };
}

function isSubscription(record: SourceRecord): boolean {
  if (record.object !== undefined) return record.object === 'subscription';
  return has(record, 'id', 'customer', 'start_date', 'status', 'items');
}

export const stripe: Preset = {
  name: 'stripe',
  title: 'Stripe',
  docs: 'docs/presets.md#stripe',
  sources: [
    {
      name: 'subscriptions',
      title: 'Subscriptions, GET /v1/subscriptions?status=all',
      kind: 'subscriptions',
      format: 'json',
      path: '',
      detect: isSubscription,
      shape(subscription) {
        const status = String(subscription.status);
        if (STRIPE_NEVER_STARTED.has(status)) return { skip: `subscriptions whose first payment never succeeded (status ${status}): never active` };
        const list = items(subscription);
        const legacyPlan = isObject(subscription.plan) ? subscription.plan : undefined;
        const prices = list.length > 0 ? list.map(priceOf) : legacyPlan ? [legacyPlan] : [];
        const currencyText = subscription.currency ?? prices[0]?.currency;
        const currency = typeof currencyText === 'string' ? currencyText : null;
        const { start, end } = period(subscription, list);
        const recurring = prices[0] && isObject(prices[0].recurring) ? prices[0].recurring : prices[0];
        const details = isObject(subscription.cancellation_details) ? subscription.cancellation_details : {};
        const customer = isObject(subscription.customer) ? subscription.customer.id : subscription.customer;
        const metadata: SourceRecord = {};
        if (isObject(subscription.metadata)) for (const [key, value] of Object.entries(subscription.metadata)) metadata[`metadata_${key}`] = value;
        return [
          {
            ...subscription,
            sada_customer: customer,
            sada_plan: prices.map((p) => p.nickname ?? p.lookup_key ?? p.id).filter((name) => name !== null && name !== undefined).join(' + ') || null,
            sada_amount: recurringAmount(list.length > 0 ? list : legacyPlan ? [{ plan: legacyPlan, quantity: subscription.quantity }] : [], currency),
            sada_currency: currency?.toUpperCase() ?? null,
            sada_cancel_reason: details.reason ?? null,
            $attributes: {
              ...metadata,
              ...Object.fromEntries(
                Object.entries({
                  created_at: iso(subscription.created),
                  cancel_at: iso(subscription.cancel_at),
                  canceled_at: iso(subscription.canceled_at),
                  trial_start: iso(subscription.trial_start),
                  trial_end: iso(subscription.trial_end),
                  current_period_start: iso(start),
                  current_period_end: iso(end),
                  billing_interval: isObject(recurring) ? (recurring.interval ?? null) : null,
                  billing_interval_count: isObject(recurring) ? (recurring.interval_count ?? null) : null,
                  cancel_feedback: details.feedback ?? null,
                  cancel_comment: details.comment ?? null,
                  paused: isObject(subscription.pause_collection) ? subscription.pause_collection.behavior : null,
                }).filter(([, value]) => value !== null && value !== undefined),
              ),
            },
          },
        ];
      },
      reads: [
        'customer',
        'items',
        'plan',
        'quantity',
        'currency',
        'metadata',
        'created',
        'cancel_at',
        'canceled_at',
        'trial_start',
        'trial_end',
        'current_period_start',
        'current_period_end',
        'cancellation_details',
        'pause_collection',
      ],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          customer_id: 'sada_customer',
          started_at: 'start_date',
          ended_at: 'ended_at',
          plan: 'sada_plan',
          status: 'status',
          recurring_amount: 'sada_amount',
          currency: 'sada_currency',
          cancel_reason: 'sada_cancel_reason',
          ...keep('cancel_at_period_end', 'collection_method', 'livemode', 'latest_invoice', 'schedule', 'description', 'days_until_due', 'discount', 'discounts'),
        },
      },
      ignore: {
        object: 'always "subscription"',
        application: 'the Connect application that created it',
        application_fee_percent: 'Connect platform fees',
        automatic_tax: 'tax settings',
        billing_cycle_anchor: 'the day invoices fall on; the current period is kept',
        billing_cycle_anchor_config: 'as billing_cycle_anchor',
        billing_thresholds: 'invoicing thresholds',
        billing_mode: 'an invoicing setting',
        billing_schedules: 'an invoicing setting',
        customer_account: 'the Accounts v2 id of the customer (customer is imported)',
        default_payment_method: 'payment details',
        default_source: 'payment details',
        default_tax_rates: 'tax settings',
        invoice_settings: 'invoicing settings',
        managed_payments: 'a payments setting',
        next_pending_invoice_item_invoice: 'invoicing schedule',
        on_behalf_of: 'Connect: the account the charges are made for',
        payment_settings: 'payment settings',
        pending_invoice_item_interval: 'invoicing schedule',
        pending_setup_intent: 'a payment set-up in progress',
        pending_update: 'a change waiting for its payment; the subscription as it is now is imported',
        tax_percent: 'tax settings (older API versions)',
        test_clock: 'a Stripe test-mode clock',
        transfer_data: 'Connect: where the money goes',
        trial_settings: 'what happens when a trial ends without a payment method',
      },
    },
    {
      name: 'customers',
      title: 'Customers, GET /v1/customers',
      kind: 'customers',
      format: 'json',
      path: '',
      detect: (record) => record.object === 'customer' && has(record, 'id'),
      shape(customer) {
        const metadata: SourceRecord = {};
        if (isObject(customer.metadata)) for (const [key, value] of Object.entries(customer.metadata)) metadata[`metadata_${key}`] = value;
        return [{ ...customer, sada_created_at: iso(customer.created), $attributes: metadata }];
      },
      reads: ['metadata', 'created'],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          name: 'name',
          email: 'email',
          country: 'address.country',
          city: 'address.city',
          'attributes.stripe_created_at': 'sada_created_at',
          ...keep('currency', 'balance', 'delinquent', 'description', 'preferred_locales', 'tax_exempt', 'livemode'),
        },
      },
      ignore: {
        object: 'always "customer"',
        'address.line1': 'street address (personal data)',
        'address.line2': 'street address (personal data)',
        'address.postal_code': 'postal code (personal data)',
        'address.state': 'state or region of the address',
        phone: "the customer's phone (personal data)",
        shipping: "the customer's shipping address (personal data)",
        default_source: 'payment details',
        discount: 'the coupon applied to the customer',
        invoice_prefix: 'invoice numbering',
        invoice_settings: 'invoicing settings',
        next_invoice_sequence: 'invoice numbering',
        test_clock: 'a Stripe test-mode clock',
        customer_account: 'the Accounts v2 id of the same customer',
      },
    },
  ],
};
