import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assessCustomer,
  assessOverdue,
  gapsInDays,
  isDetractorAnswer,
  median,
  overdueAfterDays,
  recentDetractorAnswer,
  workspaceGapDays,
  type ScoredAnswer,
} from './at-risk.ts';

const at = (iso: string) => new Date(iso);

test('median: the middle value, or the mean of the two middle ones', () => {
  assert.equal(median([10, 30, 20]), 20);
  assert.equal(median([50, 10, 20, 30]), 25);
  assert.equal(median([7]), 7);
  assert.equal(median([]), null);
});

test('gaps between consecutive orders, in days, whatever order they come in', () => {
  // 1 Jan → 11 Jan is 10 days, 11 Jan → 10 Feb is 30 days.
  assert.deepEqual(gapsInDays([at('2026-02-10T00:00:00Z'), at('2026-01-01T00:00:00Z'), at('2026-01-11T00:00:00Z')]), [10, 30]);
  assert.deepEqual(gapsInDays([at('2026-01-01T00:00:00Z'), at('2026-01-01T12:00:00Z')]), [0.5]);
  assert.deepEqual(gapsInDays([at('2026-01-01T00:00:00Z')]), []);
});

test("the workspace's gap: the type-1 80th percentile, rounded up to whole days, at least 1", () => {
  // n = 5: ⌈0.8 × 5⌉ = 4th smallest of 10, 20, 30, 40, 50.
  assert.equal(workspaceGapDays([50, 10, 40, 20, 30]), 40);
  // n = 6: ⌈4.8⌉ = 5th smallest.
  assert.equal(workspaceGapDays([1, 2, 3, 4, 5, 6]), 5);
  assert.equal(workspaceGapDays([1.2]), 2);
  assert.equal(workspaceGapDays([0.1]), 1);
  assert.equal(workspaceGapDays([]), null);
});

test('overdue after max(1.5 × the usual gap, the workspace gap)', () => {
  assert.equal(overdueAfterDays(20, 40), 40);
  assert.equal(overdueAfterDays(40, 30), 60);
});

test('a customer with orders on 1 Jan, 11 Jan and 10 Feb is overdue from 12 Mar', () => {
  // Gaps 10 and 30 days: usual gap (median) 20 days; 1.5 × 20 = 30 > the workspace's 25.
  const history = { orders: 3, lastOrderAt: at('2026-02-10T00:00:00Z'), usualGapDays: median(gapsInDays([at('2026-01-01T00:00:00Z'), at('2026-01-11T00:00:00Z'), at('2026-02-10T00:00:00Z')])) };
  assert.equal(history.usualGapDays, 20);
  // 14 Mar 12:00 is 32.5 days after 10 Feb: 2.5 days past the 30 → 3 days overdue (rounded up).
  const overdue = assessOverdue(history, 25, at('2026-03-14T12:00:00Z'));
  assert.deepEqual(overdue, { daysSinceLastOrder: 32.5, overdueAfterDays: 30, overdueDays: 3, since: at('2026-03-12T00:00:00Z') });
  // Exactly 30 days after the last order is not yet overdue (strictly longer than the gap).
  assert.equal(assessOverdue(history, 25, at('2026-03-12T00:00:00Z')), null);
  // A workspace whose customers usually wait up to 40 days: the same customer is fine on 14 Mar.
  assert.equal(assessOverdue(history, 40, at('2026-03-14T12:00:00Z')), null);
  // One order: no usual gap, not judged.
  assert.equal(assessOverdue({ orders: 1, lastOrderAt: at('2025-01-01T00:00:00Z'), usualGapDays: null }, 25, at('2026-03-14T12:00:00Z')), null);
  // No repeat buyer in the workspace: no workspace gap, nobody judged.
  assert.equal(assessOverdue(history, null, at('2026-12-01T00:00:00Z')), null);
});

