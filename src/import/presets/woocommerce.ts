import { has, hasColumns, isObject, keep } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * WooCommerce: orders from the REST API (GET /wp-json/wc/v3/orders), their buyers as customers,
 * and the Analytics › Orders CSV download. docs/presets.md#woocommerce has the tables.
 */

/**
 * Order statuses (slugs, and the words the Analytics export and the admin show) → Sada's. Others
 * (statuses plugins add) leave the status empty; the original is kept as woocommerce_status.
 */
export const WOOCOMMERCE_STATUSES: Record<string, string> = {
  pending: 'placed',
  'pending payment': 'placed',
  'on-hold': 'placed',
  'on hold': 'placed',
  processing: 'paid',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'cancelled',
};

/** Statuses that are not orders yet or any more: counted, not imported. */
export const WOOCOMMERCE_NOT_ORDERS: Record<string, string> = {
  'checkout-draft': 'carts the block checkout saved as drafts (status checkout-draft): not placed',
  trash: 'orders in the trash (status trash)',
};

/** created_via → channel; other values (admin, rest-api, a plugin's name) pass through as custom channels. */
export const WOOCOMMERCE_CHANNELS: Record<string, string> = {
  checkout: 'web',
  'store-api': 'web',
};

/** A `*_gmt` twin (ISO without a zone, in UTC) as an instant; the site-local twin is not used. */
function gmt(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? `${value.trim()}Z` : null;
}

function statusOf(value: unknown): string | null {
  return typeof value === 'string' ? (WOOCOMMERCE_STATUSES[value.trim().toLowerCase()] ?? null) : null;
}

function lower(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
}

/** The buyer: the customer id, or for a guest (customer_id 0) the billing e-mail in lower case. */
function buyer(order: SourceRecord): string | null {
  if (typeof order.customer_id === 'number' && order.customer_id > 0) return String(order.customer_id);
  if (typeof order.customer_id === 'string' && order.customer_id !== '' && order.customer_id !== '0') return order.customer_id;
  return isObject(order.billing) ? lower(order.billing.email) : null;
}

const objects = (value: unknown): SourceRecord[] => (Array.isArray(value) ? value.filter(isObject) : []);

function isApiOrder(record: SourceRecord): boolean {
  return has(record, 'id', 'status', 'date_created_gmt', 'customer_id', 'line_items', 'order_key');
}

