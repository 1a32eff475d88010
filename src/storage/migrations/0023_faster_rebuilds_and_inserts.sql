-- Two rollups hold about a row per source row in the data we see up to a million rows:
-- ticket_rollups_monthly (month × measure × channel × segment × duration bucket) and
-- response_rollups (day × kind × survey × touchpoint × channel × segment × score). Checking each
-- row's workspace against workspaces cost a fifth of rebuilding them in PGlite (200,000 tickets:
-- 3.8 s of 16 s; 200,000 answers: 2.8 s of 9.8 s), for rows that only Sada's rollup code writes,
-- always for an existing workspace. Without the key, deleteWorkspace removes their rows in the
-- statement that deletes the workspace.
ALTER TABLE ticket_rollups_monthly DROP CONSTRAINT IF EXISTS ticket_rollups_monthly_workspace_id_fkey;
ALTER TABLE response_rollups DROP CONSTRAINT IF EXISTS response_rollups_workspace_id_fkey;

-- responses_by_time_id (workspace_id, submitted_at DESC, id DESC) answers every range of
-- submitted_at that responses_by_time (workspace_id, submitted_at) did, scanned either way; one
-- index fewer to keep is a sixth less work for every answer inserted.
DROP INDEX IF EXISTS responses_by_time;

-- The buckets and counts arrays of ticket_histograms_monthly are aligned, no longer ascending
-- (src/storage/rollups.ts, refreshHistogramArrays).
