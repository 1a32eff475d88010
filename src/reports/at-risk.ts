import { DateTime } from 'luxon';
import { assessCustomer, DETRACTOR_WINDOW_DAYS, GAP_FACTOR, MIN_ORDERS, type AtRiskReason, type ScoredAnswer } from '../metrics/at-risk.ts';
import { atRiskCounts, atRiskCustomers, orderGapP80Days, type AtRiskCounts } from '../storage/at-risk.ts';
import { customerSegments } from '../storage/customer-segments.ts';
import type { Database } from '../storage/database.ts';
import { latestActivity } from '../storage/metrics/activity.ts';
import type { Workspace } from '../storage/workspaces.ts';

/**
 * The customers at risk, for a win-back offer (docs/metrics.md#customers-at-risk): overdue
 * buyers and recent detractors, newest first, each with the numbers that put them on the list.
 */

export interface AtRiskRequest {
  reason?: AtRiskReason;
  segments?: string[];
  limit?: number;
}

export interface AnswerJson {
  kind: 'nps' | 'csat';
  score: number;
  scaleMin: number;
  scaleMax: number;
  submittedAt: string;
}

export interface AtRiskCustomer {
  id: string;
  name: string | null;
  email: string | null;
  segment: string | null;
  orders: number;
  lastOrderAt: string | null;
  /** Median days between the customer's consecutive orders (null with fewer than two orders). */
  usualGapDays: number | null;
  daysSinceLastOrder: number | null;
  /** max(1.5 × usual gap, the workspace's p80 gap): days without an order after which the customer is overdue. */
  overdueAfterDays: number | null;
  /** Whole days past that point (rounded up); null when not overdue. */
  overdueDays: number | null;
  /** The detractor answer that put the customer on the list, else their latest NPS or CSAT answer. */
  lastScore: AnswerJson | null;
  reasons: AtRiskReason[];
  /** When the customer became at risk (ISO). */
  since: string;
}

export interface AtRiskReport {
  workspace: string;
  timezone: string;
  /** The moment the rule is applied at: the workspace's latest activity (ISO); null for an empty workspace. */
  asOf: string | null;
  rule: { gapFactor: number; minOrders: number; detractorWindowDays: number; workspaceGapDays: number | null };
  reason: AtRiskReason | null;
  segments: string[];
  limit: number;
  counts: AtRiskCounts;
  /** The segments customers fall in (the filter's choices). */
  availableSegments: string[];
  customers: AtRiskCustomer[];
}

const answerJson = (a: ScoredAnswer): AnswerJson => ({ ...a, submittedAt: a.submittedAt.toISOString() });

export async function atRiskReport(db: Database, workspace: Workspace, request: AtRiskRequest = {}): Promise<AtRiskReport> {
  const limit = request.limit ?? 100;
  const [latest, availableSegments] = await Promise.all([latestActivity(db, workspace.id), customerSegments(db, workspace.id)]);
  const base = {
    workspace: workspace.name,
    timezone: workspace.timezone,
    reason: request.reason ?? null,
    segments: request.segments ?? [],
    limit,
    availableSegments,
  };
  if (!latest) {
    return { ...base, asOf: null, rule: { gapFactor: GAP_FACTOR, minOrders: MIN_ORDERS, detractorWindowDays: DETRACTOR_WINDOW_DAYS, workspaceGapDays: null }, counts: { any: 0, overdue: 0, detractor: 0, matching: 0 }, customers: [] };
  }
  const asOf = latest;
  const workspaceGapDays = await orderGapP80Days(db, workspace.id, asOf);
  const query = { workspaceId: workspace.id, asOf, workspaceGapDays, reason: request.reason, segments: request.segments, limit };
  const [counts, rows] = await Promise.all([atRiskCounts(db, query), atRiskCustomers(db, query)]);
  const customers: AtRiskCustomer[] = [];
  for (const row of rows) {
    const history = row.lastOrderAt ? { orders: row.orders, lastOrderAt: row.lastOrderAt, usualGapDays: row.usualGapDays } : null;
    // The pure rule has the last word on every row the query found.
    const assessment = assessCustomer(history, workspaceGapDays, row.windowAnswers, asOf);
    if (!assessment) continue;
    const shown = assessment.detractor ?? row.lastAnswer;
    customers.push({
      id: row.customerId,
      name: row.name,
      email: row.email,
      segment: row.segment,
      orders: row.orders,
      lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
      usualGapDays: row.usualGapDays,
      daysSinceLastOrder: row.lastOrderAt ? (asOf.getTime() - row.lastOrderAt.getTime()) / 86_400_000 : null,
      overdueAfterDays: assessment.overdue?.overdueAfterDays ?? null,
      overdueDays: assessment.overdue?.overdueDays ?? null,
      lastScore: shown ? answerJson(shown) : null,
      reasons: assessment.reasons,
      since: assessment.since.toISOString(),
    });
  }
  return {
    ...base,
    asOf: DateTime.fromJSDate(asOf).toUTC().toISO()!,
    rule: { gapFactor: GAP_FACTOR, minOrders: MIN_ORDERS, detractorWindowDays: DETRACTOR_WINDOW_DAYS, workspaceGapDays },
    counts,
    customers,
  };
}
