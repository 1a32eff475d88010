/**
 * Sentiment of unscored comments (docs/text-analysis.md), written to text_sentiment:
 * 1. the workspace's scored comments (newest TRAINING_LIMIT) become labelled examples (bottom-2-box
 *    negative, top-2-box positive, the middle left out), grouped by language (stored, else detected);
 * 2. a language with at least MIN_TRAINING labelled comments and MIN_PER_CLASS of each label gets a
 *    naive Bayes model; other languages fall back to the lexicon (which may say "neutral");
 * 3. every response with a comment and no score, and every ticket with a subject, gets a row.
 * Re-running replaces the rows (the model may have learned from newer answers).
 */
import type { Queryable } from './accounts.ts';
import type { Database } from './database.ts';
import { OncePerWindow } from './once-per-window.ts';
import { labelFromScore, predict, trainNaiveBayes, type LabelledText, type NaiveBayesModel } from '../text/classifier.ts';
import { detectLanguage } from '../text/language.ts';
import { lexiconSentiment } from '../text/lexicon.ts';

export const TRAINING_LIMIT = 50_000;
export const MIN_TRAINING = 200;
export const MIN_PER_CLASS = 20;
const BATCH = 1000;

export interface SentimentRunSummary {
  /** per language: how many labelled comments trained its model (absent: lexicon) */
  models: Record<string, number>;
  responses: number;
  tickets: number;
  byMethod: { learned: number; lexicon: number };
}

interface Target {
  source: 'response' | 'ticket';
  id: string;
  text: string;
  language: string | null;
}

export async function classifyUnscored(db: Database, workspaceId: number): Promise<SentimentRunSummary> {
  const scored = await db.query<{ comment: string; language: string | null; score: number; scale_min: number; scale_max: number }>(
    `SELECT comment, language, score, scale_min, scale_max FROM responses
     WHERE workspace_id = $1 AND employee_id IS NULL AND comment IS NOT NULL AND comment <> ''
       AND score IS NOT NULL AND scale_min IS NOT NULL AND scale_max > scale_min
     ORDER BY submitted_at DESC, id DESC LIMIT $2`,
    [workspaceId, TRAINING_LIMIT],
  );
  const examples = new Map<string, LabelledText[]>();
  for (const r of scored) {
    const label = labelFromScore(r.score, r.scale_min, r.scale_max);
    if (!label) continue;
    const lang = r.language || detectLanguage(r.comment);
    if (lang === 'und') continue;
    const list = examples.get(lang) ?? [];
    list.push({ text: r.comment, label });
    examples.set(lang, list);
  }
  const models = new Map<string, NaiveBayesModel>();
  for (const [lang, list] of examples) {
    const negatives = list.filter((e) => e.label === 'negative').length;
    if (list.length >= MIN_TRAINING && negatives >= MIN_PER_CLASS && list.length - negatives >= MIN_PER_CLASS) models.set(lang, trainNaiveBayes(list, lang));
  }

  const targets: Target[] = [
    ...(
      await db.query<{ id: string; comment: string; language: string | null }>(
        `SELECT id, comment, language FROM responses
         WHERE workspace_id = $1 AND employee_id IS NULL AND comment IS NOT NULL AND comment <> '' AND score IS NULL`,
        [workspaceId],
      )
    ).map((r) => ({ source: 'response' as const, id: r.id, text: r.comment, language: r.language })),
    ...(
      await db.query<{ id: string; subject: string }>(`SELECT id, subject FROM tickets WHERE workspace_id = $1 AND subject IS NOT NULL AND subject <> ''`, [workspaceId])
    ).map((r) => ({ source: 'ticket' as const, id: r.id, text: r.subject, language: null })),
  ];
  const summary: SentimentRunSummary = {
    models: Object.fromEntries([...models].map(([lang, m]) => [lang, m.docCounts.negative + m.docCounts.positive])),
    responses: 0,
    tickets: 0,
    byMethod: { learned: 0, lexicon: 0 },
  };
  await db.transaction(async (tx) => {
    // Two runs for one workspace (two servers' workers, or the command beside the job) take turns: the later one's rows win, never a duplicate-key failure.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sada.text_sentiment.${workspaceId}`]);
    await tx.query('DELETE FROM text_sentiment WHERE workspace_id = $1', [workspaceId]);
    for (let start = 0; start < targets.length; start += BATCH) {
      const rows = targets.slice(start, start + BATCH).map((t) => {
        const lang = t.language || detectLanguage(t.text);
        const model = models.get(lang);
        if (model) {
          const p = predict(model, t.text);
          return { ...t, lang, label: p.label as string, p: p.pNegative, method: 'learned', trainedOn: summary.models[lang]! };
        }
        return { ...t, lang, label: lexiconSentiment(t.text, lang).label as string, p: null, method: 'lexicon', trainedOn: 0 };
      });
      for (const r of rows) {
        summary[r.source === 'response' ? 'responses' : 'tickets']++;
        summary.byMethod[r.method as 'learned' | 'lexicon']++;
      }
      await tx.query(
        `INSERT INTO text_sentiment (workspace_id, source, record_id, language, label, p_negative, method, trained_on)
         SELECT $1, s, i, l, lb, p, m, n
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::double precision[], $7::text[], $8::integer[]) AS x(s, i, l, lb, p, m, n)`,
        [workspaceId, rows.map((r) => r.source), rows.map((r) => r.id), rows.map((r) => r.lang), rows.map((r) => r.label), rows.map((r) => r.p), rows.map((r) => r.method), rows.map((r) => r.trainedOn)],
      );
    }
  });
  return summary;
}

