import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile } from '../src/import/importer.ts';
import { parseMappingJson } from '../src/import/mapping.ts';
import { computeCohorts } from '../src/metrics/cohorts.ts';
import { holmAdjust, kruskalWallisFromRanks, type UnitRanks } from '../src/metrics/consistency.ts';
import { formatCsv, formatTable } from '../src/reports/format.ts';
import { metricReport, ReportError, type MetricRequest } from '../src/reports/metric-report.ts';
import { kruskalWallis } from '../src/stats/consistency.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { csvLoader } from './support/load.ts';

/**
 * The two analyses of docs/metrics.md — consistency of resolutions across agents, and
 * acquisition cohorts — against cases computed by hand (the arithmetic is in the comments), on
 * both databases; and cohorts on the real CDNOW log against a computation from the raw file.
 */

const dir = mkdtempSync(join(tmpdir(), 'sada-analyses-test-'));
const close = (actual: number | null | undefined, expected: number, digits = 6) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 10 ** -digits, `${actual} ≈ ${expected}`);

interface Rate {
  value: number | null;
  n: number;
  count: number;
  ci: [number, number] | null;
  limits_95: [number, number] | null;
  limits_99_8: [number, number] | null;
  position: string | null;
  flag: string | null;
}

// ---- pure parts ------------------------------------------------------------------------------

test('Kruskal–Wallis from rank sums equals the library’s H on the raw values, ties included', () => {
  const groups = { ann: [1, 2, 2, 4], bob: [2, 5, 6], cy: [4, 8] };
  // Mid-ranks of the pooled sample 1 2 2 2 4 4 5 6 8: 1, 3, 3, 3, 5.5, 5.5, 7, 8, 9.
  // Rank sums: ann 1 + 3 + 3 + 5.5 = 12.5; bob 3 + 7 + 8 = 18; cy 5.5 + 9 = 14.5.
  // Tie term per ticket t² − 1: the three 2s give 8 each (24 = 3³ − 3), the two 4s 3 each (6).
  const cells: UnitRanks[] = [
    { category: 'billing', unit: 'ann', n: 4, rankSum: 12.5, tieTerm: 0n + 8n + 8n + 3n, median: 2 },
    { category: 'billing', unit: 'bob', n: 3, rankSum: 18, tieTerm: 8n, median: 5 },
    { category: 'billing', unit: 'cy', n: 2, rankSum: 14.5, tieTerm: 3n, median: 4 },
  ];
  const fromRanks = kruskalWallisFromRanks(cells);
  const raw = kruskalWallis(Object.values(groups));
  close(fromRanks.statistic, raw.statistic!, 12);
  close(fromRanks.pValue, raw.pValue!, 12);
  close(fromRanks.tieCorrection, raw.tieCorrection!, 12);
  assert.deepEqual(fromRanks.warnings, raw.warnings);
  // By hand: H = [12/(9·10) · (12.5²/4 + 18²/3 + 14.5²/2) − 3·10] / (1 − 30/720)
  //            = (0.1333… · 252.1875 − 30) / 0.958333 = 3.625 / 0.958333 = 3.782609.
  close(fromRanks.statistic, 3.782609, 6);
});

test('Holm adjustment, and a cohort grid from spans', () => {
  // p = 0.01, 0.04, 0.03 (m = 3): sorted 0.01 ×3 = 0.03; 0.03 ×2 = 0.06; 0.04 ×1 = 0.04 → max(0.06, 0.04) = 0.06.
  const adjusted = holmAdjust([0.01, 0.04, null, 0.03]);
  assert.deepEqual(adjusted.map((p) => (p === null ? null : Math.round(p * 1e9) / 1e9)), [0.03, 0.06, null, 0.06]);
  // Cohort 2024-01 with 3 customers: 2 active for months 0–1, 1 for months 0–3; data ends 2024-05.
  const groups = computeCohorts(
    [
      { key: {}, cohort: '2024-01', first: 0, last: 1, customers: 2 },
      { key: {}, cohort: '2024-01', first: 0, last: 0, customers: 1 },
      { key: {}, cohort: '2024-01', first: 3, last: 9, customers: 1 },
    ],
    '2024-05',
    { cohort: 'cohort', monthsSince: 'months_since' },
  );
  assert.deepEqual(
    groups.map((g) => [g.key.months_since, g.count, g.n]),
    [['0', 3, 3], ['1', 2, 3], ['2', 0, 3], ['3', 1, 3], ['4', 1, 3]],
  );
});

