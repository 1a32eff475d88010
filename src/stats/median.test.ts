import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  medianFromHistogram,
  medianFromSorted,
  quantileFromHistogram,
  quantileFromSorted,
  quantileRank,
} from './median.ts';
import { assertClose, assertNaNFree } from './test-helpers.ts';

describe('quantiles with order-statistic intervals', () => {
  test('median of 1..10', () => {
    // Type 1: k = ⌈10·0.5⌉ = 5 → x₍₅₎ = 5 (the lower median; R: quantile(1:10, 0.5, type = 1) = 5).
    // B ~ Bin(10, ½), F(j) = Σ_{i≤j} C(10, i)/1024:
    //   F(1) = 11/1024 = 0.0107 < 0.025 ≤ F(2) = 56/1024 = 0.0547   → l = 2
    //   F(7) = 968/1024 = 0.9453 < 0.975 ≤ F(8) = 1013/1024 = 0.9893 → u = 8 + 1 = 9
    // coverage = F(8) − F(1) = 1002/1024 = 0.978515625 (the textbook (x₍₂₎, x₍₉₎) for n = 10)
    const r = medianFromSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(r.estimate, 5);
    assert.equal(r.rank, 5);
    assert.deepEqual(r.ciRanks, [2, 9]);
    assert.deepEqual(r.ci, [2, 9]);
    assertClose(r.coverage, 1002 / 1024, 1e-12);
  });

  test('median of a CSAT histogram, n = 100', () => {
    // cumulative counts: ≤1: 3, ≤2: 8, ≤3: 20, ≤4: 60, ≤5: 100 → x₍₅₀₎ = 4
    // Bin(100, ½): l = qbinom(0.025) = 40, u = qbinom(0.975) + 1 = 60 + 1 = 61 (exact sums of
    // C(100, i)/2¹⁰⁰ in reference-values.py); x₍₄₀₎ = 4, x₍₆₁₎ = 5; coverage F(60) − F(39) = 0.9647998
    const r = medianFromHistogram(
      new Map([
        [1, 3],
        [2, 5],
        [3, 12],
        [4, 40],
        [5, 40],
      ]),
    );
    assert.equal(r.n, 100);
    assert.equal(r.estimate, 4);
    assert.deepEqual(r.ciRanks, [40, 61]);
    assert.deepEqual(r.ci, [4, 5]);
    assertClose(r.coverage, 0.9647997997822951, 1e-10);
  });

  test('p90 of 50 handling times', () => {
    // times 10, 20, …, 500 (x₍ᵢ₎ = 10·i). k = ⌈50·0.9⌉ = 45 → 450.
    // Bin(50, 0.9): l = qbinom(0.025) = 41, u = qbinom(0.975) + 1 = 50; coverage 0.9703083
    const times = Array.from({ length: 50 }, (_, i) => 10 * (i + 1));
    const r = quantileFromSorted(times, 0.9);
    assert.equal(r.estimate, 450);
    assert.deepEqual(r.ciRanks, [41, 50]);
    assert.deepEqual(r.ci, [410, 500]);
    assertClose(r.coverage, 0.9703082890880884, 1e-10);
    // A 95% interval for p90 first exists at n = 36. For n = 35, Bin(35, 0.9) has
    // F(34) = 1 − 0.9³⁵ = 0.974968 < 0.975, so u = 35 + 1 = 36 > n. For n = 36: F(28) = 0.0239 < 0.025
    // ≤ F(29) → l = 29; F(34) = 0.8874 < 0.975 ≤ F(35) = 0.9775 → u = 36; coverage 0.9539621.
    assert.equal(quantileFromSorted(times.slice(0, 35), 0.9).ci, null);
    const first = quantileFromSorted(times.slice(0, 36), 0.9);
    assert.deepEqual(first.ciRanks, [29, 36]);
    assertClose(first.coverage, 0.9539621052026521, 1e-10);
  });

  test('type 1 rank with the floating-point fuzz', () => {
    assert.equal(quantileRank(10, 0.7), 7); // 10·0.7 = 7.000000000000001 in floating point
    assert.equal(quantileRank(10, 0.71), 8);
    assert.equal(quantileRank(10, 0.05), 1);
    assert.equal(quantileRank(10, 0), 1);
    assert.equal(quantileRank(10, 1), 10);
    assert.equal(quantileRank(1_000_000, 0.9), 900_000);
    assert.equal(quantileRank(0, 0.5), 0);
  });

  test('too few observations for the level: estimate without interval', () => {
    // n = 5: P(B = 0) = 1/32 = 0.03125 ≥ 0.025, so even (x₍₁₎, x₍₅₎) covers only 1 − 2/32 = 93.75%.
    const five = medianFromSorted([1, 2, 3, 4, 5]);
    assert.equal(five.estimate, 3);
    assert.equal(five.ci, null);
    assert.equal(five.coverage, null);
    // n = 6: (x₍₁₎, x₍₆₎) covers 1 − 2/64 = 0.96875.
    const six = medianFromSorted([1, 2, 3, 4, 5, 6]);
    assert.deepEqual(six.ci, [1, 6]);
    assertClose(six.coverage, 0.96875, 1e-12);
    // At 90% n = 5 is enough: F(0) = 0.03125 < 0.05.
    assert.deepEqual(medianFromSorted([1, 2, 3, 4, 5], 0.9).ci, [1, 5]);
  });

  test('empty data, a single value repeated, p = 0 and p = 1', () => {
    const empty = quantileFromHistogram([], 0.5);
    assert.equal(empty.estimate, null);
    assert.equal(empty.ci, null);
    assertNaNFree(empty);
    assert.equal(quantileFromSorted([], 0.9).estimate, null);
    const same = medianFromHistogram([[7, 40]]);
    assert.equal(same.estimate, 7);
    assert.deepEqual(same.ci, [7, 7]);
    assert.equal(quantileFromSorted([1, 2, 3], 0).estimate, 1);
    assert.equal(quantileFromSorted([1, 2, 3], 1).estimate, 3);
    assert.equal(quantileFromSorted([1, 2, 3], 1).ci, null);
  });

  test('invalid input throws', () => {
    assert.throws(() => quantileFromSorted([3, 1, 2], 0.5), RangeError);
    assert.throws(() => quantileFromSorted([1, 2], 1.5), RangeError);
    assert.throws(() => quantileFromSorted([1, Number.NaN], 0.5), RangeError);
    assert.throws(() => quantileFromHistogram([[1, 0.5]], 0.5), RangeError);
  });

  const histogram = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 60 })), { maxLength: 10 });
  const probability = fc.constantFrom(0.1, 0.25, 0.5, 0.7, 0.75, 0.9, 0.95, 0.99).chain((p) =>
    fc.oneof(fc.constant(p), fc.double({ min: 0.01, max: 0.99, noNaN: true })),
  );
  const level = fc.constantFrom(0.8, 0.9, 0.95, 0.99);

  test('property: the interval contains the quantile and reaches the level', () => {
    fc.assert(
      fc.property(histogram, probability, level, (h, p, lvl) => {
        const r = quantileFromHistogram(h, p, lvl);
        assertNaNFree(r);
        if (r.ci === null || r.ciRanks === null || r.estimate === null || r.rank === null) return;
        assert.ok(r.ci[0] <= r.estimate && r.estimate <= r.ci[1], `${r.ci} vs ${r.estimate}`);
        assert.ok(r.ciRanks[0] <= r.rank && r.rank <= r.ciRanks[1]);
        assert.ok(1 <= r.ciRanks[0] && r.ciRanks[1] <= r.n);
        assert.ok((r.coverage ?? 0) >= lvl - 1e-12);
      }),
    );
  });

  test('property: histogram and sorted values agree', () => {
    fc.assert(
      fc.property(histogram, probability, (h, p) => {
        const sorted = h.flatMap(([v, c]) => Array<number>(c).fill(v)).sort((a, b) => a - b);
        assert.deepEqual(quantileFromHistogram(h, p), quantileFromSorted(sorted, p));
      }),
    );
  });

  test('property: on continuous-looking data every rank from 1 to n is reachable', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), probability, (n, p) => {
        const values = Array.from({ length: n }, (_, i) => i + 1);
        const r = quantileFromSorted(values, p);
        assert.equal(r.estimate, r.rank);
        if (r.ci) assert.deepEqual(r.ci, r.ciRanks);
      }),
    );
  });
});
