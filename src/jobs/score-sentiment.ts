import type { Database } from '../storage/database.ts';
import type { Job, JobHandler } from '../storage/jobs.ts';
import { classifyUnscored, SCORE_SENTIMENT, sentimentInputs } from '../storage/text-sentiment.ts';

export { SCORE_SENTIMENT };

const INPUTS = ' | inputs: ';

/**
 * The score_sentiment job (docs/text-analysis.md): runs what `sada text sentiment` runs for the
 * job's workspace. classifyUnscored re-scores every unscored comment and ticket subject (a model
 * learned from newer answers may answer differently), so the job first compares what it would
 * read (sentimentInputs: counts and the newest change of comments and tickets) with the last
 * successful run's, kept in that job's result, and skips when nothing is new, changed or deleted.
 * The bound otherwise: at most one run per workspace per SENTIMENT_WINDOW_MINUTES (the dedupe
 * key of scoreSentimentSoon), each reading at most TRAINING_LIMIT scored comments.
 */
export function scoreSentimentHandler({ db }: { db: Database }): JobHandler {
  return async (job: Job) => {
    const [workspace] = await db.query<{ id: number }>('SELECT id FROM workspaces WHERE id = $1', [job.workspaceId]);
    if (!workspace) return { status: 'skipped', result: 'workspace_not_found' };
    const inputs = await sentimentInputs(db, job.workspaceId);
    const [last] = await db.query<{ result: string | null }>(
      `SELECT result FROM jobs WHERE workspace_id = $1 AND kind = $2 AND status = 'done' AND id <> $3
       ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1`,
      [job.workspaceId, SCORE_SENTIMENT, job.id],
    );
    if (last?.result?.endsWith(`${INPUTS}${inputs}`)) return { status: 'skipped', result: `unchanged since the last run${INPUTS}${inputs}` };
    const s = await classifyUnscored(db, job.workspaceId);
    const models = Object.entries(s.models).map(([lang, n]) => `${lang} ${n}`).join(', ') || 'none';
    return { status: 'done', result: `scored ${s.responses} comment(s) and ${s.tickets} ticket(s): ${s.byMethod.learned} learned, ${s.byMethod.lexicon} lexicon; models: ${models}${INPUTS}${inputs}` };
  };
}
