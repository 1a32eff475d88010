-- Short links for SMS invitations (docs/distribution.md#sms): a personal survey link carries a
-- signed token of 150+ characters, which alone would fill more than one SMS. The message carries
-- /r/<code> instead; the code (10 random base62 characters, about 59 bits) maps to the full path.
-- Lookups come by code alone, so `code` has its own unique index; with Citus this table would be
-- a reference table or looked up by code across shards, the one place a key does not lead with
-- workspace_id, because the public short URL cannot carry the workspace and stay short.
CREATE TABLE short_links (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  code text NOT NULL CHECK (code ~ '^[0-9A-Za-z]{10}$'),
  target text NOT NULL CHECK (target LIKE '/s/%'),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, code)
);
CREATE UNIQUE INDEX short_links_by_code ON short_links (code);
