import {
  BUILTIN_CHANNELS,
  MESSAGE_AUTHORS,
  ORDER_STATUSES,
  QUESTION_KINDS,
  TICKET_STATUSES,
} from './catalog.ts';

/**
 * What a business already has, as Sada stores it: one table per record kind. Every record
 * has the source system's id (`id`); records refer to each other by those ids, so files can be
 * imported in any order and re-imported without duplicates.
 */

export type FieldType = 'text' | 'key' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'json';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly required?: boolean;
  /** Allowed values (after lower-casing); anything else is a reject that lists them. */
  readonly oneOf?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Shown in `sada import --help` and in docs/data-model.md. */
  readonly doc: string;
}

export interface RecordKind {
  readonly name: RecordKindName;
  readonly table: string;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
}

const id: FieldSpec = {
  name: 'id',
  type: 'text',
  doc: "the source system's id; when absent, a stable hash of the row's content",
};
const attributes: FieldSpec = {
  name: 'attributes',
  type: 'json',
  doc: 'any other attributes (map them as attributes.<name>=column); kept for filtering and explanation',
};
const customerRef: FieldSpec = { name: 'customer_id', type: 'text', doc: 'id of the customer' };
const channel: FieldSpec = {
  name: 'channel',
  type: 'key',
  doc: `channel: ${BUILTIN_CHANNELS.join(', ')} or a custom one`,
};

