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

function email(row: SourceRecord): string | null {
  return blank(row.Email) ? null : String(row.Email).trim().toLowerCase();
}

const isOrdersExport = (header: readonly string[]) => hasColumns(header, 'Name', 'Email', 'Financial Status', 'Fulfillment Status', 'Created at', 'Lineitem quantity', 'Total');

/** Columns of one line item, and the tax breakdown: left out (see docs/presets.md#shopify). */
const LINE_ITEM_COLUMNS = [
  'Lineitem quantity',
  'Lineitem name',
  'Lineitem price',
  'Lineitem compare at price',
  'Lineitem sku',
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
      shape(row) {
        if (isLineItemRow(row)) return { skip: LINE_ITEM_ROWS };
        return [{ ...row, sada_id: blank(row.Id) ? row.Name : row.Id, sada_customer: email(row), sada_status: shopifyStatus(row), sada_channel: channelOf(row.Source) }];
      },
      reads: ['Id', 'Email', 'Financial Status', 'Fulfillment Status', 'Cancelled at', 'Source'],
      mapping: {
        fields: {
          id: { column: 'sada_id', required: true },
          customer_id: 'sada_customer',
          placed_at: { column: 'Created at', required: true },
          amount: 'Total',
          currency: 'Currency',
          status: 'sada_status',
          channel: 'sada_channel',
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
        ...Object.fromEntries(LINE_ITEM_COLUMNS.map((column) => [column, "one line item's value: an order's items are on several rows, read one at a time, so they are not summed"])),
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
