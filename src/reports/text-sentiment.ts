/**
 * How good is sentiment on this workspace's own comments (GET /api/v1/text/sentiment-quality):
 * the newest scored comments the filter matches (at most MAX_SENTIMENT_COMMENTS), labelled by their
 * score (bottom-2-box negative, top-2-box positive, the middle left out), per language (stored,
 * else detected): the learned naive Bayes trained on 80% and measured on the held-out 20%, next to
 * the majority-class and lexicon baselines (src/text/classifier.ts, docs/text-analysis.md).
 * Languages with fewer than MIN_PER_LANGUAGE labelled comments are listed without numbers.
 */
import { listResponses, type ResponseFilter } from '../storage/response-list.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { evaluateByLanguage, labelFromScore, type Quality, type ScoredComment } from '../text/classifier.ts';
import { detectLanguage } from '../text/language.ts';

export const MAX_SENTIMENT_COMMENTS = 20_000;
export const MIN_PER_LANGUAGE = 50;

const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
const summary = (q: Quality) => ({
  accuracy: round(q.accuracy),
  macro_f1: round(q.macroF1),
  f1_negative: round(q.perClass.negative.f1),
  f1_positive: round(q.perClass.positive.f1),
});

export async function sentimentQualityReport(db: Database, workspace: Workspace, filter: ResponseFilter) {
  const page = await listResponses(db, workspace.id, { ...filter, withComment: true }, { limit: MAX_SENTIMENT_COMMENTS });
  const labelled: ScoredComment[] = [];
  let middle = 0;
  for (const r of page.responses) {
    if (r.score === null || r.scaleMin === null || r.scaleMax === null || r.scaleMax <= r.scaleMin) continue;
    const label = labelFromScore(r.score, r.scaleMin, r.scaleMax);
    if (label === null) {
      middle++;
      continue;
    }
    const text = r.comment ?? '';
    labelled.push({ id: r.id, text, lang: r.language || detectLanguage(text), label });
  }
  const counts = new Map<string, number>();
  for (const c of labelled) counts.set(c.lang, (counts.get(c.lang) ?? 0) + 1);
  const enough = labelled.filter((c) => counts.get(c.lang)! >= MIN_PER_LANGUAGE && c.lang !== 'und');
  const evaluations = evaluateByLanguage(enough);
  return {
    workspace: workspace.name,
    comments: page.responses.length,
    truncated: page.next !== null,
    labelled: labelled.length,
    middle_left_out: middle,
    held_out: 0.2,
    languages: [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([lang, n]) => {
        const ev = evaluations.find((e) => e.lang === lang);
        if (!ev) return { language: lang, labelled: n, evaluated: false as const, reason: lang === 'und' ? 'language unknown (too short to tell)' : `fewer than ${MIN_PER_LANGUAGE} labelled comments` };
        return {
          language: lang,
          labelled: n,
          evaluated: true as const,
          train: ev.trainN,
          test: ev.testN,
          majority_label: ev.majority,
          majority: summary(ev.baseline),
          lexicon: summary(ev.lexicon),
          learned: summary(ev.learned),
        };
      }),
  };
}
