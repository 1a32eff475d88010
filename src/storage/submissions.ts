import { randomBytes } from 'node:crypto';
import type { Answer } from '../listening/answers.ts';
import type { Survey } from '../listening/survey.ts';
import type { Transaction, Database } from './database.ts';
import { addNewResponsesToRollups, beginRollupBatch } from './rollups.ts';
import { SubmissionBatcher } from './submission-batch.ts';
import { eventsForNew, responseEvent } from '../webhooks/events.ts';
import { enqueueWebhookMessages } from './webhooks.ts';
import { openCasesFor } from './cases.ts';

/**
 * Writes answers from the link page, the widget and the public API. Each call is one
 * transaction: the submission, its response rows and the rollup deltas commit together, so a
 * 2xx is only ever sent for answers that are on disk, and the metrics see them at once.
 */

/** Who is answering, as established by the server (a signed link), never by the request body. */
export interface Respondent {
  customerId?: string;
  employeeId?: string;
  orderId?: string;
  ticketId?: string;
  /** The nonce of the personal link, when it is single-use. */
  linkNonce?: string;
}

export interface NewSubmission {
  survey: Survey;
  respondent: Respondent;
  language: string;
  channel: string;
  answers: Answer[];
  complete: boolean;
  reviewConsent?: boolean;
  idempotencyKey?: string;
  /** Hash of the request, to tell a retry (same body) from a reuse of the key (another body). */
  requestHash: string;
  clientHash?: string;
  page?: string;
  /** Days in which an identified person is asked at most one survey of the workspace. */
  contactCooldownDays: number;
}

export interface SubmissionState {
  id: string;
  surveyId: string;
  language: string;
  completed: boolean;
  coupon: string | null;
  /** Questions answered so far (a score, a choice or a text). */
  answered: string[];
  /** Scores given so far, by question (for the wording of the follow-up). */
  scores: Record<string, number>;
}

export type Refusal =
  | 'link_used'
  | 'token_required'
  | 'finished'
  | 'closed'
  | 'already_answered'
  | 'recently_surveyed'
  | 'opted_out'
  | 'full'
  | 'idempotency_conflict'
  | 'not_found';

export type SubmissionOutcome = { ok: true; replayed: boolean; created: boolean; state: SubmissionState } | { ok: false; refusal: Refusal };

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

/**
 * Runs a write transaction again when PostgreSQL chose it as a deadlock victim (or a
 * serialization failure): the transaction rolled back, so running it again is safe. Writers take
 * rollup rows in one order, so this is a safety net, not the plan.
 */
async function retryingTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

export const newSubmissionId = () => randomBytes(16).toString('base64url');

const batchers = new WeakMap<Database, SubmissionBatcher>();

/**
 * Anonymous answers (no person, no single-use link) to surveys without a response cap or a
 * coupon pool are written in group commits; the rest one by one, with their checks.
 */
export async function createSubmission(db: Database, workspaceId: number, request: NewSubmission): Promise<SubmissionOutcome> {
  if (request.survey.status === 'closed') return { ok: false, refusal: 'closed' };
  const { respondent, survey } = request;
  const anonymous = !respondent.customerId && !respondent.employeeId && !respondent.linkNonce;
  if (anonymous && survey.limits.maxResponses === undefined && survey.incentive?.kind !== 'pool') {
    let batcher = batchers.get(db);
    if (!batcher) batchers.set(db, (batcher = new SubmissionBatcher(db, { one: createAlone, replay: replayByKey })));
    return batcher.submit(workspaceId, newSubmissionId(), request);
  }
  return createAlone(db, workspaceId, request);
}

/** Waits for the answers being written in group commits (call before closing the database). */
export async function drainSubmissions(db: Database): Promise<void> {
  await batchers.get(db)?.drain();
}

