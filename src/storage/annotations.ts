import type { Queryable } from './accounts.ts';

/**
 * Annotations: events marked on a workspace's trend charts (migration 0013). Every query names
 * the workspace, so one workspace never reads or changes another's. The routes audit changes
 * in the same transaction (routes/annotations.ts).
 */

export const ANNOTATION_CATEGORIES = ['training', 'redesign', 'incident', 'price', 'campaign', 'staffing', 'other'] as const;
export type AnnotationCategory = (typeof ANNOTATION_CATEGORIES)[number];

export interface Annotation {
  id: number;
  /** YYYY-MM-DD, a day in the workspace's time zone. */
  day: string;
  text: string;
  note: string | null;
  category: AnnotationCategory | null;
  metric: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AnnotationInput {
  day: string;
  text: string;
  note?: string | null;
  category?: AnnotationCategory | null;
  metric?: string | null;
}

interface Row {
  id: number;
  day: string | Date;
  text: string;
  note: string | null;
  category: AnnotationCategory | null;
  metric: string | null;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = `id, to_char(day, 'YYYY-MM-DD') AS day, text, note, category, metric, created_by, created_at, updated_at`;

const fromRow = (r: Row): Annotation => ({
  id: Number(r.id),
  day: String(r.day),
  text: r.text,
  note: r.note,
  category: r.category,
  metric: r.metric,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The workspace's annotations in date order, optionally within [from, to] (days, inclusive). */
export async function listAnnotations(db: Queryable, workspaceId: number, range: { from?: string; to?: string } = {}): Promise<Annotation[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM annotations
     WHERE workspace_id = $1 AND ($2::date IS NULL OR day >= $2::date) AND ($3::date IS NULL OR day <= $3::date)
     ORDER BY day, id LIMIT 1000`,
    [workspaceId, range.from ?? null, range.to ?? null],
  );
  return rows.map(fromRow);
}

export async function findAnnotation(db: Queryable, workspaceId: number, id: number): Promise<Annotation | undefined> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM annotations WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? fromRow(row) : undefined;
}

export async function createAnnotation(db: Queryable, workspaceId: number, input: AnnotationInput, createdBy: string): Promise<Annotation> {
  const [row] = await db.query<Row>(
    `INSERT INTO annotations (workspace_id, day, text, note, category, metric, created_by)
     VALUES ($1, $2::date, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [workspaceId, input.day, input.text, input.note ?? null, input.category ?? null, input.metric ?? null, createdBy],
  );
  return fromRow(row!);
}

/** Changes the fields given (null clears an optional one); undefined when there is no such annotation. */
export async function updateAnnotation(db: Queryable, workspaceId: number, id: number, changes: Partial<AnnotationInput>): Promise<Annotation | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [workspaceId, id];
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  if (changes.day !== undefined) set('day', changes.day, '::date');
  if (changes.text !== undefined) set('text', changes.text);
  if (changes.note !== undefined) set('note', changes.note);
  if (changes.category !== undefined) set('category', changes.category);
  if (changes.metric !== undefined) set('metric', changes.metric);
  const [row] = await db.query<Row>(
    `UPDATE annotations SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return row ? fromRow(row) : undefined;
}

export async function deleteAnnotation(db: Queryable, workspaceId: number, id: number): Promise<Annotation | undefined> {
  const [row] = await db.query<Row>(`DELETE FROM annotations WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [workspaceId, id]);
  return row ? fromRow(row) : undefined;
}
