import { scoreAssessment, type Answers, type AssessmentScore } from '../domain/cx-assessment.ts';
import type { Queryable } from './accounts.ts';

/**
 * CX-management self-assessments (migration 0018): the answers, who took it and when, kept as
 * history. The score is computed from the answers on every read (domain/cx-assessment.ts).
 */

export interface Assessment {
  id: number;
  questionnaireVersion: number;
  answers: Answers;
  note: string | null;
  createdBy: string;
  createdAt: string;
  score: AssessmentScore;
}

interface Row {
  id: number;
  questionnaire_version: number;
  answers: Answers | string;
  note: string | null;
  created_by: string;
  created_at: Date | string;
}

const COLUMNS = 'id, questionnaire_version, answers, note, created_by, created_at';

const fromRow = (r: Row): Assessment => {
  const answers = typeof r.answers === 'string' ? (JSON.parse(r.answers) as Answers) : r.answers;
  return {
    id: Number(r.id),
    questionnaireVersion: Number(r.questionnaire_version),
    answers,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    score: scoreAssessment(answers),
  };
};

/** The workspace's assessments, oldest first (the history, in the order it happened). */
export async function listAssessments(db: Queryable, workspaceId: number): Promise<Assessment[]> {
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM assessments WHERE workspace_id = $1 ORDER BY created_at, id LIMIT 1000`, [workspaceId]);
  return rows.map(fromRow);
}

export async function findAssessment(db: Queryable, workspaceId: number, id: number): Promise<Assessment | undefined> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM assessments WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? fromRow(row) : undefined;
}

export async function createAssessment(db: Queryable, workspaceId: number, input: { version: number; answers: Answers; note?: string | null }, createdBy: string): Promise<Assessment> {
  const [row] = await db.query<Row>(
    `INSERT INTO assessments (workspace_id, questionnaire_version, answers, note, created_by) VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING ${COLUMNS}`,
    [workspaceId, input.version, JSON.stringify(input.answers), input.note ?? null, createdBy],
  );
  return fromRow(row!);
}
