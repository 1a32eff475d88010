-- A monthly tier of the rollups with fewer dimensions, for the views a dashboard opens most
-- (KPIs by month × segment, touchpoint or channel): a few thousand rows per workspace where the
-- daily tier, with agents and categories, has almost one row per ticket. `day` holds the first
-- day of the month so that both tiers are read by the same queries.
CREATE TABLE response_rollups_monthly (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day date NOT NULL,
  kind text NOT NULL,
  touchpoint text NOT NULL,
  channel text NOT NULL,
  segment text NOT NULL,
  scale_min integer NOT NULL,
  scale_max integer NOT NULL,
  score double precision NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (workspace_id, day, kind, touchpoint, channel, segment, scale_min, scale_max, score)
);

CREATE TABLE ticket_rollups_monthly (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day date NOT NULL,
  measure text NOT NULL,
  channel text NOT NULL,
  segment text NOT NULL,
  bucket double precision NOT NULL,
  n integer NOT NULL,
  x integer NOT NULL,
  sum double precision NOT NULL,
  sum_squares double precision NOT NULL,
  PRIMARY KEY (workspace_id, day, measure, channel, segment, bucket)
);