// ---- on both databases -------------------------------------------------------------------------

describeEachEngine('analyses (hand-computed)', (t) => {
  const load = csvLoader(t);
  const report = (workspace: Workspace, request: MetricRequest) => metricReport(t.db, workspace, request);
  async function zoned(timezone: string) {
    const ws = await t.workspace();
    await t.db.query('UPDATE workspaces SET timezone = $2 WHERE id = $1', [ws.id, timezone]);
    return { ...ws, timezone };
  }

  test('consistency: FCR per agent on a funnel around the pooled rate, and the χ² test', async () => {
    const ws = await t.workspace();
    const header = 'id,agent_id,category,created_at,resolved_at,agent_reply_count,customer_contact_count,reopen_count,merged_into';
    const rows: string[] = [];
    const add = (agent: string, fcr: number, of: number) => {
      for (let i = 0; i < of; i++) rows.push(`${agent}${i},${agent},billing,2024-06-01T08:00:00Z,2024-06-02T08:00:00Z,${i < fcr ? 1 : 2},,0,`);
    };
    add('ann', 18, 20);
    add('bob', 10, 20);
    add('cy', 0, 10);
    rows.push('merged,ann,billing,2024-06-01T08:00:00Z,2024-06-02T08:00:00Z,1,,0,ann0'); // merged away: not counted
    rows.push('uncounted,bob,billing,2024-06-01T08:00:00Z,2024-06-02T08:00:00Z,,,0,'); // no counts: FCR cannot be judged
    rows.push('nobody,,billing,2024-06-01T08:00:00Z,2024-06-02T08:00:00Z,1,,0,'); // no agent: not compared
    rows.push('july,ann,billing,2024-06-01T08:00:00Z,2024-07-05T08:00:00Z,1,,0,'); // resolved after --to
    await load(ws, 'tickets', `${header}\n${rows.join('\n')}\n`);
    await load(ws, 'employees', 'id,team_id\nann,t1\nbob,t1\ncy,t2\n');

    const result = await report(ws, { metric: 'consistency', from: '2024-06-01', to: '2024-06-30' });
    assert.deepEqual(result.by, ['agent']);
    assert.equal(result.computedFrom, 'raw rows');
    assert.deepEqual(result.groups.map((g) => [g.key.agent, g.count, g.n, g.value]), [['ann', 18, 20, 90], ['bob', 10, 20, 50], ['cy', 0, 10, 0]]);
    // Pooled p̄ = (18 + 10 + 0)/(20 + 20 + 10) = 28/50 = 56%; p̄(1 − p̄) = 0.2464.
    const tests = result.tests!;
    assert.deepEqual([tests.unit, tests.fcr.count, tests.fcr.n, tests.fcr.withoutUnit], ['agent', 28, 50, 1]);
    close(tests.fcr.pooled, 56);
    const [ann, bob, cy] = result.groups as unknown as Rate[];
    // n = 20: SE = √(0.2464/20) = 0.110995; 95%: 0.56 ± 1.959964·SE = [34.2453, 77.7547]%;
    // 99.8%: 0.56 ± 3.090232·SE = [21.6998, 90.3002]%. Ann's 90% is above the 95% limit only: alert.
    close(ann!.limits_95![0], 34.245283, 5);
    close(ann!.limits_95![1], 77.754717, 5);
    close(ann!.limits_99_8![0], 21.699813, 5);
    close(ann!.limits_99_8![1], 90.300187, 5);
    assert.deepEqual([ann!.position, ann!.flag], ['above-inner', 'alert']);
    assert.deepEqual([bob!.position, bob!.flag], ['within', null]);
    // n = 10: SE = √(0.02464) = 0.156972; 99.8%: 0.56 − 3.090232·SE = 7.4922% > 0%: Cy is below it, alarm.
    close(cy!.limits_99_8![0], 7.492211, 5);
    assert.equal(cy!.limits_99_8![1], 100, 'clipped to 100%');
    assert.deepEqual([cy!.position, cy!.flag], ['below-outer', 'alarm']);
    // Wilson for 18 of 20: (18 + z²/2 ± z·√(18·2/20 + z²/4))/(20 + z²) = [69.8966, 97.2134]%.
    close(ann!.ci![0], 69.896635, 4);
    close(ann!.ci![1], 97.213352, 4);
    // χ² = Σ (x − n·p̄)²/(n·p̄(1 − p̄)) = (18 − 11.2)²/4.928 + (10 − 11.2)²/4.928 + (0 − 5.6)²/2.464
    //    = 9.383117 + 0.292208 + 12.727273 = 22.402597; df = 2, so p = e^(−χ²/2) = 1.3656e-5.
    const chi = tests.fcr.chiSquare;
    close(chi.statistic, 22.402597, 5);
    assert.equal(chi.df, 2);
    close(chi.pValue, Math.exp(-22.402597 / 2), 9);
    assert.equal(chi.significant, true);
    // Cy's expected failures are 10 × 0.44 = 4.4 < 5: the approximation is flagged.
    assert.deepEqual([chi.cellsBelowFive, chi.warnings], [1, ['low-expected-count']]);

    // By team (the agent's team): t1 = ann + bob = 28 of 40, t2 = cy = 0 of 10.
    const teams = await report(ws, { metric: 'consistency', by: ['team'], from: '2024-06-01', to: '2024-06-30' });
    assert.deepEqual(teams.groups.map((g) => [g.key.team, g.count, g.n]), [['t1', 28, 40], ['t2', 0, 10]]);
    await assert.rejects(report(ws, { metric: 'consistency', by: ['channel'] }), (e: Error) => e instanceof ReportError && /--by agent or --by team/.test(e.message));
    // Filters narrow every part: no ticket is in category "tech".
    const none = await report(ws, { metric: 'consistency', where: ['category=tech'] });
    assert.deepEqual([none.groups.length, none.tests?.fcr.n, none.tests?.kruskalWallis.length], [0, 0, 0]);
  });

  test('consistency: Kruskal–Wallis of resolution times by agent within each category, with ties', async () => {
    const ws = await t.workspace();
    const at = (hours: number) => new Date(Date.parse('2024-05-01T00:00:00Z') + hours * 3_600_000).toISOString();
    const tickets: [string, string | null, number][] = [
      // billing: ann 1, 2, 2, 4 h; bob 2, 5, 6 h; cy 4, 8 h (the first test's case).
      ['ann', 'billing', 1], ['ann', 'billing', 2], ['ann', 'billing', 2], ['ann', 'billing', 4],
      ['bob', 'billing', 2], ['bob', 'billing', 5], ['bob', 'billing', 6],
      ['cy', 'billing', 4], ['cy', 'billing', 8],
      // tech: ann 1, 3 h; bob 2, 4 h.
      ['ann', 'tech', 1], ['ann', 'tech', 3], ['bob', 'tech', 2], ['bob', 'tech', 4],
      // no category: cy alone.
      ['cy', null, 3],
    ];
    const rows = tickets.map(([agent, category, hours], i) => `k${i},${agent},${category ?? ''},${at(0)},${at(hours)}`);
    rows.push(`open,ann,billing,${at(0)},`); // not resolved: not in the test
    rows.push(`nobody,,billing,${at(0)},${at(7)}`); // no agent: not ranked (else ann's ranks would change)
    await load(ws, 'tickets', `id,agent_id,category,created_at,resolved_at\n${rows.join('\n')}\n`);
    const result = await report(ws, { metric: 'consistency' });
    const [billing, tech, none] = result.tests!.kruskalWallis;
    // billing: H = 3.625 / (1 − 30/720) = 3.782609 (see the pure test); df = 2, p = e^(−H/2) = 0.150875.
    assert.equal(billing?.category, 'billing');
    close(billing?.statistic, 3.782609, 6);
    close(billing?.pValue, Math.exp(-3.782609 / 2), 6);
    close(billing?.tieCorrection, 1 - 30 / 720, 12);
    assert.deepEqual([billing?.n, billing?.groups, billing?.df], [9, 3, 2]);
    assert.deepEqual(billing?.warnings, ['small-groups']);
    // Mean ranks 12.5/4, 18/3, 14.5/2; medians (the ⌈n/2⌉-th): 2 h, 5 h, 4 h.
    assert.deepEqual(
      billing?.units.map((u) => [u.id, u.n, u.meanRank, u.median]),
      [['ann', 4, 3.125, 7200], ['bob', 3, 6, 18000], ['cy', 2, 7.25, 14400]],
    );
    // tech: ranks ann 1, 3; bob 2, 4 → H = 12/(4·5) · (4²/2 + 6²/2) − 3·5 = 0.6 · 26 − 15 = 0.6;
    // df = 1, p = 2·(1 − Φ(√0.6)) = 0.438578.
    close(tech?.statistic, 0.6, 9);
    close(tech?.pValue, 0.438578, 6);
    // Holm over the two p-values: 0.150875 × 2 = 0.301750; max(0.301750, 0.438578 × 1) = 0.438578.
    close(billing?.pHolm, 2 * Math.exp(-3.782609 / 2), 6);
    close(tech?.pHolm, 0.438578, 6);
    assert.equal(billing?.significant, false);
    // Tickets without a category form their own stratum; one agent (with one ticket) cannot be compared.
    assert.deepEqual([none?.category, none?.statistic, none?.pHolm, none?.warnings], [null, null, null, ['fewer-than-two-groups', 'all-values-tied', 'small-groups']]);
  });

  test('consistency: the share resolved within 7 days, over tickets old enough to tell', async () => {
    const ws = await t.workspace();
    const csv = [
      'id,agent_id,created_at,first_resolved_at,resolved_at,merged_into',
      'r1,ann,2024-03-01T00:00:00Z,,2024-03-03T00:00:00Z,', // 2 days: yes
      'r2,ann,2024-03-01T00:00:00Z,2024-03-05T00:00:00Z,2024-03-20T00:00:00Z,', // first resolved after 4 days: yes
      'r3,ann,2024-03-02T00:00:00Z,,2024-03-12T00:00:00Z,', // 10 days: no
      'r4,bob,2024-03-02T00:00:00Z,,,', // never resolved: no
      'r5,bob,2024-03-05T00:00:00Z,,2024-03-06T00:00:00Z,', // yes
      'r6,bob,2024-03-28T00:00:00Z,,2024-03-29T00:00:00Z,', // created after the cutoff: too recent to judge
      'r7,bob,2024-03-01T00:00:00Z,,,r5', // merged away
      'r8,,2024-03-01T00:00:00Z,,2024-03-02T00:00:00Z,', // no agent
      'r9,cy,2024-03-22T00:00:00Z,,2024-03-29T00:00:00Z,', // on the cutoff, resolved after exactly 7 days: yes
    ].join('\n');
    await load(ws, 'tickets', csv + '\n');
    const result = await report(ws, { metric: 'consistency' });
    // The data ends at the latest event, 2024-03-29 (r6, r9); the cutoff is 7 days earlier, 2024-03-22.
    const resolution = result.tests!.resolution;
    assert.deepEqual([resolution.horizonDays, resolution.asOf], [7, '2024-03-29T00:00:00.000Z']);
    const rates = Object.fromEntries(result.groups.map((g) => [g.key.agent, g.resolution as Rate]));
    // ann 2 of 3 (r1, r2 of r1–r3); bob 1 of 2 (r5 of r4, r5); cy 1 of 1.
    assert.deepEqual(['ann', 'bob', 'cy'].map((a) => [rates[a]!.count, rates[a]!.n]), [[2, 3], [1, 2], [1, 1]]);
    // Pooled 4/6; χ² = 0 + (1 − 4/3)²/(2·2/9) + (1 − 2/3)²/(1·2/9) = 0.25 + 0.5 = 0.75, p = e^(−0.375).
    assert.deepEqual([resolution.count, resolution.n, resolution.withoutUnit], [4, 6, 1]);
    close(resolution.pooled, 200 / 3);
    close(resolution.chiSquare.statistic, 0.75, 9);
    close(resolution.chiSquare.pValue, Math.exp(-0.375), 9);
    // No ticket here carries a contact count: FCR has no n, and no value.
    assert.deepEqual(result.groups.map((g) => [g.value, g.n]), [[null, 0], [null, 0], [null, 0]]);
    // The table says so rather than crash, in every language.
    for (const locale of ['en', 'ar', 'lt'] as const) assert.ok(formatTable(result, locale).includes('χ²'));
  });

  test('cohorts from orders: first kept order, the workspace time zone, distinct customers per month', async () => {
    const ws = await zoned('Asia/Riyadh');
    const csv = [
      'id,customer_id,placed_at,status',
      'a1,a,2024-01-10T09:00:00Z,',
      'a2,a,2024-02-05T09:00:00Z,',
      'a3,a,2024-02-20T09:00:00Z,', // a second order in February: a is counted once
      'a4,a,2024-04-01T00:00:00Z,', // 03:00 on 1 April in Riyadh: the data's last kept order
      'b1,b,2024-01-31T22:30:00Z,', // 01:30 on 1 February in Riyadh: b is a February customer
      'b2,b,2024-03-15T09:00:00Z,',
      'c1,c,2024-01-20T09:00:00Z,cancelled', // does not acquire c …
      'c2,c,2024-02-10T09:00:00Z,delivered', // … this does
      'd1,d,2024-01-15T09:00:00Z,',
      'd2,d,2024-03-10T09:00:00Z,refunded', // not a purchase
      'e1,e,2024-01-05T09:00:00Z,',
      'e2,e,2024-05-10T09:00:00Z,cancelled', // does not extend the data
      'x1,,2024-03-01T09:00:00Z,', // no customer
    ].join('\n');
    await load(ws, 'orders', csv + '\n');
    await load(ws, 'customers', 'id,segment\na,smb\nb,smb\nc,enterprise\nd,smb\ne,enterprise\n');
    const result = await report(ws, { metric: 'cohorts' });
    assert.deepEqual([result.basis, result.observedUntil, result.by], ['orders', '2024-04-01', ['cohort', 'months_since']]);
    // January cohort: a, d, e (3). Feb: a; Mar: nobody (d's order was refunded); Apr: a.
    // February cohort: b, c (2). Mar: b; Apr: nobody. The data ends in April.
    assert.deepEqual(
      result.groups.map((g) => [g.key.cohort, g.key.months_since, g.count, g.n]),
      [
        ['2024-01', '0', 3, 3],
        ['2024-01', '1', 1, 3],
        ['2024-01', '2', 0, 3],
        ['2024-01', '3', 1, 3],
        ['2024-02', '0', 2, 2],
        ['2024-02', '1', 1, 2],
        ['2024-02', '2', 0, 2],
      ],
    );
    const janFeb = result.groups[1]!;
    close(janFeb.value, 100 / 3);
    // Wilson for 1 of 3: (1 + z²/2 ± z·√(1·2/3 + z²/4))/(3 + z²) = (2.920729 ± 2.500035)/6.841459 = [6.1492, 79.2340]%.
    close(janFeb.ci![0], 6.149194, 4);
    close(janFeb.ci![1], 79.234040, 4);
    // --from/--to pick customers by when they were acquired (here: February, in Riyadh).
    const feb = await report(ws, { metric: 'cohorts', from: '2024-02-01', to: '2024-02-29' });
    assert.deepEqual([...new Set(feb.groups.map((g) => g.key.cohort))], ['2024-02']);
    // By segment: the January smb cohort is a and d (2); in February only a is active: 50%.
    const bySegment = await report(ws, { metric: 'cohorts', by: ['segment'] });
    const smb = bySegment.groups.find((g) => g.key.segment === 'smb' && g.key.cohort === '2024-01' && g.key.months_since === '1');
    assert.deepEqual([smb?.count, smb?.n, smb?.value], [1, 2, 50]);
    const enterprise = await report(ws, { metric: 'cohorts', where: ['segment=enterprise'] });
    assert.deepEqual(enterprise.groups.map((g) => [g.key.cohort, g.key.months_since, g.count]), [['2024-01', '0', 1], ['2024-01', '1', 0], ['2024-01', '2', 0], ['2024-01', '3', 0], ['2024-02', '0', 1], ['2024-02', '1', 0], ['2024-02', '2', 0]]);
    await assert.rejects(report(ws, { metric: 'cohorts', by: ['month'] }), /segment or customer\.<field> only/);
    await assert.rejects(report(ws, { metric: 'cohorts', where: ['channel=web'] }), /segment or customer\.<field> only/);
    // The table is a triangle: one row per cohort, one column per month since.
    const table = formatTable(result, 'en').split('\n');
    assert.ok(table.some((line) => /^2024-01\s+3\s+100\.0%\s+33\.3%\s+0\.0%\s+33\.3%$/.test(line)), table.join('\n'));
    const csvOut = formatCsv(result).split('\n');
    assert.equal(csvOut[0], 'cohort,months_since,value,n,ci_low,ci_high,count');
    assert.ok(csvOut[2]!.startsWith('2024-01,1,33.33'));
  });

  test('cohorts from subscriptions: spans merged per customer, ends exclusive, running ones to the data’s end', async () => {
    const ws = await t.workspace();
    const csv = [
      'id,customer_id,started_at,ended_at',
      's1,a,2024-01-15T00:00:00Z,2024-03-01T00:00:00Z', // January–February (ends as March begins)
      's2,a,2024-02-10T00:00:00Z,2024-02-20T00:00:00Z', // inside s1: a is counted once in February
      's3,a,2024-05-05T00:00:00Z,', // still running: May to the data's end (June)
      's4,b,2024-01-31T00:00:00Z,2024-02-01T00:00:01Z', // one second into February: January and February
      's5,c,2024-02-10T00:00:00Z,2024-02-10T00:00:00Z', // ended as it started: its start month only
      's6,d,2024-03-01T00:00:00Z,2024-06-30T00:00:00Z', // March–June; the latest end: the data ends 30 June
    ].join('\n');
    await load(ws, 'subscriptions', csv + '\n');
    await load(ws, 'orders', 'id,customer_id,placed_at\no1,z,2023-12-01\n'); // with subscriptions, orders are not read
    const result = await report(ws, { metric: 'cohorts' });
    assert.deepEqual([result.basis, result.observedUntil], ['subscriptions', '2024-06-30']);
    assert.deepEqual(
      result.groups.map((g) => [g.key.cohort, Number(g.key.months_since), g.count, g.n]),
      [
        // January: a, b. Feb: a, b; Mar, Apr: nobody; May, Jun: a.
        ['2024-01', 0, 2, 2], ['2024-01', 1, 2, 2], ['2024-01', 2, 0, 2], ['2024-01', 3, 0, 2], ['2024-01', 4, 1, 2], ['2024-01', 5, 1, 2],
        // February: c, only in February.
        ['2024-02', 0, 1, 1], ['2024-02', 1, 0, 1], ['2024-02', 2, 0, 1], ['2024-02', 3, 0, 1], ['2024-02', 4, 0, 1],
        // March: d, every month to June.
        ['2024-03', 0, 1, 1], ['2024-03', 1, 1, 1], ['2024-03', 2, 1, 1], ['2024-03', 3, 1, 1],
      ],
    );
    const empty = await report(await t.workspace(), { metric: 'cohorts' });
    assert.deepEqual([empty.groups, empty.basis], [[], 'orders']);
  });
});

