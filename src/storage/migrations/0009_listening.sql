-- Listening: surveys Sada asks itself (link page, widget, public API). A submission is one
-- respondent's visit to one survey; each answered question is a row in `responses`
-- (id = submission id + ':' + question id), so every metric reads live answers like imported ones.

ALTER TABLE surveys ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'));

-- Keys that sign personal survey links (and, later, widget identities). They sign, so they are
-- stored as they are; they never leave the server.
CREATE TABLE workspace_secrets (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  purpose text NOT NULL,
  secret bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, purpose)
);

CREATE TABLE submissions (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  survey_id text NOT NULL,
  language text NOT NULL,
  channel text NOT NULL,
  customer_id text,
  employee_id text,
  order_id text,
  ticket_id text,
  -- The nonce of the personal link that opened it: a single-use link opens one submission.
  link_nonce text,
  -- The client's Idempotency-Key (or the form's) and a hash of the request that came with it: a
  -- retry (same key, same body) gets the first answer again, the key reused for another body a 409.
  idempotency_key text,
  idempotency_hash text,
  -- Hash of the request that last changed it, so a retry of the finishing request is not an edit.
  last_request_hash text,
  -- Keyed hash of the client address, for limits and abuse review; never the address itself.
  client_hash text,
  page text,
  review_consent boolean,
  coupon text,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, survey_id) REFERENCES surveys (workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX submissions_once_per_link ON submissions (workspace_id, survey_id, link_nonce) WHERE link_nonce IS NOT NULL;
CREATE UNIQUE INDEX submissions_by_idempotency_key ON submissions (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX submissions_by_customer ON submissions (workspace_id, customer_id, started_at) WHERE customer_id IS NOT NULL;
CREATE INDEX submissions_by_survey ON submissions (workspace_id, survey_id, completed_at);

-- Incentive codes, one per respondent: loaded into a pool, handed out on completion.
CREATE TABLE survey_coupons (
  workspace_id integer NOT NULL,
  survey_id text NOT NULL,
  code text NOT NULL,
  submission_id text,
  customer_id text,
  assigned_at timestamptz,
  PRIMARY KEY (workspace_id, survey_id, code),
  FOREIGN KEY (workspace_id, survey_id) REFERENCES surveys (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX survey_coupons_free ON survey_coupons (workspace_id, survey_id) WHERE submission_id IS NULL;

-- Customers (or employees) who asked not to be surveyed again.
CREATE TABLE survey_opt_outs (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  person_kind text NOT NULL CHECK (person_kind IN ('customer', 'employee')),
  person_id text NOT NULL,
  opted_out_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, person_kind, person_id)
);

CREATE INDEX responses_by_submission ON responses (workspace_id, submission_id) WHERE submission_id IS NOT NULL;
