import { DateTime } from 'luxon';
import { NEUTRAL, toneOfChange } from '../metrics/direction.ts';
import type { MetricGroup } from '../metrics/compute.ts';
import { caseMetrics, type CaseMetrics } from '../metrics/cases.ts';
import type { MetricName } from '../metrics/definitions.ts';
import { caseRecords, listCases } from '../storage/cases.ts';
import type { Database } from '../storage/database.ts';
import { alertsFiredBetween, type FiredAlert } from '../storage/report-sections.ts';
import { listResponses, type ListedResponse } from '../storage/response-list.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { explainChange, type Explanation } from './explain.ts';
import { journey, type Journey } from './journey.ts';
import { metricReport, ReportError, type MetricResult } from './metric-report.ts';
import { overview, type Overview, type OverviewCard } from './overview.ts';
import { themesReport, type ThemesReport } from './text-themes.ts';

/**
 * The monthly CX report (`sada report monthly`, GET /api/v1/reports/monthly, the scheduled
 * e-mail): everything the monthly meeting reads, gathered from the report functions the
 * dashboard uses — the overview's KPI cards (value, n, interval, tested change), the explanation
 * of the largest tested changes, the journey, support and retention figures from metricReport,
 * and the month's comments. Nothing here computes a metric: every number is one of theirs.
 * Rendering is separate (monthly-html.ts), so the same data makes the HTML page, the PDF and
 * the e-mail.
 */

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const HEADLINE_METRICS: readonly MetricName[] = ['nps', 'csat', 'ces', 'esat', 'enps'];
export const SUPPORT_METRICS: readonly MetricName[] = ['frt', 'fcr', 'aht', 'cost_per_resolution', 'volume'];
export const RETENTION_METRICS: readonly MetricName[] = ['churn', 'retention'];

/** How many tested changes are explained (each explanation reads every dimension twice). */
export const EXPLAINED_CHANGES = 3;
/** How many of the month's lowest and of its highest scored comments are quoted. */
export const QUOTES_EACH = 3;
/** The comments the quotes are picked from: the month's newest this many with a score. */
const QUOTE_POOL = 500;
/** Months of trend beside each KPI. */
export const TREND_MONTHS = 6;

export interface Quote {
  id: string;
  kind: string;
  score: number;
  scaleMin: number;
  scaleMax: number;
  comment: string;
  language: string | null;
  touchpoint: string | null;
  submittedAt: string;
}

/**
 * The month's themes (src/text/themes.ts through themesReport, as GET /api/v1/text/themes): the
 * phrases its comments repeat most, each with the score of the comments that mention it against
 * the rest (as a share of the scale, with its 95% interval).
 */
export interface ThemesSection {
  comments: number;
  /** more comments than themesReport reads (its newest MAX_THEME_COMMENTS were analysed) */
  truncated: boolean;
  themes: Array<Pick<ThemesReport['themes'][number], 'label' | 'volume' | 'share' | 'score_impact'>>;
}

/** Themes shown in the report: a meeting discusses a handful. */
export const MONTHLY_THEMES = 5;

/** The alerts that fired in the month (src/alerts, migration 0016), sent ones listed. */
export interface AlertsSection {
  status: 'available';
  /** Sent alerts in the month, and those recorded within a rule's cool-down (not sent). */
  total: number;
  suppressed: number;
  /** The newest `ALERTS_LISTED` sent ones. */
  alerts: FiredAlert[];
}

/** The closed loop (src/metrics/cases.ts, migration 0017): the metrics of the cases opened in the month, and the cases overdue now. */
export interface CasesSection {
  status: 'available';
  opened: CaseMetrics;
  /** Unresolved cases past their due time when the report was made (any month). */
  overdueNow: number;
}

/** How many of the month's alerts the report lists. */
export const ALERTS_LISTED = 10;

export interface ExplainedChange {
  metric: MetricName;
  explanation: Explanation;
}

export interface AgendaItem {
  kind: 'significant_drop' | 'significant_rise' | 'weakest_step' | 'leading_cause' | 'small_sample' | 'overdue_cases' | 'alerts';
  /** For `alerts`: how many fired in the month; for `overdue_cases`: how many are overdue now. */
  count?: number;
  metric?: MetricName;
  touchpoint?: string;
  delta?: number;
  /** The card, explanation or step it comes from. */
  card?: OverviewCard;
  explanation?: Explanation;
}

