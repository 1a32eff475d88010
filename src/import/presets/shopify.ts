import { hasColumns } from './helpers.ts';
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
