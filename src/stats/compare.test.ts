import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type Comparison, compareMeans, compareNps, compareProportions } from './compare.ts';
import { meanFromValues } from './mean.ts';
import { assertClose, assertInterval, assertNaNFree } from './test-helpers.ts';

/** Swapping the periods negates delta, mirrors the interval and keeps the p-value. */
function assertMirrored(forward: Comparison, backward: Comparison): void {
  if (forward.delta === null) {
    assert.equal(backward.delta, null);
  } else {
    assertClose(backward.delta, -forward.delta, 1e-15);
  }
  if (forward.ci === null) {
    assert.equal(backward.ci, null);
  } else {
    assertInterval(backward.ci, [-forward.ci[1], -forward.ci[0]], 1e-15);
  }
  assert.equal(backward.pValue, forward.pValue);
  assert.equal(backward.significant, forward.significant);
  assert.equal(backward.smallSample, forward.smallSample);
}

describe('compareMeans (Welch)', () => {
  // R's sleep data: t.test(extra ~ group, data = sleep) →
  //   t = −1.8608, df = 17.776, p-value = 0.07939, 95% CI −3.3654832 0.2054832, means 0.75 and 2.33
  const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  test('R sleep data', () => {
    // s₁² = 3.2005556, s₂² = 4.0090000; v₁ = 0.3200556, v₂ = 0.4009000, SE = √0.7209556 = 0.8490910
    // df = 0.7209556²/(0.3200556²/9 + 0.4009²/9) = 0.5197769/0.0292397 = 17.776474
    // t = −1.58/0.8490910 = −1.8608135, p = 2·F_t(−1.8608135; 17.776) = 0.0793941
    // CI = −1.58 ± t(0.975; 17.776474)·SE = −1.58 ± 1.7854832 = [−3.3654832, 0.2054832]
    const r = compareMeans(meanFromValues(group2), meanFromValues(group1));
    assertClose(r.delta, -1.58, 1e-12);
    assertClose(r.se, 0.849091017238762, 1e-12);
    assertClose(r.df, 17.776473516178488, 1e-9);
    assertClose(r.statistic, -1.860813467486853, 1e-10);
    assertClose(r.pValue, 0.07939414018735823, 1e-9);
    assertInterval(r.ci, [-3.3654832307117095, 0.20548323071170937], 1e-9);
    assert.equal(r.significant, false);
    assert.equal(r.smallSample, true);
  });

  test('handling times before and after a process change', () => {
    // before: 12.5 9.8 14.1 11.0 10.2 13.7 12.9 9.4 (mean 11.7, s² = 3.2371429)
    // after:  8.1 10.4 7.9 11.8 9.0 8.6                (mean 9.3,  s² = 2.3400000)
    // Δ = −2.4, SE = √(0.4046429 + 0.39) = 0.8947732, df = 11.826971, t = −2.6822440
    // p = 0.0201722, CI = −2.4 ± 2.1837·0.8947732 = [−4.3527113, −0.4472887]
    // (R: t.test(after, before))
    const before = meanFromValues([12.5, 9.8, 14.1, 11.0, 10.2, 13.7, 12.9, 9.4]);
    const after = meanFromValues([8.1, 10.4, 7.9, 11.8, 9.0, 8.6]);
    const r = compareMeans(before, after);
    assertClose(r.delta, -2.4, 1e-12);
    assertClose(r.df, 11.826971150249998, 1e-9);
    assertClose(r.pValue, 0.020172157593322436, 1e-9);
    assertInterval(r.ci, [-4.35271133024942, -0.44728866975057713], 1e-9);
    assert.equal(r.significant, true);
    assert.equal(compareMeans(before, after, 0.99).significant, false);
  });

  test('degenerate inputs', () => {
    const none = compareMeans({ n: 0, mean: null, variance: null }, meanFromValues([1, 2, 3]));
    assert.equal(none.delta, null);
    assert.equal(none.pValue, null);
    assert.equal(none.significant, false);
    assert.equal(none.smallSample, true);
    assert.equal(compareMeans(meanFromValues([4]), meanFromValues([1, 2, 3])).ci, null);
    // Both periods constant: Δ is known, the test is undefined.
    const constant = compareMeans(meanFromValues([5, 5, 5]), meanFromValues([4, 4]));
    assert.equal(constant.delta, -1);
    assert.equal(constant.ci, null);
    assert.equal(constant.pValue, null);
    assertNaNFree(constant);
    // One constant period: df = n − 1 of the other.
    const one = compareMeans(meanFromValues([5, 5, 5]), meanFromValues([1, 2, 3]));
    assert.equal(one.df, 2);
  });
});

