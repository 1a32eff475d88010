import type { Database } from './database.ts';
import { eventsForNew } from '../webhooks/events.ts';
import { newResponseRollupCtes } from './rollups.ts';
import type { NewSubmission, SubmissionOutcome, SubmissionState } from './submissions.ts';
import { messagesParam, webhookDeliveryCtes } from './webhooks.ts';
import { caseInsertSql } from './cases.ts';

/**
 * Group commit for new anonymous answers (the widget's and the public link's): answers that
 * arrive while a transaction is writing wait for it, then go in together, with one INSERT for
 * the submissions, one for the responses and one rollup upsert per tier. Every answer still gets
 * its 2xx only after the transaction holding it has committed. Why: each answer adds 1 to the
 * same few rollup rows (today × kind × score); one transaction per answer would queue on those
 * row locks, one transaction per batch takes them once.
 */

const MAX_BATCH = 500;
/**
 * How long an idle writer waits for more answers before writing. PGlite runs queries on the
 * event loop's thread, so nothing else moves while a batch is written; without a short wait each
 * batch would hold the one answer that arrived first (measured: batches of 1 and 100 answers/s).
 * PostgreSQL's batches fill by themselves while the previous one is on the server.
 */
const LINGER_MS = { pglite: 3, postgres: 0 } as const;

interface Pending {
  workspaceId: number;
  id: string;
  request: NewSubmission;
  resolve: (outcome: SubmissionOutcome) => void;
  reject: (error: unknown) => void;
}

export interface BatchFallbacks {
  /** Writes one submission in its own transaction (when a batch fails, to isolate the culprit). */
  one(db: Database, workspaceId: number, request: NewSubmission): Promise<SubmissionOutcome>;
  /** The outcome for a request whose Idempotency-Key was already taken. */
  replay(db: Database, workspaceId: number, key: string, requestHash: string): Promise<SubmissionOutcome | undefined>;
}

export class SubmissionBatcher {
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  #lingering = false;

  constructor(
    private readonly db: Database,
    private readonly fallbacks: BatchFallbacks,
  ) {}

