-- When a bot handed a conversation to a person: first response time counts from here.
ALTER TABLE tickets ADD COLUMN handoff_at timestamptz;
UPDATE rollup_state SET stale = true WHERE rollup = 'tickets';
