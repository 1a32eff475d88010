import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricReport, type MetricRequest, type MetricResult } from '../src/reports/metric-report.ts';
import { beginRollupBatch, freshRollups, refreshRollups } from '../src/storage/rollups.ts';
import { ensureWorkspace, type Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { csvLoader } from './support/load.ts';

/**
 * Churn and retention by month (× segment) come from the monthly lifecycle rollup when it is fresh
 * and covers the months asked for, and always give exactly the raw rows' answer; anything else
 * (quarters, no period, other customer fields, another inactivity, months after the last activity)
 * reads the raw rows. Imports of subscriptions, orders and customers' segments make the rollup
 * stale, and the end of the import rebuilds it.
 */

const ROLLUP_VIEWS: Pick<MetricRequest, 'by' | 'where'>[] = [
  { by: ['month'] },
  { by: ['month', 'segment'] },
  { by: ['segment', 'month'] },
  { by: ['month', 'customer.segment'] },
  { by: ['month'], where: ['segment=gold'] },
  { by: ['month', 'segment'], where: ['segment=gold,silver'] },
];
/** Ranges within the data's months: whole months, parts of months, one side open, starting before the data. */
const COVERED_RANGES: Pick<MetricRequest, 'from' | 'to'>[] = [
  {},
  { from: '2024-01-01', to: '2024-03-31' },
  { from: '2024-01-15', to: '2024-03-10' },
  { from: '2024-02-01' },
  { to: '2024-02-29' },
  { from: '2023-06-01', to: '2024-02-15' },
];
const RAW_VIEWS: MetricRequest[] = [
  { metric: 'churn', by: ['quarter'] },
  { metric: 'churn', by: ['quarter', 'segment'] },
  { metric: 'churn' },
  { metric: 'churn', by: ['segment'] },
  { metric: 'retention', by: ['month', 'customer.country'] },
  { metric: 'retention', by: ['month'], where: ['customer.country=LT'] },
  { metric: 'retention', by: ['month', 'segment'], where: ['segment=gold', 'customer.country=LT'] },
];

describeEachEngine('lifecycle rollup', (t) => {
  const load = csvLoader(t);

  /** Asserts the report with rollups equals the one from raw rows, and which of the two answered it. */
  async function same(ws: Workspace, request: MetricRequest, expected: MetricResult['computedFrom'], label = JSON.stringify(request)): Promise<MetricResult> {
    const fromRollups = await metricReport(t.db, ws, request);
    const fromRows = await metricReport(t.db, ws, { ...request, useRollups: false });
    assert.equal(fromRows.computedFrom, 'raw rows');
    assert.equal(fromRollups.computedFrom, expected, `${label}: computed from`);
    assert.equal(fromRollups.rollup, expected === 'rollups' ? 'lifecycle_monthly' : undefined, `${label}: rollup`);
    assert.deepEqual(fromRollups.by, fromRows.by, `${label}: dimensions`);
    assert.equal(fromRollups.basis, fromRows.basis);
    assert.deepEqual(fromRollups.groups, fromRows.groups, `${label}: groups`);
    return fromRollups;
  }

  async function compareAll(ws: Workspace, stage: string) {
    let nonEmpty = 0;
    for (const metric of ['churn', 'retention']) {
      for (const view of ROLLUP_VIEWS) {
        for (const range of COVERED_RANGES) {
          const request = { metric, ...view, ...range };
          const result = await same(ws, request, 'rollups', `${stage} ${JSON.stringify(request)}`);
          if (result.groups.length > 0) nonEmpty++;
        }
      }
    }
    assert.ok(nonEmpty > 20, 'the comparisons are not all empty');
    for (const request of RAW_VIEWS) await same(ws, request, 'raw rows', `${stage} ${JSON.stringify(request)}`);
  }

  const stateOf = async (ws: Workspace) =>
    (
      await t.db.query<{ stale: boolean; built_at: Date }>(`SELECT stale, built_at FROM rollup_state WHERE workspace_id = $1 AND rollup = 'lifecycle_monthly'`, [ws.id])
    )[0];

  test('subscriptions: by month and by month × segment from the rollup, equal to the raw rows; the rest raw', async () => {
    // New York: month boundaries are not UTC's (s5 starts on 31 January there, s7 ends on 29 February).
    const ws = await ensureWorkspace(t.db, `lifecycle-subs-${Math.random().toString(36).slice(2, 8)}`, { timezone: 'America/New_York' });
    await load(ws, 'customers', 'id,segment,country\na,gold,LT\nb,gold,SA\nc,silver,LT\nd,silver,\ne,,LT\n');
    await load(
      ws,
      'subscriptions',
      [
        'id,customer_id,started_at,ended_at',
        's1,a,2023-11-15,',
        's2,b,2023-12-01,2024-02-10',
        's3,c,2024-01-05,2024-01-20',
        's4,c,2024-02-01,',
        's5,d,2024-02-01T03:00:00Z,',
        's6,e,2024-03-10,2024-04-15',
        's7,f,2024-02-15,2024-03-01T02:00:00Z', // f has no customer row: segment none
        's8,g,2024-04-01,',
      ].join('\n') + '\n',
    );
    assert.ok((await freshRollups(t.db, ws.id)).has('lifecycle_monthly'), 'built at the end of the import');
    await compareAll(ws, 'first import');

    const overview = await same(ws, { metric: 'churn', by: ['month', 'segment'], from: '2024-01-01', to: '2024-04-30' }, 'rollups');
    const gold = (month: string) => overview.groups.find((g) => g.key.month === month && g.key.segment === 'gold');
    // February, gold: a and b active on 1 February; b ends on 10 February → 1 of 2.
    assert.deepEqual([gold('2024-02')?.customers_at_start, gold('2024-02')?.churned], [2, 1]);
    assert.deepEqual([gold('2024-03')?.customers_at_start, gold('2024-03')?.churned], [1, 0]);
    const january = await metricReport(t.db, ws, { metric: 'retention', by: ['month'], from: '2024-01-01', to: '2024-01-31' });
    assert.equal(january.groups[0]?.new_customers, 2, 'c, and d who started on 31 January in New York');

    // Months after the last activity (15 April) are not in the rollup: a running subscription
    // keeps counting there, so they come from the raw rows.
    const later = await same(ws, { metric: 'churn', by: ['month', 'segment'], from: '2024-03-01', to: '2024-08-31' }, 'raw rows');
    assert.ok(later.groups.some((g) => g.key.month === '2024-08' && g.customers_at_start === 1));
    await same(ws, { metric: 'churn', by: ['month'], to: '2024-05-31' }, 'raw rows');
    await same(ws, { metric: 'churn', by: ['month'], from: '2024-04-20' }, 'rollups');

    // A subscription ends: the import marks the rollup stale and rebuilds it at its end.
    const before = await stateOf(ws);
    await load(ws, 'subscriptions', 'id,customer_id,started_at,ended_at\ns1,a,2023-11-15,2024-03-20\n');
    const after = await stateOf(ws);
    assert.equal(after?.stale, false);
    assert.ok(after!.built_at.getTime() > before!.built_at.getTime(), 'rebuilt by the import');
    const march = await same(ws, { metric: 'churn', by: ['month', 'segment'], from: '2024-03-01', to: '2024-03-31' }, 'rollups');
    const marchGold = march.groups.find((g) => g.key.segment === 'gold');
    assert.deepEqual([marchGold?.customers_at_start, marchGold?.churned, marchGold?.value], [1, 1, 100], 'a churned in March');
    await compareAll(ws, 'after a subscription ended');

    // A segment changes (e joins gold): stale, rebuilt.
    await load(ws, 'customers', 'id,segment\ne,gold\nf,silver\n');
    assert.ok((await freshRollups(t.db, ws.id)).has('lifecycle_monthly'));
    await compareAll(ws, 'after a segment change');
    // Customers without a segment column leave it as it is.
    const kept = await stateOf(ws);
    await load(ws, 'customers', 'id,country\na,SA\n');
    assert.equal((await stateOf(ws))?.built_at.getTime(), kept?.built_at.getTime(), 'not rebuilt');
  });

  test('a batch of subscriptions or orders makes the rollup stale: raw rows until it is rebuilt', async () => {
    const ws = await t.workspace('lifecycle-stale');
    await load(ws, 'customers', 'id,segment\na,gold\nb,silver\n');
    await load(ws, 'subscriptions', 'id,customer_id,started_at,ended_at\ns1,a,2024-01-10,2024-03-05\ns2,b,2024-02-01,\n');
    const request = { metric: 'churn', by: ['month', 'segment'] };
    await same(ws, request, 'rollups');
    for (const kind of ['subscriptions', 'orders'] as const) {
      await t.db.transaction(async (tx) => {
        const batch = await beginRollupBatch(tx, ws.id, kind, ['id', 'customer_id'], 'SELECT NULL::text WHERE false', []);
        await batch.after(true);
      });
      assert.equal((await stateOf(ws))?.stale, true, kind);
      assert.ok(!(await freshRollups(t.db, ws.id)).has('lifecycle_monthly'));
      assert.ok((await freshRollups(t.db, ws.id)).has('responses'), 'the other rollups are not affected');
      await same(ws, request, 'raw rows', `${kind}: stale`);
      assert.deepEqual(await refreshRollups(t.db, ws.id), ['lifecycle_monthly']);
      await same(ws, request, 'rollups', `${kind}: rebuilt`);
    }
    // Another time zone: months are cut elsewhere, so the rollup waits for a rebuild in the new one.
    await t.db.query(`UPDATE workspaces SET timezone = 'Asia/Tokyo' WHERE id = $1`, [ws.id]);
    const tokyo = { ...ws, timezone: 'Asia/Tokyo' };
    await same(tokyo, request, 'raw rows', 'new time zone');
    assert.ok((await refreshRollups(t.db, ws.id)).includes('lifecycle_monthly'));
    await same(tokyo, request, 'rollups', 'rebuilt in the new time zone');
  });

  test('orders: the rollup holds the default 90 days of inactivity; other thresholds read raw rows', async () => {
    const ws = await t.workspace('lifecycle-orders');
    await load(ws, 'customers', 'id,segment,country\na,gold,LT\nb,silver,LT\nd,gold,SA\n');
    await load(
      ws,
      'orders',
      [
        'id,customer_id,placed_at,status',
        'o1,a,2024-01-10,',
        'o2,a,2024-05-20,',
        'o3,b,2024-03-15,',
        'o4,b,2024-04-10,',
        'o5,c,2024-04-20,cancelled',
        'o6,d,2024-04-05,',
        'o7,d,2024-04-06,',
        'o8,,2024-06-01,', // no customer: extends the range, counts nowhere
      ].join('\n') + '\n',
    );
    const churn = await same(ws, { metric: 'churn', by: ['month'], from: '2024-04-01', to: '2024-04-30' }, 'rollups');
    assert.equal(churn.basis, 'orders (inactive after 90 days)');
    assert.deepEqual([churn.groups[0]?.n, churn.groups[0]?.churned, churn.groups[0]?.value], [2, 1, 50]);
    await same(ws, { metric: 'churn', by: ['month', 'segment'], churnDays: 90 }, 'rollups');
    for (const metric of ['churn', 'retention']) {
      for (const view of ROLLUP_VIEWS) for (const range of [{}, { from: '2024-02-10', to: '2024-05-31' }, { to: '2024-06-30' }]) await same(ws, { metric, ...view, ...range }, 'rollups');
      await same(ws, { metric, by: ['month', 'segment'], churnDays: 30 }, 'raw rows');
      await same(ws, { metric, by: ['month'], churnDays: 'p80' }, 'raw rows'); // p80 is 131 days here
      await same(ws, { metric, by: ['quarter', 'segment'] }, 'raw rows');
      await same(ws, { metric, by: ['month'], to: '2024-07-31' }, 'raw rows');
    }
    // New orders: rebuilt after the import.
    await load(ws, 'orders', 'id,customer_id,placed_at,status\no9,b,2024-06-20,\no4,b,2024-04-10,refunded\n');
    await same(ws, { metric: 'retention', by: ['month', 'segment'] }, 'rollups', 'after new orders');
    await same(ws, { metric: 'churn', by: ['month'] }, 'rollups', 'after new orders');
    // The first subscription switches churn to the subscriptions basis, and the rollup with it.
    await load(ws, 'subscriptions', 'id,customer_id,started_at,ended_at\ns1,a,2024-02-01,2024-05-10\n');
    const subscriptions = await same(ws, { metric: 'churn', by: ['month', 'segment'] }, 'rollups', 'after the first subscription');
    assert.equal(subscriptions.basis, 'subscriptions');
  });
});
