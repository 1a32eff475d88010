import { customerSegments } from '../storage/customer-segments.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { metricReport, type MetricResult } from './metric-report.ts';
import { monthWindow, type MonthWindow } from './report-window.ts';

/**
 * The retention page in one request: churn, retention and repeat purchase rate by month over
 * the window, the repeat purchase rate over the whole window, and the acquisition cohorts
 * acquired in it — every number from metricReport (the same as GET /api/v1/metrics/<name>).
 */

export interface RetentionRequest {
  months: number;
  segment?: string;
}

export interface RetentionReport {
  workspace: string;
  timezone: string;
  window: MonthWindow;
  segment: string | null;
  churn: MetricResult;
  retention: MetricResult;
  repeatPurchase: MetricResult;
  /** The repeat purchase rate over the whole window (one group). */
  repeatPurchaseWindow: MetricResult;
  cohorts: MetricResult;
  segments: string[];
}

export async function retentionReport(db: Database, workspace: Workspace, request: RetentionRequest): Promise<RetentionReport> {
  const window = await monthWindow(db, workspace, request.months);
  const where = request.segment ? [`segment=${request.segment}`] : [];
  const range = { from: window.from, to: window.to, where };
  const [churn, retention, repeatPurchase, repeatPurchaseWindow, cohorts, segments] = await Promise.all([
    metricReport(db, workspace, { metric: 'churn', by: ['month'], ...range }),
    metricReport(db, workspace, { metric: 'retention', by: ['month'], ...range }),
    metricReport(db, workspace, { metric: 'repeat_purchase_rate', by: ['month'], ...range }),
    metricReport(db, workspace, { metric: 'repeat_purchase_rate', ...range }),
    metricReport(db, workspace, { metric: 'cohorts', ...range }),
    customerSegments(db, workspace.id),
  ]);
  return { workspace: workspace.name, timezone: workspace.timezone, window, segment: request.segment ?? null, churn, retention, repeatPurchase, repeatPurchaseWindow, cohorts, segments };
}
