import { durationSeconds, has, hasColumns, isObject, keep } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Freshdesk: the tickets API (with `include=stats`), the ticket CSV export and the satisfaction
 * ratings API with their numeric codes. docs/presets.md#freshdesk has the tables.
 */

/** API status codes; custom statuses (6 and up) have no fixed meaning and leave the status empty. */
export const FRESHDESK_STATUS_CODES: Record<string, string> = { '2': 'open', '3': 'pending', '4': 'solved', '5': 'closed' };
export const FRESHDESK_PRIORITY_CODES: Record<string, string> = { '1': 'low', '2': 'medium', '3': 'high', '4': 'urgent' };
/** API source codes → channel; other codes become the channel `freshdesk-source-<code>`. */
export const FRESHDESK_SOURCE_CODES: Record<string, string> = {
  '1': 'email',
  '2': 'web',
  '3': 'phone',
  '4': 'web',
  '5': 'social',
  '6': 'social',
  '7': 'chat',
  '8': 'app',
  '9': 'web',
  '10': 'email',
};
/** The CSV export writes statuses and sources as words. */
export const FRESHDESK_STATUS_WORDS: Record<string, string> = {
  open: 'open',
  pending: 'pending',
  resolved: 'solved',
  closed: 'closed',
  'waiting on customer': 'pending',
  'waiting on third party': 'pending',
};
export const FRESHDESK_SOURCE_WORDS: Record<string, string> = {
  email: 'email',
  portal: 'web',
  phone: 'phone',
  forum: 'web',
  twitter: 'social',
  facebook: 'social',
  chat: 'chat',
  mobihelp: 'app',
  'feedback widget': 'web',
  'outbound email': 'email',
  whatsapp: 'messaging',
};
/**
 * Satisfaction codes, from most to least happy, onto a 1–7 scale by their position: a 3-point
 * survey (103, 100, −103) answers 7, 4 or 1, and only "extremely happy" (and "very happy" on
 * 5- and 7-point surveys) is in CSAT's top two boxes.
 */
export const FRESHDESK_RATING_CODES: Record<string, number> = { '103': 7, '102': 6, '101': 5, '100': 4, '-101': 3, '-102': 2, '-103': 1 };

const stats = (ticket: SourceRecord): SourceRecord | undefined => (isObject(ticket.stats) ? ticket.stats : undefined);

function isApiTicket(record: SourceRecord): boolean {
  return has(record, 'id', 'created_at', 'status', 'source', 'requester_id') && typeof record.source === 'number' && (has(record, 'fr_due_by') || has(record, 'fr_escalated'));
}

