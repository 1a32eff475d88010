import { businessHoursOf } from '../domain/workspace.ts';
import type { Database } from './database.ts';
import type { Workspace } from './workspaces.ts';

/**
 * Some exports carry the tool's own computed figures (Zendesk's reply and resolution minutes,
 * Intercom's seconds to the first reply). An import keeps them as attributes beside the
 * timestamps Sada computes its metrics from; a check compares the two, ticket by ticket, and
 * says how often they disagree instead of hiding one of them.
 */
export interface FigureCheck {
  /** The tool's figure in a sentence: "Zendesk's first reply time". */
  label: string;
  /** The ticket attribute that holds it. */
  attribute: string;
  unit: 'seconds' | 'minutes' | 'hours';
  /** Sada's own duration from the ticket's timestamps, from created_at to … */
  against: 'first_response' | 'resolution' | 'first_resolution';
  /** Count only the workspace's opening hours (the tool's business-hours figure). */
  business?: boolean;
  /** Differences up to this many seconds agree (the tool rounds to whole minutes); default 60. */
  toleranceSeconds?: number;
}

export interface FigureComparison {
  label: string;
  attribute: string;
  business: boolean;
  toleranceSeconds: number;
  /** Tickets that have both the tool's figure and Sada's timestamps. */
  compared: number;
  disagreed: number;
  /** Ids of the tickets that disagree most (at most five). */
  examples: string[];
}

const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600 } as const;
const END = {
  first_response: 't.first_response_at',
  resolution: 't.resolved_at',
  first_resolution: 'coalesce(t.first_resolved_at, t.resolved_at)',
} as const;

/** Runs the checks over every ticket of the workspace that carries the figure. */
export async function compareFigures(db: Database, workspace: Workspace, checks: readonly FigureCheck[]): Promise<FigureComparison[]> {
  const hours = businessHoursOf(workspace.settings);
  const results: FigureComparison[] = [];
  for (const check of checks) {
    const end = END[check.against];
    const tolerance = check.toleranceSeconds ?? 60;
    const ours = check.business
      ? `sada_business_seconds(t.created_at, ${end}, $4::text, $5::integer[], $6::time, $7::time)`
      : `extract(epoch FROM ${end} - t.created_at)::double precision`;
    const params: unknown[] = [workspace.id, check.attribute, UNIT_SECONDS[check.unit]];
    if (check.business) params.push(workspace.timezone, hours.days, hours.opens, hours.closes);
    const [row] = await db.query<{ compared: number; disagreed: number; examples: string[] | null }>(
      `SELECT count(*)::integer AS compared,
              count(*) FILTER (WHERE abs(theirs - ours) > ${Number(tolerance)})::integer AS disagreed,
              (array_agg(id ORDER BY abs(theirs - ours) DESC, id) FILTER (WHERE abs(theirs - ours) > ${Number(tolerance)}))[1:5] AS examples
       FROM (
         SELECT t.id, (t.attributes ->> $2)::double precision * $3 AS theirs, ${ours} AS ours
         FROM tickets t
         WHERE t.workspace_id = $1 AND jsonb_typeof(t.attributes -> $2) = 'number' AND ${end} >= t.created_at
       ) AS pairs`,
      params,
    );
    results.push({
      label: check.label,
      attribute: check.attribute,
      business: check.business === true,
      toleranceSeconds: tolerance,
      compared: row?.compared ?? 0,
      disagreed: row?.disagreed ?? 0,
      examples: row?.examples ?? [],
    });
  }
  return results;
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * "Zendesk's first reply time disagrees with the timestamps for 3 of 50 tickets (more than 1
 * minute), e.g. 160, 12, 7 (attribute zendesk_reply_time_calendar_minutes)"; undefined when all agree.
 */
export function disagreementWarning(comparison: FigureComparison, workspace: Workspace): string | undefined {
  if (comparison.disagreed === 0) return undefined;
  const seconds = comparison.toleranceSeconds;
  const tolerance = seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} s`;
  const hours = businessHoursOf(workspace.settings);
  const against = comparison.business
    ? `the timestamps counted in the workspace's opening hours (${hours.days.map((d) => DAY_NAMES[d] ?? d).join(',')} ${hours.opens}–${hours.closes} ${workspace.timezone}; set workspaces.settings.businessHours to the tool's schedule if it differs)`
    : 'the timestamps';
  return `${comparison.label} disagrees with ${against} for ${comparison.disagreed} of ${comparison.compared} tickets (more than ${tolerance}), e.g. ${comparison.examples.join(', ')} (attribute ${comparison.attribute})`;
}
