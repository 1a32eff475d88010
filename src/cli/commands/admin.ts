import { Command } from 'commander';
import { listWorkspaces } from '../../storage/workspaces.ts';
import { withDatabase } from '../context.ts';

export const migrateCommand = new Command('migrate')
  .description('Bring the database schema up to date (every command also does this when it opens the database)')
  .action(async () => {
    await withDatabase('migrate', async ({ opened }) => {
      console.log(opened.applied.length > 0 ? `Applied ${opened.applied.join(', ')}.` : 'The schema is up to date.');
    });
  });

export const workspacesCommand = new Command('workspaces').description('List the workspaces').action(async () => {
  await withDatabase('workspaces', async ({ opened }) => {
    for (const w of await listWorkspaces(opened.db)) console.log(`${w.name}\t(time zone ${w.timezone})`);
  });
});
