import { has, hasColumns, isObject } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Shopify: the admin's orders export (Orders › Export, CSV), as orders and as the customers who
 * placed them. docs/presets.md#shopify has the tables.
 */

/** Source (the order's sales channel) → channel; a numeric app id becomes `app-<id>`, others pass through. */
export const SHOPIFY_CHANNELS: Record<string, string> = {
  web: 'web',
  pos: 'in-store',
  shopify_draft_order: 'draft-order',
  iphone: 'app',
  android: 'app',
  facebook: 'social',
  instagram: 'social',
  buy_button: 'web',
};

/**
 * Sada's status from the order's columns, the first that applies: cancelled (Cancelled at set),
 * refunded, cancelled (payment voided), returned (fulfillment restocked), fulfilled, paid
 * (paid, partially paid or partially refunded), else placed (pending, authorized, expired).
 */
export function shopifyStatus(row: SourceRecord): string {
  const text = (column: string) => (typeof row[column] === 'string' ? (row[column] as string).trim().toLowerCase() : '');
  const financial = text('Financial Status');
  const fulfillment = text('Fulfillment Status');
  if (text('Cancelled at') !== '') return 'cancelled';
  if (financial === 'refunded') return 'refunded';
  if (financial === 'voided') return 'cancelled';
  if (fulfillment === 'restocked') return 'returned';
  if (fulfillment === 'fulfilled') return 'fulfilled';
  if (financial === 'paid' || financial === 'partially_paid' || financial === 'partially_refunded') return 'paid';
  return 'placed';
}

