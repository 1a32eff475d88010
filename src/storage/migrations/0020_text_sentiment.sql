-- Sentiment of comments that came WITHOUT a score (open questions, answers without a rating,
-- ticket subjects), predicted by the model learned from the workspace's own scored comments, or
-- by the lexicon where a language has too few of them (docs/text-analysis.md). Written by
-- `sada text sentiment`; a scored comment needs no row: its score is its label.
CREATE TABLE text_sentiment (
  workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('response', 'ticket')),
  record_id text NOT NULL,
  language text NOT NULL,
  label text NOT NULL CHECK (label IN ('negative', 'positive', 'neutral')),
  -- P(negative) under the learned model; null when the lexicon decided
  p_negative double precision CHECK (p_negative IS NULL OR (p_negative >= 0 AND p_negative <= 1)),
  method text NOT NULL CHECK (method IN ('learned', 'lexicon')),
  -- labelled comments of that language the model was trained on (0 for the lexicon)
  trained_on integer NOT NULL DEFAULT 0,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, source, record_id)
);
