import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, type Config } from '../config.ts';
import { openDatabase, type OpenedDatabase } from '../storage/open.ts';
import { ensureWorkspace, type Workspace } from '../storage/workspaces.ts';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Errors whose message is the whole story: printed without a stack trace. */
export class UserError extends Error {}

export interface CommandContext {
  config: Config;
  opened: OpenedDatabase;
}

/** Opens the configured database for one command and always closes it (and its lock). */
export async function withDatabase<T>(command: string, work: (context: CommandContext) => Promise<T>): Promise<T> {
  const config = readConfig();
  const opened = await openDatabase(config, command);
  try {
    return await work({ config, opened });
  } finally {
    await opened.close();
  }
}

export function workspaceOption(value: string | undefined, config: Config): string {
  return value ?? config.defaultWorkspace;
}

export async function workspaceFor(context: CommandContext, name: string | undefined): Promise<Workspace> {
  return ensureWorkspace(context.opened.db, workspaceOption(name, context.config));
}

export function defaultReportDir(config: Config): string {
  return join(config.dataDir, 'imports');
}

export const numbers = new Intl.NumberFormat('en');

/**
 * Ctrl-C during a long write: the first stops after the batch being written (a re-run finishes
 * the job), a second stops at once. Call `release` when the work is over.
 */
export function stopAfterBatchOnInterrupt(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the current batch (press Ctrl-C again to stop at once); run the same command again to finish…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}
