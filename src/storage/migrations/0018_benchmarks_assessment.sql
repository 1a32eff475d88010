-- Benchmarks (docs/metrics.md#gap-to-a-benchmark): competitor or industry figures a workspace
-- records for one metric, each with the date it describes and the link to its source — required,
-- http(s) only: no figure without a citation. n and margin (the source's own 95% margin of error,
-- in the metric's unit) when the source gives them. Workspace data: the key leads with workspace_id.
CREATE TABLE benchmarks (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id integer GENERATED ALWAYS AS IDENTITY,
  metric text NOT NULL CHECK (length(metric) BETWEEN 1 AND 40),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('competitor', 'industry')),
  value double precision NOT NULL,
  as_of date NOT NULL,
  source_url text NOT NULL CHECK (length(source_url) <= 2048 AND source_url ~* '^https?://[^/?#]'),
  n integer CHECK (n > 0),
  margin double precision CHECK (margin >= 0),
  note text CHECK (length(note) <= 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX benchmarks_by_metric ON benchmarks (workspace_id, metric, as_of);

-- CX-management self-assessments (docs/assessment.md): the organisation scores each practice of
-- the first seed's checklist and each of its planning steps from 0 to 4; one row per assessment
-- taken, kept as history. answers: {"<practice or step key>": 0..4}; the questionnaire's version
-- says which keys it had when taken.
CREATE TABLE assessments (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id integer GENERATED ALWAYS AS IDENTITY,
  questionnaire_version integer NOT NULL,
  answers jsonb NOT NULL,
  note text CHECK (length(note) <= 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX assessments_by_time ON assessments (workspace_id, created_at);
