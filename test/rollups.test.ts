import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RecordKindName } from '../src/domain/record-kinds.ts';
import { importFile } from '../src/import/importer.ts';
import { upsertBatch } from '../src/storage/bulk-upsert.ts';
import { mappingSchema } from '../src/import/mapping.ts';
import { METRICS } from '../src/metrics/definitions.ts';
import { metricReport, type MetricResult } from '../src/reports/metric-report.ts';
import { TICKET_MEASURE_NAMES, ticketMeasure } from '../src/storage/metrics/ticket-measures.ts';
import { deferRollupsForLargeImport, freshRollups, refreshRollups } from '../src/storage/rollups.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * Property: whatever the data and however it arrived (first import, re-import with changes,
 * messages that move first replies, a customer whose segment changed), every standard view
 * answered from the rollups equals the answer from the raw rows.
 */

const dir = mkdtempSync(join(tmpdir(), 'sada-rollup-test-'));
let counter = 0;
const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * 3_600_000).toISOString();

const response = fc.record({
  id: fc.integer({ min: 0, max: 60 }).map((i) => `r${i}`),
  kind: fc.constantFrom('nps', 'csat', 'ces'),
  raw: fc.integer({ min: 0, max: 1000 }),
  hour: fc.integer({ min: 0, max: 24 * 120 }),
  touchpoint: fc.constantFrom('website', 'support', ''),
  channel: fc.constantFrom('email', 'chat', ''),
  customer: fc.constantFrom('c1', 'c2', 'c3', ''),
  survey: fc.constantFrom('s1', 's2', ''),
});
const ticket = fc.record({
  id: fc.integer({ min: 0, max: 40 }).map((i) => `t${i}`),
  hour: fc.integer({ min: 0, max: 24 * 120 }),
  reply: fc.option(fc.integer({ min: 0, max: 200_000 })),
  resolve: fc.option(fc.integer({ min: 0, max: 2_000_000 })),
  reopens: fc.option(fc.integer({ min: 0, max: 2 })),
  replies: fc.option(fc.integer({ min: 0, max: 3 })),
  handle: fc.option(fc.integer({ min: 0, max: 5000 })),
  cost: fc.option(fc.integer({ min: 0, max: 90 })),
  merged: fc.boolean(),
  channel: fc.constantFrom('email', 'phone', ''),
  customer: fc.constantFrom('c1', 'c2', 'c3', ''),
  agent: fc.constantFrom('a1', 'a2', ''),
  category: fc.constantFrom('billing', 'delivery', ''),
});
type ResponseRow = typeof response extends fc.Arbitrary<infer T> ? T : never;
type TicketRow = typeof ticket extends fc.Arbitrary<infer T> ? T : never;
const message = fc.record({ ticket: fc.integer({ min: 0, max: 40 }).map((i) => `t${i}`), minutes: fc.integer({ min: 0, max: 5000 }), agent: fc.boolean() });

const SCALES: Record<string, [number, number]> = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };
const responsesCsv = (rows: ResponseRow[]) =>
  'id,kind,score,submitted_at,touchpoint,channel,customer_id,survey_id\n' +
  rows
    .map((r) => {
      const [min, max] = SCALES[r.kind]!;
      return [r.id, r.kind, min + (r.raw % (max - min + 1)), day(r.hour), r.touchpoint, r.channel, r.customer, r.survey].join(',');
    })
    .join('\n') +
  '\n';
const ticketsCsv = (rows: TicketRow[]) =>
  'id,created_at,first_response_at,resolved_at,reopen_count,agent_reply_count,handle_seconds,cost,merged_into,channel,customer_id,agent_id,category\n' +
  rows
    .map((t) => {
      const created = Date.parse(day(t.hour));
      const at = (seconds: number | null) => (seconds === null ? '' : new Date(created + seconds * 1000).toISOString());
      return [t.id, day(t.hour), at(t.reply), at(t.resolve), t.reopens ?? '', t.replies ?? '', t.handle ?? '', t.cost ?? '', t.merged ? 'x' : '', t.channel, t.customer, t.agent, t.category].join(',');
    })
    .join('\n') +
  '\n';