describe('compareNps', () => {
  test('40/30/30 → 55/25/20', () => {
    // NPS 0.10 → 0.35, Δ = 0.25 (25 points)
    // before: n' = 103, p̃ = 40.75/103, d̃ = 30.75/103, Var′₁ = (71.5/103 − (10/103)²)/103 = 0.0066481
    // after:  n' = 103, p̃ = 55.75/103, d̃ = 20.75/103, Var′₂ = (76.5/103 − (35/103)²)/103 = 0.0060897
    // SE = √0.0127378 = 0.1128621, z = 0.25/0.1128621 = 2.2150923, p = 2Φ(−2.2150923) = 0.0267537
    // CI = 0.25 ± 1.959964·0.1128621 = [0.0287943, 0.4712057]
    const r = compareNps({ promoters: 40, passives: 30, detractors: 30 }, { promoters: 55, passives: 25, detractors: 20 });
    assertClose(r.delta, 0.25, 1e-15);
    assertClose(r.se, 0.11286211391134152, 1e-12);
    assertClose(r.statistic, 2.215092304547713, 1e-10);
    assertClose(r.pValue, 0.026753729537518645, 1e-10);
    assertInterval(r.ci, [0.028794321514713644, 0.4712056784852863], 1e-12);
    assert.equal(r.significant, true);
    assert.equal(r.smallSample, false);
  });

  test('all promoters in both periods: no difference, finite test', () => {
    // The plain multinomial variance would be 0 in both periods (z = 0/0); the adjusted one is not.
    const r = compareNps({ promoters: 12, passives: 0, detractors: 0 }, { promoters: 15, passives: 0, detractors: 0 });
    assert.equal(r.delta, 0);
    assert.equal(r.pValue, 1);
    assert.equal(r.significant, false);
    assert.ok(r.ci && r.ci[0] < 0 && r.ci[1] > 0);
    assertNaNFree(r);
  });

  test('an empty period gives nulls', () => {
    const r = compareNps({ promoters: 0, passives: 0, detractors: 0 }, { promoters: 3, passives: 1, detractors: 0 });
    assert.deepEqual(
      { delta: r.delta, ci: r.ci, pValue: r.pValue, significant: r.significant, smallSample: r.smallSample },
      { delta: null, ci: null, pValue: null, significant: false, smallSample: true },
    );
  });
});

describe('compareProportions (Newcombe hybrid score + pooled z)', () => {
  test("Newcombe (1998) example (a): 56/70 vs 48/80", () => {
    // Wilson 95%: 48/80 → [0.4904, 0.6997], 56/70 → [0.6919, 0.8756] (l₁ = 0.4904… etc.)
    // Δ = 0.8 − 0.6 = 0.2; CI = [0.2 − √((0.8 − l₂)² + (u₁ − 0.6)²), 0.2 + √((u₂ − 0.8)² + (0.6 − l₁)²)]
    //   = [0.0524, 0.3339] — Newcombe's Table II, method 10.
    // Pooled p̄ = 104/150, SE₀ = √(p̄(1 − p̄)(1/80 + 1/70)) = 0.0754668, z = 2.6501720, p = 0.0080451
    // (R: prop.test(c(56, 48), c(70, 80), correct = FALSE): X-squared = 7.0234 = z², p = 0.008045)
    const r = compareProportions({ x: 48, n: 80 }, { x: 56, n: 70 });
    assertClose(r.delta, 0.2, 1e-15);
    assertInterval(r.ci, [0.0524314724023649, 0.3338726540369059], 1e-12);
    assertClose(r.statistic, 2.6501719512585336, 1e-12);
    assertClose(r.pValue, 0.008045081368196594, 1e-12);
    assert.equal(r.significant, true);
  });

  test('Newcombe (1998) example (e): 0/10 vs 0/20 — both zero, interval still informative', () => {
    // Δ = 0 − 0; CI = [−u(0/20), u(0/10)] = [−3.841459/23.841459, 3.841459/13.841459]
    //   = [−0.1611, 0.2775], as in Newcombe's table; p̄ = 0 → z = 0, p = 1.
    const r = compareProportions({ x: 0, n: 20 }, { x: 0, n: 10 });
    assert.equal(r.delta, 0);
    assertInterval(r.ci, [-3.841458820694124 / 23.841458820694124, 3.841458820694124 / 13.841458820694124], 1e-12);
    assert.equal(r.pValue, 1);
    assert.equal(r.significant, false);
  });

  test('0/20 → 1/10', () => {
    // Δ = 0.1; CI = [0.1 − √((0.1 − l₂)² + (u₁ − 0)²), 0.1 + √((u₂ − 0.1)² + 0)] = [−0.0808470, 0.4041500]
    // p̄ = 1/30, SE₀ = √(1/30·29/30·(1/20 + 1/10)) = 0.0695222, z = 1.4383899, p = 0.1503235
    const r = compareProportions({ x: 0, n: 20 }, { x: 1, n: 10 });
    assertInterval(r.ci, [-0.08084698762531789, 0.40415002679523837], 1e-12);
    assertClose(r.pValue, 0.15032345547866832, 1e-12);
  });

  test('an empty period gives nulls', () => {
    const r = compareProportions({ x: 0, n: 0 }, { x: 1, n: 10 });
    assert.equal(r.delta, null);
    assert.equal(r.ci, null);
    assert.equal(r.pValue, null);
    assert.equal(r.significant, false);
  });
});

