import { Command, Option } from 'commander';
import { keyDriverReport, type KeyDriversReport } from '../../reports/key-drivers.ts';
import { findWorkspace } from '../../storage/workspaces.ts';
import { UserError, withDatabase, workspaceOption } from '../context.ts';

interface DriverOptions {
  workspace?: string;
  outcome: string;
  predictor: string;
  from?: string;
  to?: string;
  where: string[];
  touchpoints?: string;
  windowDays: string;
  missing: string;
  resamples: string;
  seed: string;
  format: 'table' | 'json';
}

const whole = (value: string, option: string): number => {
  if (!/^\d+$/.test(value)) throw new UserError(`${option} must be a whole number, not "${value}"`);
  return Number(value);
};

export const driversCommand = new Command('drivers')
  .description('Key drivers: which touchpoints\' scores best explain the customers\' overall NPS (or CSAT). Relative importance (LMG, the Shapley share of R²) with bootstrap intervals, each touchpoint\'s score, and the priority matrix ("fix first" = important and below the median)')
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .addOption(new Option('--outcome <metric>', 'the overall score to explain').choices(['nps', 'csat']).default('nps'))
  .addOption(new Option('--predictor <kind>', 'the touchpoint answers that explain it').choices(['csat', 'ces']).default('csat'))
  .option('--from <day>', 'first day of the outcome answers (YYYY-MM-DD or a period such as 2026-05); default the 6 months ending with the latest answer')
  .option('--to <day>', 'last day of the outcome answers (YYYY-MM-DD or a period)')
  .option('--where <dimension=value>', 'filter the outcome answers (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--touchpoints <list>', 'touchpoints to use, comma-separated (default: those answered by at least 30 and 5% of the respondents)')
  .option('--window-days <n>', 'how many days before the outcome answer a touchpoint answer counts', '90')
  .addOption(new Option('--missing <policy>', 'a respondent who did not answer a touchpoint: mean (takes its mean) or listwise (left out)').choices(['mean', 'listwise']).default('mean'))
  .option('--resamples <n>', 'bootstrap resamples for the intervals', '200')
  .option('--seed <n>', 'seed of the bootstrap', '1')
  .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
  .action(async (options: DriverOptions) => {
    const request = {
      outcome: options.outcome,
      predictor: options.predictor,
      from: options.from,
      to: options.to,
      where: options.where,
      touchpoints: options.touchpoints?.split(',').map((t) => t.trim()).filter(Boolean),
      windowDays: whole(options.windowDays, '--window-days'),
      missing: options.missing,
      resamples: whole(options.resamples, '--resamples'),
      seed: whole(options.seed, '--seed'),
    };
    await withDatabase('drivers', async (context) => {
      const name = workspaceOption(options.workspace, context.config);
      const workspace = await findWorkspace(context.opened.db, name);
      if (!workspace) throw new UserError(`there is no workspace "${name}" yet: import data into it first (sada import … --workspace ${name})`);
      const report = await keyDriverReport(context.opened.db, workspace, request);
      console.log(options.format === 'json' ? JSON.stringify(report, null, 2) : driversTable(report));
    });
  });

/** The report as a plain-text table (English; the JSON carries every number). */
export function driversTable(r: KeyDriversReport): string {
  const pct = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
  const num = new Intl.NumberFormat('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const interval = (ci: readonly [number, number] | null, format: (v: number) => string) => (ci ? `${format(ci[0])}–${format(ci[1])}` : '–');
  const lines = [
    `Key drivers of ${r.outcome.toUpperCase()} (${r.predictor.toUpperCase()} at each touchpoint, ${r.window_days} days before) in ${r.workspace}, ${r.from ?? '…'} – ${r.to ?? '…'}`,
    `R² ${r.r_squared === null ? '–' : pct.format(r.r_squared)} (95% CI ${interval(r.r_squared_ci, (v) => pct.format(v))}), n ${r.n} of ${r.respondents} respondents, missing: ${r.missing}, ${r.resamples} bootstrap resamples`,
    '',
  ];
  const rows = [
    ['#', 'touchpoint', 'share of R²', '95% CI', 'score (% of scale)', '95% CI', 'n', 'quadrant'],
    ...r.drivers.map((d) => [
      String(d.rank),
      d.name,
      d.share === null ? '–' : pct.format(d.share),
      interval(d.share_ci, (v) => pct.format(v)),
      d.performance === null ? '–' : num.format(d.performance),
      interval(d.performance_ci, (v) => num.format(v)),
      String(d.n),
      d.quadrant.replace('_', ' '),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) lines.push(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const w of r.warnings) lines.push('', `! ${w.message}`);
  return lines.join('\n');
}
