import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RecordKindName } from '../src/domain/record-kinds.ts';
import { importFile, type ImportSummary } from '../src/import/importer.ts';
import { mappingSchema } from '../src/import/mapping.ts';
import { prepareWithPreset } from '../src/import/preset-files.ts';
import { metricReport } from '../src/reports/metric-report.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { formatPath, readFormatJson } from './support/formats.ts';
import { chatwootConversation, freshdeskCsv, writeTemp } from './support/presets.ts';

/**
 * Presets end to end on the real export samples (../shared/formats): every record lands, a
 * re-import changes nothing, and the metrics Sada computes are the ones worked out by hand from
 * the samples. Documents built here start from the samples' own records.
 */

const reports = mkdtempSync(join(tmpdir(), 'sada-presets-reports-'));
const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const counts = (s: ImportSummary) => [s.inserted, s.updated, s.unchanged, s.rejected, s.skipped];

type Doc = Record<string, unknown>;

describeEachEngine('presets', (t) => {
  async function load(workspace: Workspace, kind: RecordKindName, path: string, spec = 'zendesk') {
    const prepared = await prepareWithPreset(path, kind, spec);
    return importFile(t.db, { workspace, kind, path, reportDir: reports, batchSize: 2, ...prepared });
  }
  const metric = async (workspace: Workspace, name: string, by?: string[]) => (await metricReport(t.db, workspace, { metric: name, ...(by ? { by } : {}) })).groups;

  test('Zendesk samples: every record lands (offered ratings are counted, not answers), and a re-import changes nothing', async () => {
    const ws = await t.workspace('zendesk');
    const files = [
      ['tickets', 'zendesk-tickets-incremental.json'],
      ['tickets', 'zendesk-ticket-metrics.json'],
      ['responses', 'zendesk-satisfaction-ratings.json'],
    ] as const;
    const first = [];
    for (const [kind, name] of files) first.push(counts(await load(ws, kind, formatPath(name))));
    assert.deepEqual(first, [[3, 0, 0, 0, 0], [3, 0, 0, 0, 0], [0, 0, 0, 0, 3]]);
    for (const [kind, name] of files) {
      const again = await load(ws, kind, formatPath(name));
      assert.deepEqual(counts(again).slice(0, 2), [0, 0], `${name} again`);
    }
    // Tickets by the month they were created, counted by hand from the two files: one each.
    const volume = await metric(ws, 'volume', ['month']);
    assert.deepEqual(volume.map((g) => [g.key.month, g.n]), [
      ['2020-12', 1],
      ['2022-09', 1],
      ['2023-06', 1],
      ['2023-10', 1],
      ['2024-04', 1],
      ['2024-05', 1],
    ]);
    const byChannel = await metric(ws, 'volume', ['channel']);
    assert.deepEqual(byChannel.map((g) => [g.key.channel, g.n]), [['phone', 1], ['sample-ticket', 1], ['web', 1], [null, 3]]);
  });

  test('Zendesk round trip: reply and resolution times from the timestamps, Zendesk’s own minutes beside them, disagreements reported', async () => {
    const ws = await t.workspace('zendesk-rt');
    const tickets = readFormatJson<{ tickets: Doc[] }>('zendesk-tickets-incremental.json').tickets;
    const metrics = readFormatJson<{ ticket_metrics: Doc[] }>('zendesk-ticket-metrics.json').ticket_metrics;
    const web = tickets.find((x) => x.id === 146)!;
    // Tickets 159 and 160 of the metrics sample, as the ticket export would have them (the ticket
    // is created a second before its metrics record, as Zendesk does).
    const created160 = '2024-04-12T13:39:05Z';
    const created159 = '2023-10-20T10:57:49Z';
    const ticketDoc = { tickets: [{ ...web, id: 160, created_at: created160, status: 'solved' }, { ...web, id: 159, created_at: created159 }] };
    // 160 solved on 2024-09-20 14:00:05: 161 days and 21 minutes after creation = 231,861 minutes.
    const solved = '2024-09-20T14:00:05Z';
    const metricsDoc = {
      ticket_metrics: metrics.map((m) => (m.ticket_id === 160 ? { ...m, solved_at: solved, full_resolution_time_in_minutes: { calendar: 231861, business: 80000 } } : m)),
    };
    // Replies: to 160 exactly when Zendesk says (97,667 minutes); to 159 after 100 minutes, where
    // Zendesk says 252,154: that one disagrees.
    const messages = [
      'id,ticket_id,author_kind,public,sent_at',
      `m1,160,customer,true,${created160}`,
      `m2,160,agent,true,${plusMinutes(created160, 97667)}`,
      `m3,159,customer,true,${created159}`,
      `m4,159,agent,true,${plusMinutes(created159, 100)}`,
    ].join('\n');
    assert.deepEqual(counts(await load(ws, 'tickets', writeTemp(ticketDoc))), [2, 0, 0, 0, 0]);
    const plain = await importFile(t.db, { workspace: ws, kind: 'messages', path: writeTemp(messages, 'csv'), mapping: mappingSchema.parse({}), reportDir: reports });
    assert.equal(plain.inserted, 4);
    const withMetrics = await load(ws, 'tickets', writeTemp(metricsDoc));
    assert.deepEqual(counts(withMetrics), [1, 2, 0, 0, 0], '161 is new; 159 and 160 gain their metrics');
    const calendar = withMetrics.comparisons.filter((c) => !c.business).map((c) => [c.attribute, c.compared, c.disagreed, c.examples]);
    assert.deepEqual(calendar, [
      ['zendesk_reply_time_calendar_minutes', 2, 1, ['159']],
      ['zendesk_first_resolution_time_calendar_minutes', 1, 0, []],
      ['zendesk_full_resolution_time_calendar_minutes', 1, 0, []],
    ]);
    assert.ok(
      withMetrics.warnings.includes(
        "Zendesk's first reply time disagrees with the timestamps for 1 of 2 tickets (more than 1 minute), e.g. 159 (attribute zendesk_reply_time_calendar_minutes)",
      ),
      withMetrics.warnings.join('\n'),
    );
    assert.ok(
      withMetrics.warnings.some((w) => w.startsWith("Zendesk's first reply time in business hours disagrees with the timestamps counted in the workspace's opening hours (Mon,Tue,Wed,Thu,Fri 09:00–17:00 UTC;")),
      'business minutes follow Zendesk’s schedule, which the workspace does not have',
    );
    const [stored] = await t.db.query<{ created_at: Date; attributes: Record<string, unknown> }>("SELECT created_at, attributes FROM tickets WHERE workspace_id = $1 AND id = '160'", [ws.id]);
    assert.equal(stored?.created_at.toISOString(), '2024-04-12T13:39:05.000Z', 'the ticket export’s creation time is kept, not the metrics copy a second later');
    assert.equal(stored?.attributes.zendesk_reply_time_calendar_minutes, 97667);
    assert.equal(stored?.attributes.tags, undefined, 'the ticket had no tags');

    // The metrics, by hand. frt: 100 min and 97,667 min → mean (6,000 + 5,860,020) / 2 = 2,933,010 s.
    const [frt] = await metric(ws, 'frt');
    assert.deepEqual([frt?.n, frt?.mean], [2, 2933010]);
    // Resolution: one ticket, 231,861 min = 13,911,660 s (the mean is exact).
    const [resolution] = await metric(ws, 'resolution_time');
    assert.deepEqual([resolution?.n, resolution?.mean], [1, 13911660]);
    // First resolution of the reopened ticket: 7,292 min after the metrics record's creation, 1 s after the ticket's.
    const [first] = await metric(ws, 'first_resolution_time');
    assert.deepEqual([first?.n, first?.mean], [1, 7292 * 60 + 1]);
    const [reopen] = await metric(ws, 'reopen_rate');
    assert.deepEqual([reopen?.n, reopen?.value], [1, 100]);

    // Again in any order: nothing changes.
    assert.deepEqual(counts(await load(ws, 'tickets', writeTemp(metricsDoc))).slice(0, 2), [0, 0]);
    assert.deepEqual(counts(await load(ws, 'tickets', writeTemp(ticketDoc))).slice(0, 2), [0, 0]);
  });

  test('Zendesk: metrics imported before the tickets give way to the ticket’s own creation time', async () => {
    const ws = await t.workspace('zendesk-order');
    const metrics = readFormatJson<{ ticket_metrics: Doc[] }>('zendesk-ticket-metrics.json');
    const web = readFormatJson<{ tickets: Doc[] }>('zendesk-tickets-incremental.json').tickets.find((x) => x.id === 146)!;
    await load(ws, 'tickets', formatPath('zendesk-ticket-metrics.json'));
    const ticketDoc = writeTemp({ tickets: [{ ...web, id: 160, created_at: '2024-04-12T13:39:05Z' }] });
    assert.deepEqual(counts(await load(ws, 'tickets', ticketDoc)).slice(0, 2), [0, 1]);
    assert.deepEqual(counts(await load(ws, 'tickets', writeTemp(metrics))).slice(0, 3), [0, 0, 3]);
    const [row] = await t.db.query<{ created_at: Date; channel: string }>("SELECT created_at, channel FROM tickets WHERE workspace_id = $1 AND id = '160'", [ws.id]);
    assert.deepEqual([row?.created_at.toISOString(), row?.channel], ['2024-04-12T13:39:05.000Z', 'web']);
  });

  test('Zendesk ratings round trip: CSAT is the share of good ratings', async () => {
    const ws = await t.workspace('zendesk-csat');
    const [a, b, c] = readFormatJson<{ satisfaction_ratings: Doc[] }>('zendesk-satisfaction-ratings.json').satisfaction_ratings;
    const doc = { satisfaction_ratings: [{ ...a, score: 'good' }, { ...b, score: 'bad', comment: 'slow' }, c] };
    const summary = await load(ws, 'responses', writeTemp(doc));
    assert.deepEqual(counts(summary), [2, 0, 0, 0, 1]);
    const [csat] = await metric(ws, 'csat');
    assert.deepEqual([csat?.n, csat?.value], [2, 50]);
  });
  test('Freshdesk samples: every record lands, a re-import changes nothing, and the metrics are the ones worked out by hand', async () => {
    const ws = await t.workspace('freshdesk');
    const files = [
      ['tickets', 'freshdesk-tickets-api.json'],
      ['customers', 'freshdesk-tickets-api.json'],
      ['responses', 'freshdesk-satisfaction-ratings.json'],
    ] as const;
    const first = [];
    for (const [kind, name] of files) first.push(counts(await load(ws, kind, formatPath(name), 'freshdesk')));
    assert.deepEqual(first, [[3, 0, 0, 0, 0], [3, 0, 0, 0, 0], [4, 0, 0, 0, 0]]);
    for (const [kind, name] of files) assert.deepEqual(counts(await load(ws, kind, formatPath(name), 'freshdesk')).slice(0, 2), [0, 0], `${name} again`);
    // Ticket 22: first response 16:16:58 − created 16:03:17 = 13 min 41 s = 821 s.
    const [frt] = await metric(ws, 'frt');
    assert.deepEqual([frt?.n, frt?.mean], [1, 821]);
    // Ticket 23 was resolved (and closed) the second it was created.
    const [resolution] = await metric(ws, 'resolution_time');
    assert.deepEqual([resolution?.n, resolution?.mean], [1, 0]);
    // One rating, 103 ("extremely happy") on the main question: CSAT 100% of 1.
    const [csat] = await metric(ws, 'csat');
    assert.deepEqual([csat?.n, csat?.value], [1, 100]);
    const byStatus = await metric(ws, 'volume', ['status']);
    assert.deepEqual(byStatus.map((g) => [g.key.status, g.n]), [['closed', 1], ['open', 1], ['pending', 1]]);
  });

  test('Freshdesk CSV export: its own response and resolution hours beside the timestamps, disagreements reported', async () => {
    const ws = await t.workspace('freshdesk-csv');
    const csv = freshdeskCsv([
      // Agrees: 20 minutes to the first response, 2 h 30 min to the resolution.
      { 'Ticket ID': '1', Status: 'Resolved', Source: 'Email', 'Created time': '2024-03-01 09:00:00', 'Initial response time': '2024-03-01 09:20:00', 'Resolved time': '2024-03-01 11:30:00', 'First response time (in hrs)': '00:20:00', 'Resolution time (in hrs)': '02:30:00' },
      // Disagrees on the first response: Freshdesk says an hour, the timestamps 20 minutes.
      { 'Ticket ID': '2', Status: 'Closed', Source: 'Chat', 'Created time': '2024-03-02 09:00:00', 'Initial response time': '2024-03-02 09:20:00', 'Closed time': '2024-03-02 10:00:00', 'First response time (in hrs)': '01:00:00', 'Resolution time (in hrs)': '01:00:00' },
    ]);
    const path = writeTemp(csv, 'csv');
    const summary = await load(ws, 'tickets', path, 'freshdesk');
    assert.deepEqual(counts(summary), [2, 0, 0, 0, 0]);
    assert.deepEqual(summary.comparisons.map((c) => [c.attribute, c.compared, c.disagreed, c.examples]), [
      ['freshdesk_first_response_seconds', 2, 1, ['2']],
      ['freshdesk_resolution_seconds', 2, 0, []],
    ]);
    assert.deepEqual(summary.warnings, [
      "Freshdesk's first response time disagrees with the timestamps for 1 of 2 tickets (more than 1 minute), e.g. 2 (attribute freshdesk_first_response_seconds)",
    ]);
    const [frt] = await metric(ws, 'frt');
    assert.deepEqual([frt?.n, frt?.mean], [2, 1200]);
    const [resolution] = await metric(ws, 'resolution_time');
    assert.deepEqual([resolution?.n, resolution?.mean], [2, (9000 + 3600) / 2]);
    assert.deepEqual(counts(await load(ws, 'tickets', path, 'freshdesk')).slice(0, 2), [0, 0]);
  });
  test('Intercom: the published example lands; statistics and ratings round trip; its own seconds are compared', async () => {
    const ws = await t.workspace('intercom');
    const sample = formatPath('intercom-conversations.json');
    assert.deepEqual(counts(await load(ws, 'tickets', sample, 'intercom')), [1, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'responses', sample, 'intercom')), [0, 0, 0, 0, 1]);
    assert.deepEqual(counts(await load(ws, 'tickets', sample, 'intercom')).slice(0, 2), [0, 0]);
    const examples = readFormatJson<{ list_conversations_example: { conversations: Doc[] }; schema_property_examples: { conversation_statistics: Doc; conversation_rating: Doc } }>('intercom-conversations.json');
    const [conversation] = examples.list_conversations_example.conversations;
    const statistics = examples.schema_property_examples.conversation_statistics;
    const created = 1663597233 - 2310;
    const doc = {
      conversations: [
        { ...conversation, id: '1', created_at: created, statistics, conversation_rating: { ...examples.schema_property_examples.conversation_rating, contact: { id: 'c1' } } },
        // Intercom counts 5,000 s to the first reply where the timestamps say 2,310 s.
        { ...conversation, id: '2', created_at: created, statistics: { ...statistics, time_to_admin_reply: 5000 }, conversation_rating: { rating: 2, remark: 'slow', created_at: 1671028894 } },
      ],
    };
    const path = writeTemp(doc);
    const summary = await load(ws, 'tickets', path, 'intercom');
    assert.deepEqual(counts(summary), [2, 0, 0, 0, 0]);
    assert.deepEqual(summary.comparisons.map((c) => [c.attribute, c.compared, c.disagreed]), [
      ['intercom_time_to_admin_reply_seconds', 2, 1],
      ['intercom_time_to_first_close_seconds', 2, 0],
      ['intercom_time_to_last_close_seconds', 2, 0],
    ]);
    assert.deepEqual(summary.warnings, ["Intercom's time to first reply disagrees with the timestamps for 1 of 2 tickets (more than 1 minute), e.g. 2 (attribute intercom_time_to_admin_reply_seconds)"]);
    assert.deepEqual(counts(await load(ws, 'responses', path, 'intercom')), [2, 0, 0, 0, 0]);
    // Means are exact (medians come from histograms with 20 s steps at this size).
    const [frt] = await metric(ws, 'frt');
    assert.deepEqual([frt?.n, frt?.mean], [2, 2310]);
    const [resolution] = await metric(ws, 'resolution_time');
    assert.deepEqual([resolution?.n, resolution?.mean], [2, 2310]);
    const [reopen] = await metric(ws, 'reopen_rate');
    assert.deepEqual([reopen?.n, reopen?.value], [2, 100], 'the example statistics count one reopening');
    const [csat] = await metric(ws, 'csat');
    assert.deepEqual([csat?.n, csat?.value], [2, 50]);
    assert.deepEqual(counts(await load(ws, 'responses', path, 'intercom')).slice(0, 2), [0, 0]);
  });

  test('Chatwoot: conversations and CSAT answers round trip, and a re-import changes nothing', async () => {
    const ws = await t.workspace('chatwoot');
    const conversations = writeTemp({ data: { meta: {}, payload: [chatwootConversation(), chatwootConversation({ id: 43, first_reply_created_at: chatwootConversation().created_at as number + 600, status: 'open' })] } });
    assert.deepEqual(counts(await load(ws, 'tickets', conversations, 'chatwoot')), [2, 0, 0, 0, 0]);
    const csat = writeTemp([
      { id: 1, rating: 5, feedback_message: 'Quick!', account_id: 1, message_id: 77, contact: { id: 901 }, conversation_id: 42, created_at: 1709291100 },
      { id: 2, rating: 3, feedback_message: null, account_id: 1, message_id: 78, contact: { id: 901 }, conversation_id: 43, created_at: 1709291200 },
    ]);
    assert.deepEqual(counts(await load(ws, 'responses', csat, 'chatwoot')), [2, 0, 0, 0, 0]);
    // First replies after 4 and 10 minutes.
    const [frt] = await metric(ws, 'frt');
    assert.deepEqual([frt?.n, frt?.mean], [2, 420]);
    const [score] = await metric(ws, 'csat');
    assert.deepEqual([score?.n, score?.value], [2, 50]);
    assert.deepEqual(counts(await load(ws, 'tickets', conversations, 'chatwoot')).slice(0, 2), [0, 0]);
    assert.deepEqual(counts(await load(ws, 'responses', csat, 'chatwoot')).slice(0, 2), [0, 0]);
  });

  test('Help Scout: the webhook example lands as a Great rating, CSAT 100% of 1, and again changes nothing', async () => {
    const ws = await t.workspace('helpscout');
    const sample = formatPath('helpscout-rating-webhook.json');
    assert.deepEqual(counts(await load(ws, 'responses', sample, 'helpscout')), [1, 0, 0, 0, 0]);
    assert.deepEqual(counts(await load(ws, 'responses', sample, 'helpscout')).slice(0, 3), [0, 0, 1]);
    const [csat] = await metric(ws, 'csat');
    assert.deepEqual([csat?.n, csat?.value], [1, 100]);
  });
});
