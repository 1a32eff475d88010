import { has, isObject, keep } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Intercom: conversations (list or search API) with their statistics, and their ratings as CSAT
 * answers. docs/presets.md#intercom has the tables.
 */

/** source.type → Sada channel; other types pass through as custom channels. */
export const INTERCOM_CHANNELS: Record<string, string> = {
  conversation: 'chat',
  email: 'email',
  facebook: 'social',
  instagram: 'social',
  twitter: 'social',
  whatsapp: 'messaging',
  sms: 'sms',
  push: 'app',
  phone_call: 'phone',
  phone_switch: 'phone',
};
export const INTERCOM_STATES: Record<string, string> = { open: 'open', snoozed: 'hold', closed: 'closed' };
export const INTERCOM_PRIORITIES: Record<string, string> = { priority: 'high', not_priority: 'normal' };

const isConversation = (record: SourceRecord) => has(record, 'id', 'created_at', 'state', 'source') && record.type === 'conversation';

const STATISTICS_KEPT = [
  'first_contact_reply_at',
  'first_assignment_at',
  'last_assignment_at',
  'last_assignment_admin_reply_at',
  'last_contact_reply_at',
  'last_admin_reply_at',
  'last_closed_by_id',
  'count_assignments',
  'count_conversation_parts',
];

export const intercom: Preset = {
  name: 'intercom',
  title: 'Intercom',
  docs: 'docs/presets.md#intercom',
  sources: [
    {
      name: 'conversations',
      title: 'Conversations, GET /conversations or POST /conversations/search',
      kind: 'tickets',
      format: 'json',
      path: 'conversations',
      detect: isConversation,
      shape(conversation) {
        const statistics = isObject(conversation.statistics) ? conversation.statistics : {};
        const source = isObject(conversation.source) ? conversation.source : {};
        const tags = isObject(conversation.tags) && Array.isArray(conversation.tags.tags) ? conversation.tags.tags.map((tag) => (isObject(tag) ? tag.name : tag)) : [];
        const subject = typeof conversation.title === 'string' && conversation.title !== '' ? conversation.title : source.subject;
        const bot = typeof conversation.ai_agent_participated === 'boolean' ? conversation.ai_agent_participated && statistics.first_admin_reply_at == null : null;
        return [
          {
            ...conversation,
            sada_subject: typeof subject === 'string' ? subject.replace(/<[^>]*>/g, '').trim() : null,
            // Resolved when closed now: the last close (a reopened conversation is not resolved).
            sada_resolved_at: conversation.state === 'closed' ? (statistics.last_close_at ?? null) : null,
            sada_tags: tags,
            sada_handled_by_bot: bot,
            $attributes: isObject(conversation.custom_attributes) ? conversation.custom_attributes : {},
          },
        ];
      },
      reads: ['title', 'source.subject', 'tags', 'ai_agent_participated', 'statistics.last_close_at', 'custom_attributes'],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          created_at: { column: 'created_at', format: 'epoch-s' },
          customer_id: 'contacts.contacts.0.id',
          channel: { column: 'source.type', values: INTERCOM_CHANNELS },
          agent_id: 'admin_assignee_id',
          team_id: 'team_assignee_id',
          priority: { column: 'priority', values: INTERCOM_PRIORITIES },
          status: { column: 'state', values: INTERCOM_STATES },
          subject: 'sada_subject',
          first_response_at: { column: 'statistics.first_admin_reply_at', format: 'epoch-s' },
          first_resolved_at: { column: 'statistics.first_close_at', format: 'epoch-s' },
          resolved_at: { column: 'sada_resolved_at', format: 'epoch-s' },
          closed_at: { column: 'sada_resolved_at', format: 'epoch-s' },
          reopen_count: 'statistics.count_reopens',
          handled_by_bot: 'sada_handled_by_bot',
          'attributes.intercom_time_to_admin_reply_seconds': 'statistics.time_to_admin_reply',
          'attributes.intercom_time_to_first_close_seconds': 'statistics.time_to_first_close',
          'attributes.intercom_time_to_last_close_seconds': 'statistics.time_to_last_close',
          'attributes.intercom_median_time_to_reply_seconds': 'statistics.median_time_to_reply',
          'attributes.intercom_time_to_assignment_seconds': 'statistics.time_to_assignment',
          ...Object.fromEntries(STATISTICS_KEPT.map((name) => [`attributes.${name}`, `statistics.${name}`])),
          'attributes.tags': 'sada_tags',
          'attributes.delivered_as': 'source.delivered_as',
          'attributes.contact_external_id': 'contacts.contacts.0.external_id',
          'attributes.first_contact_reply_created_at': 'first_contact_reply.created_at',
          'attributes.first_contact_reply_type': 'first_contact_reply.type',
          'attributes.sla_name': 'sla_applied.sla_name',
          'attributes.sla_status': 'sla_applied.sla_status',
          'attributes.teammates': 'teammates.teammates',
          'attributes.intercom_ticket': 'ticket',
          ...keep('updated_at', 'waiting_since', 'snoozed_until', 'read', 'open', 'topics', 'ai_agent', 'ai_agent_participated'),
        },
      },
      ignore: {
        type: 'always "conversation"',
        'source.id': "the first message's id",
        'source.body': "the first message's text",
        'source.author': "the first message's author: name and e-mail",
        'source.attachments': "the first message's attachments",
        'source.url': 'the page the conversation started on',
        'source.redacted': 'whether the first message was redacted',
        'contacts.type': 'always "contact.list"',
        'contacts.contacts.0.type': 'always "contact"',
        'first_contact_reply.url': 'the page of the reply',
        'tags.type': 'always "tag.list"',
        'teammates.type': 'always "admin.list"',
        'sla_applied.type': 'always "conversation_sla_summary"',
        'statistics.type': 'always "conversation_statistics"',
        conversation_rating: 'imported as a response by intercom:ratings',
        linked_objects: 'links to tickets and other conversations',
      },
      checks: [
        { label: "Intercom's time to first reply", attribute: 'intercom_time_to_admin_reply_seconds', unit: 'seconds', against: 'first_response' },
        { label: "Intercom's time to first close", attribute: 'intercom_time_to_first_close_seconds', unit: 'seconds', against: 'first_resolution' },
        { label: "Intercom's time to last close", attribute: 'intercom_time_to_last_close_seconds', unit: 'seconds', against: 'resolution' },
      ],
    },
    {
      name: 'ratings',
      title: 'The conversation_rating of the same conversations, as CSAT answers',
      kind: 'responses',
      format: 'json',
      path: 'conversations',
      detect: isConversation,
      shape(conversation) {
        const rating = conversation.conversation_rating;
        if (!isObject(rating) || typeof rating.rating !== 'number') return { skip: 'conversations without a rating' };
        return [{ ...conversation, sada_id: `${String(conversation.id)}:rating` }];
      },
      unknownScope: 'conversation_rating',
      mapping: {
        fields: {
          id: { column: 'sada_id', required: true },
          kind: { value: 'csat' },
          score: 'conversation_rating.rating',
          comment: 'conversation_rating.remark',
          submitted_at: { column: 'conversation_rating.created_at', format: 'epoch-s' },
          ticket_id: 'id',
          customer_id: 'conversation_rating.contact.id',
          agent_id: 'conversation_rating.teammate.id',
          channel: { column: 'source.type', values: INTERCOM_CHANNELS },
          touchpoint: { value: 'support' },
        },
      },
      ignore: {
        'conversation_rating.contact': 'the contact rating it (its id is the customer)',
        'conversation_rating.teammate': 'the teammate rated (its id is the agent)',
      },
    },
  ],
};
