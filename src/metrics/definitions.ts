import type { MetricSource } from './dimensions.ts';

/**
 * The name, unit, source and one-paragraph definition of every metric. The full definition
 * (formula, scale, which timestamp places a record in a period, what is excluded) is in
 * docs/metrics.md under a heading with the metric's name; a test keeps the two in step.
 */

export const METRIC_NAMES = [
  'nps',
  'enps',
  'csat',
  'esat',
  'ces',
  'frt',
  'frt_business',
  'resolution_time',
  'first_resolution_time',
  'reopen_rate',
  'fcr',
  'aht',
  'cost_per_resolution',
  'volume',
  'consistency',
  'churn',
  'retention',
  'repeat_purchase_rate',
  'revenue_per_customer',
  'cohorts',
  'intent',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export type Unit = 'nps' | 'percent' | 'seconds' | 'count' | 'money';

export interface MetricDefinition {
  name: MetricName;
  title: string;
  unit: Unit;
  source: MetricSource;
  /** The timestamp that puts a record in a period. */
  anchor: string;
  definition: string;
}

const d = (name: MetricName, title: string, unit: Unit, source: MetricSource, anchor: string, definition: string): MetricDefinition => ({
  name,
  title,
  unit,
  source,
  anchor,
  definition,
});

export const METRICS: Record<MetricName, MetricDefinition> = {
  nps: d('nps', 'Net Promoter Score', 'nps', 'responses', 'submitted_at',
    'NPS = % promoters (9–10) − % detractors (0–6) of the 0–10 answers to NPS questions, from −100 to 100. Interval: adjusted Wald (Rocks 2016).'),
  enps: d('enps', 'Employee Net Promoter Score', 'nps', 'responses', 'submitted_at',
    'eNPS = % promoters (9–10) − % detractors (0–6) of the 0–10 answers to eNPS questions, asked of employees, from −100 to 100.'),
  csat: d('csat', 'Customer satisfaction (CSAT)', 'percent', 'responses', 'submitted_at',
    'CSAT = satisfied answers ÷ all answers × 100, satisfied = top-2-box (4–5 of 5, 6–7 of 7, 9–10 of 10; configurable). Also the mean score. Interval: Wilson.'),
  esat: d('esat', 'Employee satisfaction (ESAT)', 'percent', 'responses', 'submitted_at',
    'ESAT = satisfied answers ÷ all answers × 100 over employee satisfaction questions, satisfied = top-2-box as for CSAT. Interval: Wilson.'),
  ces: d('ces', 'Customer effort (CES)', 'percent', 'responses', 'submitted_at',
    'CES = "easy" answers ÷ all answers × 100 (5–7 of 7, 4–5 of 5, 9–10 of 10; direction configurable), with the mean effort score. Interval: Wilson.'),
  frt: d('frt', 'First response time', 'seconds', 'tickets', 'created_at',
    'First public reply by a person − ticket creation, over tickets created in the period that have a first reply (bots and private notes do not count). Median (with a distribution-free interval), mean and p90.'),
  frt_business: d('frt_business', 'First response time in business hours', 'seconds', 'tickets', 'created_at',
    'As frt, counting only the seconds inside the workspace\'s opening hours (default Monday–Friday 09:00–17:00 in its time zone). Median, mean and p90.'),
  resolution_time: d('resolution_time', 'Full resolution time', 'seconds', 'tickets', 'resolved_at',
    'Last resolution − creation, over tickets resolved in the period (merged-away tickets excluded). Median, mean and p90.'),
  first_resolution_time: d('first_resolution_time', 'First resolution time', 'seconds', 'tickets', 'resolved_at',
    'First resolution (before any reopen; the last one when the ticket was never reopened) − creation, over tickets resolved in the period. Median, mean and p90.'),
  reopen_rate: d('reopen_rate', 'Reopen rate', 'percent', 'tickets', 'resolved_at',
    'Tickets reopened at least once ÷ tickets resolved in the period × 100 (merged-away tickets excluded). Interval: Wilson.'),
  fcr: d('fcr', 'First contact resolution', 'percent', 'tickets', 'resolved_at',
    'Tickets resolved in one contact and never reopened ÷ tickets resolved in the period × 100. One contact: at most one customer contact when the data counts contacts, else at most one agent reply. Merged-away tickets and tickets with neither count are excluded. Interval: Wilson.'),
  aht: d('aht', 'Average handle time', 'seconds', 'tickets', 'created_at',
    'Total handle seconds ÷ handled tickets (handle time > 0; for calls talk + hold + wrap-up), over tickets created in the period. Mean with a t-interval; median and p90 too.'),
  cost_per_resolution: d('cost_per_resolution', 'Cost per resolution', 'money', 'tickets', 'resolved_at',
    'Support cost of the tickets resolved in the period ÷ their number. A ticket\'s cost is its own cost, else handle seconds × its agent\'s hourly cost ÷ 3600. Mean with a t-interval.'),
  volume: d('volume', 'Volume', 'count', 'tickets', 'created_at',
    'New tickets (conversations, calls) created in the period, with each group\'s share of its period (Wilson interval for the share).'),
  consistency: d('consistency', 'Consistency of resolutions across agents', 'percent', 'tickets', 'resolved_at',
    'Per agent, FCR % over the tickets resolved in the period (as for fcr), placed on a funnel plot around the pooled rate (limits p̄ ± z·√(p̄(1 − p̄)/n) at 95% and 99.8%), and the share of the tickets created in the period resolved within 7 days; χ² tests that the agents\' rates are equal, and a Kruskal–Wallis test of resolution times by agent within each ticket category. Interval: Wilson.'),
  churn: d('churn', 'Churn rate', 'percent', 'subscriptions', 'started_at',
    'Customers who churned in the period ÷ customers active at its start × 100. Subscriptions: churned = every subscription ended in the period. Shops without subscriptions: a customer is active while their last order is less than T days old (T = 90 by default); churned = active at the start, inactive at the end. Interval: Wilson.'),
  retention: d('retention', 'Customer retention rate', 'percent', 'subscriptions', 'started_at',
    '(Customers active at the end − new customers in the period) ÷ customers active at the start × 100, with the same notion of active as churn. Interval: Wilson.'),
  repeat_purchase_rate: d('repeat_purchase_rate', 'Repeat purchase rate', 'percent', 'orders', 'placed_at',
    'Customers with at least two orders in the period ÷ customers with at least one × 100 (cancelled orders excluded). Interval: Wilson.'),
  revenue_per_customer: d('revenue_per_customer', 'Revenue per customer', 'money', 'orders', 'placed_at',
    'Mean order revenue per buying customer: each customer\'s order amounts in the period summed (cancelled and refunded orders excluded), averaged over the customers with at least one such order; always per currency. Interval: t-interval.'),
  cohorts: d('cohorts', 'Acquisition cohorts', 'percent', 'subscriptions', 'started_at',
    'Customers acquired in a month (first order, or first subscription when the workspace has subscriptions) × months since: the share of the cohort active in that month (ordered in it, or subscribed during it). n = the cohort\'s size. Interval: Wilson.'),
  intent: d('intent', 'Visitor intent', 'percent', 'visits', 'visited_at',
    'Share of visits stating each intent among visits that stated one, with the conversion rate of each intent. Interval: Wilson.'),
};

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}
