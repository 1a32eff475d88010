import assert from 'node:assert/strict';

/** Asserts |actual − expected| ≤ tolerance (absolute), with a readable message. */
export function assertClose(actual: number | null | undefined, expected: number, tolerance = 1e-9, label = ''): void {
  assert.ok(typeof actual === 'number' && Number.isFinite(actual), `${label} expected a finite number, got ${actual}`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label} expected ${expected} ± ${tolerance}, got ${actual} (off by ${Math.abs(actual - expected)})`,
  );
}

/** Asserts an interval is present and close to [lo, hi]. */
export function assertInterval(
  actual: readonly [number, number] | null | undefined,
  expected: readonly [number, number],
  tolerance = 1e-9,
  label = '',
): void {
  assert.ok(actual, `${label} expected an interval, got ${actual}`);
  assertClose(actual[0], expected[0], tolerance, `${label} lower bound`);
  assertClose(actual[1], expected[1], tolerance, `${label} upper bound`);
}

/** Asserts that no value anywhere in a (JSON-like) result is NaN or ±Infinity. */
export function assertNaNFree(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => assertNaNFree(item, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) assertNaNFree(item, `${path}.${key}`);
  }
}
