import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareProportions } from './compare.ts';
import { chiSquareHomogeneity, funnelLimits, funnelPlot, kruskalWallis } from './consistency.ts';
import { assertClose, assertInterval, assertNaNFree } from './test-helpers.ts';

describe('funnelPlot', () => {
  // First-contact resolution per agent.
  const agents = [
    { id: 'amira', x: 30, n: 40 }, // 0.75
    { id: 'bilal', x: 45, n: 50 }, // 0.90
    { id: 'chen', x: 10, n: 30 }, // 0.333
    { id: 'dovile', x: 90, n: 100 }, // 0.90
    { id: 'eitan', x: 0, n: 0 }, // no tickets
  ];

  test('limits around the pooled rate and flags', () => {
    // p̄ = (30 + 45 + 10 + 90)/(40 + 50 + 30 + 100) = 175/220 = 0.7954545, p̄(1 − p̄) = 0.1627066
    // z₉₅ = 1.959964, z₉₉.₈ = 3.090232
    // n = 40:  ±1.959964·√(0.1627066/40) = ±0.1250031 → [0.6704515, 0.9204576]; 99.8%: [0.5983649, 0.9925442]
    // n = 50:  [0.6836484, 0.9072607]; 99.8%: [0.6191722, 0.9717369]
    // n = 30:  [0.6511134, 0.9397957]; 99.8%: [0.5678751, 1.0230340 → 1]
    // n = 100: [0.7163957, 0.8745134]; 99.8%: [0.6708041, 0.9201050]
    // amira 0.75 and bilal 0.90 are inside; chen 0.333 < 0.5678751 (below 99.8%);
    // dovile 0.90 > 0.8745134 but < 0.9201050 (above 95% only).
    const plot = funnelPlot(agents);
    assertClose(plot.pooled, 175 / 220, 1e-15);
    assert.equal(plot.totalN, 220);
    const [amira, bilal, chen, dovile, eitan] = plot.units;
    assertInterval(amira?.inner, [0.6704514706721845, 0.9204576202369064], 1e-12);
    assertInterval(amira?.outer, [0.5983649340587454, 0.9925441568503455], 1e-12);
    assertInterval(bilal?.inner, [0.6836483964106058, 0.907260694498485], 1e-12);
    assertInterval(chen?.outer, [0.5678750650668576, 1], 1e-12);
    assertInterval(dovile?.inner, [0.7163956592872219, 0.8745134316218689], 1e-12);
    assertInterval(dovile?.outer, [0.6708041304209043, 0.9201049604881866], 1e-12);
    assert.deepEqual(
      plot.units.map((u) => [u.id, u.position]),
      [
        ['amira', 'within'],
        ['bilal', 'within'],
        ['chen', 'below-outer'],
        ['dovile', 'above-inner'],
        ['eitan', null],
      ],
    );
    assert.equal(eitan?.rate, null);
    assert.equal(eitan?.inner, null);
    assertNaNFree(plot);
  });

  test('degenerate pooled rates and empty input', () => {
    const none = funnelPlot([]);
    assert.equal(none.pooled, null);
    assert.deepEqual(none.units, []);
    const zeros = funnelPlot([{ id: 'a', x: 0, n: 0 }]);
    assert.equal(zeros.pooled, null);
    assert.equal(zeros.units[0]?.position, null);
    // Everyone at 100%: limits collapse onto 1, nobody is flagged.
    const perfect = funnelPlot([
      { id: 'a', x: 10, n: 10 },
      { id: 'b', x: 3, n: 3 },
    ]);
    assert.deepEqual(
      perfect.units.map((u) => [u.position, u.inner]),
      [
        ['within', [1, 1]],
        ['within', [1, 1]],
      ],
    );
    assert.equal(funnelLimits(0.5, 0), null);
    assert.throws(() => funnelPlot([{ id: 'a', x: 3, n: 2 }]), RangeError);
  });

  test('property: limits lie in [0, 1], contain p̄, and narrow as n grows', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1_000_000 }), (p, n) => {
        const small = funnelLimits(p, n);
        const large = funnelLimits(p, n + 1);
        const outer = funnelLimits(p, n, 0.998);
        assert.ok(small && large && outer);
        assert.ok(0 <= small[0] && small[0] <= p && p <= small[1] && small[1] <= 1);
        assert.ok(small[0] <= large[0] && large[1] <= small[1]);
        assert.ok(outer[0] <= small[0] && small[1] <= outer[1]);
      }),
    );
  });
});

