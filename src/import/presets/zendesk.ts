import type { FigureCheck } from '../../storage/figure-checks.ts';
import { has, isObject, keep, keepAs, plusMinutes } from './helpers.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Zendesk Support: the Incremental Ticket Export, ticket metrics (with Zendesk's own calendar and
 * business minutes) and the legacy satisfaction ratings. docs/presets.md#zendesk has the tables.
 */

/** via.channel → Sada channel; other via types pass through as custom channels (`sample_ticket` → `sample-ticket`). */
export const ZENDESK_CHANNELS: Record<string, string> = {
  web: 'web',
  web_form: 'web',
  email: 'email',
  mail: 'email',
  voice: 'phone',
  phone: 'phone',
  chat: 'chat',
  native_messaging: 'messaging',
  messaging: 'messaging',
  whatsapp: 'messaging',
  line: 'messaging',
  wechat: 'messaging',
  telegram: 'messaging',
  sms: 'sms',
  twitter: 'social',
  facebook: 'social',
  instagram_dm: 'social',
  mobile_sdk: 'app',
  mobile: 'app',
};

/** Ticket statuses are Sada's own; `deleted` tickets are not imported. */
export const ZENDESK_STATUSES: Record<string, string> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'hold',
  solved: 'solved',
  closed: 'closed',
};

const METRIC_MINUTES = ['reply_time', 'first_resolution_time', 'full_resolution_time', 'agent_wait_time', 'requester_wait_time', 'on_hold_time'] as const;

function minutesFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const metric of METRIC_MINUTES) {
    for (const clock of ['calendar', 'business']) {
      fields[`attributes.zendesk_${metric}_${clock}_minutes`] = `${metric}_in_minutes.${clock}`;
    }
  }
  return fields;
}

function checks(): FigureCheck[] {
  const list: FigureCheck[] = [];
  const measures = [
    ['reply_time', "Zendesk's first reply time", 'first_response'],
    ['first_resolution_time', "Zendesk's first resolution time", 'first_resolution'],
    ['full_resolution_time', "Zendesk's full resolution time", 'resolution'],
  ] as const;
  for (const [metric, label, against] of measures) {
    list.push({ label, attribute: `zendesk_${metric}_calendar_minutes`, unit: 'minutes', against });
    list.push({ label: `${label} in business hours`, attribute: `zendesk_${metric}_business_minutes`, unit: 'minutes', against, business: true });
  }
  return list;
}

function isTicket(record: SourceRecord): boolean {
  return has(record, 'id', 'created_at', 'status', 'via') && !has(record, 'ticket_id') && (has(record, 'requester_id') || has(record, 'subject'));
}

