/**
 * Sentiment of unscored comments (docs/text-analysis.md), written to text_sentiment:
 * 1. the workspace's scored comments (newest TRAINING_LIMIT) become labelled examples (bottom-2-box
 *    negative, top-2-box positive, the middle left out), grouped by language (stored, else detected);
 * 2. a language with at least MIN_TRAINING labelled comments and MIN_PER_CLASS of each label gets a
 *    naive Bayes model; other languages fall back to the lexicon (which may say "neutral");
 * 3. every response with a comment and no score, and every ticket with a subject, gets a row.
 * Re-running replaces the rows (the model may have learned from newer answers).
 */
import type { Database } from './database.ts';
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