async function createAlone(db: Database, workspaceId: number, request: NewSubmission): Promise<SubmissionOutcome> {
  if (request.idempotencyKey) {
    const replay = await replayByKey(db, workspaceId, request.idempotencyKey, request.requestHash);
    if (replay) return replay;
  }
  try {
    return await retryingTransaction(db, async (tx) => {
      const refusal = await admissionRefusal(tx, workspaceId, request);
      if (refusal) return { ok: false, refusal };
      const id = newSubmissionId();
      const { respondent } = request;
      await tx.query(
        `INSERT INTO submissions (workspace_id, id, survey_id, language, channel, customer_id, employee_id, order_id, ticket_id, link_nonce,
           idempotency_key, idempotency_hash, last_request_hash, client_hash, page, review_consent, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, CASE WHEN $16::boolean THEN now() END)`,
        [
          workspaceId, id, request.survey.id, request.language, request.channel, respondent.customerId ?? null, respondent.employeeId ?? null,
          respondent.orderId ?? null, respondent.ticketId ?? null, respondent.linkNonce ?? null, request.idempotencyKey ?? null,
          request.requestHash, request.clientHash ?? null, request.page ?? null, request.reviewConsent ?? null, request.complete,
        ],
      );
      await writeAnswers(tx, workspaceId, { id, survey: request.survey, language: request.language, channel: request.channel, respondent }, request.answers, true);
      await enqueueWebhookMessages(
        tx,
        workspaceId,
        eventsForNew({ submissionId: id, survey: request.survey, language: request.language, channel: request.channel, completed: request.complete, ...respondent, answers: request.answers }),
      );
      const coupon = request.complete ? await assignCoupon(tx, workspaceId, request.survey, id, respondent.customerId ?? respondent.employeeId) : null;
      return { ok: true, replayed: false, created: true, state: await readState(tx, workspaceId, id, coupon) };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Lost a race: the same key or the same single-use link committed first.
    if (request.idempotencyKey) {
      const replay = await replayByKey(db, workspaceId, request.idempotencyKey, request.requestHash);
      if (replay) return replay;
    }
    return { ok: false, refusal: 'link_used' };
  }
}

export interface SubmissionUpdate {
  survey: Survey;
  answers: Answer[];
  complete: boolean;
  reviewConsent?: boolean;
  requestHash: string;
}

/** Adds answers to an unfinished submission (the comment after the score), or finishes it. */
export async function updateSubmission(db: Database, workspaceId: number, id: string, update: SubmissionUpdate): Promise<SubmissionOutcome> {
  return retryingTransaction(db, async (tx) => {
    const [row] = await tx.query<{ survey_id: string; language: string; channel: string; completed: boolean; last_request_hash: string; customer_id: string | null; employee_id: string | null; order_id: string | null; ticket_id: string | null }>(
      `SELECT survey_id, language, channel, completed_at IS NOT NULL AS completed, last_request_hash, customer_id, employee_id, order_id, ticket_id
       FROM submissions WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
      [workspaceId, id],
    );
    if (!row || row.survey_id !== update.survey.id) return { ok: false, refusal: 'not_found' };
    if (row.completed) {
      // A retry of the request that finished it gets the same answer; anything else is an edit.
      if (row.last_request_hash === update.requestHash) return { ok: true, replayed: true, created: false, state: await readState(tx, workspaceId, id) };
      return { ok: false, refusal: 'finished' };
    }
    if (update.survey.status === 'closed') return { ok: false, refusal: 'closed' };
    const respondent: Respondent = { customerId: row.customer_id ?? undefined, employeeId: row.employee_id ?? undefined, orderId: row.order_id ?? undefined, ticketId: row.ticket_id ?? undefined };
    await tx.query(
      `UPDATE submissions SET updated_at = now(), last_request_hash = $3, review_consent = coalesce($4, review_consent),
         completed_at = CASE WHEN $5::boolean THEN now() END WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, update.requestHash, update.reviewConsent ?? null, update.complete],
    );
    await writeAnswers(tx, workspaceId, { id, survey: update.survey, language: row.language, channel: row.channel, respondent }, update.answers, false);
    if (update.complete) {
      // Finished now (a finished one was refused above): response.completed with every answer it holds.
      const answers = await tx.query<{ questionId: string; kind: Answer['kind']; score: number | null; answer: string | null; comment: string | null }>(
        `SELECT question_id AS "questionId", kind, score, answer, comment FROM responses WHERE workspace_id = $1 AND submission_id = $2 ORDER BY id`,
        [workspaceId, id],
      );
      await enqueueWebhookMessages(tx, workspaceId, [
        responseEvent('response.completed', { submissionId: id, survey: update.survey, language: row.language, channel: row.channel, completed: true, ...respondent, answers }),
      ]);
    }
    const coupon = update.complete ? await assignCoupon(tx, workspaceId, update.survey, id, respondent.customerId ?? respondent.employeeId) : null;
    return { ok: true, replayed: false, created: false, state: await readState(tx, workspaceId, id, coupon) };
  });
}

/** The submission a personal link opened, if any (to resume it, or to say it is done). */
export async function findSubmissionByLink(db: Database, workspaceId: number, surveyId: string, linkNonce: string): Promise<SubmissionState | undefined> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM submissions WHERE workspace_id = $1 AND survey_id = $2 AND link_nonce = $3', [workspaceId, surveyId, linkNonce]);
  return row ? findSubmission(db, workspaceId, row.id) : undefined;
}

