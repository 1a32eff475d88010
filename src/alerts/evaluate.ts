import { changeBetween, type MetricGroup } from '../metrics/compute.ts';
import type { Period } from '../metrics/dimensions.ts';
import { previousLabel } from '../metrics/periods.ts';
import { metricOf, type AlertRule, type RuleDefinition } from './rules.ts';

/**
 * Which rules fire, decided without I/O (docs/alerts.md). The caller reads the figures from the
 * metric engine (metricReport, the numbers the overview shows) and the new answers, and records
 * each firing under its dedupe key: rule + period for period rules, rule + response for answer
 * rules, so the same incident is recorded once however often it is evaluated.
 */

/** What a period rule saw. */
export interface PeriodFigure {
  metric: string;
  /** month, week, … and the period's label (2026-10, 2026-W41, …). */
  periodName: Period;
  period: string;
  value: number;
  n: number;
  ci: [number, number] | null;
  /** threshold / churn / frt_sla: the level crossed (frt_sla: seconds). */
  threshold?: number;
  direction?: 'below' | 'above' | 'down' | 'up';
  /** frt_sla: which statistic (median or p90) `value` is. */
  statistic?: 'median' | 'p90';
  /** drop: the period compared with, its value and n, and the tested change. */
  previous?: { period: string; value: number | null; n: number };
  change?: { delta: number; ci: [number, number] | null; pValue: number | null; of?: 'mean' };
}

/** What an answer rule saw. */
export interface ResponseFigure {
  response: string;
  kind: string;
  score: number;
  scaleMin: number | null;
  scaleMax: number | null;
  maxScore: number;
  comment: string | null;
  customer: string | null;
  customerName: string | null;
  survey: string | null;
  submittedAt: string;
}

/** What a theme rule saw (src/alerts/theme.ts): shares in percent, change in percentage points. */
export interface ThemeFigure {
  /** the theme's label, or the rule's phrase as written */
  theme: string;
  /** the phrases (matching form) counted as mentions */
  phrases: string[];
  periodName: Period;
  period: string;
  share: number;
  mentions: number;
  n: number;
  /** Wilson 95% interval of the share now */
  ci: [number, number] | null;
  previous: { period: string; share: number; mentions: number; n: number };
  /** two-proportion test (pooled z, Newcombe interval) of now − before */
  change: { delta: number; ci: [number, number] | null; pValue: number };
}

export type AlertFigure = PeriodFigure | ResponseFigure | ThemeFigure;

export interface Firing {
  ruleId: number;
  dedupeKey: string;
  period?: string;
  responseId?: string;
  figure: AlertFigure;
}

/** One answer, as the evaluation needs it. */
export interface NewResponse {
  id: string;
  kind: string;
  score: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
  comment: string | null;
  customerId: string | null;
  customerName: string | null;
  surveyId: string | null;
  submittedAt: Date;
}

export const periodDedupeKey = (ruleId: number, periodName: string, label: string) => `rule:${ruleId}:${periodName}:${label}`;
export const responseDedupeKey = (ruleId: number, responseId: string) => `rule:${ruleId}:response:${responseId}`;

type PeriodDefinition = Exclude<RuleDefinition, { kind: 'response' | 'theme' }>;

/**
 * A period rule over one metric's groups by period (each group's key holds the period label
 * under the period's name; groups keep their comparison inputs, `keepComparisonInputs`), for
 * the periods `labels` (the evaluation looks at the period in progress and the one before it).
 *
 * - Every kind needs n ≥ minN (default 30) in the period — and, for a drop, in the period before.
 * - threshold: value < below (or > above); churn: value > above; frt_sla: the median (or p90) in
 *   seconds > slaMinutes × 60.
 * - drop: changeBetween (the z-test for NPS, Newcombe for proportions, Welch on the mean for
 *   durations — the overview's tested change) is significant at 95% and goes the rule's way.
 */
