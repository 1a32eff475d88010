import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderTouchpoints, weakestStep, type StepScore } from './journey.ts';

test('touchpoints in journey order: the workspace\'s positions, then built-ins, then the rest alphabetically', () => {
  const shuffled = ['renewal', 'zeta', 'support', 'website', 'alpha', 'cancellation', 'returns', 'checkout', 'shipping', 'onboarding'];
  assert.deepEqual(orderTouchpoints(shuffled), [
    'website', 'checkout', 'onboarding', 'support', 'shipping', 'returns', 'renewal', 'cancellation', 'alpha', 'zeta',
  ]);
  // A workspace that moved support first and placed its own "in-store" step second.
  const positions = new Map<string, number | null>([['support', 0], ['in-store', 1], ['website', 2], ['workplace', null]]);
  assert.deepEqual(orderTouchpoints(['website', 'checkout', 'in-store', 'support', 'workplace', 'returns'], positions), [
    'support', 'in-store', 'website', 'checkout', 'returns', 'workplace',
  ]);
  assert.deepEqual(orderTouchpoints(['b', 'a', 'b']), ['a', 'b'], 'each once');
});

const step = (touchpoint: string, value: number | null, n: number, ci: [number, number] | null): StepScore => ({ touchpoint, value, n, ci });

test('the weakest step: the lowest score among steps with enough answers, separated when its interval is below the best\'s', () => {
  const steps = [
    step('website', 90, 200, [85.1, 93.5]),
    step('checkout', 70, 100, [60.4, 78.1]), // lowest with enough n; 78.1 < 85.1: separated
    step('returns', 20, 10, [5.7, 51]), // lower still, but 10 answers: not ranked
    step('renewal', null, 0, null),
  ];
  assert.deepEqual(weakestStep([{ metric: 'csat', steps }]), {
    touchpoint: 'checkout',
    metric: 'csat',
    value: 70,
    n: 100,
    best: { touchpoint: 'website', value: 90, n: 200 },
    separated: true,
  });
  // Overlapping intervals: still the lowest, but not beyond doubt.
  const close = [step('website', 80, 40, [65, 89.5]), step('checkout', 75, 40, [59.8, 85.8])];
  assert.equal(weakestStep([{ metric: 'csat', steps: close }])!.separated, false);
  assert.equal(weakestStep([{ metric: 'csat', steps: close }])!.touchpoint, 'checkout');
  // The threshold is inclusive, and can be lowered.
  assert.equal(weakestStep([{ metric: 'csat', steps: [step('a', 50, 30, null), step('b', 60, 30, null)] }])!.touchpoint, 'a');
  assert.equal(weakestStep([{ metric: 'csat', steps }], 10)!.touchpoint, 'returns');
});

test('ties go to the earlier step; all equal or fewer than two steps: no weakest; CES stands in when CSAT cannot', () => {
  const tie = [step('website', 80, 50, null), step('checkout', 70, 50, null), step('support', 70, 50, null)];
  assert.equal(weakestStep([{ metric: 'csat', steps: tie }])!.touchpoint, 'checkout');
  assert.equal(weakestStep([{ metric: 'csat', steps: [step('a', 70, 50, null), step('b', 70, 60, null)] }]), null);
  assert.equal(weakestStep([{ metric: 'csat', steps: [step('a', 70, 50, null), step('b', 60, 5, null)] }]), null);
  assert.equal(weakestStep([]), null);
  const byCes = weakestStep([
    { metric: 'csat', steps: [step('website', 80, 100, null), step('checkout', 40, 12, null)] },
    { metric: 'ces', steps: [step('checkout', 60, 35, [43.6, 74.4]), step('support', 85, 40, [70.9, 92.9])] },
  ]);
  assert.equal(byCes!.metric, 'ces');
  assert.equal(byCes!.touchpoint, 'checkout');
  assert.equal(byCes!.separated, false, '74.4 is not below 70.9');
});
