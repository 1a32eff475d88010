import { DateTime } from 'luxon';
import { isLocale, translator, type Locale } from '../i18n/index.ts';
import { monthlyReport, previousMonthOf } from '../reports/monthly.ts';
import { monthName, renderMonthlyReportHtml } from '../reports/monthly-html.ts';
import { htmlToPdf } from '../reports/monthly-pdf.ts';
import type { Database } from '../storage/database.ts';
import { enqueueJob, type Job, type JobHandler } from '../storage/jobs.ts';
import type { Workspace } from '../storage/workspaces.ts';
import type { Mailer } from './mailer.ts';

/**
 * The monthly report by e-mail (docs/reports.md#by-e-mail). A workspace's schedule lives in its
 * settings (`settings.monthlyReport`: recipients, language, day of the month). On that day at
 * 07:00 in the workspace's time zone a `send_monthly_report` job sends the previous month's
 * report as an HTML e-mail with the PDF attached, in one message to every recipient.
 *
 * Sent once per workspace and month: the job's dedupe key is the month, so however often the
 * schedule is saved or the server restarts, each month has one job, and a done job is never
 * queued again. Each job queues the next month's first, before it sends, so the chain goes on
 * even when a send keeps failing. (A crash after the SMTP server accepted the message but before
 * the job was marked done would retry it: SMTP gives no way to make that window zero.)
 */

export const SEND_MONTHLY_REPORT = 'send_monthly_report';
/** Local time the report is sent on its day. */
export const SEND_HOUR = 7;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export interface MonthlyReportSchedule {
  recipients: string[];
  language: Locale;
  /** Day of the month it is sent (1–28, so every month has it). */
  day: number;
}

export class ScheduleError extends Error {}

/** Validates a schedule as people write it; throws ScheduleError with what to fix. */
export function parseSchedule(input: { recipients: string[]; language: string; day: number }): MonthlyReportSchedule {
  const recipients = [...new Set(input.recipients.map((r) => r.trim()).filter(Boolean))];
  if (recipients.length === 0) throw new ScheduleError('give at least one recipient e-mail address');
  if (recipients.length > 50) throw new ScheduleError('at most 50 recipients');
  const bad = recipients.find((r) => !EMAIL.test(r));
  if (bad) throw new ScheduleError(`"${bad}" is not an e-mail address`);
  if (!isLocale(input.language)) throw new ScheduleError(`language must be one of en, ar, lt, not "${input.language}"`);
  if (!Number.isInteger(input.day) || input.day < 1 || input.day > 28) throw new ScheduleError(`day must be a day of the month from 1 to 28 (every month has it), not "${input.day}"`);
  return { recipients, language: input.language, day: input.day };
}

/** The schedule saved in a workspace's settings, or null when it has none. */
export function scheduleOf(settings: Record<string, unknown>): MonthlyReportSchedule | null {
  const raw = (settings as { monthlyReport?: unknown }).monthlyReport;
  if (!raw || typeof raw !== 'object') return null;
  try {
    return parseSchedule(raw as MonthlyReportSchedule);
  } catch {
    return null;
  }
}

/** When the report of `month` (YYYY-MM) is due: `day` of the next month, 07:00 in `zone`. */
export function dueAt(month: string, day: number, zone: string): Date {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone }).plus({ months: 1 }).set({ day, hour: SEND_HOUR }).toJSDate();
}

/** The first report still to come after `now`: its month and when it is due. */
export function nextReport(day: number, zone: string, now: Date): { month: string; runAt: Date } {
  const thisMonth = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM');
  const lastMonth = previousMonthOf(thisMonth);
  const runAt = dueAt(lastMonth, day, zone);
  return runAt.getTime() >= now.getTime() ? { month: lastMonth, runAt } : { month: thisMonth, runAt: dueAt(thisMonth, day, zone) };
}

/** Queues the report of `month` (a no-op when that month has a job already, done or not). */
function queueMonth(db: Database, workspace: Pick<Workspace, 'id'>, month: string, runAt: Date) {
  return db.transaction((tx) => enqueueJob(tx, workspace.id, { kind: SEND_MONTHLY_REPORT, payload: { month }, runAt, dedupeKey: month, maxAttempts: 12 }));
}

/**
 * Saves (or with null removes) a workspace's schedule and queues its next report. Jobs still
 * waiting are dropped first, so a new day takes effect; sent ones stay and keep their month from
 * being sent again.
 */
export async function setMonthlyReportSchedule(db: Database, workspace: Workspace, schedule: MonthlyReportSchedule | null, now = new Date()): Promise<{ month: string; runAt: Date } | null> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE workspaces SET settings = CASE WHEN $2::jsonb IS NULL THEN settings - 'monthlyReport' ELSE settings || jsonb_build_object('monthlyReport', $2::jsonb) END WHERE id = $1`,
      [workspace.id, schedule ? JSON.stringify(schedule) : null],
    );
    await tx.query(`DELETE FROM jobs WHERE workspace_id = $1 AND kind = $2 AND status = 'queued'`, [workspace.id, SEND_MONTHLY_REPORT]);
  });
  if (!schedule) return null;
  const next = nextReport(schedule.day, workspace.timezone, now);
  if ((await queueMonth(db, workspace, next.month, next.runAt)) !== undefined) return next;
  // That month was sent already (its job is done): the one after it is next.
  const following = DateTime.fromFormat(next.month, 'yyyy-MM', { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');
  const runAt = dueAt(following, schedule.day, workspace.timezone);
  await queueMonth(db, workspace, following, runAt);
  return { month: following, runAt };
}

export interface MonthlyReportDeps {
  db: Database;
  mailer: Mailer;
  /** HTML → PDF; default headless Chromium (reports/monthly-pdf.ts). */
  pdf?: (html: string) => Promise<Buffer>;
}

export function sendMonthlyReportHandler({ db, mailer, pdf = htmlToPdf }: MonthlyReportDeps): JobHandler {
  return async (job: Job) => {
    const month = String(job.payload.month ?? '');
    const [workspace] = await db.query<Workspace>('SELECT id, name, timezone, settings FROM workspaces WHERE id = $1', [job.workspaceId]);
    if (!workspace) return { status: 'skipped', result: 'workspace_not_found' };
    const settings = typeof workspace.settings === 'string' ? (JSON.parse(workspace.settings) as Record<string, unknown>) : workspace.settings;
    const schedule = scheduleOf(settings);
    if (!schedule) return { status: 'skipped', result: 'no_schedule: the workspace no longer has a monthly report schedule' };
    // The next month's job first: the chain continues even if this send keeps failing.
    const following = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');
    await queueMonth(db, workspace, following, dueAt(following, schedule.day, workspace.timezone));

    const report = await monthlyReport(db, { ...workspace, settings }, { month });
    const html = renderMonthlyReportHtml(report, schedule.language);
    const attachment = await pdf(html);
    const t = translator(schedule.language);
    const name = monthName(month, schedule.language);
    const sent = await mailer.send({
      to: schedule.recipients.join(', '),
      subject: t('monthly.email.subject', { month: name, workspace: workspace.name }),
      html,
      text: `${t('monthly.title', { month: name })}\n\n${t('monthly.email.attached')}`,
      attachments: [{ filename: `sada-${workspace.name}-${month}-${schedule.language}.pdf`, content: attachment, contentType: 'application/pdf' }],
    });
    return { status: 'done', result: `sent ${sent.messageId} to ${schedule.recipients.length}`.trim() };
  };
}
