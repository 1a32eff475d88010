-- Annotations (docs/metrics.md#before-and-after-an-annotation): events people mark on the trend
-- charts of a workspace — a training held, a service redesign, an incident, a price change — on
-- one day in the workspace's time zone, optionally about one metric. Workspace data: the key
-- leads with workspace_id. Who wrote or changed one is in the audit log.
CREATE TABLE annotations (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id integer GENERATED ALWAYS AS IDENTITY,
  day date NOT NULL,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
  note text CHECK (length(note) <= 2000),
  category text CHECK (category IN ('training', 'redesign', 'incident', 'price', 'campaign', 'staffing', 'other')),
  metric text CHECK (length(metric) <= 40),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX annotations_by_day ON annotations (workspace_id, day);
