import { DateTime } from 'luxon';
import {
  computeDuration,
  computeLifecycle,
  computeMean,
  computeNps,
  computeRate,
  computeShares,
  computeTopBox,
  publicGroups,
  withChanges,
  type MetricGroup,
} from '../metrics/compute.ts';
import { businessHoursOf, churnDaysOf } from '../domain/workspace.ts';
import { computeCohorts } from '../metrics/cohorts.ts';
import { EMPLOYEE_METRICS, suppressSmallGroups } from '../metrics/confidentiality.ts';
import { computeConsistency, RESOLUTION_HORIZON_DAYS, type ConsistencyTests } from '../metrics/consistency.ts';
import { METRICS, isMetricName, METRIC_NAMES, type MetricDefinition, type MetricName } from '../metrics/definitions.ts';
import { DimensionError, parseDimension, parseFilter, type Dimension, type Filter, type MetricSource, type Period } from '../metrics/dimensions.ts';
import { periodsBetween } from '../metrics/periods.ts';
import { isEasy, isPositive, scoringSettingsOf } from '../metrics/scoring.ts';
import type { Database } from '../storage/database.ts';
import { fcrByUnit, resolutionRanks, resolvedWithinByUnit, ticketsAsOf } from '../storage/metrics/consistency.ts';
import { orderGapP80Days } from '../storage/at-risk.ts';
import { LIFECYCLE_ROLLUP } from '../storage/lifecycle-rollup.ts';
import { cohortCells, KEPT_ORDER, lifecycleActivityRange, lifecycleStats, type LifecycleBasis } from '../storage/metrics/lifecycle.ts';
import { lifecycleRollupCanAnswer, lifecycleRollupStats } from '../storage/metrics/lifecycle-rollup-queries.ts';
import { countStats, durationStats, rateStats, scoreHistograms, sumStats } from '../storage/metrics/queries.ts';
import { rollupCanAnswer, RollupBuilder, rollupDurationStats, rollupRateStats, rollupScoreHistograms, rollupSumStats, ROLLUPS_OF_SOURCE } from '../storage/metrics/rollup-queries.ts';
import { isDurationMeasure, ticketMeasure } from '../storage/metrics/ticket-measures.ts';
import { freshRollups } from '../storage/rollups.ts';
import { SqlBuilder, type MetricScope } from '../storage/metrics/sql-builder.ts';
import type { Workspace } from '../storage/workspaces.ts';

/**
 * Answers "metric X by D1, D2 over a date range, filtered": validates the request, runs the
 * metric's sufficient-statistics query, and computes values, intervals and period-over-period
 * changes. The same function serves `sada report` and GET /api/v1/metrics/<name>.
 */

export interface MetricRequest {
  metric: string;
  by?: string[];
  /** YYYY-MM-DD, first day included, in the workspace's time zone. */
  from?: string;
  /** YYYY-MM-DD, last day included. */
  to?: string;
  where?: string[];
  /**
   * Inactivity that counts as churn for shops without subscriptions: days, or `p80` for the 80th
   * percentile of the workspace's gaps between a customer's consecutive orders.
   */
  churnDays?: number | 'p80';
  /** Read rollups when they can answer (default); false forces the raw rows (tests, benchmarks). */
  useRollups?: boolean;
  /**
   * Keep each group's comparison inputs (`_compare`), for a caller that compares two results
   * with changeBetween (annotation-impact.ts); never set for JSON people read.
   */
  keepComparisonInputs?: boolean;
}

export interface MetricResult {
  metric: MetricName;
  title: string;
  unit: MetricDefinition['unit'];
  definition: string;
  workspace: string;
  timezone: string;
  from: string | null;
  to: string | null;
  by: string[];
  where: string[];
  /** For churn, retention and cohorts: what "active" was read from. */
  basis?: string;
  /** Whether the statistics came from the rollups or from the raw rows, and which rollup. */
  computedFrom: 'rollups' | 'raw rows';
  rollup?: string;
  groups: MetricGroup[];
  /** For consistency: pooled rates, χ² tests, and Kruskal–Wallis tests per ticket category. */
  tests?: ConsistencyTests;
  /** For cohorts: the last day the data describes (YYYY-MM-DD in the workspace's time zone). */
  observedUntil?: string;
}

export class ReportError extends Error {}