export function evaluatePeriodRule(rule: Pick<AlertRule, 'id' | 'definition'>, groups: readonly MetricGroup[], labels: readonly string[]): Firing[] {
  const definition = rule.definition;
  if (definition.kind === 'response' || definition.kind === 'theme') return [];
  const metric = metricOf(definition)!;
  const periodName = definition.params.period;
  const byLabel = new Map(groups.map((g) => [g.key[periodName] ?? '', g]));
  const firings: Firing[] = [];
  for (const label of labels) {
    const group = byLabel.get(label);
    if (!group || group.value === null || group.n < definition.params.minN) continue;
    const figure = periodFigure(definition, metric, periodName, label, group, byLabel);
    if (figure) firings.push({ ruleId: rule.id, dedupeKey: periodDedupeKey(rule.id, periodName, label), period: label, figure });
  }
  return firings;
}

function periodFigure(definition: PeriodDefinition, metric: string, periodName: Period, label: string, group: MetricGroup, byLabel: Map<string, MetricGroup>): PeriodFigure | undefined {
  const base = { metric, periodName, period: label, value: group.value!, n: group.n, ci: group.ci };
  switch (definition.kind) {
    case 'threshold': {
      const { below, above } = definition.params;
      if (below !== undefined) return base.value < below ? { ...base, threshold: below, direction: 'below' } : undefined;
      return above !== undefined && base.value > above ? { ...base, threshold: above, direction: 'above' } : undefined;
    }
    case 'churn':
      return base.value > definition.params.above ? { ...base, threshold: definition.params.above, direction: 'above' } : undefined;
    case 'frt_sla': {
      const { statistic, slaMinutes } = definition.params;
      const value = statistic === 'p90' ? (group.p90 as number | null | undefined) : (group.median as number | null | undefined) ?? group.value;
      const ci = statistic === 'p90' ? ((group.p90_ci as [number, number] | null | undefined) ?? null) : ((group.median_ci as [number, number] | null | undefined) ?? group.ci);
      const sla = slaMinutes * 60;
      return typeof value === 'number' && value > sla ? { ...base, value, ci, threshold: sla, direction: 'above', statistic } : undefined;
    }
    case 'drop': {
      const before = previousLabel(label, periodName);
      const previous = before ? byLabel.get(before) : undefined;
      if (!previous || previous.n < definition.params.minN) return undefined;
      const change = changeBetween(previous, group, metric as Parameters<typeof changeBetween>[2]);
      if (!change || !change.significant || change.smallSample) return undefined;
      if (definition.params.direction === 'down' ? !(change.delta < 0) : !(change.delta > 0)) return undefined;
      return {
        ...base,
        direction: definition.params.direction,
        previous: { period: before!, value: previous.value, n: previous.n },
        change: { delta: change.delta, ci: change.ci, pValue: change.pValue, ...(change.of ? { of: change.of } : {}) },
      };
    }
  }
}

/** An answer rule over new answers: each answer of the rule's question kind scored ≤ maxScore fires once. */
export function evaluateResponseRule(rule: Pick<AlertRule, 'id' | 'definition'>, responses: readonly NewResponse[]): Firing[] {
  const definition = rule.definition;
  if (definition.kind !== 'response') return [];
  const { questionKind, maxScore } = definition.params;
  return responses
    .filter((r) => r.kind === questionKind && r.score !== null && r.score <= maxScore)
    .map((r) => ({
      ruleId: rule.id,
      dedupeKey: responseDedupeKey(rule.id, r.id),
      responseId: r.id,
      figure: {
        response: r.id,
        kind: r.kind,
        score: r.score!,
        scaleMin: r.scaleMin,
        scaleMax: r.scaleMax,
        maxScore,
        comment: r.comment,
        customer: r.customerId,
        customerName: r.customerName,
        survey: r.surveyId,
        submittedAt: r.submittedAt.toISOString(),
      },
    }));
}

export const isResponseFigure = (figure: AlertFigure): figure is ResponseFigure => 'response' in figure;
export const isThemeFigure = (figure: AlertFigure): figure is ThemeFigure => 'theme' in figure;