const VIEWS: { metric: string; by: string[][] }[] = [
  { metric: 'nps', by: [[], ['month'], ['week', 'channel'], ['touchpoint', 'segment'], ['survey', 'day']] },
  { metric: 'csat', by: [['month', 'segment'], ['quarter', 'touchpoint', 'channel']] },
  { metric: 'ces', by: [['touchpoint'], ['year']] },
  { metric: 'frt', by: [[], ['month', 'channel'], ['segment']] },
  { metric: 'resolution_time', by: [['quarter', 'channel'], ['year']] },
  { metric: 'first_resolution_time', by: [['segment', 'month'], ['channel', 'segment']] },
  { metric: 'aht', by: [['channel']] },
  { metric: 'fcr', by: [['week', 'channel'], ['month', 'segment']] },
  { metric: 'reopen_rate', by: [['day']] },
  { metric: 'volume', by: [['month', 'channel'], ['day']] },
  { metric: 'cost_per_resolution', by: [['month', 'segment'], ['week', 'channel']] },
];

const DURATIONS = new Set(['frt', 'resolution_time', 'first_resolution_time', 'aht']);

function assertSame(fromRollups: MetricResult, fromRows: MetricResult, label: string, expected: MetricResult['computedFrom'] = 'rollups') {
  assert.equal(fromRollups.computedFrom, expected, `${label}: answered from the ${expected}`);
  assert.equal(fromRows.computedFrom, 'raw rows');
  assert.deepEqual(fromRollups.groups.map((g) => g.key), fromRows.groups.map((g) => g.key), `${label}: same groups`);
  fromRollups.groups.forEach((a, i) => {
    const b = fromRows.groups[i]!;
    assert.equal(a.n, b.n, `${label} ${JSON.stringify(a.key)}: n`);
    for (const field of ['value', 'ci', 'mean', 'p90', 'median', 'share', 'total', 'without_cost'] as const) {
      const x = [a[field]].flat() as (number | null | undefined)[];
      const y = [b[field]].flat() as (number | null | undefined)[];
      x.forEach((v, j) => {
        const w = y[j];
        if (typeof v === 'number' && typeof w === 'number') assert.ok(Math.abs(v - w) <= 1e-6 * Math.max(1, Math.abs(w)), `${label} ${field}: ${v} vs ${w}`);
        else assert.equal(v, w, `${label} ${field}`);
      });
    }
    assert.equal(a.change?.significant, b.change?.significant, `${label}: same significance`);
  });
}

test('each ticket metric places a ticket in a period by the timestamp its definition names', () => {
  for (const name of TICKET_MEASURE_NAMES) assert.equal(ticketMeasure(name).anchor, METRICS[name].anchor, name);
});