export const woocommerce: Preset = {
  name: 'woocommerce',
  title: 'WooCommerce',
  docs: 'docs/presets.md#woocommerce',
  sources: [
    {
      name: 'orders',
      title: 'Orders, REST API GET /wp-json/wc/v3/orders',
      kind: 'orders',
      format: 'json',
      path: '',
      detect: isApiOrder,
      shape(order) {
        const status = String(order.status);
        const notOrder = WOOCOMMERCE_NOT_ORDERS[status];
        if (notOrder) return { skip: notOrder };
        const lines = objects(order.line_items);
        const refunds = objects(order.refunds).reduce((sum, refund) => sum + Math.abs(Number(refund.total) || 0), 0);
        const meta: SourceRecord = {};
        // Plugins' order meta; keys starting with "_" are WooCommerce's own bookkeeping.
        for (const item of objects(order.meta_data)) {
          if (typeof item.key === 'string' && !item.key.startsWith('_')) meta[`meta_${item.key}`] = item.value;
        }
        const coupons = objects(order.coupon_lines).map((c) => c.code).filter((c) => typeof c === 'string');
        const shippingMethods = objects(order.shipping_lines).map((s) => s.method_title).filter((s) => typeof s === 'string');
        const billing = isObject(order.billing) ? order.billing : {};
        return [
          {
            ...order,
            sada_customer: buyer(order),
            sada_placed_at: gmt(order.date_created_gmt),
            sada_status: statusOf(order.status),
            sada_items: lines.length > 0 ? lines.reduce((sum, line) => sum + (typeof line.quantity === 'number' ? line.quantity : 0), 0) : null,
            $attributes: {
              ...meta,
              ...Object.fromEntries(
                Object.entries({
                  guest: order.customer_id === 0 || order.customer_id === '0',
                  paid_at: gmt(order.date_paid_gmt),
                  completed_at: gmt(order.date_completed_gmt),
                  modified_at: gmt(order.date_modified_gmt),
                  refunded_total: refunds > 0 ? Math.round(refunds * 100) / 100 : null,
                  products: lines.length > 0 ? lines.map((line) => line.name) : null,
                  coupons: coupons.length > 0 ? coupons : null,
                  shipping_method: shippingMethods.length > 0 ? shippingMethods.join(', ') : null,
                  billing_country: billing.country || null,
                }).filter(([, value]) => value !== null && value !== undefined),
              ),
            },
          },
        ];
      },
      reads: ['customer_id', 'date_created_gmt', 'date_paid_gmt', 'date_completed_gmt', 'date_modified_gmt', 'line_items', 'refunds', 'meta_data', 'coupon_lines', 'shipping_lines', 'billing.email', 'billing.country'],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          customer_id: 'sada_customer',
          placed_at: { column: 'sada_placed_at', required: true },
          amount: 'total',
          currency: 'currency',
          status: 'sada_status',
          channel: { column: 'created_via', values: WOOCOMMERCE_CHANNELS },
          items: 'sada_items',
          'attributes.woocommerce_status': 'status',
          ...keep(
            'number',
            'parent_id',
            'created_via',
            'discount_total',
            'shipping_total',
            'total_tax',
            'prices_include_tax',
            'payment_method',
            'customer_note',
          ),
        },
      },
      ignore: {
        date_created: 'site-local twin of date_created_gmt (no zone: the GMT one is read)',
        date_modified: 'site-local twin of date_modified_gmt',
        date_paid: 'site-local twin of date_paid_gmt',
        date_completed: 'site-local twin of date_completed_gmt',
        order_key: 'a secret that opens the order page for its buyer',
        cart_hash: "a hash of the cart's contents",
        version: 'the WooCommerce version that created the order',
        customer_ip_address: "the buyer's IP address (personal data)",
        customer_user_agent: "the buyer's browser",
        'billing.first_name': "the buyer's name (personal data; the customers source takes it)",
        'billing.last_name': "as billing.first_name",
        'billing.company': 'as billing.first_name',
        'billing.address_1': 'street address (personal data)',
        'billing.address_2': 'street address (personal data)',
        'billing.city': 'the customers source takes it',
        'billing.state': 'the customers source keeps it',
        'billing.postcode': 'postal code (personal data)',
        'billing.phone': "the buyer's phone (personal data)",
        shipping: 'the delivery address (personal data)',
        payment_method_title: 'the label of payment_method, which is kept',
        transaction_id: "the payment processor's reference",
        discount_tax: 'tax detail; total_tax is kept',
        shipping_tax: 'tax detail; total_tax is kept',
        cart_tax: 'tax detail; total_tax is kept',
        tax_lines: 'tax detail; total_tax is kept',
        fee_lines: 'fees are part of total',
        currency_symbol: 'the symbol of currency',
        _links: 'API links',
      },
    },
    {
      name: 'customers',
      title: 'The buyers of the REST API orders, GET /wp-json/wc/v3/orders: registered customers by id, guests by e-mail',
      kind: 'customers',
      format: 'json',
      path: '',
      detect: isApiOrder,
      shape(order) {
        const id = buyer(order);
        if (!id) return { skip: 'orders by a guest without an e-mail address: no customer to keep' };
        const billing = isObject(order.billing) ? order.billing : {};
        const name = [billing.first_name, billing.last_name].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
        return [
          {
            ...order,
            sada_id: id,
            sada_name: name || null,
            sada_email: lower(billing.email),
            $attributes: { guest: order.customer_id === 0 || order.customer_id === '0' },
          },
        ];
      },
      mapping: {
        fields: {
          id: { column: 'sada_id', required: true },
          name: 'sada_name',
          email: 'sada_email',
          country: 'billing.country',
          city: 'billing.city',
          'attributes.company': 'billing.company',
          'attributes.state': 'billing.state',
        },
      },
      ignore: {
        'billing.first_name': 'joined with last_name into name',
        'billing.last_name': 'joined with first_name into name',
        'billing.email': 'lower-cased into email',
        'billing.address_1': 'street address (personal data)',
        'billing.address_2': 'street address (personal data)',
        'billing.postcode': 'postal code (personal data)',
        'billing.phone': "the buyer's phone (personal data)",
      },
      // Only the billing part is the customer's; the rest of the order is the orders source's.
      unknownScope: 'billing',
    },
    {
      name: 'analytics-orders-csv',
      title: 'Analytics › Orders download, CSV',
      kind: 'orders',
      format: 'csv',
      detect: (header) => hasColumns(header, 'Date', 'Order #', 'Status', 'Customer type', 'Net Sales'),
      shape: (row) => [{ ...row, sada_status: statusOf(row.Status) }],
      reads: ['Status'],
      mapping: {
        fields: {
          id: { column: 'Order #', required: true },
          placed_at: { column: 'Date', required: true },
          amount: 'Net Sales',
          status: 'sada_status',
          items: 'Items sold',
          'attributes.woocommerce_status': 'Status',
          'attributes.customer_name': 'Customer',
          'attributes.customer_type': 'Customer type',
          'attributes.products': 'Product(s)',
          'attributes.coupons': 'Coupon(s)',
          'attributes.attribution': 'Attribution',
        },
      },
      ignore: { 'N. Revenue (formatted)': 'Net Sales again, formatted with the currency symbol' },
    },
  ],
};
