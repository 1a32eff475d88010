/**
 * Customers at risk (docs/metrics.md#customers-at-risk): a customer who has gone longer without
 * an order than their usual gap, or who recently answered as a detractor. The rule's arithmetic,
 * pure (no I/O); src/storage/at-risk.ts finds the candidates with the same rule in SQL and every
 * row it returns goes through these functions, which have the last word.
 */

/** A customer is overdue after this many times their own usual (median) gap between orders… */
export const GAP_FACTOR = 1.5;
/** …and never before the workspace's 80th-percentile gap (so a weekly buyer who skips one week is not flagged). */
export const WORKSPACE_GAP_PERCENTILE = 0.8;
/** The gap rule needs a usual gap, so at least two orders. */
export const MIN_ORDERS = 2;
/** A detractor answer counts as "recent" for this many days before the as-of moment. */
export const DETRACTOR_WINDOW_DAYS = 90;

export const AT_RISK_REASONS = ['overdue', 'detractor'] as const;
export type AtRiskReason = (typeof AT_RISK_REASONS)[number];

const DAY_MS = 86_400_000;

/** The ordinary median (the mean of the two middle values for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Days (fractional) between consecutive orders, in time order. */
export function gapsInDays(placedAt: readonly Date[]): number[] {
  const times = placedAt.map((d) => d.getTime()).sort((a, b) => a - b);
  return times.slice(1).map((t, i) => (t - times[i]!) / DAY_MS);
}

/**
 * The workspace's typical gap: the 80th percentile (type 1: the ⌈0.8·n⌉-th smallest) of all
 * customers' gaps between consecutive orders, rounded up to whole days, at least 1; null without
 * any repeat buyer. The same number as churn's `--churn-days p80`.
 */
export function workspaceGapDays(gaps: readonly number[]): number | null {
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => a - b);
  const rank = Math.ceil(WORKSPACE_GAP_PERCENTILE * sorted.length);
  return Math.max(1, Math.ceil(sorted[Math.max(1, rank) - 1]!));
}

/** Days without an order after which a customer is overdue: max(1.5 × their median gap, the workspace's p80 gap). */
export function overdueAfterDays(usualGapDays: number, workspaceGap: number): number {
  return Math.max(GAP_FACTOR * usualGapDays, workspaceGap);
}

export interface OrderHistory {
  /** Orders that count (not cancelled or refunded), placed up to the as-of moment. */
  orders: number;
  lastOrderAt: Date;
  /** The median of the customer's gaps between consecutive orders, in days. */
  usualGapDays: number | null;
}

export interface Overdue {
  daysSinceLastOrder: number;
  overdueAfterDays: number;
  /** ⌈days since the last order − overdue-after⌉: at least 1 for an overdue customer. */
  overdueDays: number;
  /** The moment the customer became overdue: last order + overdue-after. */
  since: Date;
}

/** Whether the customer has gone longer than their usual gap without an order, and by how much; null if not (or not judged). */
export function assessOverdue(history: OrderHistory, workspaceGap: number | null, asOf: Date): Overdue | null {
  if (history.orders < MIN_ORDERS || history.usualGapDays === null || workspaceGap === null) return null;
  const days = (asOf.getTime() - history.lastOrderAt.getTime()) / DAY_MS;
  const after = overdueAfterDays(history.usualGapDays, workspaceGap);
  if (!(days > after)) return null;
  return {
    daysSinceLastOrder: days,
    overdueAfterDays: after,
    overdueDays: Math.ceil(days - after),
    since: new Date(history.lastOrderAt.getTime() + after * DAY_MS),
  };
}

export interface ScoredAnswer {
  kind: 'nps' | 'csat';
  score: number;
  scaleMin: number;
  scaleMax: number;
  submittedAt: Date;
}

/**
 * A detractor answer: NPS 0–6 (on the 0–10 scale, or 1–10 as some surveys ask it; other scales
 * are not NPS), or CSAT in the bottom box of its scale — its two lowest points (1–2 of 5, 1–2
 * of 10), or the lowest on a two-point scale (0 of 0–1).
 */
export function isDetractorAnswer(answer: Pick<ScoredAnswer, 'kind' | 'score' | 'scaleMin' | 'scaleMax'>): boolean {
  const { kind, score, scaleMin, scaleMax } = answer;
  if (kind === 'nps') return scaleMax === 10 && (scaleMin === 0 || scaleMin === 1) && score <= 6;
  if (scaleMax - scaleMin <= 1) return score <= scaleMin;
  return score <= scaleMin + 1;
}

/**
 * A recent detractor: the customer's latest NPS answer or latest CSAT answer within the
 * DETRACTOR_WINDOW_DAYS up to `asOf` is a detractor answer (a later positive answer to the same
 * kind of question takes the flag away). Returns the newest such answer, or null.
 * `latest` holds the customer's latest answer of each kind in the window.
 */
export function recentDetractorAnswer(latest: readonly ScoredAnswer[], asOf: Date): ScoredAnswer | null {
  const windowStart = asOf.getTime() - DETRACTOR_WINDOW_DAYS * DAY_MS;
  const newestByKind = new Map<string, ScoredAnswer>();
  for (const answer of latest) {
    const t = answer.submittedAt.getTime();
    if (t <= windowStart || t > asOf.getTime()) continue;
    const known = newestByKind.get(answer.kind);
    if (!known || known.submittedAt.getTime() < t) newestByKind.set(answer.kind, answer);
  }
  const detractors = [...newestByKind.values()].filter(isDetractorAnswer).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  return detractors[0] ?? null;
}

export interface AtRiskAssessment {
  reasons: AtRiskReason[];
  overdue: Overdue | null;
  detractor: ScoredAnswer | null;
  /** When the customer became at risk: the later of becoming overdue and the detractor answer. */
  since: Date;
}

/** Both parts of the rule for one customer; null when neither applies. */
export function assessCustomer(history: OrderHistory | null, workspaceGap: number | null, latestAnswers: readonly ScoredAnswer[], asOf: Date): AtRiskAssessment | null {
  const overdue = history ? assessOverdue(history, workspaceGap, asOf) : null;
  const detractor = recentDetractorAnswer(latestAnswers, asOf);
  if (!overdue && !detractor) return null;
  const reasons: AtRiskReason[] = [];
  if (overdue) reasons.push('overdue');
  if (detractor) reasons.push('detractor');
  const times = [overdue?.since.getTime(), detractor?.submittedAt.getTime()].filter((t): t is number => t !== undefined);
  return { reasons, overdue, detractor, since: new Date(Math.max(...times)) };
}
