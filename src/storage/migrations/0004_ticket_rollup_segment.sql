-- Tickets by customer segment too (the overview shows every KPI by segment). Existing rows get
-- '' and the rollup is marked stale, so the next import or `sada rollups` rebuilds it.
ALTER TABLE ticket_rollups ADD COLUMN segment text NOT NULL DEFAULT '';
ALTER TABLE ticket_rollups DROP CONSTRAINT ticket_rollups_pkey;
ALTER TABLE ticket_rollups ADD PRIMARY KEY (workspace_id, day, measure, channel, agent_id, category, segment, bucket);
UPDATE rollup_state SET stale = true WHERE rollup = 'tickets';
