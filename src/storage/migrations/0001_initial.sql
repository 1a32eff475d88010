-- Sada's first schema. Every table that holds a workspace's data carries workspace_id, and it
-- leads every primary and unique key: no query can reach across workspaces by accident, and the
-- schema is ready to be sharded by workspace_id (Citus distributed tables; see docs/architecture.md).
-- Records refer to each other by the source system's ids, so files can arrive in any order.

CREATE TABLE workspaces (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
  timezone text NOT NULL DEFAULT 'UTC',
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE touchpoints (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  key text NOT NULL,
  position integer,
  builtin boolean NOT NULL DEFAULT false,
  PRIMARY KEY (workspace_id, key)
);

CREATE TABLE channels (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  key text NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  PRIMARY KEY (workspace_id, key)
);

CREATE TABLE customers (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text,
  email text,
  segment text,
  age_band text,
  gender text,
  country text,
  city text,
  sector text,
  headcount integer,
  plan text,
  signup_at timestamptz,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE teams (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE employees (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text,
  email text,
  team_id text,
  role text,
  is_agent boolean,
  hourly_cost double precision,
  hired_at timestamptz,
  left_at timestamptz,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE surveys (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  touchpoint text,
  channel text,
  definition jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE questions (
  workspace_id integer NOT NULL,
  survey_id text NOT NULL,
  id text NOT NULL,
  kind text NOT NULL,
  scale_min integer,
  scale_max integer,
  position integer NOT NULL DEFAULT 0,
  text jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workspace_id, survey_id, id),
  FOREIGN KEY (workspace_id, survey_id) REFERENCES surveys (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE responses (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  kind text NOT NULL,
  score double precision,
  scale_min integer,
  scale_max integer,
  answer text,
  comment text,
  language text,
  submitted_at timestamptz NOT NULL,
  survey_id text,
  question_id text,
  submission_id text,
  customer_id text,
  employee_id text,
  touchpoint text,
  channel text,
  agent_id text,
  ticket_id text,
  order_id text,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  CHECK (score IS NULL OR (score >= scale_min AND score <= scale_max))
);
CREATE INDEX responses_by_time ON responses (workspace_id, submitted_at);
CREATE INDEX responses_by_kind_time ON responses (workspace_id, kind, submitted_at);

CREATE TABLE tickets (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  created_at timestamptz NOT NULL,
  customer_id text,
  channel text,
  agent_id text,
  team_id text,
  category text,
  priority text,
  status text,
  subject text,
  first_response_at timestamptz,
  resolved_at timestamptz,
  first_resolved_at timestamptz,
  closed_at timestamptz,
  reopen_count integer,
  agent_reply_count integer,
  customer_contact_count integer,
  handle_seconds double precision,
  cost double precision,
  merged_into text,
  handled_by_bot boolean,
  -- Which of first_response_at, agent_reply_count and customer_contact_count Sada derived from
  -- the ticket's messages (and may derive again) rather than took from the source.
  derived_fields text[] NOT NULL DEFAULT '{}',
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX tickets_by_time ON tickets (workspace_id, created_at);

CREATE TABLE messages (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  ticket_id text NOT NULL,
  author_kind text NOT NULL,
  author_id text,
  public boolean,
  sent_at timestamptz NOT NULL,
  body text,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX messages_by_ticket ON messages (workspace_id, ticket_id, sent_at);

CREATE TABLE orders (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  customer_id text,
  placed_at timestamptz NOT NULL,
  amount double precision,
  currency text,
  status text,
  channel text,
  items integer,
  delivered_at timestamptz,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX orders_by_time ON orders (workspace_id, placed_at);
CREATE INDEX orders_by_customer ON orders (workspace_id, customer_id, placed_at);

CREATE TABLE subscriptions (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  customer_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  plan text,
  status text,
  recurring_amount double precision,
  currency text,
  cancel_reason text,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX subscriptions_by_customer ON subscriptions (workspace_id, customer_id);

CREATE TABLE visits (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  visited_at timestamptz NOT NULL,
  session_id text,
  customer_id text,
  page text,
  source text,
  device text,
  intent text,
  converted boolean,
  attributes jsonb NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX visits_by_time ON visits (workspace_id, visited_at);

-- One row per `sada import` run: what came in, and how it ended.
CREATE TABLE import_runs (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id integer GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  source text NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
  inserted integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  message text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
