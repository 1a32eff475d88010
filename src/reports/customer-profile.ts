import type { MetricGroup } from '../metrics/compute.ts';
import type { MetricName } from '../metrics/definitions.ts';
import { headcountBandSql } from '../storage/metrics/sql-builder.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { metricReport, ReportError } from './metric-report.ts';
import { monthWindow, type MonthWindow } from './report-window.ts';

/**
 * The ideal-customer profile: one profile attribute (segment, age band, country, …) and, for
 * each of its values, satisfaction (CSAT, NPS), retention (churn, retention) and revenue per
 * customer over the window, each with n and its interval — all from metricReport, broken down
 * by the attribute. The page ranks the values; groups with n < 30 are too few to rank.
 */

export const PROFILE_ATTRIBUTES = [
  'segment',
  'customer.age_band',
  'customer.gender',
  'customer.country',
  'customer.city',
  'customer.sector',
  'customer.headcount_band',
  'customer.plan',
] as const;
export type ProfileAttribute = (typeof PROFILE_ATTRIBUTES)[number];

export const PROFILE_MEASURES = ['csat', 'nps', 'retention', 'churn', 'revenue_per_customer'] as const satisfies readonly MetricName[];
export type ProfileMeasure = (typeof PROFILE_MEASURES)[number];

/** Below this n a group's value is shown but not ranked (docs/metrics.md: too few to tell). */
export const MIN_RANKED_N = 30;

export interface ProfileCell {
  value: number | null;
  n: number;
  ci: [number, number] | null;
  [detail: string]: unknown;
}

export interface ProfileRow {
  /** The attribute's value; null: customers who did not state it. */
  value: string | null;
  /** Customers in the workspace with this value (whether or not they answered or bought). */
  customers: number;
  measures: Partial<Record<ProfileMeasure, ProfileCell>>;
}

export interface CustomerProfile {
  workspace: string;
  timezone: string;
  attribute: ProfileAttribute;
  window: MonthWindow;
  /** The currency revenue is shown in, and every currency with its number of buying customers. */
  currency: string | null;
  currencies: Array<{ currency: string; customers: number }>;
  /** What churn and retention read "active" from. */
  basis: string | null;
  minRankedN: number;
  rows: ProfileRow[];
  /** A measure that cannot be broken down by this attribute, with the engine's reason. */
  unavailable: Partial<Record<ProfileMeasure, string>>;
}

export function isProfileAttribute(text: string): text is ProfileAttribute {
  return (PROFILE_ATTRIBUTES as readonly string[]).includes(text);
}

const cell = (group: MetricGroup): ProfileCell => {
  const { key: _key, change: _change, ...rest } = group;
  return rest as ProfileCell;
};

async function customersByValue(db: Database, workspaceId: number, attribute: ProfileAttribute): Promise<Map<string | null, number>> {
  const field = attribute === 'segment' ? 'segment' : attribute.slice('customer.'.length);
  const expression = field === 'headcount_band' ? headcountBandSql('c') : `c.${field}::text`;
  const rows = await db.query<{ value: string | null; customers: number }>(
    `SELECT ${expression} AS value, count(*)::integer AS customers FROM customers c WHERE c.workspace_id = $1 GROUP BY 1`,
    [workspaceId],
  );
  return new Map(rows.map((r) => [r.value, Number(r.customers)]));
}

export async function customerProfile(
  db: Database,
  workspace: Workspace,
  request: { attribute: ProfileAttribute; months: number; currency?: string },
): Promise<CustomerProfile> {
  const window = await monthWindow(db, workspace, request.months);
  const { attribute } = request;
  const unavailable: CustomerProfile['unavailable'] = {};
  const results = await Promise.all(
    PROFILE_MEASURES.map(async (metric) => {
      try {
        return await metricReport(db, workspace, { metric, by: [attribute], from: window.from, to: window.to });
      } catch (error) {
        if (error instanceof ReportError) {
          unavailable[metric] = error.message;
          return undefined;
        }
        throw error;
      }
    }),
  );
  const byMetric = new Map(PROFILE_MEASURES.map((metric, i) => [metric, results[i]]));
  const revenue = byMetric.get('revenue_per_customer');
  const perCurrency = new Map<string, number>();
  for (const group of revenue?.groups ?? []) {
    const currency = group.key.currency;
    if (currency) perCurrency.set(currency, (perCurrency.get(currency) ?? 0) + group.n);
  }
  const currencies = [...perCurrency].map(([currency, customers]) => ({ currency, customers })).sort((a, b) => b.customers - a.customers || (a.currency < b.currency ? -1 : 1));
  if (request.currency && !perCurrency.has(request.currency)) {
    throw new ReportError(`no orders in ${request.currency} in this window; currencies with orders: ${currencies.map((c) => c.currency).join(', ') || 'none'}`);
  }
  const currency = request.currency ?? currencies[0]?.currency ?? null;

  const customers = await customersByValue(db, workspace.id, attribute);
  const rows = new Map<string | null, ProfileRow>();
  const rowOf = (value: string | null) => {
    let row = rows.get(value);
    if (!row) {
      row = { value, customers: customers.get(value) ?? 0, measures: {} };
      rows.set(value, row);
    }
    return row;
  };
  for (const value of customers.keys()) rowOf(value);
  for (const metric of PROFILE_MEASURES) {
    for (const group of byMetric.get(metric)?.groups ?? []) {
      if (metric === 'revenue_per_customer' && group.key.currency !== currency) continue;
      rowOf(group.key[attribute] ?? null).measures[metric] = cell(group);
    }
  }
  return {
    workspace: workspace.name,
    timezone: workspace.timezone,
    attribute,
    window,
    currency,
    currencies,
    basis: byMetric.get('churn')?.basis ?? null,
    minRankedN: MIN_RANKED_N,
    rows: [...rows.values()].sort((a, b) => b.customers - a.customers || String(a.value).localeCompare(String(b.value))),
    unavailable,
  };
}
