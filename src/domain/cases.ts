/**
 * A workspace's closed-loop settings (workspaces.settings.cases; docs/cases.md) over the
 * defaults. The rule itself is applied in SQL by sada_opens_case (migration 0017), which reads
 * the same keys with the same defaults; test/cases-api.test.ts checks the rule on a grid of answers and settings.
 */

export interface CaseRule {
  /** NPS answers (0–10 or 1–10) at or below this open a case; null: NPS opens none. */
  npsAtMost: number | null;
  /** CSAT answers in the lowest N points of their scale (at most half the scale); null: none. */
  csatBottomBox: number | null;
  /** CES answers in the N hardest points (the lowest, or the highest when a high score means hard). */
  cesBottomBox: number | null;
}

export interface CaseSettings {
  enabled: boolean;
  /** Hours from opening to the due date, on the calendar clock. */
  slaHours: number;
  /** Who new cases go to (an analyst or admin of the workspace); null: unassigned. */
  ownerUserId: number | null;
  rule: CaseRule;
}

export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  enabled: true,
  slaHours: 48,
  ownerUserId: null,
  rule: { npsAtMost: 6, csatBottomBox: 2, cesBottomBox: 2 },
};

export function caseSettingsOf(settings: Record<string, unknown>): CaseSettings {
  const custom = ((settings as { cases?: Partial<CaseSettings> }).cases ?? {}) as Partial<CaseSettings>;
  const rule = (custom.rule ?? {}) as Partial<CaseRule>;
  const pick = <K extends keyof CaseRule>(key: K): CaseRule[K] => (key in rule ? (rule[key] as CaseRule[K]) : DEFAULT_CASE_SETTINGS.rule[key]);
  return {
    enabled: custom.enabled ?? DEFAULT_CASE_SETTINGS.enabled,
    slaHours: custom.slaHours ?? DEFAULT_CASE_SETTINGS.slaHours,
    ownerUserId: custom.ownerUserId ?? null,
    rule: { npsAtMost: pick('npsAtMost'), csatBottomBox: pick('csatBottomBox'), cesBottomBox: pick('cesBottomBox') },
  };
}
