-- Outgoing webhooks (docs/webhooks.md): a workspace's endpoints, and every message sent to them.
-- The secret signs the deliveries (Standard Webhooks: HMAC-SHA256 keyed by the secret's bytes),
-- so Sada holds it as it is, like hook_secrets.
CREATE TABLE webhooks (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  secret text NOT NULL,
  events text[] NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);

-- One message to one endpoint. It is written in the transaction that stored the answer (the
-- group commit's statement included), with the deliver_webhook job that sends it: an
-- acknowledged answer never loses its webhook, and a retried request (its Idempotency-Key
-- taken) writes no second one. The payload is fixed when the event happens; a resend sends the
-- same message (same webhook-id) again.
CREATE TABLE webhook_deliveries (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  webhook_id bigint NOT NULL,
  message_id text NOT NULL,
  event text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  response_code integer,
  last_error text,
  next_attempt_at timestamptz DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, webhook_id) REFERENCES webhooks (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (workspace_id, webhook_id, id DESC);
