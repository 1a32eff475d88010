import { DateTime } from 'luxon';
import type { Database } from '../storage/database.ts';
import { latestActivity } from '../storage/metrics/activity.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { ReportError } from './metric-report.ts';

/**
 * The last `months` whole calendar months of a workspace's data, in its time zone: the month of
 * its latest activity and the ones before. The retention and customer-profile pages read their
 * metrics over it, so a workspace whose data stops last spring still shows last spring.
 */
export interface MonthWindow {
  months: number;
  /** YYYY-MM-DD, first day of the first month. */
  from: string;
  /** YYYY-MM-DD, last day of the last month. */
  to: string;
  /** YYYY-MM of the last month. */
  lastMonth: string;
}

export const WINDOW_MONTHS = [3, 6, 12, 24] as const;

export function parseMonths(text: string | undefined, fallback = 12): number {
  if (text === undefined || text === '') return fallback;
  const months = Number(text);
  if (!(WINDOW_MONTHS as readonly number[]).includes(months)) throw new ReportError(`months must be one of ${WINDOW_MONTHS.join(', ')}, not "${text}"`);
  return months;
}

export async function monthWindow(db: Database, workspace: Workspace, months: number): Promise<MonthWindow> {
  const latest = await latestActivity(db, workspace.id);
  const last = (latest ? DateTime.fromJSDate(latest, { zone: workspace.timezone }) : DateTime.now().setZone(workspace.timezone)).startOf('month');
  return {
    months,
    from: last.minus({ months: months - 1 }).toISODate()!,
    to: last.endOf('month').toISODate()!,
    lastMonth: last.toFormat('yyyy-MM'),
  };
}
