import type { Queryable } from './accounts.ts';
import type { CaseRecord } from '../metrics/cases.ts';

/**
 * Follow-up cases of the closed loop (docs/cases.md). Whether an answer opens one is decided in
 * SQL by sada_opens_case (migration 0017), the one definition of the rule, so every path that
 * stores answers opens cases the same way and in its own transaction: the link page's and the
 * API's submissions (storage/submissions.ts), the group commit (submission-batch.ts, as a CTE
 * of its one statement) and `sada cases backfill` for imported answers. The unique key
 * (workspace_id, response_id) makes all of them idempotent.
 */

export const CASE_STATUSES = ['open', 'contacted', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Hours to close the loop when the workspace sets none (settings.cases.slaHours). */
export const DEFAULT_SLA_HOURS = 48;

/**
 * `INSERT INTO cases … SELECT` from a relation of responses (`source`, with workspace_id, id,
 * kind, score, scale_min, scale_max, customer_id, employee_id, submitted_at). Employees' answers
 * never open a case. The due date is opened_at + the SLA in calendar hours (docs/cases.md says why).
 * The default owner is settings.cases.ownerUserId while that user is an analyst or admin there.
 */
export function caseInsertSql(source: string): string {
  return `INSERT INTO cases (workspace_id, response_id, customer_id, kind, score, scale_min, scale_max, answered_at, owner_user_id, sla_hours, due_at)
    SELECT r.workspace_id, r.id, r.customer_id, r.kind, r.score, r.scale_min, r.scale_max, r.submitted_at,
      (SELECT m.user_id FROM memberships m WHERE m.workspace_id = w.id AND m.role IN ('admin', 'analyst')
         AND m.user_id::text = w.settings -> 'cases' ->> 'ownerUserId'),
      sla.hours, now() + make_interval(hours => sla.hours)
    FROM ${source} r
    JOIN workspaces w ON w.id = r.workspace_id
    CROSS JOIN LATERAL (SELECT coalesce((w.settings -> 'cases' ->> 'slaHours')::integer, ${DEFAULT_SLA_HOURS}) AS hours) sla
    WHERE r.employee_id IS NULL AND sada_opens_case(r.kind, r.score, r.scale_min, r.scale_max, w.settings)
    ON CONFLICT (workspace_id, response_id) DO NOTHING`;
}

/** Opens the cases the given responses call for (in the caller's transaction); returns their ids. */
export async function openCasesFor(db: Queryable, workspaceId: number, responseIds: string[]): Promise<number[]> {
  if (responseIds.length === 0) return [];
  const rows = await db.query<{ id: number }>(
    `WITH source AS (SELECT * FROM responses WHERE workspace_id = $1 AND id = ANY($2::text[]))
     ${caseInsertSql('source')} RETURNING id`,
    [workspaceId, responseIds],
  );
  return rows.map((r) => Number(r.id));
}

/** Imported answers younger than this open their case in the import's own transaction. */
export const IMPORT_CASE_DAYS = 30;

/**
 * The on-commit pass of an import batch (bulk-upsert.ts): the batch's answers submitted in the
 * last IMPORT_CASE_DAYS days open their cases in the batch's transaction — a webhook delivery or
 * an export of this week's answers is followed up like an answer from the link page. Older
 * answers (a history import) open none; `sada cases backfill --since` opens theirs on purpose.
 */
export async function openCasesForImport(tx: Queryable, workspaceId: number, stage: string, stageHasTimes: boolean): Promise<void> {
  // When the batch carries submitted_at, its old rows (a history import) are dropped on the small
  // staging table before any lookup, so such an import pays one scan of the batch and nothing more.
  const recent = stageHasTimes ? ` WHERE submitted_at >= now() - make_interval(days => ${IMPORT_CASE_DAYS})` : '';
  await tx.query(
    `WITH source AS (
       SELECT * FROM responses WHERE workspace_id = $1 AND id = ANY(ARRAY(SELECT id FROM ${stage}${recent}))
         AND submitted_at >= now() - make_interval(days => ${IMPORT_CASE_DAYS}) AND score IS NOT NULL AND kind IN ('nps', 'csat', 'ces'))
     ${caseInsertSql('source')}`,
    [workspaceId],
  );
}

/**
 * Opens the cases of answers already stored (imported files, answers from before cases
 * existed), answered at or after `since`. Running it again opens nothing twice.
 */
export async function backfillCases(db: Queryable, workspaceId: number, since: Date): Promise<{ opened: number }> {
  const rows = await db.query<{ n: number }>(
    `WITH source AS (SELECT * FROM responses WHERE workspace_id = $1 AND submitted_at >= $2 AND score IS NOT NULL AND kind IN ('nps', 'csat', 'ces')),
     opened AS (${caseInsertSql('source')} RETURNING 1)
     SELECT count(*)::integer AS n FROM opened`,
    [workspaceId, since],
  );
  return { opened: rows[0]?.n ?? 0 };
}

export interface CaseOwner {
  id: number;
  name: string;
  email: string;
}

export interface CaseSummary {
  id: number;
  status: CaseStatus;
  owner: CaseOwner | null;
  slaHours: number;
  openedAt: string;
  dueAt: string;
  contactedAt: string | null;
  resolvedAt: string | null;
  /** Not resolved and past its due date (at the database's now). */
  overdue: boolean;
  answer: { responseId: string; kind: string; score: number; scaleMin: number; scaleMax: number; comment: string | null; answeredAt: string; surveyId: string | null; touchpoint: string | null; language: string | null };
  customer: { id: string; name: string | null; email: string | null } | null;
}

export interface CaseNote {
  id: number;
  author: string;
  text: string;
  createdAt: string;
}

interface CaseRow {
  id: number;
  status: CaseStatus;
  owner_user_id: number | null;
  owner_name: string | null;
  owner_email: string | null;
  sla_hours: number;
  opened_at: Date;
  due_at: Date;
  contacted_at: Date | null;
  resolved_at: Date | null;
  overdue: boolean;
  response_id: string;
  kind: string;
  score: number;
  scale_min: number;
  scale_max: number;
  comment: string | null;
  answered_at: Date;
  survey_id: string | null;
  touchpoint: string | null;
  language: string | null;
  customer_id: string | null;
  customer_name: string | null;
  customer_email: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toCase(r: CaseRow): CaseSummary {
  return {
    id: Number(r.id),
    status: r.status,
    owner: r.owner_user_id === null ? null : { id: Number(r.owner_user_id), name: r.owner_name ?? '', email: r.owner_email ?? '' },
    slaHours: Number(r.sla_hours),
    openedAt: iso(r.opened_at)!,
    dueAt: iso(r.due_at)!,
    contactedAt: iso(r.contacted_at),
    resolvedAt: iso(r.resolved_at),
    overdue: r.overdue,
    answer: {
      responseId: r.response_id, kind: r.kind, score: Number(r.score), scaleMin: Number(r.scale_min), scaleMax: Number(r.scale_max), comment: r.comment,
      answeredAt: iso(r.answered_at)!, surveyId: r.survey_id, touchpoint: r.touchpoint, language: r.language,
    },
    customer: r.customer_id === null ? null : { id: r.customer_id, name: r.customer_name, email: r.customer_email },
  };
}

const SELECT_CASES = `SELECT c.id, c.status, c.owner_user_id, u.name AS owner_name, u.email AS owner_email, c.sla_hours, c.opened_at, c.due_at,
    c.contacted_at, c.resolved_at, (c.status <> 'resolved' AND c.due_at < now()) AS overdue,
    c.response_id, c.kind, c.score, c.scale_min, c.scale_max, r.comment, c.answered_at, r.survey_id, r.touchpoint, r.language,
    c.customer_id, cu.name AS customer_name, cu.email AS customer_email
  FROM cases c
  LEFT JOIN users u ON u.id = c.owner_user_id
  LEFT JOIN responses r ON r.workspace_id = c.workspace_id AND r.id = c.response_id
  LEFT JOIN customers cu ON cu.workspace_id = c.workspace_id AND cu.id = c.customer_id`;

export interface CaseFilter {
  status?: CaseStatus[];
  /** A user id, or 'none' for unassigned cases. */
  owner?: number | 'none';
  overdue?: boolean;
  limit: number;
  offset: number;
}

/**
 * The queue: unresolved cases first, the earliest due first (so the overdue ones lead), then
 * resolved cases, the latest resolved first. `total` counts every case the filter matches.
 */
export async function listCases(db: Queryable, workspaceId: number, filter: CaseFilter): Promise<{ cases: CaseSummary[]; total: number }> {
  const where = ['c.workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  if (filter.status?.length) {
    params.push(filter.status);
    where.push(`c.status = ANY($${params.length}::text[])`);
  }
  if (filter.owner === 'none') where.push('c.owner_user_id IS NULL');
  else if (filter.owner !== undefined) {
    params.push(filter.owner);
    where.push(`c.owner_user_id = $${params.length}`);
  }
  if (filter.overdue !== undefined) where.push(filter.overdue ? `(c.status <> 'resolved' AND c.due_at < now())` : `NOT (c.status <> 'resolved' AND c.due_at < now())`);
  const condition = where.join(' AND ');
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM cases c WHERE ${condition}`, params);
  const rows = await db.query<CaseRow>(
    `${SELECT_CASES} WHERE ${condition}
     ORDER BY (c.status = 'resolved'), CASE WHEN c.status <> 'resolved' THEN c.due_at END, c.resolved_at DESC, c.id
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filter.limit, filter.offset],
  );
  return { cases: rows.map(toCase), total: count?.n ?? 0 };
}

