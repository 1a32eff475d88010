/**
 * Which way a metric's change is good news, for colouring changes and picking what to discuss:
 * one list for the dashboard and the monthly report.
 */

/** Metrics where a fall is good news. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['frt', 'frt_business', 'resolution_time', 'first_resolution_time', 'aht', 'cost_per_resolution', 'churn', 'reopen_rate']);
/** Metrics where neither direction is good or bad in itself. */
export const NEUTRAL: ReadonlySet<string> = new Set(['volume', 'intent', 'cohorts']);

export type Tone = 'good' | 'bad' | 'neutral';

export function toneOfChange(metric: string, delta: number): Tone {
  if (NEUTRAL.has(metric) || delta === 0) return 'neutral';
  return delta > 0 !== LOWER_IS_BETTER.has(metric) ? 'good' : 'bad';
}
