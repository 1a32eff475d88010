import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { npsAdjustedMoments, npsCountsFromHistogram, npsInterval, npsPlainVariance } from './nps.ts';
import { assertClose, assertInterval } from './test-helpers.ts';

describe('npsInterval (Rocks 2016 adjusted Wald)', () => {
  test('50 promoters, 30 passives, 20 detractors', () => {
    // NPS = (50 − 20)/100 = 0.30 (the metric layer shows 30).
    // n' = 103, p̃ = 50.75/103 = 0.4927184, d̃ = 20.75/103 = 0.2014563
    // NPS' = 30/103 = 0.2912621
    // Var' = (p̃ + d̃ − NPS'²)/n' = (0.6941748 − 0.0848336)/103 = 0.00591593
    // SE = 0.0769151; z·SE = 1.959964·0.0769151 = 0.1507508
    // CI = [0.1405113, 0.4420130]
    const r = npsInterval({ promoters: 50, passives: 30, detractors: 20 });
    assert.equal(r.n, 100);
    assertClose(r.nps, 0.3, 1e-15);
    assertClose(r.adjusted, 30 / 103, 1e-15);
    assertClose(r.se, 0.07691510421814757, 1e-12);
    assertInterval(r.ci, [0.1405113017876161, 0.4420129700570441], 1e-12);
  });

  test('at 90%: 3 promoters, 4 passives, 5 detractors', () => {
    // n = 12, NPS = −2/12 = −0.1666667; n' = 15, p̃ = 3.75/15 = 0.25, d̃ = 5.75/15 = 0.3833333
    // NPS' = −0.1333333, Var' = (0.6333333 − 0.0177778)/15 = 0.0410370, SE = 0.2025760
    // z(90%) = 1.6448536, CI = −0.1333333 ± 0.3332079 = [−0.4665412, 0.1998745]
    const r = npsInterval({ promoters: 3, passives: 4, detractors: 5 }, 0.9);
    assertClose(r.nps, -1 / 6, 1e-15);
    assertInterval(r.ci, [-0.46654120678626737, 0.19987454011960065], 1e-12);
  });

  test('all promoters: NPS = 1 with a non-degenerate interval', () => {
    // n' = 13, p̃ = 10.75/13, d̃ = 0.75/13, NPS' = 10/13 = 0.7692308
    // Var' = (11.5/13 − (10/13)²)/13 = (0.8846154 − 0.5917160)/13 = 0.0225307, SE = 0.1501024
    // CI = 0.7692308 ± 0.2941952 = [0.4750355, 1.0634260] → clipped to [0.4750355, 1]
    const r = npsInterval({ promoters: 10, passives: 0, detractors: 0 });
    assert.equal(r.nps, 1);
    assertInterval(r.ci, [0.47503551544790207, 1], 1e-12);
  });

  test('a single answer: the interval is centred on NPS′ and may miss the raw NPS', () => {
    // One promoter: n' = 4, p̃ = 1.75/4 = 0.4375, d̃ = 0.1875, NPS' = 0.25
    // Var' = (0.625 − 0.0625)/4 = 0.140625, SE = 0.375, CI = 0.25 ± 1.959964·0.375 = [−0.4849865, 0.9849865]
    // The reported NPS is 1 (100), outside its interval — as docs/metrics.md says (−48.5 to 98.5).
    const r = npsInterval({ promoters: 1, passives: 0, detractors: 0 });
    assert.equal(r.nps, 1);
    assertClose(r.adjusted, 0.25, 1e-15);
    assertClose(r.se, 0.375, 1e-15);
    assertInterval(r.ci, [0.25 - 1.9599639845400536 * 0.375, 0.25 + 1.9599639845400536 * 0.375], 1e-12);
    const detractor = npsInterval({ promoters: 0, passives: 0, detractors: 1 });
    assertInterval(detractor.ci, [-0.25 - 1.9599639845400536 * 0.375, -0.25 + 1.9599639845400536 * 0.375], 1e-12);
    // Two promoters: NPS' = 0.4, SE = √((0.7 − 0.16)/5) = 0.3286335, CI = [−0.2441, 1.0441 → 1] ∋ 1.
    assert.equal(npsInterval({ promoters: 2, passives: 0, detractors: 0 }).ci?.[1], 1);
    // Exhaustively for 2 ≤ n ≤ 40 at 95%: the raw NPS is always inside.
    for (let n = 2; n <= 40; n++) {
      for (let promoters = 0; promoters <= n; promoters++) {
        for (let detractors = 0; promoters + detractors <= n; detractors++) {
          const e = npsInterval({ promoters, passives: n - promoters - detractors, detractors });
          assert.ok(e.ci && e.nps !== null && e.ci[0] <= e.nps && e.nps <= e.ci[1]);
        }
      }
    }
  });

  test('n = 0 gives nulls', () => {
    const r = npsInterval({ promoters: 0, passives: 0, detractors: 0 });
    assert.equal(r.n, 0);
    assert.equal(r.nps, null);
    assert.equal(r.adjusted, null);
    assert.equal(r.se, null);
    assert.equal(r.ci, null);
  });

  test('invalid counts throw', () => {
    assert.throws(() => npsInterval({ promoters: -1, passives: 0, detractors: 0 }), RangeError);
    assert.throws(() => npsInterval({ promoters: 1.5, passives: 0, detractors: 0 }), RangeError);
  });

  test('plain multinomial variance', () => {
    // (p + d − (p − d)²)/n = (0.5 + 0.2 − 0.09)/100 = 0.0061
    assertClose(npsPlainVariance({ promoters: 50, passives: 30, detractors: 20 }), 0.0061, 1e-15);
    assert.equal(npsPlainVariance({ promoters: 12, passives: 0, detractors: 0 }), 0);
    assert.equal(npsPlainVariance({ promoters: 0, passives: 0, detractors: 0 }), null);
    // The adjusted variance never vanishes.
    assert.ok(npsAdjustedMoments({ promoters: 12, passives: 0, detractors: 0 }).variance > 0);
  });

  test('counts from a 0–10 histogram', () => {
    const counts = npsCountsFromHistogram(
      new Map([
        [0, 2],
        [6, 1],
        [7, 3],
        [8, 1],
        [9, 4],
        [10, 5],
      ]),
    );
    assert.deepEqual(counts, { promoters: 9, passives: 4, detractors: 3 });
    assert.deepEqual(npsCountsFromHistogram([]), { promoters: 0, passives: 0, detractors: 0 });
    assert.throws(() => npsCountsFromHistogram([[11, 1]]), RangeError);
    assert.throws(() => npsCountsFromHistogram([[8.5, 1]]), RangeError);
  });

  test('property: the interval lies in [−1, 1], has positive width and contains NPS′', () => {
    const count = fc.integer({ min: 0, max: 100_000 });
    fc.assert(
      fc.property(count, count, count, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (promoters, passives, detractors, level) => {
        fc.pre(promoters + passives + detractors > 0);
        const r = npsInterval({ promoters, passives, detractors }, level);
        assert.ok(r.ci && r.nps !== null && r.adjusted !== null);
        const [lo, hi] = r.ci;
        assert.ok(-1 <= lo && lo < hi && hi <= 1, `${r.ci}`);
        assert.ok(lo <= r.adjusted && r.adjusted <= hi);
      }),
    );
  });

  test('property: at 95% and above, the interval contains the reported NPS once n ≥ 2', () => {
    const count = fc.integer({ min: 0, max: 2_000 });
    fc.assert(
      fc.property(count, count, count, fc.constantFrom(0.95, 0.99, 0.998), (promoters, passives, detractors, level) => {
        fc.pre(promoters + passives + detractors >= 2);
        const r = npsInterval({ promoters, passives, detractors }, level);
        assert.ok(r.ci && r.nps !== null);
        assert.ok(r.ci[0] <= r.nps && r.nps <= r.ci[1], `${promoters}/${passives}/${detractors}: ${r.ci} vs ${r.nps}`);
      }),
    );
  });
});
