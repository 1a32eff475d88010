-- The daily ticket rollup kept a row per day × channel × agent × category × segment × duration
-- bucket: about one row per ticket and measure (1.47M rows for 205,000 tickets), no smaller
-- than the tickets themselves and the slowest part of an import to rebuild. It now keeps counts
-- and sums per day × measure × channel × segment (bounded by the calendar, not by the tickets);
-- duration histograms live in the monthly tier only, and views by agent or category read the
-- tickets. Duration buckets also changed (steps of 1, 2 or 5 units of the third significant
-- digit) and cost per resolution joined the measures, so both tiers are rebuilt by the next
-- import or `sada rollups`; until then reports read the raw rows.
DROP TABLE ticket_rollups;
CREATE TABLE ticket_rollups (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day date NOT NULL,
  measure text NOT NULL,
  channel text NOT NULL,
  segment text NOT NULL,
  n integer NOT NULL,
  x integer NOT NULL,
  sum double precision NOT NULL,
  sum_squares double precision NOT NULL,
  PRIMARY KEY (workspace_id, measure, day, channel, segment)
);
-- The monthly tiers are read one measure (or question kind) at a time over a range of months:
-- their keys now lead with it, so a query reads that measure's rows only.
ALTER TABLE ticket_rollups_monthly DROP CONSTRAINT ticket_rollups_monthly_pkey;
ALTER TABLE ticket_rollups_monthly ADD PRIMARY KEY (workspace_id, measure, day, channel, segment, bucket);
ALTER TABLE response_rollups_monthly DROP CONSTRAINT response_rollups_monthly_pkey;
ALTER TABLE response_rollups_monthly ADD PRIMARY KEY (workspace_id, kind, day, touchpoint, channel, segment, scale_min, scale_max, score);
UPDATE rollup_state SET stale = true WHERE rollup IN ('tickets', 'tickets_monthly');
-- The monthly duration histograms again, one row per month × measure × channel × segment with
-- the histogram as arrays (buckets ascending, counts alongside) and the cell's totals, and the
-- same summed over channels, segments or both (`summed_over`: '', 'channels', 'segments',
-- 'channels,segments'; the summed dimension holds ''): what duration reports read, one row per
-- group (kept in step by src/storage/rollups.ts).
CREATE TABLE ticket_histograms_monthly (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  measure text NOT NULL,
  day date NOT NULL,
  summed_over text NOT NULL,
  channel text NOT NULL,
  segment text NOT NULL,
  buckets double precision[] NOT NULL,
  counts integer[] NOT NULL,
  n integer NOT NULL,
  sum double precision NOT NULL,
  sum_squares double precision NOT NULL,
  PRIMARY KEY (workspace_id, measure, summed_over, day, channel, segment)
);

-- The answers' histograms per month × question kind × customer segment only: the dashboard's
-- overview (every KPI by month × segment) reads a few hundred rows instead of every touchpoint ×
-- channel combination. Kept by deltas like the other tiers.
CREATE TABLE response_rollups_segment_monthly (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  kind text NOT NULL,
  day date NOT NULL,
  segment text NOT NULL,
  scale_min integer NOT NULL,
  scale_max integer NOT NULL,
  score double precision NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (workspace_id, kind, day, segment, scale_min, scale_max, score)
);
