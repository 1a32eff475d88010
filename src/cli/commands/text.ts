import { Command } from 'commander';
import { classifyUnscored } from '../../storage/text-sentiment.ts';
import { withDatabase, workspaceFor } from '../context.ts';

/**
 * `sada text sentiment`: learns sentiment from the workspace's scored comments and writes it for
 * the comments without a score and the tickets' subjects (table text_sentiment;
 * docs/text-analysis.md). Re-running replaces the previous answers.
 */
export const textCommand = new Command('text').description('Text analysis of comments (docs/text-analysis.md)');

textCommand
  .command('sentiment')
  .description('Learn sentiment from the scored comments and write it for unscored comments and ticket subjects')
  .option('-w, --workspace <name>', 'workspace (default: SADA_WORKSPACE or "default")')
  .action(async (options: { workspace?: string }) => {
    await withDatabase('text sentiment', async (context) => {
      const workspace = await workspaceFor(context, options.workspace);
      const s = await classifyUnscored(context.opened.db, workspace.id);
      const models = Object.entries(s.models).map(([lang, n]) => `${lang} (${n.toLocaleString('en-US')} scored comments)`);
      console.log(`Models learned: ${models.length ? models.join(', ') : 'none (too few scored comments): the lexicon was used'}`);
      console.log(`Sentiment written for ${s.responses} unscored comment${s.responses === 1 ? '' : 's'} and ${s.tickets} ticket${s.tickets === 1 ? '' : 's'} in workspace ${workspace.name} (${s.byMethod.learned} by a learned model, ${s.byMethod.lexicon} by the lexicon)`);
    });
  });