export interface MonthlyReport {
  workspace: string;
  timezone: string;
  /** YYYY-MM and its neighbour before it. */
  month: string;
  previousMonth: string;
  /** First and last day of the month (YYYY-MM-DD, both included). */
  from: string;
  to: string;
  overview: Overview;
  headline: OverviewCard[];
  support: OverviewCard[];
  retention: OverviewCard[];
  explained: ExplainedChange[];
  journey: Journey;
  volumeByChannel: MetricResult;
  repeatPurchase: MetricResult;
  quotes: { lowest: Quote[]; highest: Quote[] };
  themes: ThemesSection;
  alerts: AlertsSection;
  cases: CasesSection;
  agenda: AgendaItem[];
}

export function parseMonth(text: string | undefined): string {
  if (!text || !MONTH.test(text)) throw new ReportError(`month must be a calendar month written YYYY-MM (e.g. 2026-10), not "${text ?? ''}"`);
  return text;
}

/** The month before `month` (YYYY-MM). */
export function previousMonthOf(month: string): string {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM');
}

/** The closed-loop metrics of the cases opened in the month, by their one implementation. */
export async function monthCases(db: Database, workspace: Workspace, from: Date, to: Date): Promise<CasesSection> {
  const [{ records, now }, overdue] = await Promise.all([caseRecords(db, workspace.id, { from, to }), listCases(db, workspace.id, { overdue: true, limit: 1, offset: 0 })]);
  return { status: 'available', opened: caseMetrics(records, now), overdueNow: overdue.total };
}

export async function monthAlerts(db: Database, workspace: Workspace, from: Date, to: Date): Promise<AlertsSection> {
  return { status: 'available', ...(await alertsFiredBetween(db, workspace.id, from, to, ALERTS_LISTED)) };
}

function position(r: ListedResponse): number {
  return (r.score! - r.scaleMin!) / (r.scaleMax! - r.scaleMin!);
}

function quoteOf(r: ListedResponse): Quote {
  return { id: r.id, kind: r.kind, score: r.score!, scaleMin: r.scaleMin!, scaleMax: r.scaleMax!, comment: r.comment!, language: r.language, touchpoint: r.touchpoint, submittedAt: r.submittedAt };
}

/**
 * Quotes: of the month's newest scored comments (customers only: employees' answers are never
 * listed), the lowest and the highest on their own scale. Picked, not computed: no metric.
 */
export async function monthQuotes(db: Database, workspace: Workspace, from: Date, to: Date): Promise<{ lowest: Quote[]; highest: Quote[] }> {
  const { responses } = await listResponses(db, workspace.id, { withComment: true, from, to }, { limit: QUOTE_POOL });
  const scored = responses.filter((r) => r.score !== null && r.scaleMin !== null && r.scaleMax !== null && r.scaleMax > r.scaleMin && r.comment && r.comment.trim() !== '');
  const ascending = [...scored].sort((a, b) => position(a) - position(b) || a.id.localeCompare(b.id));
  const lowest = ascending.slice(0, QUOTES_EACH);
  const taken = new Set(lowest.map((r) => r.id));
  const highest = ascending.reverse().filter((r) => !taken.has(r.id) && position(r) > 0.5).slice(0, QUOTES_EACH);
  return { lowest: lowest.filter((r) => position(r) < 0.5).map(quoteOf), highest: highest.map(quoteOf) };
}

const significantChange = (card: OverviewCard) => card.current?.change && card.current.change.significant && !card.current.change.smallSample ? card.current.change : undefined;

/**
 * The meeting's agenda, from the data: significant drops first (largest first), the journey's
 * weakest step, what the leading explanation points at, significant rises to acknowledge, and
 * the KPIs too thin this month to judge.
 */
