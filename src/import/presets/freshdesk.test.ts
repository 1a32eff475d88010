import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { freshdeskCsv, mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';

const at = (iso: string) => new Date(iso);
describe('Freshdesk preset', () => {
  test('each sample is recognised as its own source', async () => {
    const found = async (name: string, format: 'json' | 'csv' = 'json') =>
      detectSources(await sampleFile(formatPath(name), format)).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath ?? ''}`);
    assert.deepEqual(await found('freshdesk-tickets-api.json'), ['freshdesk:tickets@tickets', 'freshdesk:requesters@tickets']);
    assert.deepEqual(await found('freshdesk-satisfaction-ratings.json'), ['freshdesk:satisfaction-ratings@satisfaction_ratings']);
    assert.deepEqual(await found('freshdesk-tickets-export.csv', 'csv'), ['freshdesk:tickets-csv@']);
    // The API itself answers with a bare array.
    const bare = readFormatJson<{ tickets: unknown[] }>('freshdesk-tickets-api.json').tickets;
    assert.deepEqual(detectSources(await sampleFile(writeTemp(bare), 'json')).map((m) => `${m.source.name}@${m.jsonPath}`), ['tickets@', 'requesters@']);
  });

  test('tickets API: codes become Sada statuses, priorities and channels; stats give the times', async () => {
    const result = await mapSample('freshdesk-tickets-api.json', 'tickets', 'freshdesk');
    assert.deepEqual([result.read, result.records.length, result.problems, result.warnings], [3, 3, [], []]);
    const [pending, closed, open] = result.records;
    assert.deepEqual(
      result.records.map((r) => [r.id, r.status, r.priority, r.channel, r.agent_id, r.team_id, r.category]),
      [
        ['22', 'pending', 'low', 'phone', '67013469919', null, 'Problem'],
        ['23', 'closed', 'low', 'email', '67013469919', null, null],
        ['18', 'open', 'medium', 'email', null, '67000259997', 'Question'],
      ],
    );
    assert.deepEqual([pending?.created_at, pending?.first_response_at, pending?.resolved_at, pending?.reopen_count], [at('2022-11-16T16:03:17Z'), at('2022-11-16T16:16:58Z'), null, 0]);
    assert.deepEqual([closed?.resolved_at, closed?.closed_at, closed?.customer_id], [at('2022-11-22T15:00:34Z'), at('2022-11-22T15:00:34Z'), '67042965499']);
    assert.deepEqual(closed?.attributes, {
      status_code: 5,
      source_code: 10,
      requester_responded_at: '2022-11-22T15:02:29Z',
      status_updated_at: '2022-11-22T15:00:34Z',
      updated_at: '2022-11-22T15:02:37Z',
      company_id: 67001265522,
      email_config_id: 67000041667,
      support_email: 'support@newaccount1603334233301.freshdesk.com',
      due_by: '2022-11-25T15:00:34Z',
      fr_due_by: '2022-11-23T15:00:34Z',
      fr_escalated: false,
      is_escalated: false,
      nr_escalated: false,
    });
    assert.deepEqual([open?.attributes && (open.attributes as Record<string, unknown>).fr_escalated, open?.first_response_at], [true, null]);
  });

  test('tickets API: custom statuses, spam, reopening and custom fields', async () => {
    const [ticket] = readFormatJson<{ tickets: Record<string, unknown>[] }>('freshdesk-tickets-api.json').tickets;
    const doc = [
      { ...ticket, id: 1, status: 6, source: 11, custom_fields: { cf_plan: 'gold', cf_empty: null }, stats: { ...(ticket!.stats as object), reopened_at: '2022-11-17T09:00:00Z', closed_at: '2022-11-18T09:00:00Z' } },
      { ...ticket, id: 2, spam: true },
      { ...ticket, id: 3, brand_new_field: 'x' },
    ];
    const result = await mapWithPreset(writeTemp(doc), 'tickets', 'freshdesk');
    assert.equal(result.skipped, 1);
    const [custom, plain] = result.records;
    assert.deepEqual([custom?.status, custom?.channel, custom?.reopen_count, custom?.resolved_at], [null, 'freshdesk-source-11', 1, at('2022-11-18T09:00:00Z')]);
    assert.equal((custom?.attributes as Record<string, unknown>).cf_plan, 'gold');
    assert.equal((custom?.attributes as Record<string, unknown>).status_code, 6);
    assert.equal((plain?.attributes as Record<string, unknown>).brand_new_field, 'x');
    assert.deepEqual(result.warnings, [
      '1 record(s) not imported: tickets marked as spam in Freshdesk',
      'fields the freshdesk preset (tickets) does not know, kept as attributes: brand_new_field',
    ]);
  });

  test('requesters: the people of the tickets as customers, and only their fields', async () => {
    const result = await mapSample('freshdesk-tickets-api.json', 'customers', 'freshdesk');
    assert.deepEqual(result.records.map((r) => [r.id, r.name, r.email]), [
      ['67032849498', 'Jessica Rangel', 'reyesamanda@example.com'],
      ['67042965499', 'Iryna Grankova', 'iryna.grankova@airbyte.io'],
      ['67038833126', 'Matt Rogers', 'matt.rogers@freshdesk.com'],
    ]);
    assert.deepEqual(result.records[1]?.attributes, { company_id: 67001265522, mobile: '+380636306253' });
    assert.deepEqual(result.warnings, []);
  });

  test('satisfaction ratings: one answer per question, codes on a 1–7 scale, the main question as CSAT', async () => {
    const result = await mapSample('freshdesk-satisfaction-ratings.json', 'responses', 'freshdesk');
    assert.deepEqual([result.read, result.problems, result.warnings], [1, [], []]);
    assert.deepEqual(
      result.records.map((r) => [r.id, r.kind, r.score, r.scale_min, r.scale_max, r.question_id, r.comment]),
      [
        ['67000499229:default_question', 'csat', 7, 1, 7, 'default_question', 'test'],
        ['67000499229:question_67000084816', 'rating', 7, 1, 7, 'question_67000084816', null],
        ['67000499229:question_67000084817', 'rating', 4, 1, 7, 'question_67000084817', null],
        ['67000499229:question_67000084818', 'rating', 4, 1, 7, 'question_67000084818', null],
      ],
    );
    const [main] = result.records;
    assert.deepEqual([main?.submitted_at, main?.ticket_id, main?.agent_id, main?.customer_id, main?.survey_id, main?.submission_id, main?.touchpoint], [
      at('2022-11-22T15:02:29Z'), '23', '67013469919', '67042965499', '67000084490', '67000499229', 'support',
    ]);
    assert.deepEqual(main?.attributes, { freshdesk_rating: 103, updated_at: '2022-11-22T15:02:29Z' });
    const [rating] = readFormatJson<{ satisfaction_ratings: Record<string, unknown>[] }>('freshdesk-satisfaction-ratings.json').satisfaction_ratings;
    const codes = await mapWithPreset(writeTemp([{ ...rating, ratings: { default_question: -103 } }, { ...rating, id: 2, ratings: { default_question: 104 } }]), 'responses', 'freshdesk');
    assert.deepEqual(codes.records.map((r) => r.score), [1]);
    assert.match(JSON.stringify(codes.problems), /score 104 is outside the scale 1–7/);
  });

  test('CSV export: words become Sada values, local times are read in the account’s zone, durations in seconds', async () => {
    const csv = freshdeskCsv([
      {
        'Ticket ID': '101', Subject: 'Refund', Status: 'Resolved', Priority: 'High', Source: 'Portal', Type: 'Refund', Agent: 'Ona Jonaitė', Group: 'Billing',
        'Created time': '2024-03-01 09:00:00', 'Resolved time': '2024-03-01 11:30:00', 'Initial response time': '2024-03-01 09:20:00', 'Time tracked': '00:25:00',
        'First response time (in hrs)': '00:20:00', 'Resolution time (in hrs)': '02:30:00', 'Agent interactions': '2', 'Customer interactions': '1',
        Tags: 'refund,vip', 'Contact ID': '5001', 'Full name': 'Someone', Email: 'someone@example.com', 'Account tier': 'Gold',
      },
      { 'Ticket ID': '102', Status: 'Waiting on Customer', Priority: 'Low', Source: 'WhatsApp', 'Created time': '2024-03-02 10:00:00' },
      { 'Ticket ID': '103', Status: 'On the moon', Source: 'Carrier pigeon', 'Created time': '2024-03-02 10:00:00', 'Time tracked': '00:00:00' },
    ]);
    const result = await mapWithPreset(writeTemp(csv, 'csv'), 'tickets', 'freshdesk', 'Europe/Vilnius');
    assert.deepEqual([result.records.length, result.problems, result.warnings], [3, [], []]);
    const [resolved, waiting, odd] = result.records;
    assert.deepEqual(resolved, {
      id: '101',
      created_at: at('2024-03-01T07:00:00Z'),
      customer_id: '5001',
      channel: 'web',
      agent_id: 'Ona Jonaitė',
      team_id: 'Billing',
      category: 'Refund',
      priority: 'high',
      status: 'solved',
      subject: 'Refund',
      first_response_at: at('2024-03-01T07:20:00Z'),
      resolved_at: at('2024-03-01T09:30:00Z'),
      closed_at: null,
      agent_reply_count: 2,
      customer_contact_count: 1,
      handle_seconds: 1500,
      attributes: {
        freshdesk_status: 'Resolved',
        freshdesk_first_response_seconds: 1200,
        freshdesk_resolution_seconds: 9000,
        tags: 'refund,vip',
        company_account_tier: 'Gold',
      },
    });
    assert.deepEqual([waiting?.status, waiting?.channel, waiting?.priority], ['pending', 'messaging', 'low']);
    assert.deepEqual([odd?.status, odd?.channel, odd?.handle_seconds, (odd?.attributes as Record<string, unknown>).freshdesk_status], [null, 'carrier-pigeon', null, 'On the moon']);
  });
});
