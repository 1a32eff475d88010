import { Command } from 'commander';
import { DateTime } from 'luxon';
import { backfillCases } from '../../storage/cases.ts';
import { UserError, withDatabase, workspaceFor } from '../context.ts';

/**
 * `sada cases backfill`: opens the follow-up cases of answers already stored — imported files,
 * answers from before cases existed (docs/cases.md). Answers stored through the survey link, the
 * widget or the public API open theirs when they are written. Running it again opens nothing twice.
 */

export const casesCommand = new Command('cases').description('The closed loop: follow-up cases of dissatisfied answers (docs/cases.md)');

casesCommand
  .command('backfill')
  .description('Open the cases of stored answers (imported ones) that the workspace rule calls for; idempotent')
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .option('--since <day>', 'answers submitted from this day on (YYYY-MM-DD, workspace time zone); default: the last 30 days')
  .action(async (options: { workspace?: string; since?: string }) => {
    await withDatabase('cases backfill', async (context) => {
      const workspace = await workspaceFor(context, options.workspace);
      let since = DateTime.now().setZone(workspace.timezone).minus({ days: 30 }).startOf('day');
      if (options.since !== undefined) {
        since = DateTime.fromFormat(options.since, 'yyyy-MM-dd', { zone: workspace.timezone });
        if (!since.isValid) throw new UserError(`--since must be a day written YYYY-MM-DD, not "${options.since}"`);
      }
      const { opened } = await backfillCases(context.opened.db, workspace.id, since.toJSDate());
      console.log(`${opened} case${opened === 1 ? '' : 's'} opened in workspace ${workspace.name} (answers since ${since.toISODate()}; those with a case already were skipped)`);
    });
  });