test('detractor answers: NPS 0–6 on a 0–10 or 1–10 scale, CSAT in the bottom two points', () => {
  const cases: Array<[ScoredAnswer['kind'], number, number, number, boolean]> = [
    ['nps', 6, 0, 10, true],
    ['nps', 0, 0, 10, true],
    ['nps', 7, 0, 10, false],
    ['nps', 6, 1, 10, true],
    ['nps', 2, 1, 5, false], // not an NPS scale
    ['csat', 2, 1, 5, true],
    ['csat', 1, 1, 5, true],
    ['csat', 3, 1, 5, false],
    ['csat', 2, 1, 10, true],
    ['csat', 3, 1, 10, false],
    ['csat', 2, 1, 7, true],
    ['csat', 0, 0, 1, true],
    ['csat', 1, 0, 1, false],
  ];
  for (const [kind, score, scaleMin, scaleMax, expected] of cases) {
    assert.equal(isDetractorAnswer({ kind, score, scaleMin, scaleMax }), expected, `${kind} ${score} on ${scaleMin}–${scaleMax}`);
  }
});

test('a recent detractor: the latest answer of a kind within 90 days decides', () => {
  const asOf = at('2026-10-31T00:00:00Z');
  const answer = (kind: ScoredAnswer['kind'], score: number, iso: string, scaleMin = kind === 'nps' ? 0 : 1, scaleMax = kind === 'nps' ? 10 : 5): ScoredAnswer => ({ kind, score, scaleMin, scaleMax, submittedAt: at(iso) });
  // NPS 3 in September, then a 10 in October: recovered.
  assert.equal(recentDetractorAnswer([answer('nps', 3, '2026-09-01T00:00:00Z'), answer('nps', 10, '2026-10-01T00:00:00Z')], asOf), null);
  // CSAT 1 of 5 77 days before: a detractor, even with a later promoter NPS (another question).
  const csat = answer('csat', 1, '2026-08-15T00:00:00Z');
  assert.equal(recentDetractorAnswer([csat, answer('nps', 10, '2026-10-01T00:00:00Z')], asOf), csat);
  // 122 days before: too old. Exactly 90 days before: outside the window.
  assert.equal(recentDetractorAnswer([answer('nps', 4, '2026-07-01T00:00:00Z')], asOf), null);
  assert.equal(recentDetractorAnswer([answer('nps', 4, '2026-08-02T00:00:00Z')], asOf), null);
  const justInside = answer('nps', 4, '2026-08-02T00:00:01Z');
  assert.equal(recentDetractorAnswer([justInside], asOf), justInside);
  // Two detractor kinds: the newest is reported.
  const nps = answer('nps', 5, '2026-10-20T00:00:00Z');
  assert.equal(recentDetractorAnswer([csat, nps], asOf), nps);
  // After the as-of moment: not counted.
  assert.equal(recentDetractorAnswer([answer('nps', 0, '2026-11-02T00:00:00Z')], asOf), null);
});

test('both reasons together: at risk since the later of the two', () => {
  const history = { orders: 3, lastOrderAt: at('2026-02-10T00:00:00Z'), usualGapDays: 20 };
  const asOf = at('2026-03-14T12:00:00Z');
  const detractor: ScoredAnswer = { kind: 'nps', score: 2, scaleMin: 0, scaleMax: 10, submittedAt: at('2026-03-01T00:00:00Z') };
  const both = assessCustomer(history, 25, [detractor], asOf)!;
  assert.deepEqual(both.reasons, ['overdue', 'detractor']);
  assert.deepEqual(both.since, at('2026-03-12T00:00:00Z'));
  const onlyDetractor = assessCustomer(null, 25, [detractor], asOf)!;
  assert.deepEqual(onlyDetractor.reasons, ['detractor']);
  assert.deepEqual(onlyDetractor.since, at('2026-03-01T00:00:00Z'));
  assert.equal(assessCustomer(history, 25, [], at('2026-03-01T00:00:00Z')), null);
});
