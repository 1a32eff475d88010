import { medianFromSorted, type QuantileEstimate } from '../stats/median.ts';
import { wilsonInterval, type ProportionEstimate } from '../stats/proportion.ts';
import { scorePercent } from './scoring.ts';

/**
 * The closed-loop metrics (docs/metrics.md#closed-loop), from the cases opened in a window:
 *
 * - timeToClose: the median of resolved_at − opened_at in seconds over the RESOLVED cases, with
 *   its distribution-free interval. Cases still open are censored: they are not in the median
 *   (whose n counts resolved cases only) and are reported beside it as `censored`, with how many
 *   of them are already open longer than the median (`censoredLongerThanMedian`) — when that is
 *   large the median of the closed ones flatters the team.
 * - withinSla: x = resolved at or before due_at; n = resolved cases plus open cases already past
 *   their due date (they can no longer make it); open cases not yet due are left out (`pending`).
 * - recovery: per customer with a case, their EARLIEST case in the window; its answer is compared
 *   with the customer's next answer of the same kind (the first submitted after it), as shares of
 *   their scales (so 1–5 and 1–10 compare). x = next share strictly higher; n = customers who
 *   answered again; cases without a customer or without a later answer are left out
 *   (`awaiting` counts the customers with no later answer yet).
 */

export interface CaseRecord {
  id: number;
  customerId: string | null;
  score: number;
  scaleMin: number;
  scaleMax: number;
  answeredAt: Date;
  openedAt: Date;
  dueAt: Date;
  resolvedAt: Date | null;
  /** The customer's first answer of the same kind after this case's answer. */
  next: { score: number; scaleMin: number; scaleMax: number } | null;
}

export interface CaseMetrics {
  cases: number;
  timeToClose: QuantileEstimate & { censored: number; censoredLongerThanMedian: number };
  withinSla: ProportionEstimate & { pending: number };
  recovery: ProportionEstimate & { awaiting: number; anonymous: number };
}

export function caseMetrics(records: readonly CaseRecord[], now: Date): CaseMetrics {
  const durations: number[] = [];
  const openAges: number[] = [];
  let inSla = 0;
  let slaN = 0;
  let pending = 0;
  for (const c of records) {
    if (c.resolvedAt) {
      durations.push((c.resolvedAt.getTime() - c.openedAt.getTime()) / 1000);
      slaN += 1;
      if (c.resolvedAt.getTime() <= c.dueAt.getTime()) inSla += 1;
    } else {
      openAges.push((now.getTime() - c.openedAt.getTime()) / 1000);
      if (c.dueAt.getTime() < now.getTime()) slaN += 1;
      else pending += 1;
    }
  }
  durations.sort((a, b) => a - b);
  const median = medianFromSorted(durations);
  const censoredLongerThanMedian = median.estimate === null ? 0 : openAges.filter((age) => age > median.estimate!).length;

  const first = new Map<string, CaseRecord>();
  let anonymous = 0;
  for (const c of records) {
    if (c.customerId === null) {
      anonymous += 1;
      continue;
    }
    const seen = first.get(c.customerId);
    if (!seen || c.answeredAt < seen.answeredAt || (c.answeredAt.getTime() === seen.answeredAt.getTime() && c.id < seen.id)) first.set(c.customerId, c);
  }
  let recovered = 0;
  let answeredAgain = 0;
  let awaiting = 0;
  for (const c of first.values()) {
    if (!c.next) {
      awaiting += 1;
      continue;
    }
    answeredAgain += 1;
    if (scorePercent(c.next.score, c.next.scaleMin, c.next.scaleMax) > scorePercent(c.score, c.scaleMin, c.scaleMax)) recovered += 1;
  }
  return {
    cases: records.length,
    timeToClose: { ...median, censored: openAges.length, censoredLongerThanMedian },
    withinSla: { ...wilsonInterval(inSla, slaN), pending },
    recovery: { ...wilsonInterval(recovered, answeredAgain), awaiting, anonymous },
  };
}
