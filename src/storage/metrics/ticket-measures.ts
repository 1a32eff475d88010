/**
 * What each support metric counts, as SQL over `tickets t`: the timestamp that places a ticket in
 * a period, which tickets count, and the duration or the success condition. The raw queries and
 * the rollups both read these, so a metric has one definition (docs/metrics.md) in SQL too.
 */

export interface TicketMeasure {
  /** Column that places a ticket in a period. */
  anchor: 'created_at' | 'resolved_at';
  /** Which tickets are in the population. */
  population: string;
  /** Seconds measured, for duration metrics. */
  seconds?: string;
  /** Which tickets of the population succeed, for rates. */
  success?: string;
  /**
   * A money amount summed over the population, for means (cost per resolution); may be NULL,
   * and reads the ticket's agent as `e` (employees).
   */
  amount?: string;
}

/** Resolved, and not merged into another ticket. */
export const RESOLVED = 't.resolved_at IS NOT NULL AND t.merged_into IS NULL';

const ONE_CONTACT = 'CASE WHEN t.customer_contact_count IS NOT NULL THEN t.customer_contact_count <= 1 ELSE t.agent_reply_count <= 1 END';

export const TICKET_MEASURES = {
  volume: { anchor: 'created_at', population: 'true' },
  // After a bot hand-off the wait for a person starts at the hand-off.
  frt: {
    anchor: 'created_at',
    population: 't.first_response_at IS NOT NULL',
    seconds: 'extract(epoch FROM t.first_response_at - greatest(t.created_at, least(coalesce(t.handoff_at, t.created_at), t.first_response_at)))',
  },
  aht: { anchor: 'created_at', population: 't.handle_seconds > 0', seconds: 't.handle_seconds' },
  resolution_time: { anchor: 'resolved_at', population: RESOLVED, seconds: 'extract(epoch FROM t.resolved_at - t.created_at)' },
  first_resolution_time: {
    anchor: 'resolved_at',
    population: RESOLVED,
    seconds: 'extract(epoch FROM coalesce(t.first_resolved_at, t.resolved_at) - t.created_at)',
  },
  reopen_rate: { anchor: 'resolved_at', population: RESOLVED, success: 'coalesce(t.reopen_count, 0) > 0' },
  fcr: {
    anchor: 'resolved_at',
    population: `${RESOLVED} AND (t.customer_contact_count IS NOT NULL OR t.agent_reply_count IS NOT NULL)`,
    success: `${ONE_CONTACT} AND coalesce(t.reopen_count, 0) = 0`,
  },
  cost_per_resolution: { anchor: 'resolved_at', population: RESOLVED, amount: 'coalesce(t.cost, t.handle_seconds * e.hourly_cost / 3600.0)' },
} as const satisfies Record<string, TicketMeasure>;

export type TicketMeasureName = keyof typeof TICKET_MEASURES;
export const TICKET_MEASURE_NAMES = Object.keys(TICKET_MEASURES) as TicketMeasureName[];

export function ticketMeasure(name: TicketMeasureName): TicketMeasure {
  return TICKET_MEASURES[name];
}

/** The measures of a duration (medians and p90 from histograms). */
export const DURATION_MEASURE_NAMES: readonly TicketMeasureName[] = TICKET_MEASURE_NAMES.filter((name) => ticketMeasure(name).seconds !== undefined);

export function isDurationMeasure(name: string): name is TicketMeasureName {
  return (DURATION_MEASURE_NAMES as readonly string[]).includes(name);
}

/**
 * frt_business's seconds: the first-response wait (from the bot hand-off, as `frt`) counted only
 * inside the workspace's opening hours. `param` adds a query parameter and returns its placeholder.
 */
export function businessFrtSecondsSql(param: (value: unknown) => string, zone: string, hours: { days: number[]; opens: string; closes: string }): string {
  return `sada_business_seconds(greatest(t.created_at, least(coalesce(t.handoff_at, t.created_at), t.first_response_at)), t.first_response_at, ${param(zone)}, ${param(hours.days)}::integer[], ${param(hours.opens)}::time, ${param(hours.closes)}::time)`;
}