export async function findCase(db: Queryable, workspaceId: number, id: number): Promise<CaseSummary | undefined> {
  const [row] = await db.query<CaseRow>(`${SELECT_CASES} WHERE c.workspace_id = $1 AND c.id = $2`, [workspaceId, id]);
  return row ? toCase(row) : undefined;
}

export async function caseNotes(db: Queryable, workspaceId: number, caseId: number): Promise<CaseNote[]> {
  const rows = await db.query<{ id: number; author_label: string; text: string; created_at: Date }>(
    'SELECT id, author_label, text, created_at FROM case_notes WHERE workspace_id = $1 AND case_id = $2 ORDER BY id',
    [workspaceId, caseId],
  );
  return rows.map((r) => ({ id: Number(r.id), author: r.author_label, text: r.text, createdAt: iso(r.created_at)! }));
}

export async function addCaseNote(db: Queryable, workspaceId: number, caseId: number, note: { authorUserId: number | null; authorLabel: string; text: string }): Promise<CaseNote> {
  const [row] = await db.query<{ id: number; created_at: Date }>(
    'INSERT INTO case_notes (workspace_id, case_id, author_user_id, author_label, text) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at',
    [workspaceId, caseId, note.authorUserId, note.authorLabel, note.text],
  );
  await db.query('UPDATE cases SET updated_at = now() WHERE workspace_id = $1 AND id = $2', [workspaceId, caseId]);
  return { id: Number(row!.id), author: note.authorLabel, text: note.text, createdAt: iso(row!.created_at)! };
}

