-- Churn and retention by month × customer segment, precomputed: exactly what the raw lifecycle
-- query (src/storage/metrics/lifecycle.ts) returns for monthly periods grouped by segment, from
-- the first to the last activity. Unlike the other rollups it is never updated by deltas (a
-- customer's state in a month depends on all their subscriptions or orders): imports of
-- customers, subscriptions and orders mark it stale and it is rebuilt whole
-- (src/storage/lifecycle-rollup.ts). `basis` is 'subscriptions' (inactivity_days 0) or 'orders'
-- (inactivity_days: the days without an order after which a customer counts as churned). `day`
-- is the first day of the month in the workspace's time zone; `segment` is '' for none.
CREATE TABLE lifecycle_rollups_monthly (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  basis text NOT NULL,
  inactivity_days integer NOT NULL,
  day date NOT NULL,
  segment text NOT NULL,
  at_start integer NOT NULL,
  at_end integer NOT NULL,
  churned integer NOT NULL,
  new_customers integer NOT NULL,
  PRIMARY KEY (workspace_id, basis, inactivity_days, day, segment)
);
