-- Rollups: incremental aggregates that let standard views cost O(buckets), not O(rows).
-- Dimension columns hold '' for "none" (raw data never stores an empty string: blank cells are
-- NULL), so they can be part of the primary key. Days are calendar days in the workspace's
-- time zone at the time the rollup was built (rollup_state.timezone).

CREATE TABLE response_rollups (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day date NOT NULL,
  kind text NOT NULL,
  survey_id text NOT NULL,
  touchpoint text NOT NULL,
  channel text NOT NULL,
  segment text NOT NULL,
  scale_min integer NOT NULL,
  scale_max integer NOT NULL,
  score double precision NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (workspace_id, day, kind, survey_id, touchpoint, channel, segment, scale_min, scale_max, score)
);

-- One row per day × measure × channel × agent × category × duration bucket. `measure` names
-- what is counted and which timestamp places it in a day (see src/storage/rollups.ts).
CREATE TABLE ticket_rollups (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day date NOT NULL,
  measure text NOT NULL,
  channel text NOT NULL,
  agent_id text NOT NULL,
  category text NOT NULL,
  bucket double precision NOT NULL,
  n integer NOT NULL,
  x integer NOT NULL,
  sum double precision NOT NULL,
  sum_squares double precision NOT NULL,
  PRIMARY KEY (workspace_id, day, measure, channel, agent_id, category, bucket)
);

-- Whether a workspace's rollups can be trusted. A rollup that is stale, missing, or built for
-- another time zone is not used (queries read the raw rows) until it is rebuilt.
CREATE TABLE rollup_state (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  rollup text NOT NULL,
  timezone text NOT NULL,
  stale boolean NOT NULL DEFAULT false,
  built_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, rollup)
);
