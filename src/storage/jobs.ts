import type { Database, Transaction } from './database.ts';

/**
 * A durable job queue in the database (table `jobs`, migration 0010). Jobs are enqueued in the
 * caller's transaction, so the job exists exactly when what caused it committed; workers claim
 * due jobs with FOR UPDATE SKIP LOCKED (several servers on one PostgreSQL never take the same
 * job; PGlite has one connection and runs the same SQL), hold them until `locked_until`, and
 * finish them. A job whose worker died is claimed again once `locked_until` has passed. Failures
 * are retried with exponential backoff (1 min, 2, 4, … at most 6 h) until `max_attempts`.
 */

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** When it is due; default now. */
  runAt?: Date;
  /** The same key for the same kind in a workspace enqueues one job only. */
  dedupeKey?: string;
  /** Who the job contacts (for contact rules). */
  subjectId?: string;
  maxAttempts?: number;
}

export interface Job {
  workspaceId: number;
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
}

export interface JobRow {
  id: number;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'skipped' | 'failed';
  run_at: Date;
  attempts: number;
  last_error: string | null;
  result: string | null;
  locked_until: Date | null;
  payload: Record<string, unknown>;
}

/** Enqueues a job in `tx`; its id, or undefined when a job with the same dedupe key exists. */
export async function enqueueJob(tx: Transaction, workspaceId: number, job: NewJob): Promise<number | undefined> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO jobs (workspace_id, kind, payload, run_at, dedupe_key, subject_id, max_attempts)
     VALUES ($1, $2, $3::jsonb, coalesce($4::timestamptz, now()), $5, $6, coalesce($7::integer, 12))
     ON CONFLICT (workspace_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [workspaceId, job.kind, JSON.stringify(job.payload), job.runAt?.toISOString() ?? null, job.dedupeKey ?? null, job.subjectId ?? null, job.maxAttempts ?? null],
  );
  return row?.id;
}

/**
 * Claims up to `limit` due jobs (queued and due, or running with an expired lock) for
 * `lockSeconds`, counting the attempt.
 */
export async function claimJobs(db: Database, options: { limit: number; lockSeconds: number; kinds?: readonly string[]; workspaceIds?: readonly number[] }): Promise<Job[]> {
  const rows = await db.transaction((tx) =>
    tx.query<{ workspace_id: number; id: number; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; run_at: Date }>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2), updated_at = now()
       WHERE (workspace_id, id) IN (
         SELECT workspace_id, id FROM jobs
         WHERE ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND locked_until < now()))
           AND ($3::text[] IS NULL OR kind = ANY ($3::text[]))
           AND ($4::integer[] IS NULL OR workspace_id = ANY ($4::integer[]))
         ORDER BY run_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING workspace_id, id, kind, payload, attempts, max_attempts, run_at`,
      [options.limit, options.lockSeconds, options.kinds ? [...options.kinds] : null, options.workspaceIds ? [...options.workspaceIds] : null],
    ),
  );
  return rows.map((r) => ({ workspaceId: r.workspace_id, id: Number(r.id), kind: r.kind, payload: r.payload, attempts: r.attempts, maxAttempts: r.max_attempts, runAt: new Date(r.run_at) }));
}

/** The job did its work (`done`) or decided not to (`skipped`, with the reason). */
export async function finishJob(db: Database, job: Job, status: 'done' | 'skipped', result: string): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = $3, result = $4, locked_until = NULL, finished_at = now(), updated_at = now() WHERE workspace_id = $1 AND id = $2`,
    [job.workspaceId, job.id, status, result],
  );
}

/** Seconds before attempt `attempts + 1`: 60 × 2^(attempts − 1), at most 6 hours. */
export function backoffSeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 6 * 3600);
}

/** The attempt failed: back to queued with a later run_at, or failed after its last attempt. */
export async function failJob(db: Database, job: Job, error: string): Promise<'retry' | 'failed'> {
  const last = job.attempts >= job.maxAttempts;
  await db.query(
    `UPDATE jobs SET status = $3, last_error = $4, locked_until = NULL, updated_at = now(),
       run_at = CASE WHEN $3 = 'queued' THEN now() + make_interval(secs => $5) ELSE run_at END,
       finished_at = CASE WHEN $3 = 'failed' THEN now() END
     WHERE workspace_id = $1 AND id = $2`,
    [job.workspaceId, job.id, last ? 'failed' : 'queued', error.slice(0, 2000), backoffSeconds(job.attempts)],
  );
  return last ? 'failed' : 'retry';
}

export async function listJobs(db: Database, workspaceId: number, kind?: string): Promise<JobRow[]> {
  const rows = await db.query<JobRow>(
    `SELECT id, kind, status, run_at, attempts, last_error, result, locked_until, payload FROM jobs
     WHERE workspace_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY id`,
    [workspaceId, kind ?? null],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export type JobHandler = (job: Job) => Promise<{ status: 'done' | 'skipped'; result: string }>;

export interface JobWorkerOptions {
  /** Milliseconds between polls when the queue was empty (default 1000). */
  pollMs?: number;
  /** How long a claimed job is held before another worker may take it (default 300 s). */
  lockSeconds?: number;
  /** Jobs claimed per poll (default 10). */
  batch?: number;
  /** Only these workspaces' jobs (default: every workspace's). */
  workspaceIds?: readonly number[];
  log?: (message: string) => void;
}

/**
 * Polls the queue and runs each due job with the handler of its kind. `stop()` stops polling
 * and waits for the jobs in hand, so a shutdown never leaves a job half-done in this process
 * (a crash leaves it running until its lock expires, then it runs again).
 */
export class JobWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;
  private readonly pollMs: number;
  private readonly lockSeconds: number;
  private readonly batch: number;
  private readonly workspaceIds: readonly number[] | undefined;
  private readonly log: (message: string) => void;

  constructor(
    private readonly db: Database,
    private readonly handlers: Record<string, JobHandler>,
    options: JobWorkerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.lockSeconds = options.lockSeconds ?? 300;
    this.batch = options.batch ?? 10;
    this.workspaceIds = options.workspaceIds;
    this.log = options.log ?? ((message) => console.error(message));
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.schedule(0);
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /** Claims and runs the due jobs once; how many it ran. */
  runOnce(): Promise<number> {
    const run = (this.running ?? Promise.resolve(0)).catch(() => 0).then(() => this.tick());
    this.running = run;
    return run;
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce().then(
        (ran) => this.schedule(ran > 0 ? 0 : this.pollMs),
        (error) => {
          this.log(`job worker: ${(error as Error).message}`);
          this.schedule(this.pollMs);
        },
      );
    }, delay);
  }

  private async tick(): Promise<number> {
    const jobs = await claimJobs(this.db, { limit: this.batch, lockSeconds: this.lockSeconds, kinds: Object.keys(this.handlers), workspaceIds: this.workspaceIds });
    for (const job of jobs) {
      const handler = this.handlers[job.kind]!;
      let outcome: { status: 'done' | 'skipped'; result: string };
      try {
        outcome = await handler(job);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const next = await failJob(this.db, job, message);
        this.log(`job ${job.kind} #${job.id} (workspace ${job.workspaceId}) attempt ${job.attempts} failed${next === 'failed' ? ' for the last time' : `, retrying in ${backoffSeconds(job.attempts)} s`}: ${message}`);
        continue;
      }
      await finishJob(this.db, job, outcome.status, outcome.result);
    }
    return jobs.length;
  }
}
