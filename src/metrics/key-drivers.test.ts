import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { correlationMatrix, keyDrivers, KeyDriverError, lmgOf, mulberry32, quadrantOf, rSquaredOf, type DriverRow } from './key-drivers.ts';

const close = (actual: number, expected: number, tolerance = 1e-9, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} ≠ ${expected}`);

/** Normal deviates by Box–Muller from the seeded generator. */
function normals(seed: number) {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

test('two predictors by hand: LMG is the average of the two orders', () => {
  // r(y,x1) = 0.5, r(y,x2) = 0.4, r(x1,x2) = 0.3.
  const corr = [
    [1, 0.5, 0.4],
    [0.5, 1, 0.3],
    [0.4, 0.3, 1],
  ];
  // R²(x1, x2) = (0.25 + 0.16 − 2·0.5·0.4·0.3) / (1 − 0.09) = 0.29 / 0.91
  const full = 0.29 / 0.91;
  close(rSquaredOf(corr, [1, 2]), full);
  close(rSquaredOf(corr, [1]), 0.25);
  close(rSquaredOf(corr, [2]), 0.16);
  const fit = lmgOf(corr);
  // x1 first: 0.25; x1 second: R² − 0.16. The average of the two orders:
  close(fit.lmg[0]!, (0.25 + (full - 0.16)) / 2);
  close(fit.lmg[1]!, (0.16 + (full - 0.25)) / 2);
  close(fit.lmg[0]! + fit.lmg[1]!, full);
  // β = R_xx⁻¹ r: ((0.5 − 0.3·0.4) / 0.91, (0.4 − 0.3·0.5) / 0.91)
  close(fit.beta[0]!, 0.38 / 0.91);
  close(fit.beta[1]!, 0.25 / 0.91);
});

test('the correlation matrix of a small data set, by hand', () => {
  // y = 1, 2, 3, 4; x = 2, 4, 6, 8 (r = 1); z = 1, 0, 0, 1 (r = 0 with y)
  const corr = correlationMatrix([
    [1, 2, 1],
    [2, 4, 0],
    [3, 6, 0],
    [4, 8, 1],
  ]);
  close(corr[0]![1]!, 1);
  close(corr[0]![2]!, 0);
  close(corr[1]![2]!, 0);
  // A predictor that copies another explains nothing more.
  close(rSquaredOf([[1, 0.6, 0.6], [0.6, 1, 1], [0.6, 1, 1]], [1, 2]), 0.36);
});

test('orthogonal predictors: each importance is the squared correlation with the outcome', () => {
  const rows: DriverRow[] = [];
  const noise = normals(7);
  for (let i = 0; i < 400; i++) {
    const x1 = i % 2 === 0 ? 1 : -1;
    const x2 = i % 4 < 2 ? 1 : -1;
    const x3 = i % 8 < 4 ? 1 : -1;
    rows.push({ outcome: 2 * x1 + x2 + noise(), predictors: { x1, x2, x3 } });
  }
  const a = keyDrivers(rows, ['x1', 'x2', 'x3'], { resamples: 20 });
  for (const d of a.drivers) close(d.importance, d.correlation ** 2, 1e-12, d.name);
  assert.deepEqual(a.drivers.map((d) => d.name), ['x1', 'x2', 'x3']);
  close(a.r_squared!, a.drivers.reduce((s, d) => s + d.correlation ** 2, 0), 1e-12);
});

test('the importances add up to R² exactly, the shares to 1 (any data)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((p) =>
        fc.tuple(fc.constant(p), fc.array(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: p + 1, maxLength: p + 1 }), { minLength: p + 3, maxLength: 40 })),
      ),
      ([p, data]) => {
        const names = Array.from({ length: p }, (_, j) => `q${j}`);
        const rows = data.map((r) => ({ outcome: r[0]!, predictors: Object.fromEntries(names.map((name, j) => [name, r[j + 1]!])) }));
        const a = keyDrivers(rows, names, { resamples: 0 });
        const total = a.drivers.reduce((s, d) => s + d.importance, 0);
        close(total, a.r_squared!, 1e-9, 'Σ LMG');
        for (const d of a.drivers) assert.ok(d.importance >= -1e-9 && d.importance <= a.r_squared! + 1e-9);
        if (a.r_squared! > 1e-9) close(a.drivers.reduce((s, d) => s + d.share!, 0), 1, 1e-9, 'Σ shares');
      },
    ),
    { numRuns: 200 },
  );
});

test('a planted driver comes out on top, with intervals around it and the quadrants of the matrix', () => {
  const noise = normals(11);
  const rows: DriverRow[] = [];
  for (let i = 0; i < 600; i++) {
    const checkout = 3.5 + noise();
    const shipping = 3 + noise(); // the planted driver, and the weakest
    const support = 4 + noise();
    const returns = 3.2 + noise();
    rows.push({ outcome: 0.2 * checkout + 1.5 * shipping + 0.1 * support + 0.05 * returns + noise(), predictors: { checkout, shipping, support, returns } });
  }
  const a = keyDrivers(rows, ['checkout', 'shipping', 'support', 'returns']);
  const top = a.drivers[0]!;
  assert.equal(top.name, 'shipping');
  assert.equal(top.rank, 1);
  assert.equal(top.quadrant, 'fix_first');
  assert.ok(top.importance_ci![0] <= top.importance && top.importance <= top.importance_ci![1]);
  assert.ok(top.importance_ci![0] > a.drivers[1]!.importance_ci![1], 'its interval is clear of the next one');
  assert.ok(top.share! > 0.8);
  assert.ok(top.performance_ci![0] < 3 && 3 < top.performance_ci![1], 'performance: the mean with its interval');
  assert.equal(a.drivers.find((d) => d.name === 'support')!.quadrant, 'monitor', 'unimportant and good');
  assert.equal(a.n, 600);
  assert.deepEqual(a.warnings, []);
  assert.deepEqual(keyDrivers(rows, ['checkout', 'shipping', 'support', 'returns']), a, 'the same seed gives the same intervals');
  assert.notDeepEqual(keyDrivers(rows, ['checkout', 'shipping', 'support', 'returns'], { seed: 2 }).r_squared_ci, a.r_squared_ci);
});

test('listwise: rows missing a predictor are left out and counted; small n and constants are warned of', () => {
  const rows: DriverRow[] = [];
  for (let i = 0; i < 30; i++) rows.push({ outcome: i % 7, predictors: { a: i % 5, b: i % 3, c: 4 } });
  for (let i = 0; i < 40; i++) rows.push({ outcome: i % 7, predictors: { a: i % 5, b: null, c: 4 } });
  rows.push({ outcome: null, predictors: { a: 1, b: 1, c: 4 } });
  const a = keyDrivers(rows, ['a', 'b', 'c'], { resamples: 10 });
  assert.equal(a.n, 30);
  assert.equal(a.excluded, 41);
  assert.deepEqual(a.warnings.filter((w) => w.code !== 'weak_model'), [
    { code: 'many_excluded', excluded: 41, total: 71 },
    { code: 'small_n', n: 30, needed: 50 },
    { code: 'constant', names: ['c'] },
  ]);
  assert.equal(a.drivers.find((d) => d.name === 'c')!.importance, 0);
  // (i mod 7) on (i mod 5) and (i mod 3) over 30 rows: R² 0.014, nothing to rank.
  assert.deepEqual(a.warnings.find((w) => w.code === 'weak_model'), { code: 'weak_model', r_squared: a.r_squared });
  assert.ok(a.r_squared! < 0.05);
  const tiny = keyDrivers(rows.slice(0, 4), ['a', 'b', 'c']);
  assert.deepEqual(tiny.drivers, []);
  assert.deepEqual(tiny.warnings, [{ code: 'too_few_rows', n: 4 }]);
  assert.throws(() => keyDrivers(rows, Array.from({ length: 13 }, (_, i) => `q${i}`)), KeyDriverError);
});

test('quadrants: at or above the median importance is important, below the median performance is weak', () => {
  assert.equal(quadrantOf(0.3, 50, 0.2, 60), 'fix_first');
  assert.equal(quadrantOf(0.2, 60, 0.2, 60), 'maintain');
  assert.equal(quadrantOf(0.1, 50, 0.2, 60), 'low_priority');
  assert.equal(quadrantOf(0.1, 70, 0.2, 60), 'monitor');
});

test('missing = mean: a row needs the outcome and one predictor; a missing one takes the mean and adds nothing', () => {
  // a is answered by every row, b by half; b's missing values take b's mean (2).
  const rows: DriverRow[] = [
    { outcome: 1, predictors: { a: 1, b: 1 } },
    { outcome: 2, predictors: { a: 2, b: 3 } },
    { outcome: 3, predictors: { a: 2 } },
    { outcome: 4, predictors: { a: 4, b: null } },
    { outcome: 5, predictors: {} },
    { outcome: null, predictors: { a: 1, b: 1 } },
  ];
  const a = keyDrivers(rows, ['a', 'b'], { missing: 'mean', resamples: 0 });
  assert.equal(a.missing, 'mean');
  assert.equal(a.n, 4);
  assert.equal(a.excluded, 2);
  assert.deepEqual(a.warnings.find((w) => w.code === 'imputed'), { code: 'imputed', share: 2 / 8 });
  const same = keyDrivers([
    { outcome: 1, predictors: { a: 1, b: 1 } },
    { outcome: 2, predictors: { a: 2, b: 3 } },
    { outcome: 3, predictors: { a: 2, b: 2 } },
    { outcome: 4, predictors: { a: 4, b: 2 } },
  ], ['a', 'b'], { resamples: 0 });
  close(a.r_squared!, same.r_squared!, 1e-12, 'the same as the imputed data listwise');
  const b = a.drivers.find((d) => d.name === 'b')!;
  assert.equal(b.n, 2, 'n: the rows that answered');
  assert.equal(b.performance, 2, 'performance from the answers, not the imputed values');
  assert.equal(keyDrivers(rows, ['a', 'b'], { resamples: 0 }).n, 2, 'listwise keeps the two complete rows');
});

test('many rows: an m-out-of-n bootstrap, its intervals rescaled by √(m/n), about as wide as the full one', () => {
  const noise = normals(5);
  const rows: DriverRow[] = [];
  for (let i = 0; i < 8000; i++) {
    const a = noise();
    const b = 0.5 * a + noise();
    const c = noise();
    rows.push({ outcome: a + 0.5 * b + 0.3 * c + 2 * noise(), predictors: { a, b, c } });
  }
  const full = keyDrivers(rows, ['a', 'b', 'c'], { resamples: 200, maxBootstrapRows: Infinity });
  const part = keyDrivers(rows, ['a', 'b', 'c'], { resamples: 200, maxBootstrapRows: 2000 });
  assert.equal(full.bootstrap_rows, 8000);
  assert.equal(part.bootstrap_rows, 2000);
  assert.equal(part.r_squared, full.r_squared, 'the estimates do not depend on the bootstrap');
  const width = (ci: readonly [number, number] | null) => ci![1] - ci![0];
  const pairs: Array<[string, readonly [number, number] | null, readonly [number, number] | null]> = [
    ['R²', full.r_squared_ci, part.r_squared_ci],
    ...full.drivers.map((d, i) => [d.name, d.importance_ci, part.drivers[i]!.importance_ci] as [string, readonly [number, number] | null, readonly [number, number] | null]),
  ];
  for (const [name, f, p] of pairs) {
    const ratio = width(p) / width(f);
    assert.ok(ratio > 0.7 && ratio < 1.4, `${name}: width ${width(p)} against ${width(f)}`);
  }
  for (const d of part.drivers) assert.ok(d.importance_ci![0] <= d.importance && d.importance <= d.importance_ci![1], d.name);
});
