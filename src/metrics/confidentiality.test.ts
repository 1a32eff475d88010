import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricGroup } from './compute.ts';
import { suppressSmallGroups } from './confidentiality.ts';

const group = (quarter: string, team: string, n: number, value: number, extra: Partial<MetricGroup> = {}): MetricGroup => ({
  key: { quarter, team },
  value,
  n,
  ci: [value - 10, value + 10],
  positive: Math.round((value / 100) * n),
  ...extra,
});

test('a group with fewer than 5 answers keeps its n and loses its value, interval and details', () => {
  const [small, big, other] = suppressSmallGroups(
    [group('2026-Q1', 'a', 4, 75), group('2026-Q1', 'b', 20, 60), group('2026-Q1', 'c', 30, 50)],
    { periodKey: 'quarter' },
  );
  assert.deepEqual(small, { key: { quarter: '2026-Q1', team: 'a' }, n: 4, value: null, ci: null, suppressed: true });
  // Complementary: b (the smallest other team, 20 < 30) is hidden too, so a = total − b − c cannot be computed.
  assert.deepEqual(big, { key: { quarter: '2026-Q1', team: 'b' }, n: 20, value: null, ci: null, suppressed: true });
  assert.equal(other!.value, 50);
  assert.equal(other!.positive, 15);
});

test('two small groups in a period hide each other; periods are separate partitions', () => {
  const result = suppressSmallGroups(
    [group('2026-Q1', 'a', 3, 100), group('2026-Q1', 'b', 2, 0), group('2026-Q1', 'c', 9, 50), group('2026-Q2', 'a', 5, 80), group('2026-Q2', 'b', 6, 50)],
    { periodKey: 'quarter' },
  );
  assert.deepEqual(result.map((g) => g.value), [null, null, 50, 80, 50], 'exactly 5 answers is shown; c stays since two are hidden already');
});

test('a change against a hidden period is dropped; exactly five answers is enough', () => {
  const change = { from: '2026-Q1', delta: 30, ci: null, pValue: 0.2, significant: false, smallSample: true };
  const result = suppressSmallGroups([group('2026-Q1', 'a', 4, 50), group('2026-Q2', 'a', 5, 80, { change })], { periodKey: 'quarter' });
  assert.equal(result[1]!.value, 80);
  assert.equal(result[1]!.change, undefined);
  const kept = suppressSmallGroups([group('2026-Q1', 'a', 5, 50), group('2026-Q2', 'a', 7, 80, { change })], { periodKey: 'quarter' });
  assert.deepEqual(kept[1]!.change, change);
});

test('without a period every group is one partition; a lone small total is hidden', () => {
  assert.deepEqual(suppressSmallGroups([{ key: {}, value: 100, n: 1, ci: null }]), [{ key: {}, n: 1, value: null, ci: null, suppressed: true }]);
  const teams = suppressSmallGroups([{ key: { team: 'x' }, value: 1, n: 1, ci: null }, { key: { team: 'y' }, value: 2, n: 8, ci: null }, { key: { team: 'z' }, value: 3, n: 6, ci: null }]);
  assert.deepEqual(teams.map((g) => g.value), [null, 2, null]);
});