describe('chiSquareHomogeneity', () => {
  test("R's chisq.test example (party identification by gender)", () => {
    // M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477))); chisq.test(M)
    //   → X-squared = 30.07, df = 2, p-value = 2.954e-07
    // As a 2 × k table: x = first row, n = column totals. df = 2, so p = e^(−X²/2) exactly.
    const r = chiSquareHomogeneity([
      { x: 762, n: 1246 },
      { x: 327, n: 566 },
      { x: 468, n: 945 },
    ]);
    assertClose(r.statistic, 30.07014909575468, 1e-9);
    assert.equal(r.df, 2);
    assertClose(r.pValue, Math.exp(-30.07014909575468 / 2), 1e-18);
    assertClose(r.pValue, 2.9535891832117463e-7, 1e-15);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.significant, true);
  });

  test("R's prop.test example (smokers), four groups", () => {
    // smokers <- c(83, 90, 129, 70); patients <- c(86, 93, 136, 82); prop.test(smokers, patients)
    //   → X-squared = 12.6, df = 3, p-value = 0.005585. Smallest expected count: 86·(1 − 372/397) = 5.16.
    const r = chiSquareHomogeneity([
      { x: 83, n: 86 },
      { x: 90, n: 93 },
      { x: 129, n: 136 },
      { x: 70, n: 82 },
    ]);
    assertClose(r.statistic, 12.600411297127659, 1e-9);
    assert.equal(r.df, 3);
    assertClose(r.pValue, 0.00558547666162697, 1e-12);
    assertClose(r.minExpected, 5.163727959697731, 1e-12);
    assert.deepEqual(r.warnings, []);
  });

  test('three agents, by hand', () => {
    // x = 18/30, 25/35, 9/25; p̄ = 52/90 = 0.5777778, p̄(1 − p̄) = 0.2439506
    // (18 − 17.333)²/(30·0.24395) = 0.0607, (25 − 20.222)²/(35·0.24395) = 2.6741,
    // (9 − 14.444)²/(25·0.24395) = 4.8597;  X² = 7.5945633, df = 2, p = e^(−3.7972817) = 0.0224317
    const r = chiSquareHomogeneity([
      { x: 18, n: 30 },
      { x: 25, n: 35 },
      { x: 9, n: 25 },
    ]);
    assertClose(r.statistic, 7.594563331405435, 1e-10);
    assertClose(r.pValue, 0.022431665820137094, 1e-12);
    assert.equal(r.groups, 3);
  });

  test('2 × 2 with a small expected count warns (no Yates correction)', () => {
    // x = 3/10, 9/12; p̄ = 12/22; expected failures 10·10/22 = 4.545 < 5.
    // X² = (3 − 5.4545)²/(10·30/121) + (9 − 6.5455)²/(12·30/121) = 2.4300 + 2.0250 = 4.455, p = 0.0347992
    // (R: chisq.test(matrix(c(3, 7, 9, 3), 2), correct = FALSE) → 4.455, p = 0.0348, with a warning)
    const r = chiSquareHomogeneity([
      { x: 3, n: 10 },
      { x: 9, n: 12 },
    ]);
    assertClose(r.statistic, 4.455, 1e-12);
    assertClose(r.pValue, 0.034799216209864314, 1e-12);
    assert.deepEqual(r.warnings, ['low-expected-count']);
    assert.equal(r.cellsBelowFive, 1);
  });

  test('undefined cases give nulls and warnings', () => {
    const one = chiSquareHomogeneity([
      { x: 3, n: 10 },
      { x: 0, n: 0 },
    ]);
    assert.equal(one.statistic, null);
    assert.equal(one.df, 0);
    assert.equal(one.groups, 1);
    assert.ok(one.warnings.includes('fewer-than-two-groups'));
    const flat = chiSquareHomogeneity([
      { x: 0, n: 10 },
      { x: 0, n: 20 },
    ]);
    assert.equal(flat.statistic, null);
    assert.ok(flat.warnings.includes('no-variation'));
    const empty = chiSquareHomogeneity([]);
    assert.equal(empty.pValue, null);
    assert.equal(empty.minExpected, null);
    for (const r of [one, flat, empty]) assertNaNFree(r);
  });

  test('property: with two groups X² equals the square of the pooled two-proportion z', () => {
    const group = fc.integer({ min: 1, max: 5000 }).chain((n) => fc.record({ x: fc.integer({ min: 0, max: n }), n: fc.constant(n) }));
    fc.assert(
      fc.property(group, group, (a, b) => {
        const chi = chiSquareHomogeneity([a, b]);
        const z = compareProportions(a, b).statistic;
        if (chi.statistic === null) {
          assert.ok(a.x + b.x === 0 || a.x + b.x === a.n + b.n);
          return;
        }
        assertClose(chi.statistic, (z ?? 0) ** 2, 1e-9 * Math.max(1, chi.statistic));
      }),
    );
  });
});

