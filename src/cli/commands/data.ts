import { join } from 'node:path';
import { Command } from 'commander';
import { formatExampleReport, listExamples, runExamples } from '../../../examples/run.ts';
import { runDemo, DEFAULT_DEMO_WORKSPACE } from '../../demo/run.ts';
import { ensureDemoAdmin } from '../../demo/account.ts';
import { ROLLUP_NAMES, rebuildRollup } from '../../storage/rollups.ts';
import { findWorkspace, listWorkspaces } from '../../storage/workspaces.ts';
import { defaultReportDir, numbers, stopAfterBatchOnInterrupt, UserError, withDatabase } from '../context.ts';

function wholeNumber(value: string, option: string, min = 0): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < min) throw new UserError(`${option} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

export const demoCommand = new Command('demo')
  .description('Generate a realistic synthetic company (a year and more of surveys, tickets, orders, subscriptions, visits, employee surveys, with planted incidents) and import it. The same seed gives the same company.')
  .option('-w, --workspace <name>', 'workspace to fill', DEFAULT_DEMO_WORKSPACE)
  .option('--seed <n>', 'random seed', '1')
  .option('--responses <n>', 'about how many survey responses (up to 10,000,000)', '50000')
  .option('--months <n>', 'months of history (3 to 60)', '18')
  .option('--end-month <YYYY-MM>', 'last month of history')
  .action(async (options: { workspace: string; seed: string; responses: string; months: string; endMonth?: string }) => {
    const responses = wholeNumber(options.responses, '--responses', 1);
    if (responses > 10_000_000) throw new UserError('--responses can be at most 10,000,000');
    const months = wholeNumber(options.months, '--months', 1);
    if (options.endMonth && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.endMonth)) throw new UserError('--end-month must look like 2025-06');
    await withDatabase('demo', async (context) => {
      const interrupt = stopAfterBatchOnInterrupt();
      let last = '';
      try {
        const result = await runDemo(context.opened.db, {
          workspace: options.workspace,
          seed: wholeNumber(options.seed, '--seed'),
          responses,
          months,
          endMonth: options.endMonth,
          reportDir: join(defaultReportDir(context.config), 'demo'),
          signal: interrupt.signal,
          onProgress: (p) => {
            const line = `${p.step}/${p.steps} ${p.kind}: ${p.phase}`;
            if (line !== last && p.phase !== 'done') process.stderr.write(`${line}…\n`);
            last = line;
          },
        });
        const n = (value: number) => numbers.format(value);
        console.log(`Demo company in workspace "${result.workspace.name}": ${result.status} in ${result.seconds.toFixed(1)} s`);
        for (const [kind, rows] of Object.entries(result.generated)) console.log(`  ${kind.padEnd(14)} ${n(rows)}`);
        console.log(`  inserted ${n(result.inserted)} · updated ${n(result.updated)} · unchanged ${n(result.unchanged)} · rejected ${n(result.rejected)}`);
        console.log(`  surveys        ${result.surveys.map((s) => s.id).join(', ')}`);
        console.log(`Try: sada report --workspace ${result.workspace.name} --metric csat --by month,touchpoint`);
        console.log(`     sada survey list --workspace ${result.workspace.name}`);
        const admin = await ensureDemoAdmin(context.opened.db, result.workspace);
        const site = context.config.publicUrl ?? `http://${context.config.host}:${context.config.port}`;
        console.log(`Sign in to the dashboard (npm start) at ${site}/login as ${admin.email}, password ${admin.password} (new on every sada demo run)`);
        if (result.status === 'interrupted') process.exitCode = 130;
      } finally {
        interrupt.release();
      }
    });
  });

export const examplesCommand = new Command('examples')
  .description('Import the real public datasets (../shared/datasets, or SADA_DATASETS_DIR), each into a workspace named after its folder, and report every rejected row')
  .option('--only <names>', `comma-separated datasets: ${listExamples().join(', ')}`)
  .action(async (options: { only?: string }) => {
    const only = options.only?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only?.filter((name) => !listExamples().includes(name)) ?? [];
    if (unknown.length > 0) throw new UserError(`no example for ${unknown.join(', ')}. Examples: ${listExamples().join(', ')}`);
    await withDatabase('examples', async (context) => {
      const results = await runExamples(context.opened.db, {
        reportDir: join(defaultReportDir(context.config), 'examples'),
        only,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      console.log(formatExampleReport(results));
    });
  });

export const rollupsCommand = new Command('rollups')
  .description('Rebuild the rollups (the aggregates standard reports read) of one or every workspace; imports keep them up to date on their own')
  .option('-w, --workspace <name>', 'only this workspace')
  .action(async (options: { workspace?: string }) => {
    await withDatabase('rollups', async ({ opened }) => {
      const workspaces = options.workspace ? [await findWorkspace(opened.db, options.workspace)] : await listWorkspaces(opened.db);
      if (workspaces[0] === undefined) throw new UserError(`there is no workspace "${options.workspace}"`);
      for (const workspace of workspaces) {
        const started = Date.now();
        for (const name of ROLLUP_NAMES) await rebuildRollup(opened.db, workspace!.id, name);
        console.log(`${workspace!.name}: rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    });
  });
