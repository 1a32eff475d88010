import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decompose, poolSmallGroups, type GroupStat } from './decompose.ts';

test('a hand-computed case: CSAT by touchpoint', () => {
  // Before: shipping 100 answers at 80 %, website 100 at 60 % → 70 %.
  // After:  shipping 300 answers at 50 %, website 100 at 60 % → 52.5 %.
  const d = decompose(
    [{ group: 'shipping', value: 80, n: 100 }, { group: 'website', value: 60, n: 100 }],
    [{ group: 'shipping', value: 50, n: 300 }, { group: 'website', value: 60, n: 100 }],
  )!;
  assert.equal(d.valueFrom, 70);
  assert.equal(d.valueTo, 52.5);
  assert.equal(d.change, -17.5);
  const shipping = d.contributions.find((c) => c.group === 'shipping')!;
  // mix = (0.75 − 0.5) × (80 + 50) / 2 = 16.25; rate = (50 − 80) × (0.5 + 0.75) / 2 = −18.75
  assert.equal(shipping.mixEffect, 16.25);
  assert.equal(shipping.rateEffect, -18.75);
  assert.equal(shipping.total, -2.5);
  const website = d.contributions.find((c) => c.group === 'website')!;
  // mix = (0.25 − 0.5) × 60 = −15; rate 0
  assert.equal(website.mixEffect, -15);
  assert.equal(website.rateEffect, 0);
  assert.equal(d.contributions[0]!.group, 'website', 'sorted by the size of the contribution');
});

test('a group that appears or disappears contributes through mix only', () => {
  const d = decompose([{ group: 'a', value: 50, n: 10 }], [{ group: 'a', value: 50, n: 10 }, { group: 'b', value: 100, n: 10 }])!;
  assert.equal(d.change, 25);
  const b = d.contributions.find((c) => c.group === 'b')!;
  assert.equal(b.rateEffect, 0);
  assert.equal(b.mixEffect, 50);
  assert.equal(b.valueFrom, null);
  assert.equal(d.contributions.find((c) => c.group === 'a')!.mixEffect, -25);
});

test('nothing to decompose when a period has no answers', () => {
  assert.equal(decompose([], [{ group: 'a', value: 1, n: 1 }]), undefined);
  assert.equal(decompose([{ group: 'a', value: null, n: 0 }], [{ group: 'a', value: 1, n: 1 }]), undefined);
});

const groupsArbitrary = fc.uniqueArray(
  fc.record({ group: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), value: fc.double({ min: -100, max: 100, noNaN: true }), n: fc.integer({ min: 1, max: 5000 }) }),
  { selector: (g) => g.group, minLength: 1, maxLength: 6 },
);

test('the effects add up to the total change, whatever the groups (property)', () => {
  fc.assert(
    fc.property(groupsArbitrary, groupsArbitrary, (before: GroupStat[], after: GroupStat[]) => {
      const d = decompose(before, after)!;
      const sum = d.contributions.reduce((t, c) => t + c.mixEffect + c.rateEffect, 0);
      const scale = Math.max(1, Math.abs(d.valueFrom), Math.abs(d.valueTo));
      assert.ok(Math.abs(sum - d.change) <= 1e-9 * scale, `Σ effects ${sum} = change ${d.change}`);
      for (const c of d.contributions) assert.ok(Math.abs(c.mixEffect + c.rateEffect - c.total) <= 1e-12 * scale);
    }),
  );
});

test('pooling small groups keeps the sum and the overall values', () => {
  fc.assert(
    fc.property(groupsArbitrary, groupsArbitrary, fc.integer({ min: 1, max: 3000 }), (before: GroupStat[], after: GroupStat[], minN: number) => {
      const plain = decompose(before, after)!;
      const [b, a] = poolSmallGroups(before, after, minN, 'other');
      const pooled = decompose(b, a)!;
      const scale = Math.max(1, Math.abs(plain.valueFrom), Math.abs(plain.valueTo));
      assert.ok(Math.abs(pooled.change - plain.change) <= 1e-9 * scale);
      for (const c of pooled.contributions) if (c.group !== 'other') assert.ok(c.nFrom >= minN || c.nTo >= minN);
    }),
  );
});