describe('kruskalWallis', () => {
  test("R's kruskal.test example (no ties)", () => {
    // x <- c(2.9, 3.0, 2.5, 2.6, 3.2); y <- c(3.8, 2.7, 4.0, 2.4); z <- c(2.8, 3.4, 3.7, 2.2, 2.0)
    // kruskal.test(list(x, y, z)) → Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
    // Rank sums 36, 36, 33; N = 14; H = 12/(14·15)·(36²/5 + 36²/4 + 33²/5) − 45 = 27/35 = 0.7714286
    // p = e^(−H/2) = 0.6799648
    const r = kruskalWallis([
      [2.9, 3.0, 2.5, 2.6, 3.2],
      [3.8, 2.7, 4.0, 2.4],
      [2.8, 3.4, 3.7, 2.2, 2.0],
    ]);
    assertClose(r.statistic, 27 / 35, 1e-12);
    assert.equal(r.df, 2);
    assertClose(r.pValue, 0.6799647735788938, 1e-12);
    assert.equal(r.tieCorrection, 1);
    assert.deepEqual(r.meanRanks, [36 / 5, 9, 33 / 5]);
    assert.deepEqual(r.warnings, ['small-groups']);
  });

  test('ties, by hand', () => {
    // a = 2 3 3 5, b = 3 6 7 5 8, c = 1 2 3 (N = 12)
    // sorted: 1 | 2 2 | 3 3 3 3 | 5 5 | 6 | 7 | 8 → mid-ranks 1 | 2.5 | 5.5 | 8.5 | 10 | 11 | 12
    // R_a = 2.5 + 5.5 + 5.5 + 8.5 = 22, R_b = 5.5 + 8.5 + 10 + 11 + 12 = 47, R_c = 1 + 2.5 + 5.5 = 9
    // uncorrected H = 12/(12·13)·(22²/4 + 47²/5 + 9²/3) − 39 = 589.8/13 − 39 = 6.3692308
    // ties t = 2, 4, 2: Σ(t³ − t) = 6 + 60 + 6 = 72, C = 1 − 72/1716 = 137/143 = 0.9580420
    // H = 6.3692308/0.9580420 = 4554/685 = 6.6481752, df = 2, p = e^(−H/2) = 0.0360054
    // (R: kruskal.test(list(c(2,3,3,5), c(3,6,7,5,8), c(1,2,3))))
    const r = kruskalWallis([
      [2, 3, 3, 5],
      [3, 6, 7, 5, 8],
      [1, 2, 3],
    ]);
    assertClose(r.statistic, 4554 / 685, 1e-12);
    assertClose(r.tieCorrection, 137 / 143, 1e-15);
    assertClose(r.pValue, 0.036005355372559486, 1e-12);
    assert.equal(r.significant, true);
  });

  test('four groups of durations with ties (df = 3)', () => {
    // Rank sums 79/2, 13, 195/2, 40; C = 377/380; H = 52641/3770 = 13.9631300, p = 0.0029558
    const r = kruskalWallis([
      [10, 12, 12, 15, 20],
      [8, 9, 12, 11],
      [20, 22, 25, 21, 30, 19],
      [14, 15, 15, 16],
    ]);
    assertClose(r.statistic, 52641 / 3770, 1e-11);
    assert.equal(r.df, 3);
    assertClose(r.pValue, 0.002955771171103246, 1e-12);
  });

  test('degenerate inputs', () => {
    const tied = kruskalWallis([
      [5, 5, 5],
      [5, 5],
    ]);
    assert.equal(tied.statistic, null);
    assert.equal(tied.pValue, null);
    assert.equal(tied.tieCorrection, 0);
    assert.ok(tied.warnings.includes('all-values-tied'));
    const single = kruskalWallis([[1, 2, 3], []]);
    assert.equal(single.statistic, null);
    assert.equal(single.groups, 1);
    assert.deepEqual(single.meanRanks, [2, null]);
    const empty = kruskalWallis([]);
    assert.equal(empty.n, 0);
    assert.equal(empty.tieCorrection, null);
    for (const r of [tied, single, empty]) assertNaNFree(r);
    // An empty group is simply left out.
    const withEmpty = kruskalWallis([[2.9, 3.0, 2.5, 2.6, 3.2], [], [3.8, 2.7, 4.0, 2.4], [2.8, 3.4, 3.7, 2.2, 2.0]]);
    assertClose(withEmpty.statistic, 27 / 35, 1e-12);
    assert.equal(withEmpty.df, 2);
    assert.throws(() => kruskalWallis([[1, Number.NaN]]), RangeError);
  });

  test('property: H ≥ 0, unchanged by group order and by monotone transformations', () => {
    const groups = fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }), { minLength: 2, maxLength: 5 });
    fc.assert(
      fc.property(groups, (gs) => {
        const r = kruskalWallis(gs);
        assertNaNFree(r);
        if (r.statistic === null) return;
        assert.ok(r.statistic >= 0);
        assert.ok(r.pValue !== null && r.pValue >= 0 && r.pValue <= 1);
        const reversed = kruskalWallis([...gs].reverse());
        assertClose(reversed.statistic, r.statistic, 1e-9);
        const transformed = kruskalWallis(gs.map((g) => g.map((v) => Math.exp(v / 10) * 60)));
        assertClose(transformed.statistic, r.statistic, 1e-9);
      }),
    );
  });
});