describeEachEngine('rollups', (t) => {
  async function load(ws: Workspace, kind: RecordKindName, csv: string) {
    const path = join(dir, `r${counter++}.csv`);
    writeFileSync(path, csv);
    await importFile(t.db, { workspace: ws, kind, path, mapping: mappingSchema.parse({}), reportDir: join(dir, 'reports'), batchSize: 7 });
  }
  async function compareAll(ws: Workspace, stage: string) {
    assert.deepEqual([...(await freshRollups(t.db, ws.id))].sort(), ['lifecycle_monthly', 'responses', 'responses_monthly', 'responses_segment_monthly', 'tickets', 'tickets_monthly']);
    for (const view of VIEWS) {
      for (const by of view.by) {
        // Whole months can be served by the monthly tier, the rest by the daily one.
        for (const range of [{}, { from: '2024-02-01', to: '2024-03-15' }, { from: '2024-02-01', to: '2024-03-31' }]) {
          const request = { metric: view.metric, by, ...range };
          const label = `${stage} ${view.metric} by ${by.join(',') || '—'} ${JSON.stringify(range)}`;
          // Duration histograms are monthly only: over part of a month, durations read the tickets.
          const expected = DURATIONS.has(view.metric) && 'to' in range && range.to?.endsWith('15') ? 'raw rows' : 'rollups';
          assertSame(await metricReport(t.db, ws, request), await metricReport(t.db, ws, { ...request, useRollups: false }), label, expected);
        }
      }
    }
    const overview = await metricReport(t.db, ws, { metric: 'nps', by: ['month', 'segment'] });
    assert.equal(overview.rollup, 'responses_segment_monthly', 'the overview reads the monthly tier by segment');
    const byTouchpoint = await metricReport(t.db, ws, { metric: 'nps', by: ['month', 'touchpoint'], where: ['segment=gold'] });
    assert.equal(byTouchpoint.rollup, 'responses_monthly', 'touchpoints are in the monthly tier');
    const byAgent = await metricReport(t.db, ws, { metric: 'fcr', by: ['month', 'agent'], from: '2024-02-01', to: '2024-03-31' });
    assert.equal(byAgent.computedFrom, 'raw rows', 'no rollup keeps agents');
    const weekly = { metric: 'frt', by: ['week'] };
    assert.equal((await metricReport(t.db, ws, weekly)).computedFrom, 'raw rows', 'the daily tier keeps no duration histograms');
    assert.equal((await metricReport(t.db, ws, { metric: 'volume', by: ['week'] })).rollup, 'tickets', 'counts by week come from the daily tier');
    const filtered = { metric: 'csat', by: ['month'], where: ['channel=email', 'segment=gold,silver'] };
    assertSame(await metricReport(t.db, ws, filtered), await metricReport(t.db, ws, { ...filtered, useRollups: false }), 'filtered');
    // A filter on a dimension needs that dimension's histograms even when it is not a group.
    const filteredDurations = { metric: 'frt', by: ['segment'], where: ['channel=email'] };
    assertSame(await metricReport(t.db, ws, filteredDurations), await metricReport(t.db, ws, { ...filteredDurations, useRollups: false }), 'filtered durations');
  }

  test('a large import defers the rollups to one rebuild at its end; reports read raw rows meanwhile', async () => {
    const ws = await t.workspace('defer');
    const first = { id: 'r1', kind: 'nps', raw: 9, hour: 5, touchpoint: '', channel: 'email', customer: '', survey: '' } as const;
    await load(ws, 'responses', responsesCsv([first]));
    assert.equal(await deferRollupsForLargeImport(t.db, ws.id, 'responses', 10), false, 'a small file keeps the deltas');
    assert.equal(await deferRollupsForLargeImport(t.db, ws.id, 'responses', 60_000), true);
    assert.equal(await deferRollupsForLargeImport(t.db, ws.id, 'orders', 60_000), false, 'orders feed no delta rollup');
    const upsert = (score: number) =>
      upsertBatch(t.db, ws.id, 'responses', ['id', 'kind', 'score', 'submitted_at'], [{ id: 'r1', kind: 'nps', score, submitted_at: new Date(day(5)), attributes: {} }], { deferRollups: true });
    // A deferred batch that changes nothing leaves the rollups fresh: a re-import rebuilds nothing.
    assert.deepEqual(await upsert(9), { inserted: 0, updated: 0, unchanged: 1 });
    assert.ok((await freshRollups(t.db, ws.id)).has('responses_monthly'));
    // One that changes a row writes no delta but marks the rollups stale in its own transaction.
    assert.deepEqual(await upsert(3), { inserted: 0, updated: 1, unchanged: 0 });
    const fresh = await freshRollups(t.db, ws.id);
    assert.ok(!fresh.has('responses') && !fresh.has('responses_monthly') && !fresh.has('responses_segment_monthly') && fresh.has('tickets'));
    assert.equal((await metricReport(t.db, ws, { metric: 'nps' })).computedFrom, 'raw rows');
    await refreshRollups(t.db, ws.id);
    const rebuilt = await metricReport(t.db, ws, { metric: 'nps' });
    assert.equal(rebuilt.computedFrom, 'rollups');
    assert.equal(rebuilt.groups[0]?.value, -100, 'the rebuild holds the changed score');
  });

  test('rollup answers equal raw answers through imports, updates, derived replies and segment changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(response, { maxLength: 40 }),
        fc.array(response, { maxLength: 15 }),
        fc.array(ticket, { maxLength: 30 }),
        fc.array(ticket, { maxLength: 10 }),
        fc.array(message, { maxLength: 15 }),
        async (responses, changedResponses, tickets, changedTickets, messages) => {
          const ws = await t.workspace('rollup');
          await load(ws, 'customers', 'id,segment\nc1,gold\nc2,silver\n');
          await load(ws, 'employees', 'id,hourly_cost\na1,30\n');
          await load(ws, 'responses', responsesCsv(responses));
          await load(ws, 'tickets', ticketsCsv(tickets));
          // Second round: rows change day, score, channel — the rollups follow by deltas.
          await load(ws, 'responses', responsesCsv(changedResponses));
          await load(ws, 'tickets', ticketsCsv(changedTickets));
          const messageRows = messages.map((m, i) => `m${i},${m.ticket},${m.agent ? 'agent' : 'customer'},${day(m.minutes / 60)}`);
          await load(ws, 'messages', `id,ticket_id,author_kind,sent_at\n${messageRows.join('\n')}\n`);
          await compareAll(ws, 'after deltas');
          await load(ws, 'customers', 'id,segment\nc1,silver\nc3,gold\n');
          await compareAll(ws, 'after a segment change');
          await load(ws, 'employees', 'id,hourly_cost\na1,45\na2,20\n');
          await compareAll(ws, 'after a change of hourly costs');
        },
      ),
      { numRuns: t.db.engine === 'pglite' ? 8 : 4 },
    );
  });
});
