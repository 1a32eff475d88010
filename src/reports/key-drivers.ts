import { DateTime } from 'luxon';
import { DimensionError, parseFilter, type Filter } from '../metrics/dimensions.ts';
import { DEFAULT_RESAMPLES, keyDrivers, KeyDriverError, MAX_PREDICTORS, MISSING_POLICIES, type KeyDriverAnalysis, type KeyDriverWarning, type MissingPolicy } from '../metrics/key-drivers.ts';
import { parsePeriodLabel } from '../metrics/period-labels.ts';
import type { Database } from '../storage/database.ts';
import { SqlBuilder } from '../storage/metrics/sql-builder.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { ReportError } from './metric-report.ts';

/**
 * `sada drivers` and GET /api/v1/key-drivers: which touchpoints' scores best explain the
 * customers' overall NPS (or CSAT). Pairs each customer's latest outcome answer of the period
 * with their latest answer at each touchpoint in the days before it, then runs the relative
 * importance analysis of metrics/key-drivers.ts. The definition is in docs/metrics.md "Key drivers".
 */

export const DRIVER_OUTCOMES = ['nps', 'csat'] as const;
export type DriverOutcome = (typeof DRIVER_OUTCOMES)[number];
export const DRIVER_PREDICTORS = ['csat', 'ces'] as const;
export type DriverPredictor = (typeof DRIVER_PREDICTORS)[number];
/** How far back before the outcome answer a touchpoint answer counts. */
export const DEFAULT_WINDOW_DAYS = 90;
/** With no range asked for: this many whole months ending with the latest outcome answer (NPS is often asked twice a year). */
export const DEFAULT_MONTHS = 6;
/** With no touchpoints named: those answered by at least this share of the outcome's respondents … */
export const MIN_COVERAGE = 0.05;
/** … and by at least this many of them. */
export const MIN_COVERAGE_N = 30;

export interface KeyDriverRequest {
  outcome?: string;
  predictor?: string;
  /** YYYY-MM-DD or a period label (2026-05, 2026-Q2): its first day. */
  from?: string;
  /** YYYY-MM-DD or a period label: its last day. */
  to?: string;
  /** Filters on the outcome answers (dimension=value), as in every metric. */
  where?: string[];
  /** The touchpoints to use as predictors; default every one answered by ≥ 20 % of the respondents. */
  touchpoints?: string[];
  windowDays?: number;
  /** Customers rarely answer every touchpoint: default `mean` (see metrics/key-drivers.ts), or `listwise`. */
  missing?: string;
  resamples?: number;
  seed?: number;
}

export interface KeyDriversReport extends Omit<KeyDriverAnalysis, 'warnings' | 'drivers'> {
  workspace: string;
  outcome: DriverOutcome;
  predictor: DriverPredictor;
  from: string | null;
  to: string | null;
  where: string[];
  window_days: number;
  /** Customers with an outcome answer in the period (before the listwise deletion). */
  respondents: number;
  /** Every touchpoint with paired answers: how many of the respondents answered it, and whether it was used. */
  coverage: Array<{ touchpoint: string; respondents: number; used: boolean }>;
  drivers: Array<KeyDriverAnalysis['drivers'][number] & { coverage: number }>;
  warnings: Array<KeyDriverWarning & { message: string }>;
}

function dayOf(text: string, edge: 'first' | 'last', option: string, zone: string): DateTime {
  const named = parsePeriodLabel(text);
  if (named) return DateTime.fromISO(named[edge], { zone });
  throw new ReportError(`${option} must be a day (2026-10-05) or a period such as 2026-10, 2026-Q3 or 2026, not "${text}"`);
}

