-- Alert rules of kind 'theme' (docs/alerts.md): a theme of the comments, or a phrase, whose share
-- of the period's comments rose significantly against the previous period.
ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_kind_check;
ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_kind_check CHECK (kind IN ('threshold', 'drop', 'frt_sla', 'churn', 'response', 'theme'));
