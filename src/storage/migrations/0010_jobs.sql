-- Distribution: events received from a business's systems, and the durable job queue that acts
-- on them later (a survey invitation e-mailed N minutes after an order was delivered).

-- Events posted to /api/v1/events. The id is the sender's (Idempotency-Key or the body's `id`)
-- or a random one: an event posted twice with the same id schedules its invitations once.
CREATE TABLE events (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  type text NOT NULL,
  customer_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL,
  PRIMARY KEY (workspace_id, id)
);

-- Work to do at or after run_at. A worker claims due jobs (FOR UPDATE SKIP LOCKED), marks them
-- running until locked_until, and finishes them: done, skipped (with the reason in result), or
-- back to queued at a later run_at (exponential backoff) with last_error; failed after
-- max_attempts. A job whose worker died stays running until locked_until passes, then is claimed
-- again. Jobs are enqueued in the transaction of what caused them, so both commit or neither.
CREATE TABLE jobs (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- The same work asked for twice (an event retried by its sender) is one job.
  dedupe_key text,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'skipped', 'failed')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 12,
  locked_until timestamptz,
  last_error text,
  result text,
  -- Who the job contacts (send_invitation: the customer id), for the contact cooldown.
  subject_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (workspace_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- What the workers poll: the unfinished jobs by due time.
CREATE INDEX jobs_due ON jobs (run_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_by_subject ON jobs (workspace_id, kind, subject_id, finished_at) WHERE status = 'done' AND subject_id IS NOT NULL;