export const RECORD_KINDS = {
  customers: {
    name: 'customers',
    table: 'customers',
    doc: 'people or companies who buy; profile attributes build the ideal-customer profile',
    fields: [
      id,
      { name: 'name', type: 'text', doc: 'display name' },
      { name: 'email', type: 'text', doc: 'e-mail address' },
      { name: 'segment', type: 'text', doc: 'segment the business assigns' },
      { name: 'age_band', type: 'text', doc: 'age band, e.g. 25-34' },
      { name: 'gender', type: 'text', doc: 'gender as stated' },
      { name: 'country', type: 'text', doc: 'country' },
      { name: 'city', type: 'text', doc: 'city' },
      { name: 'sector', type: 'text', doc: 'for companies: sector' },
      { name: 'headcount', type: 'integer', min: 0, doc: 'for companies: number of employees' },
      { name: 'plan', type: 'text', doc: 'plan or tier' },
      { name: 'signup_at', type: 'timestamp', doc: 'when the customer signed up' },
      attributes,
    ],
  },
  teams: {
    name: 'teams',
    table: 'teams',
    doc: 'support or business teams',
    fields: [id, { name: 'name', type: 'text', doc: 'team name' }, attributes],
  },
  employees: {
    name: 'employees',
    table: 'employees',
    doc: 'staff: support agents and everyone asked ESAT / eNPS questions',
    fields: [
      id,
      { name: 'name', type: 'text', doc: 'display name' },
      { name: 'email', type: 'text', doc: 'e-mail address' },
      { name: 'team_id', type: 'text', doc: 'id of the team' },
      { name: 'role', type: 'text', doc: 'role or position' },
      { name: 'is_agent', type: 'boolean', doc: 'answers customers (true) or not' },
      { name: 'hourly_cost', type: 'number', min: 0, doc: 'staff cost per hour, for cost per resolution' },
      { name: 'hired_at', type: 'timestamp', doc: 'start date' },
      { name: 'left_at', type: 'timestamp', doc: 'end date' },
      attributes,
    ],
  },
  responses: {
    name: 'responses',
    table: 'responses',
    doc: 'one answer to one survey question (a score, a choice or a comment)',
    fields: [
      id,
      {
        name: 'kind',
        type: 'key',
        required: true,
        oneOf: QUESTION_KINDS,
        doc: `question kind: ${QUESTION_KINDS.join(', ')}`,
      },
      { name: 'score', type: 'number', doc: 'the answer on the scale (required for scored kinds)' },
      { name: 'scale_min', type: 'integer', doc: 'lowest point of the scale (default from the kind)' },
      { name: 'scale_max', type: 'integer', doc: 'highest point of the scale (default from the kind)' },
      { name: 'answer', type: 'text', doc: 'chosen option, stated intent or profile answer' },
      { name: 'comment', type: 'text', doc: 'free-text comment ("why?")' },
      { name: 'language', type: 'key', doc: 'language of the answer, e.g. en, ar, lt' },
      { name: 'submitted_at', type: 'timestamp', required: true, doc: 'when the answer was given' },
      { name: 'survey_id', type: 'text', doc: 'id of the survey' },
      { name: 'question_id', type: 'text', doc: 'id of the question' },
      { name: 'submission_id', type: 'text', doc: 'groups the answers given together' },
      customerRef,
      { name: 'employee_id', type: 'text', doc: 'id of the employee who answered (ESAT / eNPS)' },
      { name: 'touchpoint', type: 'key', doc: 'touchpoint the survey was placed at' },
      channel,
      { name: 'agent_id', type: 'text', doc: 'id of the employee who served the customer' },
      { name: 'ticket_id', type: 'text', doc: 'id of the related ticket' },
      { name: 'order_id', type: 'text', doc: 'id of the related order' },
      attributes,
    ],
  },
  tickets: {
    name: 'tickets',
    table: 'tickets',
    doc: 'support tickets, conversations and calls',
    fields: [
      id,
      { name: 'created_at', type: 'timestamp', required: true, doc: 'first contact' },
      customerRef,
      channel,
      { name: 'agent_id', type: 'text', doc: 'id of the assigned agent' },
      { name: 'team_id', type: 'text', doc: 'id of the team' },
      { name: 'category', type: 'text', doc: 'kind of issue' },
      { name: 'priority', type: 'text', doc: 'priority' },
      { name: 'status', type: 'key', oneOf: TICKET_STATUSES, doc: `status: ${TICKET_STATUSES.join(', ')}` },
      { name: 'subject', type: 'text', doc: 'subject line' },
      { name: 'first_response_at', type: 'timestamp', doc: 'first public reply by a person (derived from messages when absent)' },
      { name: 'handoff_at', type: 'timestamp', doc: 'when a bot handed the conversation to a person (derived from messages when absent)' },
      { name: 'resolved_at', type: 'timestamp', doc: 'last time it was solved' },
      { name: 'first_resolved_at', type: 'timestamp', doc: 'first time it was solved (before any reopen)' },
      { name: 'closed_at', type: 'timestamp', doc: 'when it was closed' },
      { name: 'reopen_count', type: 'integer', min: 0, doc: 'times reopened after being solved' },
      { name: 'agent_reply_count', type: 'integer', min: 0, doc: 'public replies by agents' },
      { name: 'customer_contact_count', type: 'integer', min: 0, doc: 'contacts from the customer' },
      { name: 'handle_seconds', type: 'number', min: 0, doc: 'agent time spent (talk + hold + wrap-up for calls)' },
      { name: 'cost', type: 'number', min: 0, doc: 'cost of handling it' },
      { name: 'merged_into', type: 'text', doc: 'id of the ticket this one was merged into' },
      { name: 'handled_by_bot', type: 'boolean', doc: 'resolved by a bot without a person' },
      attributes,
    ],
  },
  messages: {
    name: 'messages',
    table: 'messages',
    doc: 'messages of a ticket; ticket times are derived from them when the ticket does not carry them',
    fields: [
      id,
      { name: 'ticket_id', type: 'text', required: true, doc: 'id of the ticket' },
      {
        name: 'author_kind',
        type: 'key',
        required: true,
        oneOf: MESSAGE_AUTHORS,
        doc: `who wrote it: ${MESSAGE_AUTHORS.join(', ')}`,
      },
      { name: 'author_id', type: 'text', doc: 'id of the author' },
      { name: 'public', type: 'boolean', doc: 'seen by the customer (default true)' },
      { name: 'sent_at', type: 'timestamp', required: true, doc: 'when it was sent' },
      { name: 'body', type: 'text', doc: 'text of the message' },
      attributes,
    ],
  },
  orders: {
    name: 'orders',
    table: 'orders',
    doc: 'purchases',
    fields: [
      id,
      customerRef,
      { name: 'placed_at', type: 'timestamp', required: true, doc: 'when the order was placed' },
      { name: 'amount', type: 'number', doc: 'order total' },
      { name: 'currency', type: 'text', doc: 'ISO 4217 currency code' },
      { name: 'status', type: 'key', oneOf: ORDER_STATUSES, doc: `status: ${ORDER_STATUSES.join(', ')}` },
      channel,
      { name: 'items', type: 'integer', min: 0, doc: 'number of items' },
      { name: 'delivered_at', type: 'timestamp', doc: 'when it was delivered' },
      attributes,
    ],
  },
  subscriptions: {
    name: 'subscriptions',
    table: 'subscriptions',
    doc: 'recurring contracts; churn and retention read them',
    fields: [
      id,
      { ...customerRef, required: true },
      { name: 'started_at', type: 'timestamp', required: true, doc: 'start' },
      { name: 'ended_at', type: 'timestamp', doc: 'end (cancellation took effect); empty while active' },
      { name: 'plan', type: 'text', doc: 'plan' },
      { name: 'status', type: 'key', doc: 'status in the billing system' },
      { name: 'recurring_amount', type: 'number', doc: 'amount per billing period' },
      { name: 'currency', type: 'text', doc: 'ISO 4217 currency code' },
      { name: 'cancel_reason', type: 'text', doc: 'why it was cancelled' },
      attributes,
    ],
  },
  visits: {
    name: 'visits',
    table: 'visits',
    doc: 'web visits and the intent visitors state',
    fields: [
      id,
      { name: 'visited_at', type: 'timestamp', required: true, doc: 'when the visit started' },
      { name: 'session_id', type: 'text', doc: 'browser session' },
      customerRef,
      { name: 'page', type: 'text', doc: 'landing page' },
      { name: 'source', type: 'text', doc: 'traffic source' },
      { name: 'device', type: 'text', doc: 'device class' },
      { name: 'intent', type: 'text', doc: 'what the visitor said they came for' },
      { name: 'converted', type: 'boolean', doc: 'whether the visit ended in a purchase or sign-up' },
      attributes,
    ],
  },
} as const satisfies Record<string, Omit<RecordKind, 'name'> & { name: string }>;

export type RecordKindName = keyof typeof RECORD_KINDS;
export const RECORD_KIND_NAMES = Object.keys(RECORD_KINDS) as RecordKindName[];

export function isRecordKindName(name: string): name is RecordKindName {
  return Object.hasOwn(RECORD_KINDS, name);
}

export function recordKind(name: RecordKindName): RecordKind {
  return RECORD_KINDS[name] as RecordKind;
}

/** A record ready to store: field name → typed value (string, number, boolean, Date, object). */
export type StoredValue = string | number | boolean | Date | Record<string, unknown> | null;
export type StoredRecord = Record<string, StoredValue>;
