import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  chiSquareSurvival,
  normalCdf,
  tCritical,
  twoSidedNormalP,
  twoSidedTP,
  zCritical,
} from './distributions.ts';
import { assertClose } from './test-helpers.ts';

// Reference values from src/stats/reference-values.py (pure Python): statistics.NormalDist for z,
// a Numerical Recipes incomplete-beta continued fraction for t, and the closed-form recursion
// Q(x; k + 2) = Q(x; k) + (x/2)^(k/2)·e^(−x/2)/Γ(k/2 + 1), Q(x; 1) = erfc(√(x/2)) for χ².
describe('distributions', () => {
  test('normal critical values', () => {
    assertClose(zCritical(0.95), 1.9599639845400536, 1e-12);
    assertClose(zCritical(0.998), 3.090232306167813, 1e-10);
    assertClose(zCritical(0.9), 1.6448536269514715, 1e-12);
    assertClose(normalCdf(0), 0.5, 1e-15);
  });

  test('t critical values (R: qt(0.975, 9), qt(0.975, 17.776))', () => {
    assertClose(tCritical(0.95, 9), 2.2621571627982027, 1e-10);
    assertClose(tCritical(0.95, 17.776), 2.10282131038022, 1e-9);
  });

  test('χ² upper tail', () => {
    // χ²₁ at its 95% point 3.8414588… has upper tail 0.05.
    assertClose(chiSquareSurvival(3.841458820694124, 1), 0.05, 1e-12);
    // Q(10; 3) = erfc(√5) + √(2·10/π)·e^(−5) = 0.0185661354630432
    assertClose(chiSquareSurvival(10, 3), 0.018566135463043223, 1e-13);
    // df = 2: Q = e^(−x/2) exactly; keeps relative precision far in the tail.
    const tail = chiSquareSurvival(200, 2);
    assert.ok(Math.abs(tail / Math.exp(-100) - 1) < 1e-12);
    assert.equal(chiSquareSurvival(0, 3), 1);
  });

  test('two-sided p-values', () => {
    assertClose(twoSidedNormalP(1.9599639845400536), 0.05, 1e-12);
    assertClose(twoSidedNormalP(0), 1, 0);
    assertClose(twoSidedTP(-2.2621571627982027, 9), 0.05, 1e-10);
  });

  test('level outside (0, 1) is a programming error', () => {
    for (const level of [0, 1, -0.5, 95, Number.NaN]) {
      assert.throws(() => zCritical(level), RangeError);
      assert.throws(() => tCritical(level, 5), RangeError);
    }
  });
});