function integerOption(value: number | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new ReportError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export async function keyDriverReport(db: Database, workspace: Workspace, request: KeyDriverRequest = {}): Promise<KeyDriversReport> {
  const outcome = (request.outcome || 'nps') as DriverOutcome;
  if (!DRIVER_OUTCOMES.includes(outcome)) throw new ReportError(`outcome must be ${DRIVER_OUTCOMES.join(' or ')}, not "${request.outcome}"`);
  const predictor = (request.predictor || 'csat') as DriverPredictor;
  if (!DRIVER_PREDICTORS.includes(predictor)) throw new ReportError(`predictor must be ${DRIVER_PREDICTORS.join(' or ')} (the touchpoint answers used), not "${request.predictor}"`);
  const missing = (request.missing || 'mean') as MissingPolicy;
  if (!MISSING_POLICIES.includes(missing)) throw new ReportError(`missing must be ${MISSING_POLICIES.join(' or ')}, not "${request.missing}"`);
  const windowDays = integerOption(request.windowDays, DEFAULT_WINDOW_DAYS, 'window_days', 1, 3660);
  const resamples = integerOption(request.resamples, DEFAULT_RESAMPLES, 'resamples', 0, 2000);
  const seed = integerOption(request.seed, 1, 'seed', 0, 2 ** 31 - 1);
  const zone = workspace.timezone;
  const where = request.where ?? [];
  let filters: Filter[];
  try {
    filters = where.map((w) => parseFilter('responses', w));
  } catch (error) {
    if (error instanceof DimensionError) throw new ReportError(error.message);
    throw error;
  }

  let from = request.from ? dayOf(request.from, 'first', 'from', zone) : undefined;
  let to = request.to ? dayOf(request.to, 'last', 'to', zone) : undefined;
  if (!from && !to) {
    const [latest] = await db.query<{ at: Date | null }>(
      'SELECT max(submitted_at) AS at FROM responses WHERE workspace_id = $1 AND kind = $2 AND customer_id IS NOT NULL AND score IS NOT NULL',
      [workspace.id, outcome],
    );
    if (latest?.at) {
      const last = DateTime.fromJSDate(new Date(latest.at), { zone }).startOf('month');
      to = last.endOf('month').startOf('day');
      from = last.minus({ months: DEFAULT_MONTHS - 1 });
    }
  }
  if (from && to && to < from) throw new ReportError(`to (${to.toISODate()}) is before from (${from.toISODate()})`);

  // Each customer's latest outcome answer in the period (filters apply to it).
  const b = new SqlBuilder('responses', { workspaceId: workspace.id, timezone: zone, from: from?.toJSDate(), to: to?.plus({ days: 1 }).toJSDate(), by: [], where: filters }, 'submitted_at');
  b.where(`r.kind = ${b.param(outcome)}`).where('r.customer_id IS NOT NULL').where('r.score IS NOT NULL');
  const outcomeSql = `SELECT DISTINCT ON (r.customer_id) r.id, r.customer_id, r.score::float8 AS score, r.submitted_at ${b.from()} ORDER BY r.customer_id, r.submitted_at DESC, r.id DESC`;
  const kind = b.param(predictor);
  const days = b.param(windowDays);
  const rows = await db.query<{ customer_id: string; outcome: number; touchpoint: string | null; value: number | null }>(
    `WITH o AS (${outcomeSql})
     SELECT o.customer_id, o.score AS outcome, p.touchpoint, p.value
     FROM o LEFT JOIN LATERAL (
       SELECT DISTINCT ON (p.touchpoint) p.touchpoint,
              100.0 * (p.score - coalesce(p.scale_min, 1)) / nullif(coalesce(p.scale_max, 5) - coalesce(p.scale_min, 1), 0) AS value
       FROM responses p
       WHERE p.workspace_id = $1 AND p.customer_id = o.customer_id AND p.kind = ${kind} AND p.touchpoint IS NOT NULL AND p.score IS NOT NULL
         AND p.id <> o.id AND p.submitted_at <= o.submitted_at AND p.submitted_at > o.submitted_at - make_interval(days => ${days}::integer)
       ORDER BY p.touchpoint, p.submitted_at DESC, p.id DESC
     ) p ON true`,
    b.params,
  );

  const byCustomer = new Map<string, { outcome: number; predictors: Record<string, number | null> }>();
  const counts = new Map<string, number>();
  for (const row of rows) {
    let entry = byCustomer.get(row.customer_id);
    if (!entry) byCustomer.set(row.customer_id, (entry = { outcome: Number(row.outcome), predictors: {} }));
    if (row.touchpoint !== null) {
      entry.predictors[row.touchpoint] = row.value === null ? null : Number(row.value);
      counts.set(row.touchpoint, (counts.get(row.touchpoint) ?? 0) + 1);
    }
  }
  const respondents = byCustomer.size;
  let names: string[];
  if (request.touchpoints && request.touchpoints.length > 0) {
    names = [...new Set(request.touchpoints)];
    const unknown = names.filter((name) => !counts.has(name));
    if (unknown.length > 0) {
      const known = [...counts.keys()].sort();
      throw new ReportError(`no ${predictor} answers at ${unknown.map((u) => `"${u}"`).join(', ')} before these ${outcome} answers; touchpoints with answers: ${known.join(', ') || 'none'}`);
    }
    if (names.length > MAX_PREDICTORS) throw new ReportError(`name at most ${MAX_PREDICTORS} touchpoints`);
  } else {
    names = [...counts.entries()]
      .filter(([, count]) => count >= Math.max(MIN_COVERAGE_N, MIN_COVERAGE * respondents))
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, MAX_PREDICTORS)
      .map(([name]) => name)
      .sort();
  }

  let analysis: KeyDriverAnalysis;
  try {
    analysis = keyDrivers([...byCustomer.values()], names, { resamples, seed, missing });
  } catch (error) {
    if (error instanceof KeyDriverError) throw new ReportError(error.message);
    throw error;
  }
  return {
    ...analysis,
    workspace: workspace.name,
    outcome,
    predictor,
    from: from?.toISODate() ?? null,
    to: to?.toISODate() ?? null,
    where,
    window_days: windowDays,
    respondents,
    coverage: [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([touchpoint, n]) => ({ touchpoint, respondents: n, used: names.includes(touchpoint) })),
    drivers: analysis.drivers.map((d) => ({ ...d, coverage: counts.get(d.name) ?? 0 })),
    warnings: analysis.warnings.map((w) => ({ ...w, message: warningMessage(w, outcome, predictor, windowDays, missing) })),
  };
}

