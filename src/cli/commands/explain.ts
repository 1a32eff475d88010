import { Command, Option } from 'commander';
import { LOCALES } from '../../i18n/index.ts';
import { explainChange } from '../../reports/explain.ts';
import { explanationSummary, explanationTable } from '../../reports/explain-format.ts';
import { findWorkspace } from '../../storage/workspaces.ts';
import { UserError, withDatabase, workspaceOption } from '../context.ts';
import { localeFromEnvironment } from './report.ts';

interface ExplainOptions {
  workspace?: string;
  metric: string;
  from: string;
  to: string;
  by?: string;
  where: string[];
  minN: string;
  format: 'table' | 'json';
  lang?: string;
}

export const explainCommand = new Command('explain')
  .description('Why did a metric change between two periods? Splits the change, for each dimension, into each group\'s mix effect (its share moved) and rate effect (the metric moved inside it); the parts add up to the change')
  .requiredOption('-m, --metric <name>', 'nps, csat, ces, esat, enps, fcr, aht, frt, cost_per_resolution, churn, retention, …')
  .requiredOption('--from <period>', 'the earlier period: 2026-09, 2026-Q2, 2026-W39, 2026-09-30 or 2026')
  .requiredOption('--to <period>', 'the later period, of the same kind')
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .option('--by <dimensions>', 'dimensions to split by, comma-separated (default: every standard one and the records\' attributes)')
  .option('--where <dimension=value>', 'filter (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--min-n <n>', 'pool groups with fewer answers than this in both periods', '30')
  .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
  .option('--lang <locale>', `language: ${LOCALES.join(', ')} (default: from LANG)`)
  .action(async (options: ExplainOptions) => {
    const locale = localeFromEnvironment(options.lang);
    const minN = Number(options.minN);
    if (!Number.isInteger(minN) || minN < 1) throw new UserError('--min-n must be a whole number of at least 1');
    await withDatabase('explain', async (context) => {
      const name = workspaceOption(options.workspace, context.config);
      const workspace = await findWorkspace(context.opened.db, name);
      if (!workspace) throw new UserError(`there is no workspace "${name}" yet: import data into it first (sada import … --workspace ${name})`);
      const explanation = await explainChange(context.opened.db, workspace, {
        metric: options.metric,
        from: options.from,
        to: options.to,
        by: options.by ? options.by.split(',').map((d) => d.trim()) : undefined,
        where: options.where,
        minN,
      });
      if (options.format === 'json') console.log(JSON.stringify({ ...explanation, summary: explanationSummary(explanation, locale) }, null, 2));
      else console.log(explanationTable(explanation, locale));
    });
  });
