import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FORMATS_DIR, formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { chatwootConversation, mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';

const at = (iso: string) => new Date(iso);
const epoch = (iso: string) => Date.parse(iso) / 1000;
type Doc = Record<string, unknown>;

describe('every sample', () => {
  test('each real sample is recognised by its own tool only', async () => {
    const expected: Record<string, string[]> = {
      'zendesk-tickets-incremental.json': ['zendesk:tickets'],
      'zendesk-ticket-metrics.json': ['zendesk:ticket-metrics'],
      'zendesk-satisfaction-ratings.json': ['zendesk:satisfaction-ratings'],
      'freshdesk-tickets-api.json': ['freshdesk:tickets', 'freshdesk:requesters'],
      'freshdesk-satisfaction-ratings.json': ['freshdesk:satisfaction-ratings'],
      'freshdesk-tickets-export.csv': ['freshdesk:tickets-csv'],
      'chatwoot-csat-export.csv': ['chatwoot:csat-csv'],
      'chatwoot-conversations-csat-shape.json': [],
      'intercom-conversations.json': ['intercom:conversations', 'intercom:ratings'],
      'helpscout-rating-webhook.json': ['helpscout:ratings'],
      'shopify-orders.csv': ['shopify:orders', 'shopify:customers'],
      'woocommerce-orders.json': ['woocommerce:orders', 'woocommerce:customers'],
      'woocommerce-orders-analytics-export.csv': ['woocommerce:analytics-orders-csv'],
      'stripe-subscriptions.json': ['stripe:subscriptions', 'stripe:customers'],
      'delighted-survey-responses.json': ['delighted:survey-responses', 'delighted:people'],
      'typeform-responses.json': ['typeform:responses'],
      'formbricks-responses-api.json': ['formbricks:responses'],
      'formbricks-responses-export.csv': ['formbricks:responses-csv'],
    };
    assert.deepEqual(
      readdirSync(FORMATS_DIR).filter((name) => name !== 'README.md').sort(),
      Object.keys(expected).sort(),
      'every sample in ../shared/formats is checked',
    );
    for (const [name, sources] of Object.entries(expected)) {
      const sample = await sampleFile(formatPath(name), name.endsWith('.csv') ? 'csv' : 'json');
      const found = [...new Set(detectSources(sample).map((m) => `${m.preset.name}:${m.source.name}`))];
      assert.deepEqual(found, sources, name);
    }
  });
});

describe('Chatwoot preset', () => {
  const shape = readFormatJson<{ conversation_shape: Doc; csat_survey_response_shape: Doc }>('chatwoot-conversations-csat-shape.json');

  test('conversations: statuses, channels and epoch seconds (0 = not set) translate as documented', async () => {
    assert.deepEqual(Object.keys(chatwootConversation()).sort(), Object.keys(shape.conversation_shape).sort(), 'the documented shape, key for key');
    const doc = {
      data: {
        meta: { mine_count: 1, assigned_count: 1, unassigned_count: 0, all_count: 2 },
        payload: [
          chatwootConversation(),
          chatwootConversation({ id: 43, status: 'snoozed', first_reply_created_at: 0, waiting_since: epoch('2024-03-02T09:00:00Z'), meta: { sender: { id: 902 }, channel: 'Channel::Whatsapp' }, custom_attributes: {} }),
          chatwootConversation({ id: 44, status: 'pending', meta: { channel: 'Channel::Matrix' } }),
        ],
      },
    };
    const path = writeTemp(doc);
    assert.deepEqual(detectSources(await sampleFile(path, 'json')).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath}`), ['chatwoot:conversations@data.payload']);
    const result = await mapWithPreset(path, 'tickets', 'chatwoot');
    assert.deepEqual([result.records.length, result.problems, result.warnings], [3, [], []]);
    const [resolved, snoozed, pending] = result.records;
    assert.deepEqual(resolved, {
      id: '42',
      created_at: at('2024-03-01T10:00:00Z'),
      customer_id: '901',
      channel: 'chat',
      agent_id: '7',
      team_id: '3',
      priority: 'high',
      status: 'solved',
      first_response_at: at('2024-03-01T10:04:00Z'),
      attributes: {
        plan: 'pro',
        agent_name: 'Ona',
        team_name: 'billing',
        last_activity_at: epoch('2024-03-01T11:00:00Z'),
        hmac_verified: false,
        inbox_id: 5,
        labels: ['refund'],
        uuid: '4e8a0c1e-0000-4000-8000-000000000042',
        additional_attributes: { browser: { browser_name: 'Firefox' } },
      },
    });
    assert.deepEqual([snoozed?.status, snoozed?.channel, snoozed?.first_response_at, snoozed?.agent_id], ['hold', 'messaging', null, null]);
    assert.equal((snoozed?.attributes as Doc).waiting_since, epoch('2024-03-02T09:00:00Z'));
    assert.deepEqual([pending?.status, pending?.channel], ['pending', 'matrix']);
  });

  test('CSAT API: ratings 1–5 as CSAT answers of the conversation', async () => {
    assert.deepEqual(Object.keys(shape.csat_survey_response_shape).sort(), ['account_id', 'assigned_agent', 'contact', 'conversation_id', 'created_at', 'feedback_message', 'id', 'message_id', 'rating']);
    const doc = [
      { id: 1, rating: 5, feedback_message: 'Quick!', account_id: 1, message_id: 77, contact: { id: 901, name: 'Rūta' }, conversation_id: 42, assigned_agent: { id: 7, name: 'Ona' }, created_at: epoch('2024-03-01T11:05:00Z') },
      { id: 2, rating: 2, feedback_message: null, account_id: 1, message_id: 78, contact: { id: 902 }, conversation_id: 43, created_at: epoch('2024-03-02T11:05:00Z') },
    ];
    const result = await mapWithPreset(writeTemp(doc), 'responses', 'chatwoot');
    assert.deepEqual(result.records, [
      { id: '1', kind: 'csat', score: 5, comment: 'Quick!', submitted_at: at('2024-03-01T11:05:00Z'), customer_id: '901', touchpoint: 'support', agent_id: '7', ticket_id: '42', scale_min: 1, scale_max: 5, attributes: { agent_name: 'Ona', message_id: 77 } },
      { id: '2', kind: 'csat', score: 2, comment: null, submitted_at: at('2024-03-02T11:05:00Z'), customer_id: '902', touchpoint: 'support', agent_id: null, ticket_id: '43', scale_min: 1, scale_max: 5, attributes: { message_id: 78 } },
    ]);
  });

  test('CSAT CSV download: the real header, rows with their conversation; the closing "Reporting period" line is not a rating', async () => {
    const header = readFileSync(formatPath('chatwoot-csat-export.csv'), 'utf8').trim();
    const csv = `${header}\nOna,4,Good,Rūta,ruta@example.com,+370600,https://app.chatwoot.com/app/accounts/1/conversations/42,2024-03-01 11:05:00 UTC\nOna,1,,Jonas,,,https://app.chatwoot.com/app/accounts/1/conversations/43,2024-03-02 11:05:00 UTC\n"Reporting period 2024-03-01 - 2024-03-31"\n`;
    const result = await mapWithPreset(writeTemp(csv, 'csv'), 'responses', 'chatwoot');
    assert.deepEqual(result.records.map((r) => [r.score, r.comment, r.agent_id, r.ticket_id, r.submitted_at]), [
      [4, 'Good', 'Ona', '42', at('2024-03-01T11:05:00Z')],
      [1, null, 'Ona', '43', at('2024-03-02T11:05:00Z')],
    ]);
    assert.match(String(result.records[0]?.id), /^h:/, 'no id in the download: a hash of the row, stable across re-imports');
    assert.deepEqual(result.warnings, [
      '1 row(s) have 1 fields but the header has 8; they were matched to columns by position (raggedRows: allow)',
      '1 record(s) not imported: the closing "Reporting period" line of the download',
    ]);
  });
});

describe('Intercom preset', () => {
  const sample = readFormatJson<{ list_conversations_example: { conversations: Doc[] }; schema_property_examples: { conversation_statistics: Doc; conversation_rating: Doc } }>('intercom-conversations.json');

  test('the published list example: every conversation lands, states, channels and priorities translated', async () => {
    const result = await mapSample('intercom-conversations.json', 'tickets', 'intercom');
    assert.equal(result.preset, 'intercom:conversations');
    assert.deepEqual([result.read, result.problems, result.warnings], [1, [], []]);
    assert.deepEqual({ ...result.records[0], attributes: undefined }, {
      id: '335',
      created_at: at('2024-06-27T12:53:15Z'),
      customer_id: '667d60bb8a68186f43bafdc5',
      channel: 'chat',
      agent_id: '991267715',
      team_id: '5017691',
      priority: 'normal',
      status: 'closed',
      subject: null,
      first_response_at: null,
      first_resolved_at: null,
      resolved_at: null,
      closed_at: null,
      reopen_count: null,
      handled_by_bot: false,
      attributes: undefined,
    });
    assert.deepEqual(result.records[0]?.attributes, { delivered_as: 'admin_initiated', contact_external_id: '70', updated_at: 1719492795, read: false, open: false, ai_agent_participated: false });
  });

  test('statistics give the times and Intercom’s own seconds; the rating is a CSAT answer', async () => {
    const [conversation] = sample.list_conversations_example.conversations;
    const statistics = sample.schema_property_examples.conversation_statistics;
    // The schema's example statistics: every event at 1663597233, 2310 s after the conversation began.
    const rated = {
      ...conversation,
      created_at: 1663597233 - 2310,
      title: 'Refund <b>please</b>',
      statistics,
      conversation_rating: { ...sample.schema_property_examples.conversation_rating, contact: { type: 'contact', id: 'c-1' }, teammate: { type: 'admin', id: 991267715 } },
      tags: { type: 'tag.list', tags: [{ type: 'tag', id: '1', name: 'vip' }] },
    };
    const path = writeTemp({ type: 'conversation.list', conversations: [rated, { ...conversation, id: '336', state: 'open', created_at: 1663597233 - 2310, statistics }] });
    const tickets = await mapWithPreset(path, 'tickets', 'intercom');
    const [closed, open] = tickets.records;
    const moment = at('2022-09-19T14:20:33Z');
    assert.deepEqual([closed?.created_at, closed?.first_response_at, closed?.first_resolved_at, closed?.resolved_at, closed?.reopen_count, closed?.subject], [
      new Date(moment.getTime() - 2310_000), moment, moment, moment, 1, 'Refund please',
    ]);
    assert.deepEqual([open?.status, open?.resolved_at, open?.first_resolved_at], ['open', null, moment], 'reopened and open: not resolved now');
    const attributes = closed?.attributes as Doc;
    assert.deepEqual([attributes.intercom_time_to_admin_reply_seconds, attributes.intercom_time_to_last_close_seconds, attributes.last_closed_by_id, attributes.tags], [2310, 2310, 'c3po', ['vip']]);
    assert.deepEqual(tickets.warnings, []);
    const ratings = await mapWithPreset(path, 'responses', 'intercom');
    assert.deepEqual(ratings.records, [
      { id: '335:rating', kind: 'csat', score: 5, comment: null, submitted_at: at('2022-12-14T14:41:34Z'), customer_id: 'c-1', channel: 'chat', touchpoint: 'support', agent_id: '991267715', ticket_id: '335', scale_min: 1, scale_max: 5, attributes: {} },
    ]);
    assert.deepEqual(ratings.warnings, ['1 record(s) not imported: conversations without a rating']);
  });
});

describe('Help Scout preset', () => {
  test('the rating webhook example: Great/Okay/Bad as 5/3/1 on a 1–5 scale', async () => {
    const result = await mapSample('helpscout-rating-webhook.json', 'responses', 'helpscout');
    assert.deepEqual([result.read, result.problems, result.warnings], [1, [], []]);
    assert.deepEqual(result.records, [
      {
        id: '5434',
        kind: 'csat',
        score: 5,
        scale_min: 1,
        scale_max: 5,
        comment: 'he was really helpful',
        submitted_at: at('2015-04-13T12:34:12Z'),
        customer_id: '449379',
        touchpoint: 'support',
        ticket_id: '1560011',
        attributes: { helpscout_rating: 'Great', thread_id: 3002084, mailbox_id: 1234, mailbox: 'My Mailbox', modified_at: '2015-04-14T20:18:33Z' },
      },
    ]);
    // Deliveries saved one per line.
    const hook = readFormatJson<{ rating_webhook_example: Doc }>('helpscout-rating-webhook.json').rating_webhook_example;
    const lines = [{ ...hook, id: 1, rating: 'Okay' }, { ...hook, id: 2, rating: 'Bad', comments: '' }].map((x) => JSON.stringify(x)).join('\n');
    const nd = await mapWithPreset(writeTemp(lines, 'ndjson'), 'responses', 'helpscout');
    assert.deepEqual(nd.records.map((r) => [r.id, r.score, r.comment]), [['1', 3, 'he was really helpful'], ['2', 1, null]]);
  });
});
