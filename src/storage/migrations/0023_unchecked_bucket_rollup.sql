-- ticket_rollups_monthly holds a row per month × measure × channel × segment × duration bucket:
-- about as many rows as tickets up to a million. Checking each row's workspace against
-- workspaces cost a fifth of rebuilding it in PGlite (3.8 s of 16 s for 200,000 tickets), for
-- rows that only Sada's own rollup code writes, always for an existing workspace. Without the
-- key, deleteWorkspace removes them in the statement that deletes the workspace.
ALTER TABLE ticket_rollups_monthly DROP CONSTRAINT ticket_rollups_monthly_workspace_id_fkey;

-- The buckets and counts arrays of ticket_histograms_monthly are aligned, no longer ascending
-- (src/storage/rollups.ts, refreshHistogramArrays).