export const freshdesk: Preset = {
  name: 'freshdesk',
  title: 'Freshdesk',
  docs: 'docs/presets.md#freshdesk',
  sources: [
    {
      name: 'tickets',
      title: 'Tickets API, GET /api/v2/tickets?include=stats',
      kind: 'tickets',
      format: 'json',
      path: '',
      detect: isApiTicket,
      shape(ticket) {
        if (ticket.spam === true) return { skip: 'tickets marked as spam in Freshdesk' };
        const s = stats(ticket);
        const code = String(ticket.source);
        const custom: SourceRecord = {};
        if (isObject(ticket.custom_fields)) {
          for (const [key, value] of Object.entries(ticket.custom_fields)) if (value !== null && value !== '') custom[key] = value;
        }
        return [
          {
            ...ticket,
            $attributes: custom,
            sada_status: FRESHDESK_STATUS_CODES[String(ticket.status)] ?? null,
            sada_channel: FRESHDESK_SOURCE_CODES[code] ?? `freshdesk-source-${code}`,
            // Resolved, or closed without being resolved first.
            sada_resolved_at: s ? (s.resolved_at ?? s.closed_at ?? null) : null,
            // Freshdesk keeps the last reopening only: at least once.
            sada_reopen_count: s ? (s.reopened_at ? 1 : 0) : null,
          },
        ];
      },
      reads: ['custom_fields', 'spam', 'stats.resolved_at'],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          created_at: 'created_at',
          customer_id: 'requester_id',
          channel: 'sada_channel',
          agent_id: 'responder_id',
          team_id: 'group_id',
          category: 'type',
          priority: { column: 'priority', values: FRESHDESK_PRIORITY_CODES },
          status: 'sada_status',
          subject: 'subject',
          first_response_at: 'stats.first_responded_at',
          resolved_at: 'sada_resolved_at',
          closed_at: 'stats.closed_at',
          reopen_count: 'sada_reopen_count',
          'attributes.status_code': 'status',
          'attributes.source_code': 'source',
          'attributes.agent_responded_at': 'stats.agent_responded_at',
          'attributes.requester_responded_at': 'stats.requester_responded_at',
          'attributes.status_updated_at': 'stats.status_updated_at',
          'attributes.pending_since': 'stats.pending_since',
          'attributes.reopened_at': 'stats.reopened_at',
          ...keep(
            'tags',
            'updated_at',
            'company_id',
            'product_id',
            'email_config_id',
            'support_email',
            'due_by',
            'fr_due_by',
            'nr_due_by',
            'fr_escalated',
            'is_escalated',
            'nr_escalated',
            'association_type',
            'associated_tickets_count',
          ),
        },
      },
      ignore: {
        description: 'the HTML of the first message',
        description_text: 'the text of the first message',
        requester: "the requester's name, e-mail and phones (personal data; the freshdesk:requesters source imports them as customers)",
        cc_emails: 'e-mail addresses copied',
        fwd_emails: 'e-mail addresses forwarded to',
        reply_cc_emails: 'e-mail addresses copied on replies',
        ticket_cc_emails: 'e-mail addresses copied on the ticket',
        to_emails: 'the addresses the e-mail was sent to',
      },
    },
    {
      name: 'requesters',
      title: 'The requesters of the tickets API (include=requester) as customers',
      kind: 'customers',
      format: 'json',
      path: '',
      detect: (record) => isApiTicket(record) && isObject(record.requester),
      shape(ticket) {
        return isObject(ticket.requester) && ticket.requester.id != null ? [{ ...ticket.requester, company_id: ticket.company_id }] : { skip: 'tickets without a requester object' };
      },
      reads: ['requester.id', 'requester.name', 'requester.email', 'requester.phone', 'requester.mobile'],
      unknownScope: 'requester',
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          name: 'name',
          email: 'email',
          'attributes.company_id': 'company_id',
          'attributes.phone': 'phone',
          'attributes.mobile': 'mobile',
        },
      },
    },
    {
      name: 'tickets-csv',
      title: 'Ticket export, CSV (Tickets › Export)',
      kind: 'tickets',
      format: 'csv',
      detect: (header) => hasColumns(header, 'Ticket ID', 'Created time', 'Status'),
      shape(row) {
        const status = typeof row.Status === 'string' ? row.Status.trim().toLowerCase() : '';
        const source = typeof row.Source === 'string' ? row.Source.trim().toLowerCase() : '';
        const tracked = durationSeconds(row['Time tracked']);
        return [
          {
            ...row,
            sada_status: FRESHDESK_STATUS_WORDS[status] ?? null,
            sada_channel: FRESHDESK_SOURCE_WORDS[source] ?? (source === '' ? null : source),
            sada_resolved_at: row['Resolved time'] || row['Closed time'] || null,
            sada_priority: typeof row.Priority === 'string' ? row.Priority.trim().toLowerCase() || null : null,
            sada_handle_seconds: tracked === 0 ? null : tracked,
            sada_first_response_seconds: durationSeconds(row['First response time (in hrs)']),
            sada_resolution_seconds: durationSeconds(row['Resolution time (in hrs)']),
          },
        ];
      },
      reads: ['Time tracked', 'First response time (in hrs)', 'Resolution time (in hrs)', 'Source', 'Priority', 'Resolved time'],
      mapping: {
        fields: {
          id: { column: 'Ticket ID', required: true },
          created_at: 'Created time',
          customer_id: 'Contact ID',
          channel: 'sada_channel',
          agent_id: 'Agent',
          team_id: 'Group',
          category: 'Type',
          priority: 'sada_priority',
          status: 'sada_status',
          subject: 'Subject',
          first_response_at: 'Initial response time',
          resolved_at: 'sada_resolved_at',
          closed_at: 'Closed time',
          agent_reply_count: 'Agent interactions',
          customer_contact_count: 'Customer interactions',
          handle_seconds: 'sada_handle_seconds',
          'attributes.freshdesk_status': 'Status',
          'attributes.freshdesk_first_response_seconds': 'sada_first_response_seconds',
          'attributes.freshdesk_resolution_seconds': 'sada_resolution_seconds',
          'attributes.due_by': 'Due by Time',
          'attributes.updated_at': 'Last update time',
          'attributes.resolution_status': 'Resolution status',
          'attributes.first_response_status': 'First response status',
          'attributes.tags': 'Tags',
          'attributes.survey_results': 'Survey results',
          'attributes.product': 'Product',
          'attributes.contact_time_zone': 'Time zone',
          'attributes.contact_language': 'Language',
          'attributes.contact_title': 'Title',
          'attributes.contact_external_id': 'Unique External ID',
          'attributes.company': 'Company Name',
          'attributes.company_domains': 'Company Domains',
          'attributes.company_health_score': 'Health score',
          'attributes.company_account_tier': 'Account tier',
          'attributes.company_industry': 'Industry',
          'attributes.company_renewal_date': 'Renewal date',
        },
      },
      ignore: {
        Description: 'the text of the first message',
        'Full name': "the contact's name (personal data)",
        Email: "the contact's e-mail address (personal data)",
        'Work phone': "the contact's phone (personal data)",
        'Mobile phone': "the contact's phone (personal data)",
        'Facebook ID': "the contact's social account (personal data)",
        'Twitter ID': "the contact's social account (personal data)",
      },
      checks: [
        { label: "Freshdesk's first response time", attribute: 'freshdesk_first_response_seconds', unit: 'seconds', against: 'first_response' },
        { label: "Freshdesk's resolution time", attribute: 'freshdesk_resolution_seconds', unit: 'seconds', against: 'resolution' },
      ],
    },
    {
      name: 'satisfaction-ratings',
      title: 'Satisfaction ratings API, GET /api/v2/surveys/satisfaction_ratings',
      kind: 'responses',
      format: 'json',
      path: '',
      detect: (record) => has(record, 'ticket_id', 'survey_id') && isObject(record.ratings),
      shape(rating) {
        const ratings = isObject(rating.ratings) ? Object.entries(rating.ratings) : [];
        if (ratings.length === 0) return { skip: 'satisfaction ratings without any rating' };
        return ratings.map(([question, code]) => ({
          ...rating,
          sada_id: `${String(rating.id)}:${question}`,
          sada_kind: question === 'default_question' ? 'csat' : 'rating',
          sada_question: question,
          sada_code: code,
          // The comment answers the survey as a whole: it goes with the main question.
          sada_comment: question === 'default_question' ? rating.feedback : null,
        }));
      },
      reads: ['ratings', 'feedback'],
      mapping: {
        fields: {
          id: { column: 'sada_id', required: true },
          kind: 'sada_kind',
          score: { column: 'sada_code', values: FRESHDESK_RATING_CODES },
          scale_min: { value: 1 },
          scale_max: { value: 7 },
          comment: 'sada_comment',
          submitted_at: 'created_at',
          survey_id: 'survey_id',
          question_id: 'sada_question',
          submission_id: 'id',
          ticket_id: 'ticket_id',
          customer_id: 'user_id',
          agent_id: 'agent_id',
          touchpoint: { value: 'support' },
          'attributes.freshdesk_rating': 'sada_code',
          ...keep('group_id', 'updated_at'),
        },
      },
    },
  ],
};