// ---- CDNOW ----------------------------------------------------------------------------------------

const CDNOW = join(process.env.SADA_DATASETS_DIR || new URL('../../shared/datasets/', import.meta.url).pathname, 'cdnow', 'CDNOW_master.txt');
/** The examples' mapping of the raw file (examples/cdnow), imported here into a fresh workspace. */
const CDNOW_MAPPING = new URL('../examples/cdnow/orders.mapping.json', import.meta.url).pathname;

/** Cohort × months since → customers, straight from the raw file: month = the date's YYYYMM. */
function cdnowCohortsFromRawFile(): Map<string, number> {
  const months = new Map<string, Set<string>>();
  for (const line of readFileSync(CDNOW, 'utf8').split('\n').slice(1)) {
    const [customer, date] = line.trim().split(/\s+/);
    if (!customer || !date) continue;
    const set = months.get(customer) ?? new Set<string>();
    set.add(`${date.slice(0, 4)}-${date.slice(4, 6)}`);
    months.set(customer, set);
  }
  const cells = new Map<string, number>();
  for (const set of months.values()) {
    const sorted = [...set].sort();
    const cohort = sorted[0]!;
    for (const month of sorted) {
      const since = (Number(month.slice(0, 4)) - Number(cohort.slice(0, 4))) * 12 + Number(month.slice(5)) - Number(cohort.slice(5));
      const id = `${cohort} ${since}`;
      cells.set(id, (cells.get(id) ?? 0) + 1);
    }
  }
  return cells;
}