export function warningMessage(warning: KeyDriverWarning, outcome: string, predictor: string, windowDays: number, missing: MissingPolicy): string {
  switch (warning.code) {
    case 'small_n':
      return `Only ${warning.n} customers answered ${outcome} and ${missing === 'listwise' ? 'every' : 'a'} touchpoint used; at least ${warning.needed} are needed for a stable ranking: widen the period, lengthen window_days or use fewer touchpoints.`;
    case 'too_few_rows':
      return `Only ${warning.n} customers answered ${outcome} and ${missing === 'listwise' ? 'every' : 'a'} touchpoint used: too few to fit the model. Widen the period or use fewer touchpoints.`;
    case 'many_excluded':
      return missing === 'listwise'
        ? `${warning.excluded} of ${warning.total} customers were left out because they had not answered every touchpoint used; name fewer touchpoints, or use missing=mean, to keep more of them.`
        : `${warning.excluded} of ${warning.total} customers were left out because they answered none of the touchpoints used in the ${windowDays} days before their ${outcome.toUpperCase()} answer.`;
    case 'weak_model':
      return `Together the touchpoints explain only ${(warning.r_squared * 100).toFixed(1)}% of the variance of ${outcome.toUpperCase()}: the ranking says little. Their scores are not what moves it here.`;
    case 'imputed':
      return `${Math.round(warning.share * 100)}% of the touchpoint scores were not answered and took the touchpoint's mean (missing=mean): a touchpoint few customers answered can explain little of the overall ${outcome.toUpperCase()}.`;
    case 'constant':
      return `Every customer gave the same ${predictor} at ${warning.names.join(', ')}: it cannot explain anything here.`;
    case 'no_predictors':
      return `No touchpoint's ${predictor} was answered by at least ${MIN_COVERAGE_N} and ${MIN_COVERAGE * 100}% of the customers who answered ${outcome} (in the ${windowDays} days before): name touchpoints, or widen the period.`;
  }
}