export async function findSubmission(db: Database, workspaceId: number, id: string): Promise<SubmissionState | undefined> {
  const [row] = await db.query('SELECT 1 FROM submissions WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return row ? readState(db, workspaceId, id) : undefined;
}

/** Records that a person asked not to be surveyed again. */
export async function optOut(db: Database, workspaceId: number, person: { kind: 'customer' | 'employee'; id: string }): Promise<void> {
  await db.query(`INSERT INTO survey_opt_outs (workspace_id, person_kind, person_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [workspaceId, person.kind, person.id]);
}

async function replayByKey(db: Database, workspaceId: number, key: string, requestHash: string): Promise<SubmissionOutcome | undefined> {
  const [row] = await db.query<{ id: string; idempotency_hash: string }>(
    'SELECT id, idempotency_hash FROM submissions WHERE workspace_id = $1 AND idempotency_key = $2',
    [workspaceId, key],
  );
  if (!row) return undefined;
  if (row.idempotency_hash !== requestHash) return { ok: false, refusal: 'idempotency_conflict' };
  return { ok: true, replayed: true, created: false, state: (await findSubmission(db, workspaceId, row.id))! };
}

async function admissionRefusal(tx: Transaction, workspaceId: number, request: NewSubmission): Promise<Refusal | undefined> {
  const { survey, respondent } = request;
  if (survey.status === 'closed') return 'closed';
  // Check-then-insert is only safe one at a time: answers of one person (cooldowns, coupon) and
  // to one capped survey take turns until they commit (on PostgreSQL; PGlite runs one at a time).
  const personKey = respondent.customerId ? `c:${respondent.customerId}` : respondent.employeeId ? `e:${respondent.employeeId}` : undefined;
  if (personKey) await tx.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2))', [workspaceId, personKey]);
  if (survey.limits.maxResponses !== undefined) await tx.query('SELECT 1 FROM surveys WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspaceId, survey.id]);
  if (respondent.linkNonce) {
    const used = await tx.query('SELECT 1 FROM submissions WHERE workspace_id = $1 AND survey_id = $2 AND link_nonce = $3', [workspaceId, survey.id, respondent.linkNonce]);
    if (used.length > 0) return 'link_used';
  }
  const person = respondent.customerId ? { kind: 'customer', id: respondent.customerId, column: 'customer_id' } : respondent.employeeId ? { kind: 'employee', id: respondent.employeeId, column: 'employee_id' } : undefined;
  if (person) {
    const [state] = await tx.query<{ opted_out: boolean; same: boolean; other: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM survey_opt_outs WHERE workspace_id = $1 AND person_kind = $2 AND person_id = $3) AS opted_out,
         EXISTS (SELECT 1 FROM submissions WHERE workspace_id = $1 AND ${person.column} = $3 AND survey_id = $4
                   AND started_at > now() - make_interval(days => $5)) AS same,
         EXISTS (SELECT 1 FROM submissions WHERE workspace_id = $1 AND ${person.column} = $3 AND survey_id <> $4
                   AND started_at > now() - make_interval(days => $6)) AS other`,
      [workspaceId, person.kind, person.id, survey.id, survey.limits.cooldownDays, request.contactCooldownDays],
    );
    if (state?.opted_out) return 'opted_out';
    if (state?.same) return 'already_answered';
    if (state?.other) return 'recently_surveyed';
  }
  if (survey.limits.maxResponses !== undefined) {
    const [count] = await tx.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM submissions WHERE workspace_id = $1 AND survey_id = $2 AND completed_at IS NOT NULL',
      [workspaceId, survey.id],
    );
    if ((count?.n ?? 0) >= survey.limits.maxResponses) return 'full';
  }
  return undefined;
}

interface SubmissionContext {
  id: string;
  survey: Survey;
  language: string;
  channel: string;
  respondent: Respondent;
}

const RESPONSE_COLUMNS = ['kind', 'score', 'scale_min', 'scale_max', 'answer', 'comment', 'language', 'submitted_at', 'survey_id', 'question_id', 'submission_id', 'customer_id', 'employee_id', 'touchpoint', 'channel', 'ticket_id', 'order_id', 'attributes'];

/**
 * Upserts one response row per answered question. A later answer to the same question keeps
 * what it does not replace (a comment sent after the score keeps the score). New rows add their
 * contribution to the rollups; changed rows subtract their old one and add the new, in this
 * transaction.
 */
