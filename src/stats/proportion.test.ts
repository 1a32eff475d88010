import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { wilsonInterval } from './proportion.ts';
import { assertClose, assertInterval } from './test-helpers.ts';

describe('wilsonInterval', () => {
  test('8 of 10 at 95%', () => {
    // z = 1.959964, z² = 3.841459, n + z² = 13.841459
    // centre numerator x + z²/2 = 8 + 1.920729 = 9.920729
    // z·√(x(n − x)/n + z²/4) = 1.959964·√(1.6 + 0.960365) = 1.959964·1.600114 = 3.136167
    // lo = (9.920729 − 3.136167)/13.841459 = 0.4901625, hi = (9.920729 + 3.136167)/13.841459 = 0.9433178
    // (R: binom::binom.confint(8, 10, methods = "wilson") → 0.4901625 0.9433178)
    const r = wilsonInterval(8, 10);
    assert.equal(r.estimate, 0.8);
    assert.equal(r.level, 0.95);
    assertInterval(r.ci, [0.4901624715366418, 0.9433178485456246], 1e-12);
  });

  test('0 of n and n of n still give a non-degenerate interval', () => {
    // x = 0: [0, z²/(n + z²)] = [0, 3.841459/13.841459] = [0, 0.2775328]
    const none = wilsonInterval(0, 10);
    assert.equal(none.estimate, 0);
    assert.equal(none.ci?.[0], 0);
    assertClose(none.ci?.[1], 0.27753279986288915, 1e-12);
    // x = n: [n/(n + z²), 1] = [10/13.841459, 1] = [0.7224672, 1]
    const all = wilsonInterval(10, 10);
    assert.equal(all.ci?.[1], 1);
    assertClose(all.ci?.[0], 0.7224672001371109, 1e-12);
  });

  test('keeps relative precision for rare events', () => {
    // 1 in a million at 99% (z = 2.575829): lower bound 1.17405475e-7, upper 8.51743383e-6
    const r = wilsonInterval(1, 1_000_000, 0.99);
    assert.ok(r.ci);
    assert.ok(Math.abs(r.ci[0] / 1.1740547499963255e-7 - 1) < 1e-12);
    assert.ok(Math.abs(r.ci[1] / 8.517433834755592e-6 - 1) < 1e-12);
  });

  test('n = 0 gives nulls, not NaN or an exception', () => {
    assert.deepEqual(wilsonInterval(0, 0), { x: 0, n: 0, estimate: null, ci: null, level: 0.95 });
  });

  test('invalid counts throw', () => {
    assert.throws(() => wilsonInterval(11, 10), RangeError);
    assert.throws(() => wilsonInterval(-1, 10), RangeError);
    assert.throws(() => wilsonInterval(1.5, 10), RangeError);
    assert.throws(() => wilsonInterval(1, 10, 1.5), RangeError);
  });

  test('property: contains the estimate, lies within [0, 1], never has zero width', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        ([n, x], level) => {
          const { estimate, ci } = wilsonInterval(x, n, level);
          assert.ok(ci !== null && estimate !== null);
          assert.ok(0 <= ci[0] && ci[0] <= estimate && estimate <= ci[1] && ci[1] <= 1, `${x}/${n}: ${ci}`);
          assert.ok(ci[0] < ci[1]);
        },
      ),
    );
  });

  test('property: successes and failures mirror each other; a higher level is wider', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        ([n, x]) => {
          const a = wilsonInterval(x, n).ci;
          const b = wilsonInterval(n - x, n).ci;
          const wide = wilsonInterval(x, n, 0.99).ci;
          assert.ok(a && b && wide);
          assertClose(a[0], 1 - b[1], 1e-12);
          assertClose(a[1], 1 - b[0], 1e-12);
          assert.ok(wide[0] <= a[0] && a[1] <= wide[1]);
        },
      ),
    );
  });
});
