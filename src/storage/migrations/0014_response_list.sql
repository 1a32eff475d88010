-- The Responses page (storage/response-list.ts): customers' answers newest first with the id as
-- tie-breaker (keyset pagination walks this index), and a customer's timeline of responses and
-- tickets (orders have orders_by_customer already).
CREATE INDEX responses_by_time_id ON responses (workspace_id, submitted_at DESC, id DESC);
CREATE INDEX responses_by_customer ON responses (workspace_id, customer_id, submitted_at);
CREATE INDEX tickets_by_customer ON tickets (workspace_id, customer_id, created_at);