function channelOf(source: unknown): string | null {
  if (typeof source !== 'string' || source.trim() === '') return null;
  const text = source.trim();
  if (/^\d+$/.test(text)) return `app-${text}`;
  return SHOPIFY_CHANNELS[text.toLowerCase()] ?? text;
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * A row after an order's first: Shopify repeats only Name, Email and Created at beside the line
 * item, and leaves every order-level column empty.
 */
function isLineItemRow(row: SourceRecord): boolean {
  return blank(row['Financial Status']) && blank(row.Total) && blank(row.Currency) && blank(row.Id);
}

const LINE_ITEM_ROWS = "further line-item rows of an order (Shopify writes an order's values on its first row only)";
const ORPHAN_ROWS = "line-item rows without their order's first row (Shopify writes an order's values on its first row only)";

/** One line item of an order, as Sada keeps it (`attributes.line_items`). */
export interface ShopifyLineItem {
  quantity: number | null;
  name: string | null;
  price: number | null;
  sku: string | null;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const written = String(value).trim();
  return written === '' ? null : written;
}

function decimal(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const written = text(value);
  return written !== null && /^-?\d+(\.\d+)?$/.test(written) ? Number(written) : null;
}

function lineItem(quantity: unknown, name: unknown, price: unknown, sku: unknown): ShopifyLineItem | undefined {
  const item = { quantity: decimal(quantity), name: text(name), price: decimal(price), sku: text(sku) };
  return item.quantity === null && item.name === null && item.price === null && item.sku === null ? undefined : item;
}

/** The sum of the line items' quantities; null when no line item says it. */
function itemCount(items: readonly ShopifyLineItem[]): number | null {
  const quantities = items.map((i) => i.quantity).filter((q): q is number => q !== null);
  return quantities.length === 0 ? null : quantities.reduce((a, b) => a + b, 0);
}

/** An order's rows (consecutive, one Name) as one record: the first row, with every row's line item. */
function mergeOrderRows(rows: SourceRecord[]): SourceRecord {
  const items = rows.map((row) => lineItem(row['Lineitem quantity'], row['Lineitem name'], row['Lineitem price'], row['Lineitem sku'])).filter((i) => i !== undefined);
  return { ...rows[0], sada_line_items: items };
}

function email(row: SourceRecord): string | null {
  return blank(row.Email) ? null : String(row.Email).trim().toLowerCase();
}

const isOrdersExport = (header: readonly string[]) => hasColumns(header, 'Name', 'Email', 'Financial Status', 'Fulfillment Status', 'Created at', 'Lineitem quantity', 'Total');

/** Columns of a line item that are not kept (quantity, name, price and sku are: `line_items`). */
const LINE_ITEM_COLUMNS = [
  'Lineitem compare at price',
  'Lineitem requires shipping',
  'Lineitem taxable',
  'Lineitem fulfillment status',
  'Lineitem discount',
  'Vendor',
];
const PERSONAL_COLUMNS = [
  'Billing Name',
  'Billing Street',
  'Billing Address1',
  'Billing Address2',
  'Billing Company',
  'Billing City',
  'Billing Zip',
  'Billing Province',
  'Billing Province Name',
  'Billing Phone',
  'Shipping Name',
  'Shipping Street',
  'Shipping Address1',
  'Shipping Address2',
  'Shipping Company',
  'Shipping City',
  'Shipping Zip',
  'Shipping Province',
  'Shipping Province Name',
  'Shipping Phone',
  'Phone',
];

/** An order of the Admin REST API, as `GET /admin/api/<version>/orders.json` and the orders/* webhooks send it. */
function isApiOrder(record: SourceRecord): boolean {
  return has(record, 'id', 'name', 'created_at', 'total_price', 'currency', 'line_items') && Array.isArray(record.line_items);
}

/** The API order's line items as Sada keeps them (the same four values as the CSV's). */
function apiLineItems(order: SourceRecord): ShopifyLineItem[] {
  const items = Array.isArray(order.line_items) ? order.line_items : [];
  return items.filter(isObject).map((item) => lineItem(item.quantity, item.name ?? item.title, item.price, item.sku)).filter((i) => i !== undefined);
}

const amountOf = (set: unknown) => (isObject(set) && isObject(set.shop_money) ? decimal(set.shop_money.amount) : null);
const countryOf = (address: unknown) => (isObject(address) ? text(address.country_code) : null);

/** Money fields the API writes twice: as text in the shop's currency and as a `*_set` in both currencies. */
const API_MONEY_SETS = [
  'current_subtotal_price_set',
  'current_total_additional_fees_set',
  'current_total_discounts_set',
  'current_total_duties_set',
  'current_total_price_set',
  'current_total_tax_set',
  'original_total_additional_fees_set',
  'original_total_duties_set',
  'subtotal_price_set',
  'total_discounts_set',
  'total_line_items_price_set',
  'total_outstanding_set',
  'total_price_set',
  'total_tax_set',
];

export const shopify: Preset = {
  name: 'shopify',
  title: 'Shopify',
  docs: 'docs/presets.md#shopify',
  sources: [
    {
      name: 'orders',
      title: 'Orders export, Orders › Export as CSV, one row per line item',
      kind: 'orders',
      format: 'csv',
      detect: isOrdersExport,
      // An order spans consecutive rows with its Name: they are read as one record.
      group: { key: (row) => text(row.Name) ?? undefined, merge: mergeOrderRows },
      shape(order) {
        if (isLineItemRow(order)) return { skip: ORPHAN_ROWS };
        const items = (order.sada_line_items as ShopifyLineItem[] | undefined) ?? [];
        return [
          {
            ...order,
            sada_id: blank(order.Id) ? order.Name : order.Id,
            sada_customer: email(order),
            sada_status: shopifyStatus(order),
            sada_channel: channelOf(order.Source),
            sada_items: itemCount(items),
            ...(items.length > 0 ? { $attributes: { line_items: items } } : {}),
          },
        ];
      },
      reads: ['Id', 'Email', 'Financial Status', 'Fulfillment Status', 'Cancelled at', 'Source', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem sku', 'sada_line_items'],
      mapping: {
        fields: {
          id: { column: 'sada_id', required: true },
          customer_id: 'sada_customer',
          placed_at: { column: 'Created at', required: true },
          amount: 'Total',
          currency: 'Currency',
          status: 'sada_status',
          channel: 'sada_channel',
          items: 'sada_items',
          'attributes.order_name': 'Name',
          'attributes.financial_status': 'Financial Status',
          'attributes.fulfillment_status': 'Fulfillment Status',
          'attributes.paid_at': 'Paid at',
          'attributes.fulfilled_at': 'Fulfilled at',
          'attributes.cancelled_at': 'Cancelled at',
          'attributes.source': 'Source',
          'attributes.subtotal': 'Subtotal',
          'attributes.shipping': 'Shipping',
          'attributes.taxes': 'Taxes',
          'attributes.discount_code': 'Discount Code',
          'attributes.discount_amount': 'Discount Amount',
          'attributes.shipping_method': 'Shipping Method',
          'attributes.refunded_amount': 'Refunded Amount',
          'attributes.outstanding_balance': 'Outstanding Balance',
          'attributes.payment_method': 'Payment Method',
          'attributes.payment_terms': 'Payment Terms Name',
          'attributes.next_payment_due_at': 'Next Payment Due At',
          'attributes.accepts_marketing': 'Accepts Marketing',
          'attributes.tags': 'Tags',
          'attributes.risk_level': 'Risk Level',
          'attributes.notes': 'Notes',
          'attributes.note_attributes': 'Note Attributes',
          'attributes.employee': 'Employee',
          'attributes.location': 'Location',
          'attributes.device_id': 'Device ID',
          'attributes.receipt_number': 'Receipt Number',
          'attributes.duties': 'Duties',
          'attributes.billing_country': 'Billing Country',
          'attributes.shipping_country': 'Shipping Country',
        },
      },
      ignore: {
        ...Object.fromEntries(LINE_ITEM_COLUMNS.map((column) => [column, "a line item's detail the metrics do not read (each item's quantity, name, price and sku are kept in line_items)"])),
        ...Object.fromEntries(PERSONAL_COLUMNS.map((column) => [column, 'name, address or phone (personal data; the customers source takes the name and city)'])),
        'Payment Reference': "the payment processor's reference",
        'Payment ID': "the payment processor's reference",
        'Payment References': "the payment processor's references",
        ...Object.fromEntries([1, 2, 3, 4, 5].flatMap((n) => [[`Tax ${n} Name`, 'tax breakdown; Taxes (the total) is kept'], [`Tax ${n} Value`, 'tax breakdown; Taxes (the total) is kept']])),
      },
    },
    {
      name: 'orders-api',
      title: 'Orders of the Admin REST API (GET /admin/api/<version>/orders.json) and of the orders/* webhooks, JSON',
      kind: 'orders',
      format: 'json',
      path: 'orders',
      detect: isApiOrder,
      shape(order) {
        const items = apiLineItems(order);
        const shipping = Array.isArray(order.shipping_lines) ? order.shipping_lines.filter(isObject) : [];
        const codes = Array.isArray(order.discount_codes) ? order.discount_codes.filter(isObject).map((d) => d.code).filter((c) => typeof c === 'string') : [];
        return [
          {
            ...order,
            sada_customer: text(order.email)?.toLowerCase() ?? text(order.contact_email)?.toLowerCase() ?? null,
            sada_status: shopifyStatus({ 'Financial Status': order.financial_status ?? '', 'Fulfillment Status': order.fulfillment_status ?? '', 'Cancelled at': order.cancelled_at ?? '' }),
            sada_channel: channelOf(order.source_name),
            sada_items: itemCount(items),
            sada_shipping: amountOf(order.total_shipping_price_set),
            sada_shipping_method: shipping.map((line) => line.title).filter((t) => typeof t === 'string').join(', ') || null,
            sada_discount_code: codes.join(', ') || null,
            sada_billing_country: countryOf(order.billing_address),
            sada_shipping_country: countryOf(order.shipping_address),
            ...(items.length > 0 ? { $attributes: { line_items: items } } : {}),
          },
        ];
      },
      reads: ['email', 'contact_email', 'financial_status', 'fulfillment_status', 'cancelled_at', 'source_name', 'line_items', 'shipping_lines', 'discount_codes', 'total_shipping_price_set', 'billing_address', 'shipping_address'],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          customer_id: 'sada_customer',
          placed_at: { column: 'created_at', required: true },
          amount: 'total_price',
          currency: 'currency',
          status: 'sada_status',
          channel: 'sada_channel',
          items: 'sada_items',
          'attributes.order_name': 'name',
          'attributes.financial_status': 'financial_status',
          'attributes.fulfillment_status': 'fulfillment_status',
          'attributes.processed_at': 'processed_at',
          'attributes.cancelled_at': 'cancelled_at',
          'attributes.cancel_reason': 'cancel_reason',
          'attributes.source': 'source_name',
          'attributes.subtotal': 'subtotal_price',
          'attributes.shipping': 'sada_shipping',
          'attributes.taxes': 'total_tax',
          'attributes.discount_code': 'sada_discount_code',
          'attributes.discount_amount': 'total_discounts',
          'attributes.shipping_method': 'sada_shipping_method',
          'attributes.outstanding_balance': 'total_outstanding',
          'attributes.payment_method': 'payment_gateway_names',
          'attributes.accepts_marketing': 'buyer_accepts_marketing',
          'attributes.tags': 'tags',
          'attributes.notes': 'note',
          'attributes.note_attributes': 'note_attributes',
          'attributes.employee': 'user_id',
          'attributes.location': 'location_id',
          'attributes.device_id': 'device_id',
          'attributes.updated_at': 'updated_at',
          'attributes.billing_country': 'sada_billing_country',
          'attributes.shipping_country': 'sada_shipping_country',
        },
      },
      ignore: {
        customer: 'the buyer: name, e-mail, phone, addresses (personal data; the order keeps the e-mail as customer_id)',
        billing_address: 'name, street, phone (personal data; its country_code is kept as billing_country)',
        shipping_address: 'name, street, phone (personal data; its country_code is kept as shipping_country)',
        phone: 'personal data',
        browser_ip: "the buyer's address (personal data)",
        client_details: "the buyer's browser and address (personal data)",
        token: 'a secret that opens the order',
        cart_token: 'a checkout secret',
        checkout_token: 'a checkout secret',
        checkout_id: 'the checkout, not the order',
        order_status_url: 'a link that opens the order page (a secret)',
        landing_site: 'the first page the buyer saw, with its query (may carry personal data)',
        landing_site_ref: 'part of landing_site',
        referring_site: 'the page before, with its query (may carry personal data)',
        admin_graphql_api_id: 'the same id, as the GraphQL API writes it',
        refunds: 'refund detail (transactions, restocked items); the order is refunded by its financial_status',
        fulfillments: 'shipment detail (carriers, tracking numbers); fulfillment_status is kept',
        tax_lines: 'tax breakdown; total_tax (the total) is kept',
        discount_applications: 'how each discount was applied; discount_codes and total_discounts are kept',
        payment_details: "the card's brand and last digits",
        payment_terms: 'payment schedule detail',
        ...Object.fromEntries(API_MONEY_SETS.map((field) => [field, 'the same amount in the shop’s and the buyer’s currency (the text amount is kept)'])),
      },
    },
    {
      name: 'customers',
      title: 'The buyers in the orders export, CSV, by e-mail',
      kind: 'customers',
      format: 'csv',
      detect: isOrdersExport,
      shape(row) {
        if (isLineItemRow(row)) return { skip: LINE_ITEM_ROWS };
        const id = email(row);
        if (!id) return { skip: 'orders without an e-mail address: no customer to keep' };
        return [{ ...row, sada_id: id }];
      },
      mapping: {
        fields: {
          id: { column: 'sada_id', required: true },
          email: 'sada_id',
          name: 'Billing Name',
          city: 'Billing City',
          country: 'Billing Country',
          'attributes.accepts_marketing': 'Accepts Marketing',
        },
      },
      // Every other column is the order's, which the orders source keeps: none is the customer's to name.
      unknownScope: 'customer',
    },
  ],
};
