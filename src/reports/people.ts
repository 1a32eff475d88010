import type { Period } from '../metrics/dimensions.ts';
import { MIN_EMPLOYEE_ANSWERS } from '../metrics/confidentiality.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { metricReport, type MetricResult } from './metric-report.ts';

/**
 * The People page: employees' ESAT and eNPS by team over time beside what the same teams'
 * customers say (CSAT; NPS when its answers name the agent who served), all through
 * metricReport — which already hides every employee value from fewer than
 * MIN_EMPLOYEE_ANSWERS answers. A customer's answer belongs to the team of its agent.
 */

export const PEOPLE_PERIODS = ['quarter', 'month'] as const satisfies readonly Period[];

export interface PeopleReport {
  workspace: string;
  timezone: string;
  period: Period;
  from: string | null;
  to: string | null;
  minAnswers: number;
  teams: Array<{ id: string; name: string | null }>;
  /** By period and team, and by period for the whole company. */
  esat: MetricResult;
  enps: MetricResult;
  esatTotal: MetricResult;
  enpsTotal: MetricResult;
  /** By team over the whole range, and the range's totals (key {}). */
  esatByTeam: MetricResult;
  enpsByTeam: MetricResult;
  csatByTeam: MetricResult;
  npsByTeam: MetricResult;
  /** CSAT by period and team, to read each period's employee scores beside the customers'. */
  csat: MetricResult;
}

export async function peopleReport(db: Database, workspace: Workspace, request: { period: Period; from?: string; to?: string }): Promise<PeopleReport> {
  const range = { from: request.from, to: request.to };
  const report = (metric: string, by: string[]) => metricReport(db, workspace, { metric, by, ...range });
  const [esat, enps, esatTotal, enpsTotal, esatByTeam, enpsByTeam, csatByTeam, npsByTeam, csat, teams] = await Promise.all([
    report('esat', [request.period, 'team']),
    report('enps', [request.period, 'team']),
    report('esat', [request.period]),
    report('enps', [request.period]),
    report('esat', ['team']),
    report('enps', ['team']),
    report('csat', ['team']),
    report('nps', ['team']),
    report('csat', [request.period, 'team']),
    db.query<{ id: string; name: string | null }>('SELECT id, name FROM teams WHERE workspace_id = $1 ORDER BY coalesce(name, id), id', [workspace.id]),
  ]);
  return {
    workspace: workspace.name,
    timezone: workspace.timezone,
    period: request.period,
    from: request.from ?? null,
    to: request.to ?? null,
    minAnswers: MIN_EMPLOYEE_ANSWERS,
    teams,
    esat,
    enps,
    esatTotal,
    enpsTotal,
    esatByTeam,
    enpsByTeam,
    csatByTeam,
    npsByTeam,
    csat,
  };
}
