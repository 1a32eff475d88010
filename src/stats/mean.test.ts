import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { meanFromHistogram, meanFromSums, meanFromValues } from './mean.ts';
import { assertClose, assertInterval, assertNaNFree } from './test-helpers.ts';

// CSAT answers: two 1s, one 2, three 3s, six 4s, eight 5s.
const csat = new Map([
  [1, 2],
  [2, 1],
  [3, 3],
  [4, 6],
  [5, 8],
]);
// n = 20, Σx = 2 + 2 + 9 + 24 + 40 = 77, Σx² = 2 + 4 + 27 + 96 + 200 = 329
// x̄ = 3.85, M₂ = 329 − 77²/20 = 329 − 296.45 = 32.55, s² = 32.55/19 = 1.7131579
// s = 1.3088766, SE = s/√20 = 0.2926737, t(0.975; 19) = 2.0930241
// CI = 3.85 ± 0.6125731 = [3.2374269, 4.4625731]   (R: t.test(x)$conf.int)
const expectedCi = [3.2374269055743556, 4.462573094425645] as const;

describe('meanFromSums / meanFromHistogram / meanFromValues', () => {
  test('CSAT histogram', () => {
    const r = meanFromHistogram(csat);
    assert.equal(r.n, 20);
    assertClose(r.mean, 3.85, 1e-14);
    assertClose(r.variance, 32.55 / 19, 1e-14);
    assertClose(r.sd, 1.3088765773505315, 1e-12);
    assertClose(r.se, 0.292673700111305, 1e-12);
    assert.equal(r.df, 19);
    assertInterval(r.ci, expectedCi, 1e-10);
  });

  test('the same from SQL sums, plain and shifted', () => {
    assertInterval(meanFromSums({ n: 20, sum: 77, sumSquares: 329 }).ci, expectedCi, 1e-10);
    // Shift k = 4: Σ(x − 4) = 77 − 80 = −3, Σ(x − 4)² = 329 − 8·77 + 16·20 = 33, M₂ = 33 − 9/20 = 32.55
    const shifted = meanFromSums({ n: 20, sum: -3, sumSquares: 33, shift: 4 });
    assertClose(shifted.mean, 3.85, 1e-14);
    assertInterval(shifted.ci, expectedCi, 1e-10);
  });

  test('shifted sums and two-pass values survive a large offset', () => {
    // 1e9 + {1, 2, 3, 4}: mean 1e9 + 2.5, s² = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3
    const values = [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4];
    assertClose(meanFromValues(values).variance, 5 / 3, 1e-12);
    // SQL: sum(x − 1e9) = 10, sum((x − 1e9)²) = 30 → M₂ = 30 − 100/4 = 5
    const shifted = meanFromSums({ n: 4, sum: 10, sumSquares: 30, shift: 1e9 });
    assertClose(shifted.mean, 1e9 + 2.5, 0);
    assertClose(shifted.variance, 5 / 3, 1e-15);
  });

  test('a tiny negative M₂ from rounding is clamped to 0', () => {
    // Three answers of 0.1: Σx = 0.30000000000000004, Σx² = 0.030000000000000006 in floating point,
    // and Σx² − Σx·(Σx/3) = −3.5e−18 < 0.
    const r = meanFromSums({ n: 3, sum: 0.1 + 0.1 + 0.1, sumSquares: 0.1 * 0.1 + 0.1 * 0.1 + 0.1 * 0.1 });
    assert.equal(r.variance, 0);
    assert.equal(r.sd, 0);
    assertNaNFree(r);
  });

  test('n = 0 gives nulls and n = 1 the mean only', () => {
    const empty = { n: 0, mean: null, variance: null, sd: null, se: null, df: null, ci: null, level: 0.95 };
    assert.deepEqual(meanFromSums({ n: 0, sum: 0, sumSquares: 0 }), empty);
    assert.deepEqual(meanFromHistogram([]), empty);
    assert.deepEqual(meanFromValues([]), empty);
    const one = meanFromHistogram([[4, 1]]);
    assert.equal(one.mean, 4);
    assert.equal(one.ci, null);
    assert.equal(one.sd, null);
  });

  test('all one value: zero variance, zero-width interval, no NaN', () => {
    const r = meanFromHistogram([[5, 12]]);
    assert.equal(r.mean, 5);
    assert.equal(r.variance, 0);
    assert.deepEqual(r.ci, [5, 5]);
    assertNaNFree(r);
  });

  test('invalid input throws', () => {
    assert.throws(() => meanFromSums({ n: -1, sum: 0, sumSquares: 0 }), RangeError);
    assert.throws(() => meanFromSums({ n: 2, sum: Number.NaN, sumSquares: 0 }), RangeError);
    assert.throws(() => meanFromHistogram([[1, -2]]), RangeError);
    assert.throws(() => meanFromHistogram([[Number.POSITIVE_INFINITY, 2]]), RangeError);
  });

  const histogram = fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 30 })), { maxLength: 12 });
  const expand = (h: readonly (readonly [number, number])[]) => h.flatMap(([v, c]) => Array<number>(c).fill(v));

  test('property: the mean from a histogram equals the mean from the expanded values', () => {
    fc.assert(
      fc.property(histogram, (h) => {
        const fromHistogram = meanFromHistogram(h);
        const values = expand(h);
        const fromValues = meanFromValues(values);
        const fromSums = meanFromSums({
          n: values.length,
          sum: values.reduce((s, v) => s + v, 0),
          sumSquares: values.reduce((s, v) => s + v * v, 0),
        });
        assert.equal(fromHistogram.n, values.length);
        for (const other of [fromValues, fromSums]) {
          if (fromHistogram.mean === null) {
            assert.equal(other.mean, null);
            continue;
          }
          assertClose(other.mean, fromHistogram.mean, 1e-12);
          if (fromHistogram.variance !== null) assertClose(other.variance, fromHistogram.variance, 1e-9);
        }
        assertNaNFree(fromHistogram);
      }),
    );
  });

  test('property: the interval contains the mean and widens with the level', () => {
    fc.assert(
      fc.property(histogram, (h) => {
        const r = meanFromHistogram(h);
        const wide = meanFromHistogram(h, 0.99);
        if (r.ci === null || wide.ci === null || r.mean === null) return;
        assert.ok(r.ci[0] <= r.mean && r.mean <= r.ci[1]);
        assert.ok(wide.ci[0] <= r.ci[0] && r.ci[1] <= wide.ci[1]);
      }),
    );
  });
});
