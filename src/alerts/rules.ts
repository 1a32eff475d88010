import { z } from 'zod';
import { PERIODS } from '../metrics/dimensions.ts';

/**
 * Alert rules (docs/alerts.md): what a rule watches and where it speaks, as zod schemas that the
 * API validates with and documents (GET /api/docs), and the types the pure evaluation reads.
 *
 * - threshold: a metric's value for a period below (or above) a level, from n ≥ minN answers;
 * - drop: a significant change against the previous period (the overview's tested change,
 *   src/stats/compare.ts), down by default (up for metrics where lower is better, e.g. frt);
 * - frt_sla: the median or p90 first response time of the period's tickets over an SLA
 *   (p90 over the SLA = more than 10% of tickets answered later than the SLA);
 * - churn: the period's churn above a level (percent);
 * - response: one new answer of an NPS, CSAT or CES question with a score ≤ maxScore;
 * - theme: a theme of the comments (or a given phrase) whose share of the period's comments rose
 *   significantly against the previous period (two-proportion test), with ≥ minMentions mentions.
 */

export const ALERT_KINDS = ['threshold', 'drop', 'frt_sla', 'churn', 'response', 'theme'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Metrics with one value per period and a tested change (not volume, intent, cohorts, consistency). */
export const ALERT_METRICS = [
  'nps', 'enps', 'csat', 'esat', 'ces', 'frt', 'frt_business', 'resolution_time', 'first_resolution_time',
  'reopen_rate', 'fcr', 'aht', 'cost_per_resolution', 'churn', 'retention', 'repeat_purchase_rate',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** Fewer answers than this in a period and period rules stay quiet (the compare.ts small-sample line). */
export const DEFAULT_MIN_N = 30;

const metric = z.enum(ALERT_METRICS, { errorMap: () => ({ message: `metric must be one of ${ALERT_METRICS.join(', ')}` }) });
const period = z.enum(PERIODS, { errorMap: () => ({ message: `period must be one of ${PERIODS.join(', ')}` }) }).default('month');
const minN = z.number().int().min(1).max(1_000_000).default(DEFAULT_MIN_N);
const level = z.number().finite().min(-1_000_000).max(1_000_000_000);

export const thresholdParams = z
  .object({ period, below: level.optional(), above: level.optional(), minN })
  .strict()
  .refine((p) => (p.below === undefined) !== (p.above === undefined), 'give exactly one of below and above');
export const dropParams = z.object({ period, direction: z.enum(['down', 'up']).default('down'), minN }).strict();
export const frtSlaParams = z
  .object({ period, slaMinutes: z.number().positive().max(525_600), statistic: z.enum(['median', 'p90']).default('median'), businessHours: z.boolean().default(false), minN })
  .strict();
export const churnParams = z.object({ period, above: z.number().min(0).max(100), minN }).strict();
export const responseParams = z.object({ questionKind: z.enum(['nps', 'csat', 'ces']), maxScore: z.number().finite().min(-100).max(100) }).strict();
/** Mentions of a theme in the period below this and a theme rule stays quiet. */
export const DEFAULT_MIN_MENTIONS = 10;
export const themeParams = z
  .object({
    period,
    /** a phrase to watch, matched on normalized words as themes are (absent: every theme of the period) */
    phrase: z.string().trim().min(2).max(100).refine((p) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(p), 'phrase must contain a word').optional(),
    minMentions: z.number().int().min(1).max(1_000_000).default(DEFAULT_MIN_MENTIONS),
    minN,
  })
  .strict();

/** kind + metric + params, one shape per kind. */
export const ruleDefinitionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('threshold'), metric, params: thresholdParams }).strict(),
  z.object({ kind: z.literal('drop'), metric, params: dropParams }).strict(),
  z.object({ kind: z.literal('frt_sla'), metric: z.null().optional(), params: frtSlaParams }).strict(),
  z.object({ kind: z.literal('churn'), metric: z.null().optional(), params: churnParams }).strict(),
  z.object({ kind: z.literal('response'), metric: z.null().optional(), params: responseParams }).strict(),
  z.object({ kind: z.literal('theme'), metric: z.null().optional(), params: themeParams }).strict(),
]);
export type RuleDefinition = z.output<typeof ruleDefinitionSchema>;

export const ALERT_LANGUAGES = ['en', 'ar', 'lt'] as const;
const language = z.enum(ALERT_LANGUAGES).default('en');
const httpUrl = z.string().trim().min(8).max(2048);

export const channelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), to: z.array(z.string().trim().email().max(254)).min(1).max(10), language }).strict(),
  z.object({ type: z.literal('slack'), url: httpUrl, language }).strict(),
  z
    .object({ type: z.literal('webhook'), url: httpUrl, secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'secret must be whsec_ and the base64 of at least 24 bytes').optional(), language })
    .strict(),
]);
export type ChannelInput = z.output<typeof channelSchema>;
/** A stored channel: a webhook's secret is always set. */
export type Channel = Exclude<ChannelInput, { type: 'webhook' }> | (Extract<ChannelInput, { type: 'webhook' }> & { secret: string });

export interface AlertRule {
  id: number;
  name: string;
  definition: RuleDefinition;
  channels: Channel[];
  cooldownMinutes: number;
  enabled: boolean;
  createdAt: Date;
  lastFiredAt: Date | null;
}

/** The metric a period rule reads from the metric engine. */
export function metricOf(definition: RuleDefinition): AlertMetric | undefined {
  switch (definition.kind) {
    case 'threshold':
    case 'drop':
      return definition.metric;
    case 'frt_sla':
      return definition.params.businessHours ? 'frt_business' : 'frt';
    case 'churn':
      return 'churn';
    case 'response':
    case 'theme':
      return undefined;
  }
}