describeEachEngine('cohorts on CDNOW (real data)', (t) => {
  test('Jan–Mar 1997 cohorts agree with a count from the raw file', { skip: !existsSync(CDNOW) || !existsSync(CDNOW_MAPPING) }, async () => {
    const workspace = await t.workspace('cdnow');
    const mapping = parseMappingJson(readFileSync(CDNOW_MAPPING, 'utf8'), 'examples/cdnow/orders.mapping.json');
    const summary = await importFile(t.db, { workspace, kind: 'orders', path: CDNOW, mapping, reportDir: join(dir, 'cdnow') });
    assert.equal(summary.rejected, 0);
    const result = await metricReport(t.db, workspace, { metric: 'cohorts' });
    const expected = cdnowCohortsFromRawFile();
    assert.deepEqual([...new Set(result.groups.map((g) => g.key.cohort))], ['1997-01', '1997-02', '1997-03']);
    assert.equal(result.observedUntil, '1998-06-30');
    const sizes = new Map<string, number>();
    for (const group of result.groups) {
      const id = `${group.key.cohort} ${group.key.months_since}`;
      assert.equal(group.count, expected.get(id) ?? 0, id);
      if (group.key.months_since === '0') sizes.set(group.key.cohort!, group.n);
    }
    // The three cohorts hold every one of the 23,570 customers; each is followed to June 1998.
    assert.equal([...sizes.values()].reduce((a, b) => a + b, 0), 23_570);
    assert.equal(result.groups.length, 18 + 17 + 16);
  });
});