function parseDay(text: string, zone: string, option: string): DateTime {
  const day = DateTime.fromFormat(text, 'yyyy-MM-dd', { zone });
  if (!day.isValid) throw new ReportError(`${option} "${text}" is not a date written YYYY-MM-DD`);
  return day;
}

/** The 80th percentile of days between a customer's consecutive orders (at least 1), or 90 without repeat buyers. */
async function typicalOrderGap(db: Database, workspaceId: number): Promise<number> {
  return (await orderGapP80Days(db, workspaceId)) ?? 90;
}

async function hasRows(db: Database, table: 'subscriptions' | 'orders', workspaceId: number): Promise<boolean> {
  const [row] = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE workspace_id = $1) AS found`, [workspaceId]);
  return row?.found ?? false;
}

export async function metricReport(db: Database, workspace: Workspace, request: MetricRequest): Promise<MetricResult> {
  if (!isMetricName(request.metric)) {
    throw new ReportError(`"${request.metric}" is not a metric. Metrics: ${METRIC_NAMES.join(', ')}`);
  }
  const definition = METRICS[request.metric];
  const zone = workspace.timezone;
  const from = request.from ? parseDay(request.from, zone, '--from') : undefined;
  const to = request.to ? parseDay(request.to, zone, '--to') : undefined;
  if (from && to && to < from) throw new ReportError(`--to ${request.to} is before --from ${request.from}`);

  let source: MetricSource = definition.source;
  let basis: LifecycleBasis | undefined;
  if (request.metric === 'churn' || request.metric === 'retention' || request.metric === 'cohorts') {
    if (await hasRows(db, 'subscriptions', workspace.id)) basis = { kind: 'subscriptions' };
    else basis = { kind: 'orders', inactivityDays: request.churnDays === 'p80' ? await typicalOrderGap(db, workspace.id) : (request.churnDays ?? churnDaysOf(workspace.settings)) };
    source = basis.kind;
  }

  let by: Dimension[];
  let where: Filter[];
  try {
    by = (request.by ?? []).filter((b) => b.trim() !== '').map((b) => parseDimension(source, b));
    where = (request.where ?? []).map((w) => parseFilter(source, w));
  } catch (error) {
    if (error instanceof DimensionError) throw new ReportError(error.message);
    throw error;
  }
  const scope: MetricScope = {
    workspaceId: workspace.id,
    timezone: zone,
    from: from?.toJSDate(),
    to: to?.plus({ days: 1 }).toJSDate(),
    by,
    where,
  };
  const builder = () => new SqlBuilder(source, scope, definition.anchor);
  const scoring = scoringSettingsOf(workspace.settings);
  let groups: MetricGroup[];
  let keyNames = by.map((d) => d.name);
  let extra: Pick<MetricResult, 'tests' | 'observedUntil'> = {};

  const fromDay = from?.toISODate() ?? undefined;
  const toDay = to?.toISODate() ?? undefined;
  const candidates = request.useRollups !== false && !RAW_ONLY.has(request.metric) ? (ROLLUPS_OF_SOURCE[source] ?? []) : [];
  const fresh = candidates.length > 0 ? await freshRollups(db, workspace.id) : undefined;
  const needsHistograms = isDurationMeasure(request.metric);
  const rollupName = candidates.find((name) => fresh?.has(name) && rollupCanAnswer(name, { by, where, fromDay, toDay, needsHistograms }));
  const rollup = rollupName ? new RollupBuilder(rollupName, { workspaceId: workspace.id, fromDay, toDay, by, where }) : undefined;
  /** The rollup that answered, if any (churn and retention pick theirs below). */
  let answeredBy: string | undefined = rollupName;
  const histograms = (kinds: string[]) => (rollup ? rollupScoreHistograms(db, rollup, kinds) : scoreHistograms(db, builder(), kinds));

  switch (request.metric) {
    case 'nps':
    case 'enps':
      groups = (await histograms([request.metric])).map((g) => ({ key: g.key, ...computeNps(g.stats) }));
      break;
    case 'csat':
    case 'esat':
      groups = (await histograms([request.metric])).map((g) => ({
        key: g.key,
        ...computeTopBox(g.stats, (s, min, max) => isPositive(s, min, max, scoring)),
      }));
      break;
    case 'ces':
      groups = (await histograms(['ces'])).map((g) => ({
        key: g.key,
        ...computeTopBox(g.stats, (s, min, max) => isEasy(s, min, max, scoring)),
      }));
      break;
    case 'frt':
    case 'resolution_time':
    case 'first_resolution_time':
    case 'aht': {
      const measure = ticketMeasure(request.metric);
      const stats = rollup
        ? await rollupDurationStats(db, rollup, request.metric)
        : await durationStats(db, builder(), measure.seconds!, measure.population);
      groups = stats.map((g) => ({ key: g.key, ...computeDuration(g.stats, request.metric === 'aht' ? 'mean' : 'median') }));
      break;
    }
    case 'frt_business': {
      const b = builder();
      const hours = businessHoursOf(workspace.settings);
      const seconds = `sada_business_seconds(greatest(t.created_at, least(coalesce(t.handoff_at, t.created_at), t.first_response_at)), t.first_response_at, ${b.param(zone)}, ${b.param(hours.days)}::integer[], ${b.param(hours.opens)}::time, ${b.param(hours.closes)}::time)`;
      groups = (await durationStats(db, b, seconds, ticketMeasure('frt').population)).map((g) => ({ key: g.key, ...computeDuration(g.stats, 'median') }));
      break;
    }
    case 'reopen_rate':
    case 'fcr': {
      const measure = ticketMeasure(request.metric);
      const stats = rollup ? await rollupRateStats(db, rollup, request.metric) : await rateStats(db, builder(), measure.success!, measure.population);
      groups = stats.map((g) => ({ key: g.key, ...computeRate(g.stats) }));
      break;
    }
    case 'consistency': {
      const unit = consistencyUnit(by);
      const result = await consistency(db, { ...scope, by: [unit] });
      groups = result.groups;
      keyNames = [unit.name];
      extra = { tests: result.tests };
      break;
    }
    case 'cost_per_resolution': {
      const fromRows = () => {
        const measure = ticketMeasure('cost_per_resolution');
        const b = builder();
        b.employee(); // the amount reads the agent's hourly cost as `e`
        return sumStats(db, b, measure.amount!, measure.population);
      };
      const stats = rollup ? await rollupSumStats(db, rollup, 'cost_per_resolution') : await fromRows();
      groups = stats.map((g) => ({ key: g.key, ...computeMean(g.stats) }));
      break;
    }
    case 'volume': {
      const counts = rollup
        ? (await rollupRateStats(db, rollup, 'volume')).map((g) => ({ key: g.key, n: g.stats.n }))
        : (await countStats(db, builder())).map((g) => ({ key: g.key, n: g.stats.n }));
      groups = computeShares(counts, periodKeyOf(by));
      break;
    }
    case 'repeat_purchase_rate': {
      const b = builder();
      b.where(`o.customer_id IS NOT NULL AND ${KEPT_ORDER}`);
      const keys = b.keys.map((_, i) => `k${i}`);
      const inner = b.select(['o.customer_id', 'count(*)::integer AS orders'], ['o.customer_id']);
      const sql = `SELECT ${[...keys, 'count(*) FILTER (WHERE orders >= 2)::integer AS x', 'count(*)::integer AS n'].join(', ')}
        FROM (${inner}) per_customer ${keys.length > 0 ? `GROUP BY ${keys.join(', ')}` : ''}`;
      const rows = await db.query<Record<string, unknown>>(sql, b.params);
      groups = rows.map((row) => {
        const key: Record<string, string | null> = {};
        b.keys.forEach((k, i) => (key[k.name] = row[`k${i}`] == null ? null : String(row[`k${i}`])));
        return { key, ...computeRate({ x: Number(row.x), n: Number(row.n) }) };
      });
      break;
    }
    case 'revenue_per_customer': {
      // docs/metrics.md#revenue_per_customer: one row per customer (within the keys), then the mean; always per currency.
      const b = builder();
      if (!by.some((d) => d.type === 'column' && d.column === 'currency')) b.keys.push({ name: 'currency', sql: 'o.currency' });
      b.where(`o.customer_id IS NOT NULL AND o.amount IS NOT NULL AND ${KEPT_ORDER}`);
      const keys = b.keys.map((_, i) => `k${i}`);
      const inner = b.select(['o.customer_id', 'sum(o.amount)::double precision AS revenue'], ['o.customer_id']);
      const sql = `SELECT ${[...keys, 'count(*)::integer AS n', 'sum(revenue)::double precision AS sum', 'sum(revenue ^ 2)::double precision AS sum_squares'].join(', ')}
        FROM (${inner}) per_customer ${keys.length > 0 ? `GROUP BY ${keys.join(', ')}` : ''}`;
      const rows = await db.query<Record<string, unknown>>(sql, b.params);
      groups = rows.map((row) => {
        const key: Record<string, string | null> = {};
        b.keys.forEach((k, i) => (key[k.name] = row[`k${i}`] == null ? null : String(row[`k${i}`])));
        return { key, ...computeMean({ n: Number(row.n), sum: Number(row.sum), sumSquares: Number(row.sum_squares), missing: 0 }) };
      });
      keyNames = b.keys.map((k) => k.name);
      break;
    }
    case 'intent': {
      const b = builder();
      if (!by.some((d) => d.type === 'column' && d.column === 'intent')) b.keys.push({ name: 'intent', sql: 'v.intent' });
      const stats = await rateStats(db, b, 'coalesce(v.converted, false)', 'v.intent IS NOT NULL');
      groups = computeShares(
        stats.map((g) => ({ key: g.key, n: g.stats.n, conversion: computeRate(g.stats) })),
        'intent',
      );
      break;
    }
    case 'churn':
    case 'retention': {
      const period = by.find((d): d is Extract<Dimension, { type: 'period' }> => d.type === 'period');
      const others = by.filter((d) => d.type !== 'period');
      if (others.some((d) => d.type !== 'customer')) {
        throw new ReportError(`${request.metric} is counted per customer: break it down by a period, segment or customer.<field> only`);
      }
      if (where.some((f) => f.dimension.type !== 'customer')) {
        throw new ReportError(`${request.metric} can be filtered on segment or customer.<field> only`);
      }
      // By month (× segment): the monthly lifecycle rollup, when it is fresh and covers the months.
      let stats =
        request.useRollups !== false && lifecycleRollupCanAnswer(basis!, by, where) && (await freshRollups(db, workspace.id)).has(LIFECYCLE_ROLLUP)
          ? await lifecycleRollupStats(db, {
              workspaceId: workspace.id,
              basis: basis!,
              by,
              where,
              fromMonth: from?.startOf('month').toISODate() ?? undefined,
              toMonth: to?.startOf('month').toISODate() ?? undefined,
            })
          : undefined;
      if (stats) answeredBy = LIFECYCLE_ROLLUP;
      else {
        const range = await lifecycleRange(db, basis!, workspace.id, scope);
        if (range) {
          const periods = period
            ? periodsBetween(range.from, range.to, period.period, zone)
            : [{ label: 'all', start: range.from, end: range.to }];
          const b = new SqlBuilder(source, { ...scope, from: undefined, to: undefined, where: [], by: others }, definition.anchor);
          const filters = where.map((f) => `${b.dimension(f.dimension)} = ANY(${b.param(f.values)}::text[])`);
          stats = await lifecycleStats(db, b, basis!, periods, filters, period?.name);
        }
      }
      groups = (stats ?? []).map((g) => ({ key: g.key, ...computeLifecycle(g.stats, request.metric as 'churn' | 'retention') }));
      break;
    }
    case 'cohorts': {
      if (by.some((d) => d.type !== 'customer')) {
        throw new ReportError('cohorts are counted per customer: besides the cohort month and months since, break them down by segment or customer.<field> only');
      }
      if (where.some((f) => f.dimension.type !== 'customer')) throw new ReportError('cohorts can be filtered on segment or customer.<field> only');
      const b = new SqlBuilder(source, { ...scope, from: undefined, to: undefined, where: [] }, definition.anchor);
      const filters = where.map((f) => `${b.dimension(f.dimension)} = ANY(${b.param(f.values)}::text[])`);
      const data = await cohortCells(db, b, basis!.kind, { from: scope.from, to: scope.to, filters });
      keyNames = [...keyNames, 'cohort', 'months_since'];
      if (!data.observedUntil) {
        groups = [];
        break;
      }
      const until = DateTime.fromJSDate(data.observedUntil, { zone });
      groups = computeCohorts(data.spans, until.toFormat('yyyy-MM'), { cohort: 'cohort', monthsSince: 'months_since' });
      extra = { observedUntil: until.toFormat('yyyy-MM-dd') };
      break;
    }
  }

  groups.sort((a, b) => compareKeys(a.key, b.key));
  const periodKey = periodKeyOf(by);
  if (periodKey) groups = withChanges(groups, periodKey.name, periodKey.period, request.metric);
  // Employee survey confidentiality: no ESAT / eNPS value from fewer than 5 answers (confidentiality.ts).
  if (EMPLOYEE_METRICS.has(request.metric)) groups = suppressSmallGroups(groups, { periodKey: periodKey?.name });

  return {
    metric: request.metric,
    title: definition.title,
    unit: definition.unit,
    definition: definition.definition,
    workspace: workspace.name,
    timezone: zone,
    from: request.from ?? null,
    to: request.to ?? null,
    by: keyNames,
    where: request.where ?? [],
    computedFrom: answeredBy ? 'rollups' : 'raw rows',
    ...(answeredBy ? { rollup: answeredBy } : {}),
    ...(basis ? { basis: basisText(request.metric, basis) } : {}),
    groups: request.keepComparisonInputs ? groups : publicGroups(groups),
    ...extra,
  };
}

function periodKeyOf(by: Dimension[]): { name: string; period: Period } | undefined {
  const found = by.find((d): d is Extract<Dimension, { type: 'period' }> => d.type === 'period');
  return found ? { name: found.name, period: found.period } : undefined;
}

const WHOLE_NUMBER = /^\d{1,15}$/;

/** Key by key; null last; whole numbers (months since, numeric ids) by value. */
function compareKeys(a: Record<string, string | null>, b: Record<string, string | null>): number {
  for (const name of Object.keys(a)) {
    const x = a[name] ?? '\uffff';
    const y = b[name] ?? '\uffff';
    if (x === y) continue;
    if (WHOLE_NUMBER.test(x) && WHOLE_NUMBER.test(y) && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Analyses that always read the raw rows (ranks and per-customer spans are not in the rollups). */
const RAW_ONLY: ReadonlySet<MetricName> = new Set(['consistency', 'cohorts']);

function basisText(metric: MetricName, basis: LifecycleBasis): string {
  if (basis.kind === 'subscriptions') return 'subscriptions';
  return metric === 'cohorts' ? 'orders' : `orders (inactive after ${basis.inactivityDays} days)`;
}

/** What consistency compares: agents (the default) or teams. */
function consistencyUnit(by: Dimension[]): Dimension {
  const [unit, ...rest] = by;
  if (!unit) return parseDimension('tickets', 'agent');
  if (rest.length > 0 || !((unit.type === 'column' && unit.name === 'agent') || unit.type === 'team')) {
    throw new ReportError('consistency compares agents (the default) or teams: use --by agent or --by team, and narrow it with --from, --to and --where');
  }
  return unit;
}

/**
 * Consistency across the scope's one key (agent or team): FCR over the tickets resolved in the
 * range, the share resolved within the horizon over the tickets created in it, and the ranks of
 * resolution times within each category (docs/metrics.md#consistency).
 */
async function consistency(db: Database, scope: MetricScope) {
  const asOf = await ticketsAsOf(db, scope.workspaceId);
  const fcr = await fcrByUnit(db, new SqlBuilder('tickets', scope, 'resolved_at'));
  const resolution = asOf ? await resolvedWithinByUnit(db, new SqlBuilder('tickets', scope, 'created_at'), RESOLUTION_HORIZON_DAYS, asOf) : [];
  const ranks = await resolutionRanks(db, new SqlBuilder('tickets', scope, 'resolved_at'));
  const name = scope.by[0]!.name;
  const rates = (groups: { key: Record<string, string | null>; stats: { x: number; n: number } }[]) =>
    groups.map((g) => ({ unit: g.key[name] ?? null, x: g.stats.x, n: g.stats.n }));
  return computeConsistency({ unitName: name, fcr: rates(fcr), resolution: rates(resolution), horizonDays: RESOLUTION_HORIZON_DAYS, asOf, ranks });
}

/** The range churn and retention look at: the request's, else from the first to the last activity. */
async function lifecycleRange(db: Database, basis: LifecycleBasis, workspaceId: number, scope: MetricScope): Promise<{ from: Date; to: Date } | undefined> {
  if (scope.from && scope.to) return { from: scope.from, to: scope.to };
  const activity = await lifecycleActivityRange(db, basis, workspaceId);
  if (!activity) return undefined;
  return { from: scope.from ?? activity.from, to: scope.to ?? activity.to };
}
