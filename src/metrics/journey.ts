import { BUILTIN_TOUCHPOINTS } from '../domain/catalog.ts';

/**
 * The customer journey (docs/metrics.md#the-journey): touchpoints in the order a customer meets
 * them, and which step is the weakest. Pure: no I/O.
 */

/** A step needs at least this many answers to be ranked (as a change needs for its test). */
export const JOURNEY_MIN_N = 30;

/**
 * The journey's order: the workspace's own touchpoint positions (new workspaces get the built-in
 * order website → checkout → onboarding → support → shipping → returns → renewal → cancellation),
 * a built-in touchpoint without a position in its built-in place after those, and any other
 * touchpoint after all of them, alphabetically.
 */
export function orderTouchpoints(touchpoints: Iterable<string>, positions: ReadonlyMap<string, number | null> = new Map()): string[] {
  const builtin = BUILTIN_TOUCHPOINTS as readonly string[];
  const rank = (key: string): [number, number] => {
    const position = positions.get(key);
    if (position !== undefined && position !== null) return [0, position];
    const index = builtin.indexOf(key);
    return index >= 0 ? [1, index] : [2, 0];
  };
  return [...new Set(touchpoints)].sort((a, b) => {
    const [ga, pa] = rank(a);
    const [gb, pb] = rank(b);
    if (ga !== gb) return ga - gb;
    if (pa !== pb) return pa - pb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export interface StepScore {
  touchpoint: string;
  value: number | null;
  n: number;
  ci: [number, number] | null;
}

export interface WeakestStep {
  touchpoint: string;
  /** The score it is judged on: csat, else ces when fewer than two steps have enough CSAT answers. */
  metric: string;
  value: number;
  n: number;
  /** The best step of the same metric, for the comparison. */
  best: { touchpoint: string; value: number; n: number };
  /** Its interval lies wholly below the best step's: weaker beyond doubt, not only lowest. */
  separated: boolean;
}

/**
 * The weakest step of the journey: among the steps with at least `minN` answers, the one with the
 * lowest score (the earlier in the journey on a tie), judged on CSAT, or on CES when fewer than two
 * steps have enough CSAT answers. `separated` says whether its 95% interval lies wholly below the
 * best step's. Null with fewer than two steps to compare, or when every step scores the same.
 * `steps` must be in journey order.
 */
export function weakestStep(byMetric: Array<{ metric: string; steps: StepScore[] }>, minN = JOURNEY_MIN_N): WeakestStep | null {
  for (const { metric, steps } of byMetric) {
    const eligible = steps.filter((s): s is StepScore & { value: number } => s.value !== null && s.n >= minN);
    if (eligible.length < 2) continue;
    let weakest = eligible[0]!;
    let best = eligible[0]!;
    for (const step of eligible) {
      if (step.value < weakest.value) weakest = step;
      if (step.value > best.value) best = step;
    }
    if (weakest.value === best.value) return null;
    return {
      touchpoint: weakest.touchpoint,
      metric,
      value: weakest.value,
      n: weakest.n,
      best: { touchpoint: best.touchpoint, value: best.value, n: best.n },
      separated: weakest.ci !== null && best.ci !== null && weakest.ci[1] < best.ci[0],
    };
  }
  return null;
}
