import { epochOrNull, has, hasColumns, isObject, keep } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Chatwoot: the conversations API and CSAT survey responses (API and the dashboard's CSV
 * download). docs/presets.md#chatwoot has the tables.
 */

/** Inbox channel types (meta.channel) → Sada channel; others lose `Channel::` and pass as custom channels. */
export const CHATWOOT_CHANNELS: Record<string, string> = {
  'Channel::WebWidget': 'chat',
  'Channel::Email': 'email',
  'Channel::Whatsapp': 'messaging',
  'Channel::Telegram': 'messaging',
  'Channel::Line': 'messaging',
  'Channel::FacebookPage': 'social',
  'Channel::Instagram': 'social',
  'Channel::TwitterProfile': 'social',
  'Channel::Sms': 'sms',
  'Channel::TwilioSms': 'sms',
  'Channel::Voice': 'phone',
  'Channel::Api': 'api',
};

export const CHATWOOT_STATUSES: Record<string, string> = { open: 'open', pending: 'pending', snoozed: 'hold', resolved: 'solved' };

/** Epoch seconds where 0 means "not set" (Chatwoot writes nil.to_i). */
const EPOCH_FIELDS = ['created_at', 'first_reply_created_at', 'waiting_since', 'last_activity_at', 'agent_last_seen_at', 'assignee_last_seen_at', 'contact_last_seen_at', 'timestamp'];

export const chatwoot: Preset = {
  name: 'chatwoot',
  title: 'Chatwoot',
  docs: 'docs/presets.md#chatwoot',
  sources: [
    {
      name: 'conversations',
      title: 'Conversations API, GET /api/v1/accounts/{account_id}/conversations',
      kind: 'tickets',
      format: 'json',
      path: 'payload',
      detect: (record) => has(record, 'id', 'inbox_id', 'status', 'created_at', 'account_id') && (has(record, 'first_reply_created_at') || has(record, 'waiting_since')),
      shape(conversation) {
        const times: SourceRecord = {};
        for (const field of EPOCH_FIELDS) times[`sada_${field}`] = epochOrNull(conversation[field]);
        const meta = isObject(conversation.meta) ? conversation.meta : {};
        const type = typeof meta.channel === 'string' ? meta.channel : '';
        const custom = isObject(conversation.custom_attributes) ? conversation.custom_attributes : {};
        return [
          {
            ...conversation,
            ...times,
            sada_channel: CHATWOOT_CHANNELS[type] ?? (type === '' ? null : type.replace(/^Channel::/, '')),
            $attributes: custom,
          },
        ];
      },
      reads: ['meta.channel', 'custom_attributes', ...EPOCH_FIELDS],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          created_at: { column: 'sada_created_at', format: 'epoch-s' },
          customer_id: 'meta.sender.id',
          channel: 'sada_channel',
          agent_id: 'meta.assignee.id',
          team_id: 'meta.team.id',
          priority: 'priority',
          status: { column: 'status', values: CHATWOOT_STATUSES },
          first_response_at: { column: 'sada_first_reply_created_at', format: 'epoch-s' },
          'attributes.agent_name': 'meta.assignee.name',
          'attributes.team_name': 'meta.team.name',
          'attributes.waiting_since': 'sada_waiting_since',
          'attributes.last_activity_at': 'sada_last_activity_at',
          'attributes.hmac_verified': 'meta.hmac_verified',
          ...keep('inbox_id', 'labels', 'uuid', 'snoozed_until', 'sla_policy_id', 'additional_attributes'),
        },
      },
      ignore: {
        'meta.sender': "the contact's name, e-mail, phone and avatar (personal data); its id is the customer",
        'meta.assignee': "the agent's e-mail and avatar; its id is the agent, its name an attribute",
        'meta.team': "the team's settings; its id is the team, its name an attribute",
        messages: 'the last message only, not the conversation',
        last_non_activity_message: 'the last message only',
        account_id: 'the Chatwoot account (one per import)',
        agent_last_seen_at: 'when the agent last looked at it',
        assignee_last_seen_at: 'when the assignee last looked at it',
        contact_last_seen_at: 'when the contact last looked at it',
        timestamp: 'the same as last_activity_at',
        unread_count: 'messages the agent has not read yet',
        can_reply: 'whether the channel accepts a reply now',
        muted: 'a setting of the conversation',
      },
    },
    {
      name: 'csat',
      title: 'CSAT survey responses API, GET /api/v1/accounts/{account_id}/csat_survey_responses',
      kind: 'responses',
      format: 'json',
      path: '',
      detect: (record) => has(record, 'rating', 'conversation_id', 'message_id', 'created_at') && typeof record.rating === 'number',
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          kind: { value: 'csat' },
          score: 'rating',
          comment: 'feedback_message',
          submitted_at: { column: 'created_at', format: 'epoch-s' },
          ticket_id: 'conversation_id',
          customer_id: 'contact.id',
          agent_id: 'assigned_agent.id',
          touchpoint: { value: 'support' },
          'attributes.agent_name': 'assigned_agent.name',
          ...keep('message_id'),
        },
      },
      ignore: {
        contact: "the contact's name, e-mail and phone (personal data); its id is the customer",
        assigned_agent: "the agent's e-mail and avatar; its id is the agent, its name an attribute",
        account_id: 'the Chatwoot account (one per import)',
      },
    },
    {
      name: 'csat-csv',
      title: 'CSAT report download, CSV (Reports › CSAT › Download)',
      kind: 'responses',
      format: 'csv',
      detect: (header) => hasColumns(header, 'Agent Name', 'Rating', 'Feedback Comment', 'Recorded date'),
      shape(row) {
        const first = typeof row['Agent Name'] === 'string' ? row['Agent Name'] : '';
        if (/^reporting period/i.test(first.trim()) && (row.Rating === undefined || row.Rating === '')) return { skip: 'the closing "Reporting period" line of the download' };
        const link = typeof row['Link to the conversation'] === 'string' ? row['Link to the conversation'] : '';
        return [{ ...row, sada_conversation: /\/conversations\/(\d+)/.exec(link)?.[1] ?? null }];
      },
      reads: ['Link to the conversation'],
      mapping: {
        raggedRows: 'allow',
        fields: {
          kind: { value: 'csat' },
          score: 'Rating',
          comment: 'Feedback Comment',
          submitted_at: 'Recorded date',
          agent_id: 'Agent Name',
          ticket_id: 'sada_conversation',
          touchpoint: { value: 'support' },
          'attributes.conversation_url': 'Link to the conversation',
          'attributes.review_notes': 'Review Notes',
        },
      },
      ignore: {
        'Contact Name': "the contact's name (personal data)",
        'Contact Email Address': "the contact's e-mail address (personal data)",
        'Contact Phone Number': "the contact's phone (personal data)",
      },
    },
  ],
};
