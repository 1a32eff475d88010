import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricReport, ReportError, type MetricRequest } from '../src/reports/metric-report.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { csvLoader } from './support/load.ts';

/**
 * Every metric against cases computed by hand (the arithmetic is in the comments), on both
 * databases. The values are what a person would get with a calculator from the definitions in
 * docs/metrics.md.
 */

const close = (actual: number | null | undefined, expected: number, digits = 6) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 10 ** -digits, `${actual} ≈ ${expected}`);

describeEachEngine('metrics (hand-computed)', (t) => {
  const load = csvLoader(t);
  const report = (workspace: Workspace, request: MetricRequest) => metricReport(t.db, workspace, request);

  test('nps: the seed definition, the adjusted-Wald interval, and answers on other scales left out', async () => {
    const ws = await t.workspace();
    // Scores 10,10,9,9 (4 promoters), 8,7 (2 passives), 6,5,3,0 (4 detractors): NPS = (4 − 4)/10 = 0.
    // Adjusted: n' = 13, p̃ = d̃ = 4.75/13 = 0.365385; SE = √((0.730769 − 0)/13) = 0.237093;
    // interval 0 ± 1.959964 × 0.237093 = ±0.464693 → ±46.4693.
    const rows = [10, 10, 9, 9, 8, 7, 6, 5, 3, 0].map((s, i) => `n${i},nps,${s},2024-01-10`);
    rows.push('late,nps,4,2024-01-11');
    await load(ws, 'responses', `id,kind,score,submitted_at\n${rows.join('\n')}\n`);
    await load(ws, 'responses', 'id,kind,score,scale_min,scale_max,submitted_at\nother,nps,5,1,5,2024-01-10\n');
    const result = await report(ws, { metric: 'nps', from: '2024-01-01', to: '2024-01-10' });
    const [group] = result.groups;
    assert.equal(group?.n, 10, 'the 11 January answer is outside --to, the 1–5 answer is not NPS');
    assert.equal(group?.value, 0);
    close(group?.ci?.[0], -46.469344, 5);
    close(group?.ci?.[1], 46.469344, 5);
    assert.deepEqual([group?.promoters, group?.passives, group?.detractors, group?.excluded_not_0_to_10], [4, 2, 4, 1]);
    assert.equal(result.definition.includes('promoters (9–10)'), true);
  });

  test('the seeds’ own examples', async () => {
    const ws = await t.workspace();
    // Seed 003 (CSAT): positive = 9 or 10 on a 1–10 scale; positives ÷ answers × 100. 19 of 20
    // answers are 9 or 10 → 95 ("more than 90% of your customers are satisfied").
    const csat = Array.from({ length: 20 }, (_, i) => `csat,${i === 0 ? 7 : 9 + (i % 2)},1,10,2024-01-01`);
    // Seed 003 (NPS) asks on 1–10: 5 promoters (9–10), 3 passives (7–8), 2 detractors (≤ 6)
    // → 50% − 20% = 30. Seed 000: NPS runs from −100 to 100.
    const nps = [10, 10, 9, 9, 9, 8, 7, 7, 3, 1].map((s) => `nps,${s},1,10,2024-01-01`);
    // Seed 003 (CES) is scored "the same way as CSAT, out of 100": 1–5, easy = 4–5 → 3 of 4 = 75.
    const ces = [5, 4, 4, 2].map((s) => `ces,${s},1,5,2024-01-01`);
    await load(ws, 'responses', `kind,score,scale_min,scale_max,submitted_at\n${[...csat, ...nps, ...ces].join('\n')}\n`);
    assert.equal((await report(ws, { metric: 'csat' })).groups[0]?.value, 95);
    const npsGroup = (await report(ws, { metric: 'nps' })).groups[0]!;
    assert.deepEqual([npsGroup.value, npsGroup.n, npsGroup.excluded_not_0_to_10], [30, 10, undefined]);
    assert.equal((await report(ws, { metric: 'ces' })).groups[0]?.value, 75);
  });

  test('nps edge cases: no answers, all promoters', async () => {
    const ws = await t.workspace();
    assert.deepEqual((await report(ws, { metric: 'nps' })).groups, []);
    await load(ws, 'responses', 'kind,score,submitted_at\nnps,10,2024-01-01\nnps,9,2024-01-02\nnps,10,2024-01-03\n');
    const [all] = (await report(ws, { metric: 'nps' })).groups;
    assert.equal(all?.value, 100);
    assert.ok(all!.ci![1] <= 100 && all!.ci![0] < 100, 'the interval stays inside the scale and is not degenerate');
  });

  test('csat top-2-box on 1–5 and 1–10, the mean, and the Wilson interval', async () => {
    const ws = await t.workspace();
    // 1–5: 5,4,4,3,2,1,5,5 → satisfied (4–5) = 5 of 8 = 62.5%; Wilson 95% = [30.5742, 86.3156]; mean = 29/8 = 3.625.
    const five = [5, 4, 4, 3, 2, 1, 5, 5].map((s) => `csat,${s},1,5,2024-02-01,web`);
    // 1–10: 10,9,8 → satisfied (9–10) = 2 of 3.
    const ten = [10, 9, 8].map((s) => `csat,${s},1,10,2024-02-01,app`);
    await load(ws, 'responses', `kind,score,scale_min,scale_max,submitted_at,channel\n${[...five, ...ten].join('\n')}\n`);
    const result = await report(ws, { metric: 'csat', by: ['channel'] });
    const web = result.groups.find((g) => g.key.channel === 'web')!;
    assert.equal(web.value, 62.5);
    assert.equal(web.n, 8);
    close(web.ci?.[0], 30.574239, 5);
    close(web.ci?.[1], 86.315571, 5);
    assert.equal(web.mean, 3.625);
    const app = result.groups.find((g) => g.key.channel === 'app')!;
    close(app.value, 200 / 3);
    const pooled = (await report(ws, { metric: 'csat' })).groups[0]!;
    assert.equal(pooled.n, 11);
    close(pooled.value, (7 / 11) * 100);
    assert.equal(pooled.mean, null, 'no mean across two scales');
    // mean_pct: 1–5 scores → (s−1)/4·100: 100,75,75,50,25,0,100,100 = 525; 1–10: (s−1)/9·100: 100, 88.89, 77.78 = 266.67 → 791.67/11.
    close(pooled.mean_pct as number, (525 + 100 + 800 / 9 + 700 / 9) / 11, 6);
  });

  test('ces: % easy per touchpoint, and the configurable direction', async () => {
    const ws = await t.workspace();
    // 1–7 at support: 7,6,5,4,1 → easy (5–7) = 3 of 5 = 60%; at checkout 2,2 → 0%.
    const rows = ['7,support', '6,support', '5,support', '4,support', '1,support', '2,checkout', '2,checkout'].map((r) => `ces,${r},2024-03-01`);
    await load(ws, 'responses', `kind,score,touchpoint,submitted_at\n${rows.join('\n')}\n`);
    const result = await report(ws, { metric: 'ces', by: ['touchpoint'] });
    assert.deepEqual(result.groups.map((g) => [g.key.touchpoint, g.value, g.n]), [['checkout', 0, 2], ['support', 60, 5]]);
    await t.db.query(`UPDATE workspaces SET settings = '{"metrics": {"cesHighIsEasy": false}}' WHERE id = $1`, [ws.id]);
    const mirrored = await metricReport(t.db, { ...ws, settings: { metrics: { cesHighIsEasy: false } } }, { metric: 'ces', by: ['touchpoint'] });
    // Mirrored on 1–7 (s → 8 − s): support 1,2,3,4,7 → easy 1 of 5 = 20%; checkout 6,6 → 100%.
    assert.deepEqual(mirrored.groups.map((g) => g.value), [100, 20]);
  });

  test('frt: median, p90 and mean from messages and from the source, bots and private notes left out', async () => {
    const ws = await t.workspace();
    // First replies after 60, 120, 300, 3600 and 7265 s. Median (type 1): the ⌈5·0.5⌉ = 3rd = 300 s.
    // p90: the ⌈4.5⌉ = 5th = 7265 s, rounded to its step of 50 s (5 units of the third digit) → 7250 s.
    // Mean (exact) = 11345/5 = 2269 s.
    const created = '2024-04-01T08:00:00Z';
    const at = (seconds: number) => new Date(Date.parse(created) + seconds * 1000).toISOString();
    const tickets = [60, 120, 300, 3600, 7265].map((s, i) => `t${i},${created},${at(s)},email`);
    tickets.push(`never,${created},,email`);
    await load(ws, 'tickets', `id,created_at,first_response_at,channel\n${tickets.join('\n')}\n`);
    const [group] = (await report(ws, { metric: 'frt' })).groups;
    assert.equal(group?.n, 5, 'the ticket never answered is not in n');
    assert.equal(group?.value, 300);
    assert.equal(group?.p90, 7250);
    assert.equal(group?.mean, 2269);
  });

  test('frt in business hours: only the open hours of the workspace count', async () => {
    const ws = await t.workspace();
    // Riyadh, open Sunday–Thursday 09:00–17:00 (the Saudi working week).
    await t.db.query(`UPDATE workspaces SET timezone = 'Asia/Riyadh', settings = $2 WHERE id = $1`, [
      ws.id,
      JSON.stringify({ businessHours: { days: [7, 1, 2, 3, 4], opens: '09:00', closes: '17:00' } }),
    ]);
    const riyadh = { ...ws, timezone: 'Asia/Riyadh', settings: { businessHours: { days: [7, 1, 2, 3, 4], opens: '09:00', closes: '17:00' } } };
    const csv = [
      'id,created_at,first_response_at',
      // Thursday 16:00 → Sunday 10:00 local (UTC+3): 1 h on Thursday + 1 h on Sunday = 7200 s.
      'b1,2024-02-29T13:00:00Z,2024-03-03T07:00:00Z',
      // Friday (weekend) 10:00 → Friday 11:00: 0 s.
      'b2,2024-03-01T07:00:00Z,2024-03-01T08:00:00Z',
      // Monday 08:00 → 09:30: only 30 min are open hours.
      'b3,2024-03-04T05:00:00Z,2024-03-04T06:30:00Z',
    ].join('\n');
    await load(ws, 'tickets', csv + '\n');
    const business = (await metricReport(t.db, riyadh, { metric: 'frt_business' })).groups[0]!;
    assert.equal(business.n, 3);
    assert.equal(business.mean, (7200 + 0 + 1800) / 3);
    assert.equal(business.value, 1800, 'median of 0, 1800, 7200');
    const calendar = (await metricReport(t.db, riyadh, { metric: 'frt' })).groups[0]!;
    assert.equal(calendar.value, 5400, 'calendar median of 3600, 5400 and 66 h');
  });

  test('frt after a bot hand-off counts from the hand-off', async () => {
    const ws = await t.workspace();
    await load(ws, 'tickets', 'id,created_at\nh1,2024-04-01T08:00:00Z\nh2,2024-04-01T08:00:00Z\n');
    const messages = [
      'id,ticket_id,author_kind,sent_at',
      // h1: the bot answers at once and hands over at 09:00; a person replies at 09:10 → 600 s.
      'a1,h1,customer,2024-04-01T08:00:00Z',
      'a2,h1,bot,2024-04-01T08:00:05Z',
      'a3,h1,bot,2024-04-01T09:00:00Z',
      'a4,h1,agent,2024-04-01T09:10:00Z',
      'a5,h1,bot,2024-04-01T10:00:00Z',
      // h2: no bot → from creation: 08:00 → 08:20 = 1200 s.
      'b1,h2,agent,2024-04-01T08:20:00Z',
    ].join('\n');
    await load(ws, 'messages', messages + '\n');
    const [handoff] = await t.db.query<{ handoff_at: Date }>("SELECT handoff_at FROM tickets WHERE workspace_id = $1 AND id = 'h1'", [ws.id]);
    assert.equal(handoff?.handoff_at.toISOString(), '2024-04-01T09:00:00.000Z', 'the last bot message before the person');
    const frt = (await report(ws, { metric: 'frt' })).groups[0]!;
    assert.deepEqual([frt.n, frt.mean], [2, 900]);
    const raw = (await report(ws, { metric: 'frt', useRollups: false })).groups[0]!;
    assert.equal(raw.mean, 900);
  });

  test('resolution time, reopen rate and FCR, with merged tickets excluded', async () => {
    const ws = await t.workspace();
    const csv = [
      'id,created_at,resolved_at,first_resolved_at,reopen_count,agent_reply_count,customer_contact_count,merged_into',
      // resolved in 1 h, one reply, never reopened → FCR
      'a,2024-05-01T00:00:00Z,2024-05-01T01:00:00Z,,0,1,,',
      // two agent replies → not FCR; resolved in 2 h
      'b,2024-05-01T00:00:00Z,2024-05-01T02:00:00Z,,0,2,,',
      // one customer contact counts over two agent replies → FCR
      'c,2024-05-01T00:00:00Z,2024-05-01T03:00:00Z,,0,2,1,',
      // reopened: first resolved after 1 h, finally after 10 h → not FCR
      'd,2024-05-01T00:00:00Z,2024-05-01T10:00:00Z,2024-05-01T01:00:00Z,1,1,,',
      // merged away: excluded everywhere
      'e,2024-05-01T00:00:00Z,2024-05-01T00:10:00Z,,0,1,,a',
      // no counts at all: cannot judge FCR, still resolved
      'f,2024-05-01T00:00:00Z,2024-05-01T04:00:00Z,,,,,',
      // open
      'g,2024-05-01T00:00:00Z,,,,,,',
    ].join('\n');
    await load(ws, 'tickets', csv + '\n');
    const fcr = (await report(ws, { metric: 'fcr' })).groups[0]!;
    assert.deepEqual([fcr.count, fcr.n], [2, 4], 'a and c of a, b, c, d');
    assert.equal(fcr.value, 50);
    const reopen = (await report(ws, { metric: 'reopen_rate' })).groups[0]!;
    assert.deepEqual([reopen.count, reopen.n], [1, 5], 'd of a, b, c, d, f');
    // Full resolution: 1, 2, 3, 10, 4 h → sorted 1,2,3,4,10 h; median = 3rd = 3 h = 10800 s.
    const full = (await report(ws, { metric: 'resolution_time' })).groups[0]!;
    assert.deepEqual([full.n, full.value], [5, 10800]);
    // First resolution: 1, 2, 3, 1 (d), 4 h → 1,1,2,3,4; median 2 h.
    const first = (await report(ws, { metric: 'first_resolution_time' })).groups[0]!;
    assert.equal(first.value, 7200);
  });

  test('aht and cost per resolution', async () => {
    const ws = await t.workspace();
    await load(ws, 'employees', 'id,hourly_cost\nann,36\n');
    const csv = [
      'id,created_at,resolved_at,handle_seconds,cost,agent_id',
      'p1,2024-06-01T09:00:00Z,2024-06-01T09:10:00Z,100,,ann', // cost 100 s × 36/h = 1.00
      'p2,2024-06-01T09:00:00Z,2024-06-01T09:10:00Z,200,5,ann', // own cost 5
      'p3,2024-06-01T09:00:00Z,2024-06-01T09:10:00Z,300,,', // no agent, no cost
      'p4,2024-06-01T09:00:00Z,,0,,ann', // not handled
    ].join('\n');
    await load(ws, 'tickets', csv + '\n');
    const aht = (await report(ws, { metric: 'aht' })).groups[0]!;
    assert.deepEqual([aht.n, aht.value], [3, 200], '(100 + 200 + 300) / 3');
    const cost = (await report(ws, { metric: 'cost_per_resolution' })).groups[0]!;
    assert.deepEqual([cost.n, cost.value, cost.total, cost.without_cost], [2, 3, 6, 1], '(1 + 5) / 2; p3 has no cost');
  });

  test('volume by month and channel, with shares of the month', async () => {
    const ws = await t.workspace();
    const rows = ['2024-01-05,email', '2024-01-06,email', '2024-01-07,chat', '2024-02-01,chat'].map((r, i) => `v${i},${r}`);
    await load(ws, 'tickets', `id,created_at,channel\n${rows.join('\n')}\n`);
    const result = await report(ws, { metric: 'volume', by: ['month', 'channel'] });
    assert.deepEqual(
      result.groups.map((g) => [g.key.month, g.key.channel, g.value, g.share]),
      [
        ['2024-01', 'chat', 1, (1 / 3) * 100],
        ['2024-01', 'email', 2, (2 / 3) * 100],
        ['2024-02', 'chat', 1, 100],
      ],
    );
  });

  test('periods follow the workspace time zone', async () => {
    const ws = await t.workspace();
    await t.db.query(`UPDATE workspaces SET timezone = 'Asia/Riyadh' WHERE id = $1`, [ws.id]);
    const riyadh = { ...ws, timezone: 'Asia/Riyadh' };
    // 22:30 UTC on 31 January is 01:30 on 1 February in Riyadh (UTC+3).
    await load(ws, 'responses', 'kind,score,submitted_at\nnps,10,2024-01-31T22:30:00Z\nnps,0,2024-01-31T20:00:00Z\n');
    const result = await metricReport(t.db, riyadh, { metric: 'nps', by: ['month'] });
    assert.deepEqual(result.groups.map((g) => [g.key.month, g.value]), [['2024-01', -100], ['2024-02', 100]]);
    const feb = await metricReport(t.db, riyadh, { metric: 'nps', from: '2024-02-01', to: '2024-02-29' });
    assert.equal(feb.groups[0]?.n, 1);
  });

  test('segments, customer fields, attributes and filters', async () => {
    const ws = await t.workspace();
    await load(ws, 'customers', 'id,segment,country\nc1,smb,LT\nc2,enterprise,SA\n');
    await load(
      ws,
      'responses',
      'kind,score,submitted_at,customer_id\ncsat,5,2024-01-01,c1\ncsat,1,2024-01-01,c1\ncsat,5,2024-01-01,c2\ncsat,4,2024-01-01,unknown\n',
    );
    const bySegment = await report(ws, { metric: 'csat', by: ['segment'] });
    assert.deepEqual(bySegment.groups.map((g) => [g.key.segment, g.value, g.n]), [['enterprise', 100, 1], ['smb', 50, 2], [null, 100, 1]]);
    const lt = await report(ws, { metric: 'csat', where: ['customer.country=LT'] });
    assert.deepEqual([lt.groups[0]?.n, lt.groups[0]?.value], [2, 50]);
    await assert.rejects(report(ws, { metric: 'csat', by: ['colour'] }), (e: Error) => e instanceof ReportError && /Try: day, week/.test(e.message));
    await assert.rejects(report(ws, { metric: 'happiness' }), /is not a metric\. Metrics: nps/);
    await assert.rejects(report(ws, { metric: 'nps', from: '2024-13-01' }), /not a date written YYYY-MM-DD/);
  });

  test('period-over-period change: a real drop is significant, a tiny sample is flagged', async () => {
    const ws = await t.workspace();
    // January: 90 of 100 satisfied; February: 60 of 100. Newcombe's interval for −30 points
    // excludes 0 and the two-proportion z-test gives p ≈ 1e-6.
    const rows: string[] = [];
    for (let i = 0; i < 100; i++) rows.push(`csat,${i < 90 ? 5 : 1},2024-01-15`, `csat,${i < 60 ? 5 : 1},2024-02-15`);
    rows.push('csat,5,2024-03-15', 'csat,1,2024-03-15');
    await load(ws, 'responses', `kind,score,submitted_at\n${rows.join('\n')}\n`);
    const result = await report(ws, { metric: 'csat', by: ['month'] });
    const [jan, feb, mar] = result.groups;
    assert.equal(jan?.change, undefined);
    close(feb?.change?.delta, -30);
    assert.equal(feb?.change?.significant, true);
    assert.ok(feb!.change!.ci![1] < 0);
    assert.equal(mar?.change?.smallSample, true);
  });

  test('churn and retention from subscriptions', async () => {
    const ws = await t.workspace();
    // March 2024. Active on 1 March: a, b, c, d (4). e starts 10 March (new) and is still active.
    // b ends 15 March; c ends in March and restarts in March (active at the end); d ends in April.
    // f starts and ends within March: neither at the start nor at the end.
    const csv = [
      'id,customer_id,started_at,ended_at',
      's1,a,2024-01-01,',
      's2,b,2024-01-01,2024-03-15',
      's3,c,2024-02-01,2024-03-05',
      's4,c,2024-03-20,',
      's5,d,2024-02-10,2024-04-02',
      's6,e,2024-03-10,',
      's7,f,2024-03-02,2024-03-09',
    ].join('\n');
    await load(ws, 'subscriptions', csv + '\n');
    const churn = (await report(ws, { metric: 'churn', from: '2024-03-01', to: '2024-03-31' })).groups[0]!;
    // Churned: b only → 1 of 4 = 25%.
    assert.deepEqual([churn.n, churn.churned, churn.value], [4, 1, 25]);
    const retention = (await report(ws, { metric: 'retention', from: '2024-03-01', to: '2024-03-31' })).groups[0]!;
    // Active at the end: a, c, d, e = 4; new: e and f = 2; retention = (4 − 2)/4 = 50%.
    assert.deepEqual([retention.customers_at_end, retention.new_customers, retention.value], [4, 2, 50]);
  });

  test('churn from orders (90 days without an order) and the repeat purchase rate', async () => {
    const ws = await t.workspace();
    const csv = [
      'id,customer_id,placed_at,status',
      'o1,a,2024-01-10,', // a: active on 1 April (order within 90 days)? 1 Jan + … 10 Jan is 82 days before 1 April → yes
      'o2,a,2024-05-20,', // … and again in May: active on 1 May? last order 10 Jan, 112 days → no. a churned in April.
      'o3,b,2024-03-15,',
      'o4,b,2024-04-10,', // b active on 1 April and on 1 May
      'o5,c,2024-04-20,cancelled', // cancelled orders do not count
      'o6,d,2024-04-05,',
      'o7,d,2024-04-06,', // d: new in April, two orders in April
    ].join('\n');
    await load(ws, 'orders', csv + '\n');
    const churn = await report(ws, { metric: 'churn', from: '2024-04-01', to: '2024-04-30' });
    assert.equal(churn.basis, 'orders (inactive after 90 days)');
    // Active on 1 April: a (10 Jan), b (15 Mar) = 2. On 1 May: b (10 Apr), d = 2 (a's last order is 111 days old).
    assert.deepEqual([churn.groups[0]?.n, churn.groups[0]?.churned, churn.groups[0]?.value], [2, 1, 50]);
    // Gaps between consecutive orders: a 131 days (10 Jan → 20 May), b 26 days, d 1 day. The
    // 80th percentile (type 1) of [1, 26, 131] is the ⌈2.4⌉ = 3rd → T = 131 days. Then a is still
    // active on 1 May (10 Jan is 112 days before): nobody churns in April.
    const p80 = await report(ws, { metric: 'churn', from: '2024-04-01', to: '2024-04-30', churnDays: 'p80' });
    assert.equal(p80.basis, 'orders (inactive after 131 days)');
    assert.deepEqual([p80.groups[0]?.n, p80.groups[0]?.churned], [2, 0]);
    const repeat = await report(ws, { metric: 'repeat_purchase_rate', by: ['month'] });
    // April: b (1 order), d (2 orders) → 1 of 2 = 50%. January: a alone → 0%.
    assert.deepEqual(repeat.groups.map((g) => [g.key.month, g.value, g.n]), [['2024-01', 0, 1], ['2024-03', 0, 1], ['2024-04', 50, 2], ['2024-05', 0, 1]]);
  });

  test('visitor intent: shares and conversion', async () => {
    const ws = await t.workspace();
    const csv = ['id,visited_at,intent,converted', 'v1,2024-01-01,buy,true', 'v2,2024-01-01,buy,false', 'v3,2024-01-01,support,false', 'v4,2024-01-01,,true'].join('\n');
    await load(ws, 'visits', csv + '\n');
    const result = await report(ws, { metric: 'intent' });
    const buy = result.groups.find((g) => g.key.intent === 'buy')!;
    close(buy.value, 200 / 3);
    assert.equal(buy.n, 3);
    assert.equal((buy.conversion as { value: number }).value, 50);
  });

  test('workspaces never see each other’s numbers', async () => {
    const a = await t.workspace('iso-a');
    const b = await t.workspace('iso-b');
    await load(a, 'responses', 'id,kind,score,submitted_at\nsame,nps,10,2024-01-01\n');
    await load(b, 'responses', 'id,kind,score,submitted_at\nsame,nps,0,2024-01-01\n');
    assert.equal((await report(a, { metric: 'nps' })).groups[0]?.value, 100);
    assert.equal((await report(b, { metric: 'nps' })).groups[0]?.value, -100);
  });
});