async function writeAnswers(tx: Transaction, workspaceId: number, context: SubmissionContext, answers: Answer[], isNew: boolean): Promise<void> {
  if (answers.length === 0) return;
  const ids = answers.map((a) => `${context.id}:${a.questionId}`);
  // A comment or a choice changes no rollup (they count scores): only new scores need a delta.
  const scored = answers.some((a) => a.score !== null);
  const rollups = isNew || !scored ? undefined : await beginRollupBatch(tx, workspaceId, 'responses', RESPONSE_COLUMNS, 'SELECT unnest($3::text[])', [ids]);
  const { respondent, survey } = context;
  await tx.query(
    `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, answer, comment, language, submitted_at, survey_id, question_id,
       submission_id, customer_id, employee_id, touchpoint, channel, ticket_id, order_id, attributes)
     SELECT $1, a.id, a.kind, a.score, a.scale_min, a.scale_max, a.answer, a.comment, $3, now(), $4, a.question_id, $5, $6, $7, $8, $9, $10, $11, a.attributes
     FROM jsonb_to_recordset($2::jsonb) AS a (id text, kind text, score double precision, scale_min integer, scale_max integer, answer text, comment text, question_id text, attributes jsonb)
     ON CONFLICT (workspace_id, id) DO UPDATE SET
       score = coalesce(EXCLUDED.score, responses.score), answer = coalesce(EXCLUDED.answer, responses.answer),
       comment = coalesce(EXCLUDED.comment, responses.comment),
       attributes = responses.attributes || EXCLUDED.attributes, updated_at = now()`,
    [
      workspaceId,
      JSON.stringify(
        answers.map((a, i) => ({ id: ids[i], kind: a.kind, score: a.score, scale_min: a.scaleMin, scale_max: a.scaleMax, answer: a.answer, comment: a.comment, question_id: a.questionId, attributes: a.attributes })),
      ),
      context.language, survey.id, context.id, respondent.customerId ?? null, respondent.employeeId ?? null, survey.touchpoint, context.channel,
      respondent.ticketId ?? null, respondent.orderId ?? null,
    ],
  );
  if (rollups) await rollups.after(true);
  else if (isNew && scored) await addNewResponsesToRollups(tx, workspaceId, ids);
  // A dissatisfied answer opens its follow-up case in this transaction (docs/cases.md).
  if (scored) await openCasesFor(tx, workspaceId, ids.filter((_id, i) => answers[i]!.score !== null));
}

/** One code per respondent: the one this person already got from this survey, else a free one. */
async function assignCoupon(tx: Transaction, workspaceId: number, survey: Survey, submissionId: string, personId: string | undefined): Promise<string | null> {
  if (survey.incentive?.kind === 'code') {
    await tx.query('UPDATE submissions SET coupon = $3 WHERE workspace_id = $1 AND id = $2', [workspaceId, submissionId, survey.incentive.code]);
    return survey.incentive.code;
  }
  if (survey.incentive?.kind !== 'pool') return null;
  if (personId) {
    const [held] = await tx.query<{ code: string }>('SELECT code FROM survey_coupons WHERE workspace_id = $1 AND survey_id = $2 AND customer_id = $3 LIMIT 1', [workspaceId, survey.id, personId]);
    if (held) {
      await tx.query('UPDATE submissions SET coupon = $3 WHERE workspace_id = $1 AND id = $2', [workspaceId, submissionId, held.code]);
      return held.code;
    }
  }
  const [row] = await tx.query<{ code: string }>(
    `UPDATE survey_coupons SET submission_id = $3, customer_id = $4, assigned_at = now()
     WHERE (workspace_id, survey_id, code) = (
       SELECT workspace_id, survey_id, code FROM survey_coupons WHERE workspace_id = $1 AND survey_id = $2 AND submission_id IS NULL
       ORDER BY code LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING code`,
    [workspaceId, survey.id, submissionId, personId ?? null],
  );
  if (!row) return null;
  await tx.query('UPDATE submissions SET coupon = $3 WHERE workspace_id = $1 AND id = $2', [workspaceId, submissionId, row.code]);
  return row.code;
}

async function readState(tx: Pick<Transaction, 'query'>, workspaceId: number, id: string, coupon?: string | null): Promise<SubmissionState> {
  const rows = await tx.query<{ survey_id: string; language: string; completed: boolean; coupon: string | null; question_id: string | null; score: number | null; answered: boolean | null }>(
    `SELECT m.survey_id, m.language, m.completed_at IS NOT NULL AS completed, m.coupon, r.question_id, r.score,
       (r.score IS NOT NULL OR r.answer IS NOT NULL OR r.comment IS NOT NULL) AS answered
     FROM submissions m LEFT JOIN responses r ON r.workspace_id = m.workspace_id AND r.submission_id = m.id
     WHERE m.workspace_id = $1 AND m.id = $2`,
    [workspaceId, id],
  );
  const first = rows[0];
  if (!first) throw new Error(`submission ${id} vanished`);
  const scores: Record<string, number> = {};
  for (const r of rows) if (r.question_id && r.score !== null) scores[r.question_id] = r.score;
  return {
    id,
    surveyId: first.survey_id,
    language: first.language,
    completed: first.completed,
    coupon: coupon ?? first.coupon,
    answered: rows.filter((r) => r.question_id && r.answered).map((r) => r.question_id!),
    scores,
  };
}