export function agendaOf(report: Pick<MonthlyReport, 'headline' | 'support' | 'retention' | 'explained' | 'journey' | 'alerts' | 'cases'>): AgendaItem[] {
  const cards = [...report.headline, ...report.support, ...report.retention];
  const changed = cards
    .map((card) => ({ card, change: significantChange(card) }))
    .filter((x): x is { card: OverviewCard; change: NonNullable<MetricGroup['change']> } => x.change !== undefined && toneOfChange(x.card.metric, x.change.delta) !== 'neutral');
  const drops = changed.filter((x) => toneOfChange(x.card.metric, x.change.delta) === 'bad').sort((a, b) => Math.abs(b.change.delta) - Math.abs(a.change.delta));
  const rises = changed.filter((x) => toneOfChange(x.card.metric, x.change.delta) === 'good').sort((a, b) => Math.abs(b.change.delta) - Math.abs(a.change.delta));
  const items: AgendaItem[] = drops.map(({ card, change }) => ({ kind: 'significant_drop', metric: card.metric, delta: change.delta, card }));
  for (const { metric, explanation } of report.explained) {
    if (drops.some((d) => d.card.metric === metric) && explanation.contributions.some((c) => c.significant)) items.push({ kind: 'leading_cause', metric, explanation });
  }
  if (report.cases.overdueNow > 0) items.push({ kind: 'overdue_cases', count: report.cases.overdueNow });
  if (report.alerts.total > 0) items.push({ kind: 'alerts', count: report.alerts.total });
  if (report.journey.weakest) items.push({ kind: 'weakest_step', touchpoint: report.journey.weakest.touchpoint, metric: report.journey.weakest.metric as MetricName });
  items.push(...rises.map(({ card, change }): AgendaItem => ({ kind: 'significant_rise', metric: card.metric, delta: change.delta, card })));
  for (const card of report.headline) {
    if (card.current && card.current.n > 0 && card.current.n < 30) items.push({ kind: 'small_sample', metric: card.metric, card });
  }
  return items;
}

export async function monthThemes(db: Database, workspace: Workspace, from: Date, to: Date): Promise<ThemesSection> {
  const found = await themesReport(db, workspace, { from, to });
  return {
    comments: found.comments,
    truncated: found.truncated,
    themes: found.themes.slice(0, MONTHLY_THEMES).map(({ label, volume, share, score_impact }) => ({ label, volume, share, score_impact })),
  };
}

/** Gathers the monthly report of `month` (YYYY-MM) in the workspace's time zone. */
export async function monthlyReport(db: Database, workspace: Workspace, request: { month: string }): Promise<MonthlyReport> {
  const month = parseMonth(request.month);
  const zone = workspace.timezone;
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  const end = start.plus({ months: 1 });
  const from = start.toISODate()!;
  const to = end.minus({ days: 1 }).toISODate()!;
  const previousMonth = previousMonthOf(month);

  const [kpis, journeyReport, volumeByChannel, repeatPurchase, quotes, alerts, cases, themesOfMonth] = await Promise.all([
    overview(db, workspace, { period: 'month', at: from, trend: TREND_MONTHS }),
    journey(db, workspace, { from, to }),
    metricReport(db, workspace, { metric: 'volume', by: ['channel'], from, to }),
    metricReport(db, workspace, { metric: 'repeat_purchase_rate', by: ['month'], from: start.minus({ months: 1 }).toISODate()!, to }),
    monthQuotes(db, workspace, start.toJSDate(), end.toJSDate()),
    monthAlerts(db, workspace, start.toJSDate(), end.toJSDate()),
    monthCases(db, workspace, start.toJSDate(), end.toJSDate()),
    monthThemes(db, workspace, start.toJSDate(), end.toJSDate()),
  ]);
  const pick = (names: readonly MetricName[]) => names.map((name) => kpis.cards.find((c) => c.metric === name)).filter((c): c is OverviewCard => c !== undefined);
  const headline = pick(HEADLINE_METRICS);
  const support = pick(SUPPORT_METRICS);
  const retention = pick(RETENTION_METRICS);

  // Explain the largest tested changes (by their p-value, smallest first), then any change at all.
  const candidates = kpis.cards
    .filter((c) => c.explainable && c.current?.change && !NEUTRAL.has(c.metric))
    .sort((a, b) => Number(!!significantChange(b)) - Number(!!significantChange(a)) || (a.current!.change!.pValue ?? 1) - (b.current!.change!.pValue ?? 1))
    .slice(0, EXPLAINED_CHANGES);
  const explained: ExplainedChange[] = [];
  for (const card of candidates) {
    try {
      explained.push({ metric: card.metric, explanation: await explainChange(db, workspace, { metric: card.metric, from: previousMonth, to: month }) });
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
    }
  }
  const parts = { headline, support, retention, explained, journey: journeyReport, alerts, cases };
  return {
    workspace: workspace.name,
    timezone: zone,
    month,
    previousMonth,
    from,
    to,
    overview: kpis,
    ...parts,
    volumeByChannel,
    repeatPurchase,
    quotes,
    themes: themesOfMonth,
    agenda: agendaOf(parts),
  };
}
