-- Webhook receivers (POST /api/v1/hooks/<tool>?workspace=<name>, docs/presets.md#webhooks): one
-- secret per workspace and tool. The tools sign their deliveries with it (HMAC over the raw body),
-- so Sada must hold it as it is, like the tool does; `sada hooks secret` sets it.
CREATE TABLE hook_secrets (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  tool text NOT NULL,
  secret text NOT NULL CHECK (length(secret) BETWEEN 8 AND 512),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, tool)
);