describe('comparison properties', () => {
  const level = fc.constantFrom(0.8, 0.9, 0.95, 0.99);
  const nps = fc.record({
    promoters: fc.integer({ min: 0, max: 500 }),
    passives: fc.integer({ min: 0, max: 500 }),
    detractors: fc.integer({ min: 0, max: 500 }),
  });
  const proportion = fc.integer({ min: 0, max: 5000 }).chain((n) => fc.record({ x: fc.integer({ min: 0, max: n }), n: fc.constant(n) }));
  const sample = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { maxLength: 40 });

  test('swapping the periods negates delta and mirrors the interval', () => {
    fc.assert(fc.property(nps, nps, level, (a, b, lvl) => assertMirrored(compareNps(a, b, lvl), compareNps(b, a, lvl))));
    fc.assert(
      fc.property(proportion, proportion, level, (a, b, lvl) =>
        assertMirrored(compareProportions(a, b, lvl), compareProportions(b, a, lvl)),
      ),
    );
    fc.assert(
      fc.property(sample, sample, level, (a, b, lvl) => {
        const [ma, mb] = [meanFromValues(a), meanFromValues(b)];
        assertMirrored(compareMeans(ma, mb, lvl), compareMeans(mb, ma, lvl));
      }),
    );
  });

  test('results are NaN-free, the interval contains delta, and significance matches the interval', () => {
    fc.assert(
      fc.property(nps, nps, level, (a, b, lvl) => {
        const r = compareNps(a, b, lvl);
        assertNaNFree(r);
        if (r.ci === null || r.delta === null || r.pValue === null) return;
        assert.ok(r.ci[0] <= r.delta && r.delta <= r.ci[1]);
        // Same z for the test and the interval: 0 outside the interval ⇔ p < α (up to rounding at the edge).
        const excludesZero = r.ci[0] > 0 || r.ci[1] < 0;
        if (Math.abs(r.pValue - (1 - lvl)) > 1e-9) assert.equal(r.significant, excludesZero);
      }),
    );
    fc.assert(
      fc.property(proportion, proportion, level, (a, b, lvl) => {
        const r = compareProportions(a, b, lvl);
        assertNaNFree(r);
        if (r.ci === null || r.delta === null) return;
        assert.ok(-1 <= r.ci[0] && r.ci[0] <= r.delta && r.delta <= r.ci[1] && r.ci[1] <= 1);
      }),
    );
    fc.assert(
      fc.property(sample, sample, level, (a, b, lvl) => {
        const r = compareMeans(meanFromValues(a), meanFromValues(b), lvl);
        assertNaNFree(r);
        if (r.ci === null || r.delta === null || r.pValue === null) return;
        assert.ok(r.ci[0] <= r.delta && r.delta <= r.ci[1]);
        const excludesZero = r.ci[0] > 0 || r.ci[1] < 0;
        if (Math.abs(r.pValue - (1 - lvl)) > 1e-9) assert.equal(r.significant, excludesZero);
      }),
    );
  });
});
