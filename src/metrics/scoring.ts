/**
 * How one answer counts: promoter / passive / detractor, positive (CSAT, ESAT), easy (CES).
 * Thresholds are per scale, with the defaults below, and can be set per workspace
 * (workspaces.settings.metrics). docs/metrics.md states the same rules.
 */

export interface ScoringSettings {
  /** Lowest score that counts as satisfied, by scale ("1-5": 4). */
  positiveFrom: Record<string, number>;
  /** Lowest score that counts as easy, by scale, when a high score means easy. */
  easyFrom: Record<string, number>;
  /** Whether a high CES score means easy (the default: "how easy was it?") or hard. */
  cesHighIsEasy: boolean;
}

export const DEFAULT_SCORING: ScoringSettings = {
  positiveFrom: { '1-5': 4, '1-7': 6, '1-10': 9, '0-10': 9, '0-1': 1 },
  easyFrom: { '1-5': 4, '1-7': 5, '1-10': 9, '0-10': 9 },
  cesHighIsEasy: true,
};

export const scaleKey = (min: number, max: number) => `${min}-${max}`;

/** A workspace's scoring settings (workspaces.settings.metrics) over the defaults. */
export function scoringSettingsOf(workspaceSettings: Record<string, unknown>): ScoringSettings {
  const custom = (workspaceSettings as { metrics?: Partial<ScoringSettings> }).metrics ?? {};
  return {
    positiveFrom: { ...DEFAULT_SCORING.positiveFrom, ...custom.positiveFrom },
    easyFrom: { ...DEFAULT_SCORING.easyFrom, ...custom.easyFrom },
    cesHighIsEasy: custom.cesHighIsEasy ?? DEFAULT_SCORING.cesHighIsEasy,
  };
}

/** Top-2-box when the scale has no setting: the two highest points (the highest on a 0–1 scale). */
function threshold(table: Record<string, number>, min: number, max: number): number {
  return table[scaleKey(min, max)] ?? Math.max(min + 1, max - 1);
}

export type NpsClass = 'promoter' | 'passive' | 'detractor';

/** NPS and eNPS: 9–10 promoters, 7–8 passives, 0–6 detractors; only the 0–10 scale is NPS. */
export function npsClass(score: number): NpsClass {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export function isPositive(score: number, min: number, max: number, settings: ScoringSettings = DEFAULT_SCORING): boolean {
  return score >= threshold(settings.positiveFrom, min, max);
}

export function isEasy(score: number, min: number, max: number, settings: ScoringSettings = DEFAULT_SCORING): boolean {
  const effort = settings.cesHighIsEasy ? score : min + max - score;
  return effort >= threshold(settings.easyFrom, min, max);
}

/** A score as a share of its scale, 0–100, so that means on different scales can be pooled. */
export function scorePercent(score: number, min: number, max: number): number {
  return ((score - min) / (max - min)) * 100;
}
