-- Alerts (docs/alerts.md): a workspace's rules, every time one fired, and the delivery of each
-- firing to each of the rule's channels. Workspace data: every key leads with workspace_id.

-- A rule: what to watch (kind, metric, params), where to say it (channels: e-mail addresses, a
-- Slack-compatible incoming webhook, a signed webhook with its whsec_ secret), and how often at
-- most (cooldown_minutes: after a firing, further firings of the rule are recorded as suppressed,
-- not sent). last_fired_at is the last firing that was sent, for the cool-down.
CREATE TABLE alert_rules (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id integer GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('threshold', 'drop', 'frt_sla', 'churn', 'response')),
  metric text CHECK (length(metric) <= 40),
  params jsonb NOT NULL DEFAULT '{}',
  channels jsonb NOT NULL DEFAULT '[]',
  cooldown_minutes integer NOT NULL DEFAULT 1440 CHECK (cooldown_minutes BETWEEN 0 AND 525600),
  enabled boolean NOT NULL DEFAULT true,
  last_fired_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);

-- One incident: a rule that fired for one period (rule + period) or one answer (rule + response).
-- The dedupe key is unique per workspace, so the same incident is recorded once however many
-- evaluations see it (the schedule, new data, two workers, a retried job). `figure` is what was
-- measured: value, n, interval, threshold, tested change — or the answer that fired.
CREATE TABLE alert_events (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  rule_id integer NOT NULL,
  rule_name text NOT NULL,
  kind text NOT NULL,
  dedupe_key text NOT NULL,
  period text,
  response_id text,
  figure jsonb NOT NULL,
  -- Within the rule's cool-down: recorded for the history, sent nowhere.
  suppressed boolean NOT NULL DEFAULT false,
  fired_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, dedupe_key),
  FOREIGN KEY (workspace_id, rule_id) REFERENCES alert_rules (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX alert_events_by_time ON alert_events (workspace_id, id DESC);

-- A firing's delivery to one channel of its rule (channel = its index in the rule's channels then);
-- each is sent by its own deliver_alert job, retried with the queue's backoff. `channel_config` is
-- the channel as it was when the rule fired (its URL and secret are never shown by the API);
-- `target` is what people may read (the addresses, or the URL's host).
CREATE TABLE alert_deliveries (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  event_id bigint NOT NULL,
  channel integer NOT NULL,
  type text NOT NULL CHECK (type IN ('email', 'slack', 'webhook')),
  target text NOT NULL,
  channel_config jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  response_code integer,
  last_error text,
  delivered_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, event_id, channel),
  FOREIGN KEY (workspace_id, event_id) REFERENCES alert_events (workspace_id, id) ON DELETE CASCADE
);
