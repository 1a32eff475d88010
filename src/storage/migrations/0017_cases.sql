-- The closed loop (docs/cases.md, docs/metrics.md#closed-loop): a follow-up case for every
-- dissatisfied answer — one per triggering response (the unique key), so a retried request, a
-- re-import or a second backfill never opens two. Opened in the transaction (or the group
-- commit's statement) that stores the answer. Workspace data: workspace_id leads every key.

-- Whether an answer opens a case, by the workspace's rule (workspaces.settings.cases.rule) over
-- the defaults: NPS 0–6 (0–10 or 1–10 scale, as the nps metric reads them), CSAT and CES in the
-- bottom-2-box of their own scale (CES mirrored when settings.metrics.cesHighIsEasy is false).
-- A bottom box never covers more than half the scale's points (0 on a 0–1 scale). A rule set to
-- null turns that kind off; settings.cases.enabled = false turns cases off. The one definition:
-- every path that opens cases calls it.
CREATE FUNCTION sada_opens_case(kind text, score double precision, scale_min integer, scale_max integer, settings jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN score IS NULL OR scale_min IS NULL OR scale_max IS NULL OR scale_max <= scale_min THEN false
    WHEN coalesce(settings -> 'cases' ->> 'enabled', 'true') = 'false' THEN false
    WHEN kind = 'nps' THEN scale_max = 10 AND scale_min IN (0, 1)
      AND score <= (CASE WHEN coalesce(settings -> 'cases' -> 'rule', '{}') ? 'npsAtMost' THEN (settings -> 'cases' -> 'rule' ->> 'npsAtMost')::double precision ELSE 6 END)
    WHEN kind IN ('csat', 'ces') THEN (
      SELECT CASE
        WHEN box IS NULL OR box < 1 THEN false
        WHEN kind = 'ces' AND coalesce(settings -> 'metrics' ->> 'cesHighIsEasy', 'true') = 'false' THEN score > scale_max - box
        ELSE score < scale_min + box END
      FROM (SELECT CASE WHEN raw IS NOT NULL THEN least(raw, (scale_max - scale_min + 1) / 2) END AS box
        FROM (SELECT CASE WHEN coalesce(settings -> 'cases' -> 'rule', '{}') ? (kind || 'BottomBox')
          THEN (settings -> 'cases' -> 'rule' ->> (kind || 'BottomBox'))::integer ELSE 2 END AS raw) AS r) AS b)
    ELSE false END
$$;

CREATE TABLE cases (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  -- The answer that opened it; its comment is read from the response (it may arrive after the score).
  response_id text NOT NULL,
  customer_id text,
  kind text NOT NULL,
  score double precision NOT NULL,
  scale_min integer NOT NULL,
  scale_max integer NOT NULL,
  answered_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'contacted', 'resolved')),
  owner_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  sla_hours integer NOT NULL CHECK (sla_hours > 0),
  opened_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz NOT NULL,
  contacted_at timestamptz,
  resolved_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, response_id),
  FOREIGN KEY (workspace_id, response_id) REFERENCES responses (workspace_id, id) ON DELETE CASCADE,
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX cases_queue ON cases (workspace_id, status, due_at);
CREATE INDEX cases_by_customer ON cases (workspace_id, customer_id, answered_at);

CREATE TABLE case_notes (
  workspace_id integer NOT NULL,
  case_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  author_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  -- Who wrote it as the audit log names them (an e-mail, a key's name): kept if the user goes.
  author_label text NOT NULL,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, case_id, id),
  FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id) ON DELETE CASCADE
);
