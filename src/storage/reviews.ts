import { isEasy, isPositive, npsClass } from '../metrics/scoring.ts';
import type { Database } from './database.ts';

/**
 * The public review feed: comments whose authors ticked the consent box, from completed
 * customer responses with a positive score (an NPS promoter, a satisfied CSAT, an easy CES;
 * never an employee's eNPS or ESAT). No name, e-mail or id leaves this function: only what the
 * person agreed to publish, on a survey that asked for that consent.
 */
export interface PublicReview {
  comment: string;
  score: number;
  scale: { min: number; max: number };
  kind: string;
  language: string | null;
  touchpoint: string | null;
  submittedAt: string;
}

const positive = (kind: string, score: number, min: number, max: number) =>
  kind === 'nps' || kind === 'enps' ? npsClass(score) === 'promoter' : kind === 'ces' ? isEasy(score, min, max) : isPositive(score, min, max);

export async function listPublicReviews(db: Database, workspaceId: number, options: { surveyId?: string; language?: string; limit: number }): Promise<PublicReview[]> {
  const rows = await db.query<{ comment: string; score: number; scale_min: number; scale_max: number; kind: string; language: string | null; touchpoint: string | null; submitted_at: Date }>(
    `SELECT r.comment, r.score, r.scale_min, r.scale_max, r.kind, r.language, r.touchpoint, m.completed_at AS submitted_at
     FROM submissions m JOIN responses r ON r.workspace_id = m.workspace_id AND r.submission_id = m.id
     WHERE m.workspace_id = $1 AND m.review_consent AND m.completed_at IS NOT NULL AND r.comment IS NOT NULL AND r.score IS NOT NULL
       AND r.kind IN ('nps', 'csat', 'ces', 'rating')
       -- the upper half of the scale: a superset of every positive answer, so LIMIT keeps enough
       AND r.score >= (r.scale_min + r.scale_max) / 2.0
       AND ($2::text IS NULL OR m.survey_id = $2) AND ($3::text IS NULL OR r.language = $3)
     ORDER BY m.completed_at DESC LIMIT 500`,
    [workspaceId, options.surveyId ?? null, options.language ?? null],
  );
  return rows
    .filter((r) => positive(r.kind, r.score, r.scale_min, r.scale_max))
    .slice(0, options.limit)
    .map((r) => ({
      comment: r.comment,
      score: r.score,
      scale: { min: r.scale_min, max: r.scale_max },
      kind: r.kind,
      language: r.language,
      touchpoint: r.touchpoint,
      submittedAt: new Date(r.submitted_at).toISOString(),
    }));
}