export const zendesk: Preset = {
  name: 'zendesk',
  title: 'Zendesk',
  docs: 'docs/presets.md#zendesk',
  sources: [
    {
      name: 'tickets',
      title: 'Incremental Ticket Export, GET /api/v2/incremental/tickets/cursor.json, or the Tickets API',
      kind: 'tickets',
      format: 'json',
      path: 'tickets',
      detect: isTicket,
      shape(ticket) {
        if (ticket.status === 'deleted') return { skip: 'tickets deleted in Zendesk (status "deleted")' };
        // Custom fields [{id, value}] become attributes custom_field_<id>, so they can be filtered on.
        const custom: SourceRecord = {};
        if (Array.isArray(ticket.custom_fields)) {
          for (const field of ticket.custom_fields) {
            if (isObject(field) && field.value !== null && field.value !== undefined && field.value !== '') custom[`custom_field_${String(field.id)}`] = field.value;
          }
        }
        return [{ ...ticket, $attributes: custom }];
      },
      reads: ['custom_fields'],
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          created_at: 'created_at',
          customer_id: 'requester_id',
          channel: { column: 'via.channel', values: ZENDESK_CHANNELS },
          agent_id: 'assignee_id',
          team_id: 'group_id',
          category: 'type',
          priority: 'priority',
          status: { column: 'status', values: ZENDESK_STATUSES },
          subject: 'subject',
          'attributes.satisfaction_score': 'satisfaction_rating.score',
          'attributes.satisfaction_rating_id': 'satisfaction_rating.id',
          'attributes.via_rel': 'via.source.rel',
          ...keep(
            'tags',
            'updated_at',
            'external_id',
            'organization_id',
            'submitter_id',
            'brand_id',
            'ticket_form_id',
            'custom_status_id',
            'problem_id',
            'has_incidents',
            'is_public',
            'due_at',
            'recipient',
            'followup_ids',
            'from_messaging_channel',
          ),
        },
      },
      ignore: {
        url: 'the API address of the ticket',
        raw_subject: 'the subject before Zendesk renders its placeholders; subject is imported',
        description: 'the text of the first comment: message text is not needed for the metrics',
        'via.source.from': "the sender's phone number, address and name (personal data)",
        'via.source.to': 'the receiving phone number or address',
        collaborator_ids: 'people copied on the ticket',
        follower_ids: 'agents following the ticket',
        email_cc_ids: 'people copied on the e-mails',
        sharing_agreement_ids: 'ticket sharing between Zendesk accounts',
        forum_topic_id: 'a retired Zendesk feature',
        fields: 'the same values as custom_fields (its older name)',
        generated_timestamp: "the export's cursor, not a property of the ticket",
        allow_channelback: 'a setting of the ticket form',
        allow_attachments: 'a setting of the ticket form',
        'satisfaction_rating.comment': 'the satisfaction ratings export brings the answer, with its comment, as a response',
        'satisfaction_rating.reason': 'as satisfaction_rating.comment',
        'satisfaction_rating.reason_id': 'as satisfaction_rating.comment',
        'satisfaction_rating.reason_code': 'as satisfaction_rating.comment',
      },
    },
    {
      name: 'ticket-metrics',
      title: 'Ticket metrics, GET /api/v2/ticket_metrics or the metric_sets of the incremental export',
      kind: 'tickets',
      format: 'json',
      path: 'ticket_metrics',
      detect: (record) => has(record, 'ticket_id', 'reply_time_in_minutes'),
      shape(metrics) {
        // Zendesk gives the first resolution only as minutes; when the ticket was reopened it is
        // not the last resolution, so its instant is placed that many minutes after creation.
        const reopened = typeof metrics.reopens === 'number' && metrics.reopens > 0;
        const minutes = isObject(metrics.first_resolution_time_in_minutes) ? metrics.first_resolution_time_in_minutes.calendar : null;
        return [{ ...metrics, first_resolved_at: reopened ? plusMinutes(metrics.created_at, minutes) : null }];
      },
      reads: ['first_resolution_time_in_minutes'],
      mapping: {
        fields: {
          id: { column: 'ticket_id', required: true },
          created_at: { column: 'created_at', onlyIfEmpty: true },
          resolved_at: 'solved_at',
          first_resolved_at: 'first_resolved_at',
          reopen_count: 'reopens',
          agent_reply_count: 'replies',
          ...minutesFields(),
          ...keepAs(
            'metrics_',
            'updated_at',
            'assigned_at',
            'initially_assigned_at',
            'assignee_updated_at',
            'requester_updated_at',
            'status_updated_at',
            'custom_status_updated_at',
            'latest_comment_added_at',
            'group_stations',
            'assignee_stations',
          ),
        },
      },
      ignore: {
        url: 'the API address of the metrics record',
        id: "the metrics record's own id (the ticket is ticket_id)",
      },
      unknownPrefix: 'metrics_',
      checks: checks(),
    },
    {
      name: 'satisfaction-ratings',
      title: 'Satisfaction ratings (legacy CSAT), GET /api/v2/satisfaction_ratings',
      kind: 'responses',
      format: 'json',
      path: 'satisfaction_ratings',
      detect: (record) => has(record, 'ticket_id', 'score') && typeof record.score === 'string' && !has(record, 'reply_time_in_minutes'),
      shape(rating) {
        if (rating.score === 'good' || rating.score === 'bad') return [rating];
        return { skip: `satisfaction ratings with score "${String(rating.score)}": a survey offered (or not) but not answered` };
      },
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          kind: { value: 'csat' },
          score: { column: 'score', values: { good: 1, bad: 0 } },
          scale_min: { value: 0 },
          scale_max: { value: 1 },
          comment: 'comment',
          submitted_at: 'updated_at',
          ticket_id: 'ticket_id',
          customer_id: 'requester_id',
          agent_id: 'assignee_id',
          touchpoint: { value: 'support' },
          'attributes.offered_at': 'created_at',
          ...keep('group_id', 'reason', 'reason_id', 'reason_code'),
        },
      },
      ignore: { url: 'the API address of the rating' },
    },
  ],
};
