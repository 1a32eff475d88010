import { DateTime } from 'luxon';
import { evaluatePeriodRule, evaluateResponseRule, type Firing, type NewResponse } from '../alerts/evaluate.ts';
import { metricOf } from '../alerts/rules.ts';
import { evaluateThemeRule } from '../alerts/theme.ts';
import type { Period } from '../metrics/dimensions.ts';
import { periodLabel, previousLabel } from '../metrics/periods.ts';
import { metricReport, ReportError } from '../reports/metric-report.ts';
import { themeAlertCounts } from '../reports/theme-alerts.ts';
import { EVALUATE_ALERTS, listRules, recordFirings, scheduleEvaluation, type RecordedFiring, type StoredRule } from '../storage/alerts.ts';
import type { Database } from '../storage/database.ts';
import type { Job, JobHandler } from '../storage/jobs.ts';
import type { Workspace } from '../storage/workspaces.ts';

export { EVALUATE_ALERTS };

/** Answers older than this are not alerted on (an import of last year's detractors stays quiet). */
export const RESPONSE_LOOKBACK_HOURS = 48;
/** At most this many answers per answer rule and evaluation (the newest). */
const RESPONSE_LIMIT = 200;

export interface EvaluationResult {
  recorded: RecordedFiring[];
  /** Rules the metric engine could not answer (e.g. churn without subscriptions or orders), with why. */
  problems: Array<{ rule: number; message: string }>;
}

/**
 * Evaluates a workspace's enabled rules at `at` (default now) and records what fired
 * (docs/alerts.md). Period rules look at the period containing `at` and the one before it (a
 * late answer can still tip a period just closed), with the figures of metricReport — the
 * numbers the overview and `sada report` show; answer rules look at answers stored since the
 * rule was made and given in the last 48 hours. Recording goes through the dedupe key and the
 * cool-down (storage/alerts.ts), so evaluating again changes nothing.
 */
export async function evaluateWorkspace(db: Database, workspace: Workspace, options: { at?: Date } = {}): Promise<EvaluationResult> {
  const at = options.at ?? new Date();
  const rules = await listRules(db, workspace.id, { enabledOnly: true });
  const reports = new Map<string, Promise<Awaited<ReturnType<typeof metricReport>>>>();
  const result: EvaluationResult = { recorded: [], problems: [] };
  for (const rule of rules) {
    let firings: Firing[];
    try {
      firings = await ruleFirings(db, workspace, rule, at, reports);
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      result.problems.push({ rule: rule.id, message: error.message });
      continue;
    }
    result.recorded.push(...(await recordFirings(db, workspace.id, rule.id, firings)));
  }
  return result;
}

/** What one rule sees at `at`, not recorded (POST /alert-rules/{id}/test shows it). Throws ReportError when its metric cannot be computed. */
export async function ruleFirings(db: Database, workspace: Workspace, rule: StoredRule, at: Date, reports = new Map<string, Promise<Awaited<ReturnType<typeof metricReport>>>>()): Promise<Firing[]> {
  if (rule.definition.kind === 'response') return evaluateResponseRule(rule, await newResponses(db, workspace, rule, at));
  // Theme rules: the period in progress against the one before it, then that one against its own.
  if (rule.definition.kind === 'theme') return evaluateThemeRule(rule, await themeAlertCounts(db, workspace, rule.definition, at));
  return periodFirings(db, workspace, rule, at, reports);
}

async function periodFirings(db: Database, workspace: Workspace, rule: StoredRule, at: Date, reports: Map<string, Promise<Awaited<ReturnType<typeof metricReport>>>>): Promise<Firing[]> {
  const definition = rule.definition;
  if (definition.kind === 'response' || definition.kind === 'theme') return [];
  const metric = metricOf(definition)!;
  const period: Period = definition.params.period;
  const current = DateTime.fromJSDate(at, { zone: workspace.timezone }).startOf(period);
  const from = current.minus({ [`${period}s`]: 2 }).toISODate()!;
  const to = current.plus({ [`${period}s`]: 1 }).minus({ days: 1 }).toISODate()!;
  const key = `${metric}|${period}|${from}`;
  if (!reports.has(key)) reports.set(key, metricReport(db, workspace, { metric, by: [period], from, to, keepComparisonInputs: true }));
  const report = await reports.get(key)!;
  const label = periodLabel(current, period);
  // The period in progress first: when both fire at once, the cool-down lets the newer one through.
  return evaluatePeriodRule(rule, report.groups, [label, previousLabel(label, period)!]);
}

async function newResponses(db: Database, workspace: Workspace, rule: StoredRule, at: Date): Promise<NewResponse[]> {
  if (rule.definition.kind !== 'response') return [];
  const rows = await db.query<{ id: string; kind: string; score: number | null; scale_min: number | null; scale_max: number | null; comment: string | null; customer_id: string | null; customer_name: string | null; survey_id: string | null; submitted_at: Date | string }>(
    `SELECT r.id, r.kind, r.score, r.scale_min, r.scale_max, r.comment, r.customer_id, c.name AS customer_name, r.survey_id, r.submitted_at
     FROM responses r LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
     WHERE r.workspace_id = $1 AND r.kind = $2 AND r.score IS NOT NULL AND r.score <= $3 AND r.employee_id IS NULL
       AND r.imported_at >= $4 AND r.submitted_at > $5::timestamptz - make_interval(hours => $6) AND r.submitted_at <= $5::timestamptz
     ORDER BY r.submitted_at DESC, r.id LIMIT $7`,
    [workspace.id, rule.definition.params.questionKind, rule.definition.params.maxScore, rule.createdAt.toISOString(), at.toISOString(), RESPONSE_LOOKBACK_HOURS, RESPONSE_LIMIT],
  );
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      score: r.score === null ? null : Number(r.score),
      scaleMin: r.scale_min,
      scaleMax: r.scale_max,
      comment: r.comment,
      customerId: r.customer_id,
      customerName: r.customer_name,
      surveyId: r.survey_id,
      submittedAt: new Date(r.submitted_at),
    }))
    .reverse();
}

/**
 * The evaluate_alerts job: evaluates the workspace now; a scheduled run (payload reason
 * "schedule") queues the next slot first, so a crash mid-evaluation cannot break the chain and a
 * restart finds the next slot already queued.
 */
export function evaluateAlertsHandler({ db, log = () => {} }: { db: Database; log?: (message: string) => void }): JobHandler {
  return async (job: Job) => {
    const [workspace] = await db.query<Workspace>('SELECT id, name, timezone, settings FROM workspaces WHERE id = $1', [job.workspaceId]);
    if (!workspace) return { status: 'skipped', result: 'workspace_not_found' };
    if ((job.payload as { reason?: string }).reason === 'schedule') await scheduleEvaluation(db, workspace.id);
    const { recorded, problems } = await evaluateWorkspace(db, workspace);
    for (const problem of problems) log(`alert rule ${problem.rule} (workspace ${workspace.name}): ${problem.message}`);
    const sent = recorded.filter((r) => !r.suppressed).length;
    return { status: 'done', result: `fired ${sent}, suppressed ${recorded.length - sent}${problems.length ? `, ${problems.length} rule(s) could not be evaluated` : ''}` };
  };
}
