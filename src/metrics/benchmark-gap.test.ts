import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchmarkGap } from './benchmark-gap.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-4, `${actual} ≈ ${expected}`);

test('no margin: the own interval shifted by the benchmark, asymmetry kept', () => {
  // Own CSAT 80% [74, 85], benchmark 70% → gap 10, interval [4, 15]: above.
  const gap = benchmarkGap({ own: { value: 80, ci: [74, 85] }, benchmark: { value: 70 } })!;
  assert.equal(gap.gap, 10);
  assert.deepEqual(gap.ci, [4, 15]);
  assert.equal(gap.verdict, 'above');
});

test('with the source\'s margin: each side is the root of the sum of squares', () => {
  // Own NPS 30 [25, 36], benchmark 20 ± 4. Below: √(5² + 4²) = √41 = 6.40312; above: √(6² + 4²) = √52 = 7.21110.
  const gap = benchmarkGap({ own: { value: 30, ci: [25, 36] }, benchmark: { value: 20, margin: 4 } })!;
  assert.equal(gap.gap, 10);
  close(gap.ci![0], 10 - 6.40312);
  close(gap.ci![1], 10 + 7.2111);
  assert.equal(gap.verdict, 'above');
});

test('an interval holding zero is unclear; wholly below zero is below', () => {
  // Own 42 [38, 46] vs 44 ± 3: gap −2, [−2 − 5, −2 + 5] = [−7, 3] → unclear.
  const unclear = benchmarkGap({ own: { value: 42, ci: [38, 46] }, benchmark: { value: 44, margin: 3 } })!;
  assert.equal(unclear.gap, -2);
  close(unclear.ci![0], -7);
  close(unclear.ci![1], 3);
  assert.equal(unclear.verdict, 'unclear');
  // Own 120 s [100, 150] vs 200 s: gap −80, [−100, −50] → below.
  const below = benchmarkGap({ own: { value: 120, ci: [100, 150] }, benchmark: { value: 200, margin: 0 } })!;
  assert.deepEqual([below.gap, below.ci, below.verdict], [-80, [-100, -50], 'below']);
});

test('no own score: no gap; no own interval: a gap without one', () => {
  assert.equal(benchmarkGap({ own: { value: null, ci: null }, benchmark: { value: 10 } }), null);
  assert.deepEqual(benchmarkGap({ own: { value: 12, ci: null }, benchmark: { value: 10, margin: 2 } }), { gap: 2, ci: null, verdict: 'unknown' });
  assert.throws(() => benchmarkGap({ own: { value: 12, ci: [10, 14] }, benchmark: { value: 10, margin: -1 } }), /non-negative/);
});