/**
 * Moves a case (locked FOR UPDATE by the caller's transaction): each status keeps the time it was
 * first reached — contacted_at is set on the first move to contacted (or straight to resolved,
 * which implies contact), resolved_at on resolving; reopening clears resolved_at only.
 */
export async function updateCase(db: Queryable, workspaceId: number, id: number, change: { status?: CaseStatus; ownerUserId?: number | null }): Promise<void> {
  await db.query(
    `UPDATE cases SET
       status = coalesce($3, status),
       contacted_at = CASE WHEN $3 IN ('contacted', 'resolved') THEN coalesce(contacted_at, now()) ELSE contacted_at END,
       resolved_at = CASE WHEN $3 = 'resolved' THEN coalesce(resolved_at, now()) WHEN $3 IS NOT NULL THEN NULL ELSE resolved_at END,
       owner_user_id = CASE WHEN $4 THEN $5::integer ELSE owner_user_id END,
       updated_at = now()
     WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id, change.status ?? null, change.ownerUserId !== undefined, change.ownerUserId ?? null],
  );
}

/** Members who may own a case: analysts and admins of the workspace. */
export async function caseOwners(db: Queryable, workspaceId: number): Promise<CaseOwner[]> {
  const rows = await db.query<{ id: number; name: string; email: string }>(
    `SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.workspace_id = $1 AND m.role IN ('admin', 'analyst') ORDER BY lower(coalesce(nullif(u.name, ''), u.email)), u.id`,
    [workspaceId],
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, email: r.email }));
}

/**
 * What the closed-loop metrics read (metrics/cases.ts): the cases opened in [from, to) and, for
 * each case with a customer, that customer's first later answer of the same kind.
 */
export async function caseRecords(db: Queryable, workspaceId: number, window: { from?: Date; to?: Date }): Promise<{ records: CaseRecord[]; now: Date }> {
  const rows = await db.query<{
    id: number; customer_id: string | null; kind: string; score: number; scale_min: number; scale_max: number; answered_at: Date;
    opened_at: Date; due_at: Date; resolved_at: Date | null; next_score: number | null; next_min: number | null; next_max: number | null; now: Date;
  }>(
    `SELECT c.id, c.customer_id, c.kind, c.score, c.scale_min, c.scale_max, c.answered_at, c.opened_at, c.due_at, c.resolved_at,
       nx.score AS next_score, nx.scale_min AS next_min, nx.scale_max AS next_max, now() AS now
     FROM cases c
     LEFT JOIN LATERAL (
       SELECT r.score, r.scale_min, r.scale_max FROM responses r
       WHERE c.customer_id IS NOT NULL AND r.workspace_id = c.workspace_id AND r.customer_id = c.customer_id AND r.kind = c.kind
         AND r.score IS NOT NULL AND r.submitted_at > c.answered_at
       ORDER BY r.submitted_at, r.id LIMIT 1) nx ON true
     WHERE c.workspace_id = $1 AND ($2::timestamptz IS NULL OR c.opened_at >= $2) AND ($3::timestamptz IS NULL OR c.opened_at < $3)`,
    [workspaceId, window.from ?? null, window.to ?? null],
  );
  const now = rows[0] ? new Date(rows[0].now) : new Date();
  return {
    now,
    records: rows.map((r) => ({
      id: Number(r.id),
      customerId: r.customer_id,
      score: Number(r.score),
      scaleMin: Number(r.scale_min),
      scaleMax: Number(r.scale_max),
      answeredAt: new Date(r.answered_at),
      openedAt: new Date(r.opened_at),
      dueAt: new Date(r.due_at),
      resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at),
      next: r.next_score === null ? null : { score: Number(r.next_score), scaleMin: Number(r.next_min), scaleMax: Number(r.next_max) },
    })),
  };
}

/**
 * The demo company's follow-up history (src/demo/run.ts), so the Cases page is not empty: the
 * dissatisfied answers of identified customers in the demo's last `days` days get cases opened
 * when they were answered, due 48 hours later, with a deterministic outcome per answer (from a
 * hash of its id): 85% resolved after 4 to 93 hours (so some miss the SLA), 5% contacted, 10%
 * still open (overdue by now). Idempotent like every case.
 */
export async function openDemoCases(db: Queryable, workspaceId: number, days = 45): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH last AS (SELECT max(submitted_at) AS t FROM responses WHERE workspace_id = $1),
     source AS (
       SELECT r.*, abs(hashtext(r.id)) % 100 AS u FROM responses r, last
       WHERE r.workspace_id = $1 AND r.submitted_at > last.t - make_interval(days => $2) AND r.score IS NOT NULL
         AND r.kind IN ('nps', 'csat', 'ces') AND r.customer_id IS NOT NULL AND r.employee_id IS NULL),
     opened AS (
       INSERT INTO cases (workspace_id, response_id, customer_id, kind, score, scale_min, scale_max, answered_at, sla_hours, opened_at, due_at, status, contacted_at, resolved_at, updated_at)
       SELECT r.workspace_id, r.id, r.customer_id, r.kind, r.score, r.scale_min, r.scale_max, r.submitted_at, 48, r.submitted_at, r.submitted_at + interval '48 hours',
         CASE WHEN r.u < 85 THEN 'resolved' WHEN r.u < 90 THEN 'contacted' ELSE 'open' END,
         CASE WHEN r.u < 90 THEN r.submitted_at + make_interval(hours => 2 + r.u % 20) END,
         CASE WHEN r.u < 85 THEN r.submitted_at + make_interval(hours => 4 + (r.u * 7) % 90) END,
         r.submitted_at
       FROM source r JOIN workspaces w ON w.id = r.workspace_id
       WHERE sada_opens_case(r.kind, r.score, r.scale_min, r.scale_max, w.settings)
       ON CONFLICT (workspace_id, response_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::integer AS n FROM opened`,
    [workspaceId, days],
  );
  return rows[0]?.n ?? 0;
}
