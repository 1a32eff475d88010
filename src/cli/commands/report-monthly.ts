import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { isLocale, LOCALES, type Locale } from '../../i18n/index.ts';
import { parseSchedule, ScheduleError, scheduleOf, setMonthlyReportSchedule } from '../../jobs/send-monthly-report.ts';
import { MONTH, monthlyReport } from '../../reports/monthly.ts';
import { renderMonthlyReportHtml } from '../../reports/monthly-html.ts';
import { htmlToPdf, PdfUnavailable } from '../../reports/monthly-pdf.ts';
import { findWorkspace } from '../../storage/workspaces.ts';
import { UserError, withDatabase, workspaceOption } from '../context.ts';

/**
 * `sada report monthly` (the monthly CX report as a printable HTML page or an A4 PDF) and
 * `sada report schedule` (send it by e-mail every month). docs/reports.md.
 */

export const REPORT_FORMATS = ['html', 'pdf'] as const;

interface MonthlyOptions {
  month?: string;
  lang?: string;
  format?: string;
  out?: string;
  workspace?: string;
}

function checkLang(lang: string | undefined): Locale {
  if (!lang || !isLocale(lang)) throw new UserError(`--lang must be one of ${LOCALES.join(', ')}${lang ? `, not "${lang}"` : ''}`);
  return lang;
}

export const monthlyCommand = new Command('monthly')
  .description('The monthly CX report: headline KPIs with intervals and tested changes, what changed and why, quotes, the journey, support, retention and an agenda for the meeting')
  .option('--month <YYYY-MM>', 'the month to report, e.g. 2026-10')
  .option('--lang <locale>', `language: ${LOCALES.join(', ')} (Arabic is laid out right to left)`)
  .option('--format <format>', `${REPORT_FORMATS.join(' or ')} (pdf prints the page through headless Chromium, A4)`)
  .option('--out <file>', 'where to write it')
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .action(async (options: MonthlyOptions) => {
    if (!options.month || !MONTH.test(options.month)) throw new UserError(`--month must be a calendar month written YYYY-MM (e.g. 2026-10)${options.month ? `, not "${options.month}"` : ''}`);
    const locale = checkLang(options.lang);
    const format = options.format ?? '';
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format must be ${REPORT_FORMATS.join(' or ')}${format ? `, not "${format}"` : ''}`);
    if (!options.out) throw new UserError('--out must name the file to write, e.g. --out report.pdf');
    const html = await withDatabase('report monthly', async (context) => {
      const name = workspaceOption(options.workspace, context.config);
      const workspace = await findWorkspace(context.opened.db, name);
      if (!workspace) throw new UserError(`there is no workspace "${name}" yet: import data into it first (sada import … --workspace ${name})`);
      return renderMonthlyReportHtml(await monthlyReport(context.opened.db, workspace, { month: options.month! }), locale);
    });
    let content: string | Buffer = html;
    if (format === 'pdf') {
      try {
        content = await htmlToPdf(html);
      } catch (error) {
        if (error instanceof PdfUnavailable) throw new UserError(error.message);
        throw error;
      }
    }
    writeFileSync(options.out, content);
    console.error(`Wrote ${options.out} (${format}, ${locale}, ${options.month})`);
  });

interface ScheduleOptions {
  workspace?: string;
  to?: string;
  lang?: string;
  day?: string;
  off?: boolean;
}

export const scheduleCommand = new Command('schedule')
  .description('E-mail the previous month\'s report (HTML with the PDF attached) every month on a given day; without options shows the schedule')
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .option('--to <emails>', 'recipients, comma-separated')
  .option('--lang <locale>', `language: ${LOCALES.join(', ')}`, 'en')
  .option('--day <day>', 'day of the month it is sent, 1–28 (07:00 in the workspace\'s time zone)', '1')
  .option('--off', 'stop sending it')
  .action(async (options: ScheduleOptions) => {
    await withDatabase('report schedule', async (context) => {
      const name = workspaceOption(options.workspace, context.config);
      const workspace = await findWorkspace(context.opened.db, name);
      if (!workspace) throw new UserError(`there is no workspace "${name}"`);
      if (options.off) {
        await setMonthlyReportSchedule(context.opened.db, workspace, null);
        console.log(`The monthly report of ${name} is no longer sent.`);
        return;
      }
      if (!options.to) {
        const schedule = scheduleOf(workspace.settings);
        console.log(schedule ? `The monthly report of ${name} goes to ${schedule.recipients.join(', ')} in ${schedule.language} on day ${schedule.day} of each month.` : `${name} has no monthly report schedule: sada report schedule --to a@example.com --lang en --day 3`);
        return;
      }
      let schedule;
      try {
        schedule = parseSchedule({ recipients: options.to.split(','), language: options.lang ?? 'en', day: Number(options.day) });
      } catch (error) {
        if (error instanceof ScheduleError) throw new UserError(error.message);
        throw error;
      }
      const next = await setMonthlyReportSchedule(context.opened.db, workspace, schedule);
      console.log(`The report of ${next!.month} goes to ${schedule.recipients.join(', ')} at ${next!.runAt.toISOString()} (sada serve sends it), then each month on day ${schedule.day}.`);
    });
  });
