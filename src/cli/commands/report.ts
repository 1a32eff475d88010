import { Command, Option } from 'commander';
import { isLocale, LOCALES, type Locale } from '../../i18n/index.ts';
import { METRIC_NAMES } from '../../metrics/definitions.ts';
import { formatCsv, formatTable } from '../../reports/format.ts';
import { metricReport } from '../../reports/metric-report.ts';
import { findWorkspace } from '../../storage/workspaces.ts';
import { monthlyCommand, scheduleCommand } from './report-monthly.ts';
import { UserError, withDatabase, workspaceOption } from '../context.ts';

interface ReportOptions {
  workspace?: string;
  metric?: string;
  by?: string;
  from?: string;
  to?: string;
  where: string[];
  format: 'table' | 'json' | 'csv';
  lang?: string;
  churnDays?: string;
}

export function localeFromEnvironment(explicit: string | undefined): Locale {
  if (explicit) {
    if (!isLocale(explicit)) throw new UserError(`--lang must be one of ${LOCALES.join(', ')}`);
    return explicit;
  }
  const fromEnv = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || 'en').slice(0, 2).toLowerCase();
  return isLocale(fromEnv) ? fromEnv : 'en';
}

export const reportCommand = new Command('report')
  .description('Compute a metric with its sample size, confidence interval and period-over-period change')
  .option('-m, --metric <name>', `one of ${METRIC_NAMES.join(', ')} (required)`)
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .option('--by <dimensions>', 'break down by, comma-separated: day, week, month, quarter, year, touchpoint, channel, segment, agent, team, category, survey, language, customer.<field>, attribute.<key>')
  .option('--from <YYYY-MM-DD>', 'first day (in the workspace time zone)')
  .option('--to <YYYY-MM-DD>', 'last day, included')
  .option('--where <dimension=value>', 'filter, e.g. channel=email or customer.country=LT,SA (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'csv']).default('table'))
  .option('--lang <locale>', `language of the table: ${LOCALES.join(', ')} (default: from LANG)`)
  .option('--churn-days <days>', 'for shops without subscriptions: days without an order after which a customer has churned, or p80 (80th percentile of the gaps between orders)', '90')
  .action(async (options: ReportOptions) => {
    const metric = options.metric;
    if (!metric) throw new UserError(`say which metric: --metric <name>, one of ${METRIC_NAMES.join(', ')} (or sada report monthly for the monthly report)`);
    const locale = localeFromEnvironment(options.lang);
    const churnDays = options.churnDays === 'p80' ? 'p80' : Number(options.churnDays);
    if (churnDays !== 'p80' && (!Number.isInteger(churnDays) || churnDays < 1)) {
      throw new UserError('--churn-days must be a whole number of days, or p80 (the 80th percentile of gaps between orders)');
    }
    await withDatabase('report', async (context) => {
      const name = workspaceOption(options.workspace, context.config);
      const workspace = await findWorkspace(context.opened.db, name);
      if (!workspace) throw new UserError(`there is no workspace "${name}" yet: import data into it first (sada import … --workspace ${name})`);
      const result = await metricReport(context.opened.db, workspace, {
        metric,
        by: options.by ? options.by.split(',') : [],
        from: options.from,
        to: options.to,
        where: options.where,
        churnDays,
      });
      if (options.format === 'json') console.log(JSON.stringify(result, null, 2));
      else if (options.format === 'csv') process.stdout.write(formatCsv(result));
      else console.log(formatTable(result, locale));
    });
  })
  // `sada report monthly` and `sada report schedule` (report-monthly.ts): their options are their own.
  .enablePositionalOptions()
  .addCommand(monthlyCommand)
  .addCommand(scheduleCommand);
