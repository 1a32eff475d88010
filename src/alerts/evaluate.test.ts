import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeDuration, computeNps, computeTopBox, type MetricGroup } from '../metrics/compute.ts';
import { previousLabel } from '../metrics/periods.ts';
import { isPositive } from '../metrics/scoring.ts';
import { evaluatePeriodRule, evaluateResponseRule } from './evaluate.ts';
import { alertEmail, alertSlack } from './message.ts';
import { ruleDefinitionSchema, type RuleDefinition } from './rules.ts';

/** A seeded generator (mulberry32): the same months every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
const PLANTED = '2026-09';

/** CSAT months: 400 answers on 1–5 a month, 82% satisfied, except the planted month (68%), from `seed`. */
function csatMonths(seed: number, n = 400, planted = PLANTED): MetricGroup[] {
  const next = random(seed);
  return MONTHS.map((month) => {
    const p = month === planted ? 0.68 : 0.82;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const score = next() < p ? (next() < 0.5 ? 4 : 5) : 1 + Math.floor(next() * 3);
      counts.set(score, (counts.get(score) ?? 0) + 1);
    }
    const cells = [...counts].map(([score, count]) => ({ scaleMin: 1, scaleMax: 5, score, n: count }));
    return { key: { month }, ...computeTopBox(cells, (s, min, max) => isPositive(s, min, max)) } as MetricGroup;
  });
}

const rule = (definition: unknown, id = 1) => ({ id, definition: ruleDefinitionSchema.parse(definition) as RuleDefinition });

/** Walks the evaluation through the months as the schedule would (the month in progress and the one before) and collects the dedupe keys: what would be recorded. */
function walk(r: ReturnType<typeof rule>, groups: MetricGroup[]): string[] {
  const keys = new Set<string>();
  for (const month of MONTHS) {
    // What was known at the end of `month`: the months up to it.
    const known = groups.filter((g) => g.key.month! <= month);
    for (const firing of evaluatePeriodRule(r, known, [previousLabel(month, 'month')!, month])) keys.add(firing.dedupeKey);
  }
  return [...keys];
}

test('a planted CSAT drop fires once, in its month, and in no noise month, over many seeds', () => {
  const drop = rule({ kind: 'drop', metric: 'csat', params: { period: 'month' } });
  let noiseAlarms = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const keys = walk(drop, csatMonths(seed));
    assert.ok(keys.includes(`rule:1:month:${PLANTED}`), `seed ${seed}: the planted drop fires`);
    noiseAlarms += keys.length - 1;
  }
  // 11 noise comparisons a seed at a 5% level: about 0.55 false alarms a seed if the test were
  // two-sided; a drop is one side, so about 0.28. Far more would mean a raw difference, not a test.
  assert.ok(noiseAlarms <= 40 * 0.5, `false alarms in noise months: ${noiseAlarms} over 40 seeds`);
  // And one fixed seed, exactly: the planted month only.
  assert.deepEqual(walk(drop, csatMonths(7)), [`rule:1:month:${PLANTED}`]);
});

test('the recovery after the planted month is a rise, not a drop; a drop rule set to "up" sees it', () => {
  const up = rule({ kind: 'drop', metric: 'csat', params: { period: 'month', direction: 'up' } });
  assert.deepEqual(walk(up, csatMonths(7)), ['rule:1:month:2026-10']);
});

test('a raw difference is not enough: the same drop on 20 answers a month is not significant and n < minN stays quiet', () => {
  const drop = rule({ kind: 'drop', metric: 'csat', params: { period: 'month', minN: 10 } });
  const small = csatMonths(7, 20);
  const before = small.find((g) => g.key.month === '2026-08')!;
  const during = small.find((g) => g.key.month === PLANTED)!;
  assert.ok(during.value! < before.value!, 'the planted month is lower in the sample');
  assert.deepEqual(evaluatePeriodRule(drop, small, ['2026-08', PLANTED]), [], 'too few to tell');
  const threshold = rule({ kind: 'threshold', metric: 'csat', params: { period: 'month', below: 99 } });
  assert.deepEqual(walk(threshold, small), [], 'n = 20 < the default minN of 30');
});

test('threshold: below a level with n ≥ minN; the figure carries value, n and interval', () => {
  const below = rule({ kind: 'threshold', metric: 'csat', params: { period: 'month', below: 75 } });
  const groups = csatMonths(7);
  assert.deepEqual(walk(below, groups), [`rule:1:month:${PLANTED}`]);
  const [firing] = evaluatePeriodRule(below, groups, [PLANTED]);
  const group = groups.find((g) => g.key.month === PLANTED)!;
  assert.deepEqual(firing!.figure, { metric: 'csat', periodName: 'month', period: PLANTED, value: group.value, n: 400, ci: group.ci, threshold: 75, direction: 'below' });
  assert.throws(() => rule({ kind: 'threshold', metric: 'csat', params: { below: 1, above: 2 } }), /exactly one/);
});

