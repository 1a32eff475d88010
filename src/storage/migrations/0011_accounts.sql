-- Accounts: people who sign in (users, their memberships in workspaces and their sessions),
-- API keys for servers, and the audit log of changes. docs/accounts.md.
--
-- These are control-plane tables, small and read on every request: users, sessions, api_keys
-- and audit_log are global (with Citus they would be reference tables, like workspaces), while
-- memberships lead with workspace_id like all workspace data. No secret is stored as it is:
-- passwords as argon2id PHC strings, session and API-key tokens as their SHA-256.

CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  name text NOT NULL DEFAULT '',
  -- $argon2id$v=19$m=…,t=…,p=…$salt$hash; NULL: the user cannot sign in with a password.
  password_hash text,
  locale text NOT NULL DEFAULT 'en',
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One account per e-mail address, whatever its case.
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE memberships (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- A signed-in browser. id is the hex SHA-256 of the random token in its sada_session cookie,
-- so a copy of this table opens no session. expires_at slides forward while it is used.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Keys for servers, bound to one workspace and one role. The secret (sada_…) is shown once
-- at creation; prefix is its first characters, to tell keys apart in lists.
CREATE TABLE api_keys (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  prefix text NOT NULL,
  secret_hash text NOT NULL,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX api_keys_secret ON api_keys (secret_hash);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at);

-- Who changed what. Rows outlive what they describe (no foreign keys): actor_label keeps the
-- e-mail or key prefix of an actor deleted since. workspace_id is NULL for changes outside
-- any workspace (the first admin created at setup, a sign-in).
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id integer,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'key', 'token', 'cli', 'setup')),
  actor_user_id integer,
  actor_key_id integer,
  actor_label text NOT NULL,
  action text NOT NULL,
  target text,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, at DESC, id DESC);
