-- Theme labels (docs/text-analysis.md): a user's name for a theme and whether it is pinned (always
-- listed, first) or hidden, keyed by the theme's phrase in the matching form (tokenize(…).join(' ')).
CREATE TABLE theme_labels (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  phrase TEXT NOT NULL CHECK (length(phrase) BETWEEN 1 AND 200),
  name TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),
  pinned BOOLEAN NOT NULL DEFAULT false,
  hidden BOOLEAN NOT NULL DEFAULT false,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, phrase)
);