  submit(workspaceId: number, id: string, request: NewSubmission): Promise<SubmissionOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ workspaceId, id, request, resolve, reject });
      this.#pump();
    });
  }

  /** Resolves once everything queued so far is written (before the database is closed). */
  async drain(): Promise<void> {
    while (this.#writing || this.#queue.length > 0) {
      if (this.#writing) await this.#writing;
      else await new Promise((resolve) => setTimeout(resolve, LINGER_MS[this.db.engine] + 1));
    }
  }

  #pump(): void {
    if (this.#writing || this.#lingering || this.#queue.length === 0) return;
    const linger = LINGER_MS[this.db.engine];
    if (linger > 0 && this.#queue.length < MAX_BATCH) {
      this.#lingering = true;
      setTimeout(() => {
        this.#lingering = false;
        this.#start();
      }, linger);
      return;
    }
    this.#start();
  }

  #start(): void {
    if (this.#writing || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, MAX_BATCH);
    this.#writing = this.#write(batch).finally(() => {
      this.#writing = undefined;
      this.#pump();
    });
  }

  async #write(batch: Pending[]): Promise<void> {
    let accepted: Set<string>;
    try {
      accepted = await this.#insert(batch);
    } catch (error) {
      // One bad answer must not sink the others: halve the batch until it is found, and try that
      // one alone. A failed statement wrote nothing (if the connection broke after its commit,
      // an answer with an Idempotency-Key is found by the retry rather than written again).
      if (batch.length === 1) {
        const [item] = batch;
        await this.fallbacks.one(this.db, item!.workspaceId, item!.request).then(item!.resolve, (alone: unknown) => item!.reject(alone ?? error));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.#write(batch.slice(0, half));
      await this.#write(batch.slice(half));
      return;
    }
    for (const item of batch) {
      if (accepted.has(item.id)) {
        item.resolve({ ok: true, replayed: false, created: true, state: stateOf(item) });
        continue;
      }
      // Its Idempotency-Key was taken, by an earlier request or one in this batch: a retry.
      const key = item.request.idempotencyKey;
      const replay = key ? this.fallbacks.replay(this.db, item.workspaceId, key, item.request.requestHash) : Promise.resolve(undefined);
      replay.then((outcome) => (outcome ? item.resolve(outcome) : item.reject(new Error(`submission ${item.id} was neither written nor a replay`))), item.reject);
    }
  }

  /**
   * One statement: the submissions (a taken Idempotency-Key skips its row), the responses of
   * those written, the follow-up cases of the dissatisfied ones (docs/cases.md), their rollups, and their webhook messages with the jobs that send them (so an
   * acknowledged answer always has its webhook, and a retry whose key was taken makes none). A single statement is its own transaction, so it needs no
   * BEGIN and COMMIT round trips, and it commits or fails as a whole.
   */
  async #insert(batch: Pending[]): Promise<Set<string>> {
    const submissions = batch.map(({ workspaceId, id, request: r }) => ({
      workspace_id: workspaceId,
      id,
      survey_id: r.survey.id,
      language: r.language,
      channel: r.channel,
      order_id: r.respondent.orderId ?? null,
      ticket_id: r.respondent.ticketId ?? null,
      idempotency_key: r.idempotencyKey ?? null,
      request_hash: r.requestHash,
      client_hash: r.clientHash ?? null,
      page: r.page ?? null,
      review_consent: r.reviewConsent ?? null,
      complete: r.complete,
      coupon: couponOf(r),
    }));
    const answers = batch.flatMap(({ workspaceId, id, request: r }) =>
      r.answers.map((a) => ({
        workspace_id: workspaceId,
        id: `${id}:${a.questionId}`,
        kind: a.kind,
        score: a.score,
        scale_min: a.scaleMin,
        scale_max: a.scaleMax,
        answer: a.answer,
        comment: a.comment,
        language: r.language,
        survey_id: r.survey.id,
        question_id: a.questionId,
        submission_id: id,
        touchpoint: r.survey.touchpoint,
        channel: r.channel,
        order_id: r.respondent.orderId ?? null,
        ticket_id: r.respondent.ticketId ?? null,
        attributes: a.attributes,
      })),
    );
    // The webhook messages of every answer; the statement keeps those of the submissions it inserted.
    const messages = batch.flatMap(({ workspaceId, id, request: r }) =>
      messagesParam(
        workspaceId,
        eventsForNew({ submissionId: id, survey: r.survey, language: r.language, channel: r.channel, completed: r.complete, orderId: r.respondent.orderId, ticketId: r.respondent.ticketId, answers: r.answers }),
      ),
    );
    const inserted = await this.db.query<{ id: string }>(
      `WITH new_submissions AS (
         INSERT INTO submissions (workspace_id, id, survey_id, language, channel, order_id, ticket_id, idempotency_key, idempotency_hash, last_request_hash,
           client_hash, page, review_consent, coupon, completed_at)
         SELECT s.workspace_id, s.id, s.survey_id, s.language, s.channel, s.order_id, s.ticket_id, s.idempotency_key, s.request_hash, s.request_hash,
           s.client_hash, s.page, s.review_consent, s.coupon, CASE WHEN s.complete THEN now() END
         FROM jsonb_to_recordset($1::jsonb) AS s (workspace_id integer, id text, survey_id text, language text, channel text, order_id text, ticket_id text,
           idempotency_key text, request_hash text, client_hash text, page text, review_consent boolean, complete boolean, coupon text)
         ON CONFLICT DO NOTHING
         RETURNING workspace_id, id),
       new_responses AS (
         INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, answer, comment, language, submitted_at, survey_id, question_id,
           submission_id, touchpoint, channel, order_id, ticket_id, attributes)
         SELECT a.workspace_id, a.id, a.kind, a.score, a.scale_min, a.scale_max, a.answer, a.comment, a.language, now(), a.survey_id, a.question_id,
           a.submission_id, a.touchpoint, a.channel, a.order_id, a.ticket_id, a.attributes
         FROM jsonb_to_recordset($2::jsonb) AS a (workspace_id integer, id text, kind text, score double precision, scale_min integer, scale_max integer,
           answer text, comment text, language text, survey_id text, question_id text, submission_id text, touchpoint text, channel text,
           order_id text, ticket_id text, attributes jsonb)
         JOIN new_submissions s ON s.workspace_id = a.workspace_id AND s.id = a.submission_id
         RETURNING workspace_id, id, submitted_at, kind, survey_id, touchpoint, channel, customer_id, employee_id, scale_min, scale_max, score),
       new_cases AS (${caseInsertSql('new_responses')} RETURNING 1),
       ${newResponseRollupCtes('new_responses')},
       ${webhookDeliveryCtes('$3', 'new_submissions')}
       SELECT id FROM new_submissions`,
      [JSON.stringify(submissions), JSON.stringify(answers), JSON.stringify(messages)],
      { prepared: 'sada_submission_batch' },
    );
    return new Set(inserted.map((row) => row.id));
  }
}

/** Batched surveys hand out no pooled codes (those need a row lock each): a fixed code at most. */
const couponOf = (r: NewSubmission) => (r.complete && r.survey.incentive?.kind === 'code' ? r.survey.incentive.code : null);

/** What a freshly written submission looks like, without reading it back. */
function stateOf({ id, request }: Pending): SubmissionState {
  const scores: Record<string, number> = {};
  for (const a of request.answers) if (a.score !== null) scores[a.questionId] = a.score;
  return {
    id,
    surveyId: request.survey.id,
    language: request.language,
    completed: request.complete,
    coupon: couponOf(request),
    answered: request.answers.filter((a) => a.score !== null || a.answer !== null || a.comment !== null).map((a) => a.questionId),
    scores,
  };
}