test('NPS drop uses the NPS z-test; hand-made months', () => {
  const month = (m: string, promoters: number, passives: number, detractors: number) =>
    ({ key: { month: m }, ...computeNps([{ scaleMin: 0, scaleMax: 10, score: 10, n: promoters }, { scaleMin: 0, scaleMax: 10, score: 8, n: passives }, { scaleMin: 0, scaleMax: 10, score: 3, n: detractors }]) }) as MetricGroup;
  const drop = rule({ kind: 'drop', metric: 'nps', params: {} });
  // NPS 40 (n 200) → 10 (n 200): z ≈ 3.3, significant.
  const [firing] = evaluatePeriodRule(drop, [month('2026-08', 100, 80, 20), month('2026-09', 70, 80, 50)], ['2026-09']);
  assert.equal(firing?.period, '2026-09');
  const figure = firing!.figure as { change: { delta: number; pValue: number }; previous: { value: number } };
  assert.equal(Math.round(figure.change.delta), -30);
  assert.ok(figure.change.pValue < 0.01);
  // NPS 40 → 36 on the same n: not significant.
  assert.deepEqual(evaluatePeriodRule(drop, [month('2026-08', 100, 80, 20), month('2026-09', 96, 80, 24)], ['2026-09']), []);
});

test('FRT over an SLA: the median or the p90 in seconds against slaMinutes', () => {
  const histogram = new Map<number, number>();
  // 100 tickets: 60 answered in 10 min, 30 in 50 min, 10 in 300 min.
  histogram.set(600, 60);
  histogram.set(3000, 30);
  histogram.set(18000, 10);
  const stats = { n: 100, sum: 60 * 600 + 30 * 3000 + 10 * 18000, sumSquares: 60 * 600 ** 2 + 30 * 3000 ** 2 + 10 * 18000 ** 2, histogram };
  const group = { key: { week: '2026-W41' }, ...computeDuration(stats, 'median') } as MetricGroup;
  const median = rule({ kind: 'frt_sla', params: { period: 'week', slaMinutes: 30 } });
  assert.deepEqual(evaluatePeriodRule(median, [group], ['2026-W41']), [], 'median 10 min ≤ 30 min');
  const p90 = rule({ kind: 'frt_sla', params: { period: 'week', slaMinutes: 30, statistic: 'p90' } });
  const [firing] = evaluatePeriodRule(p90, [group], ['2026-W41']);
  assert.equal((firing!.figure as { threshold: number }).threshold, 1800);
  assert.ok((firing!.figure as { value: number }).value > 1800);
});

test('churn above a level', () => {
  const group = (value: number, n: number) => ({ key: { month: '2026-10' }, value, n, ci: [value - 1, value + 1] }) as MetricGroup;
  const churn = rule({ kind: 'churn', params: { above: 5 } });
  assert.equal(evaluatePeriodRule(churn, [group(6.2, 500)], ['2026-10']).length, 1);
  assert.equal(evaluatePeriodRule(churn, [group(4.9, 500)], ['2026-10']).length, 0);
  assert.equal(evaluatePeriodRule(churn, [group(60, 10)], ['2026-10']).length, 0, 'n < 30');
});

test('answer rules: each detractor fires once by response id; others do not', () => {
  const detractor = rule({ kind: 'response', params: { questionKind: 'nps', maxScore: 6 } }, 4);
  const base = { scaleMin: 0, scaleMax: 10, comment: null, customerId: 'c-1', customerName: null, surveyId: 's', submittedAt: new Date('2026-10-01T10:00:00Z') };
  const firings = evaluateResponseRule(detractor, [
    { ...base, id: 'r1', kind: 'nps', score: 6 },
    { ...base, id: 'r2', kind: 'nps', score: 7 },
    { ...base, id: 'r3', kind: 'csat', score: 1, scaleMin: 1, scaleMax: 5 },
    { ...base, id: 'r4', kind: 'nps', score: null },
    { ...base, id: 'r5', kind: 'nps', score: 0 },
  ]);
  assert.deepEqual(firings.map((f) => f.dedupeKey), ['rule:4:response:r1', 'rule:4:response:r5']);
});

test('messages escape hostile text: HTML in e-mails, & < > in Slack; Arabic e-mails are right to left', () => {
  const input = {
    eventId: 9,
    ruleName: 'Detractors <b>now</b>',
    kind: 'response',
    workspace: 'acme',
    firedAt: new Date('2026-10-01T10:00:00Z'),
    historyUrl: 'https://sada.example/alerts?workspace=acme',
    figure: { response: 'r1', kind: 'nps', score: 2, scaleMin: 0, scaleMax: 10, maxScore: 6, comment: '<script>alert(1)</script> <!channel> & <https://evil.example|click>', customer: 'c-1', customerName: 'Mallory "<img src=x>"', survey: 's', submittedAt: '2026-10-01T09:59:00Z' },
  };
  const mail = alertEmail('en', input);
  assert.equal(mail.html.includes('<script>'), false);
  assert.equal(mail.html.includes('<img'), false);
  assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(mail.text.includes('<script>alert(1)</script>'), 'the text part is the text');
  assert.match(mail.subject, /Mallory/);
  const slack = alertSlack('en', input);
  assert.equal(/<!channel>|<https:\/\/evil/.test(slack.text), false, 'no mention or link can be forged');
  assert.ok(slack.text.includes('&lt;!channel&gt;'));
  const arabic = alertEmail('ar', input);
  assert.match(arabic.html, /dir="rtl"/);
  assert.match(arabic.subject, /تنبيه صدى/);
});