/** The job kind that runs classifyUnscored for a workspace (src/jobs/score-sentiment.ts). */
export const SCORE_SENTIMENT = 'score_sentiment';
/** At most one score_sentiment run per workspace and window of this many minutes. */
export const SENTIMENT_WINDOW_MINUTES = 5;

/**
 * New comments arrived (an import of responses or tickets committed, an answer with a comment
 * stored): one score_sentiment job per workspace and SENTIMENT_WINDOW_MINUTES window (its dedupe
 * key is the window), due when the window ends — so every comment stored in a window is there
 * when its job runs, and a burst of answers costs one run. Its own statement after the data's
 * commit: it never holds the import's transaction.
 */
export async function scoreSentimentSoon(db: Queryable, workspaceId: number, now = new Date()): Promise<void> {
  const ms = SENTIMENT_WINDOW_MINUTES * 60_000;
  const window = new Date(Math.floor(now.getTime() / ms) * ms);
  await db.query(
    `INSERT INTO jobs (workspace_id, kind, payload, run_at, dedupe_key, max_attempts)
     VALUES ($1, $2, '{"reason":"new_data"}'::jsonb, $3::timestamptz, $4, 3)
     ON CONFLICT (workspace_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
    [workspaceId, SCORE_SENTIMENT, new Date(window.getTime() + ms).toISOString(), `data:${window.toISOString()}`],
  );
}

/** scoreSentimentSoon that never fails what it follows (the data is stored whatever happens here; the next import or answer queues it again). */
export async function queueSentimentScoring(db: Queryable, workspaceId: number): Promise<void> {
  try {
    await scoreSentimentSoon(db, workspaceId);
  } catch (error) {
    console.error(`sentiment: could not queue scoring for workspace ${workspaceId}: ${(error as Error).message}`);
  }
}

const queuedThisWindow = new OncePerWindow(SENTIMENT_WINDOW_MINUTES * 60_000);

/** queueSentimentScoring for one stored answer with text: once per workspace and window in this process (a burst costs one statement). */
export async function queueSentimentAfterAnswer(db: Queryable, workspaceId: number): Promise<void> {
  if (queuedThisWindow.first(db, String(workspaceId))) await queueSentimentScoring(db, workspaceId);
}

/**
 * What classifyUnscored reads, in one line: how many commented responses (scored or not) and
 * ticket subjects there are and when the newest of them was stored or changed. The job skips a
 * run whose inputs equal the last run's (nothing new, changed or deleted since).
 */
export async function sentimentInputs(db: Queryable, workspaceId: number): Promise<string> {
  const [r] = await db.query<{ n: string | number; changed: Date | string | null }>(
    `SELECT count(*) AS n, max(coalesce(updated_at, imported_at)) AS changed FROM responses
     WHERE workspace_id = $1 AND employee_id IS NULL AND comment IS NOT NULL AND comment <> ''`,
    [workspaceId],
  );
  const [t] = await db.query<{ n: string | number; changed: Date | string | null }>(
    `SELECT count(*) AS n, max(coalesce(updated_at, imported_at)) AS changed FROM tickets
     WHERE workspace_id = $1 AND subject IS NOT NULL AND subject <> ''`,
    [workspaceId],
  );
  const at = (d: Date | string | null) => (d === null ? '-' : new Date(d).toISOString());
  return `responses ${Number(r!.n)}@${at(r!.changed)} tickets ${Number(t!.n)}@${at(t!.changed)}`;
}

export interface StoredSentiment {
  label: 'negative' | 'positive' | 'neutral';
  /** P(negative) under the learned model; null when the lexicon decided */
  pNegative: number | null;
  method: 'learned' | 'lexicon';
  language: string;
}
