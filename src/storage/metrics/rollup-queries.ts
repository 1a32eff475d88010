import type { Dimension, Filter, MetricSource } from '../../metrics/dimensions.ts';
import type { Database } from '../database.ts';
import type { RollupName } from '../rollups.ts';
import { collect, type DurationStats, type Group, type RateStats, type ScoreCell, type SumStats } from './queries.ts';
import { PERIOD_FORMATS } from './sql-builder.ts';
import type { TicketMeasureName } from './ticket-measures.ts';

/**
 * The same statistics as queries.ts, read from the rollup tables instead of the raw rows: the
 * standard views (periods × touchpoint, channel, survey, segment for answers; periods × channel,
 * segment for tickets) cost O(buckets); views by agent or category read the tickets. A property test checks both give one answer.
 */

const ROLLUP_COLUMNS: Record<RollupName, Record<string, string>> = {
  responses: { touchpoint: 'touchpoint', channel: 'channel', survey_id: 'survey_id' },
  tickets: { channel: 'channel' },
  responses_monthly: { touchpoint: 'touchpoint', channel: 'channel' },
  responses_segment_monthly: {},
  tickets_monthly: { channel: 'channel' },
};
const TABLES: Record<RollupName, string> = {
  responses: 'response_rollups',
  tickets: 'ticket_rollups',
  responses_monthly: 'response_rollups_monthly',
  responses_segment_monthly: 'response_rollups_segment_monthly',
  tickets_monthly: 'ticket_rollups_monthly',
};
const MONTHLY: ReadonlySet<RollupName> = new Set(['responses_monthly', 'responses_segment_monthly', 'tickets_monthly']);

/** The rollups that can serve a source, smallest first. */
export const ROLLUPS_OF_SOURCE: Partial<Record<MetricSource, readonly RollupName[]>> = {
  responses: ['responses_segment_monthly', 'responses_monthly', 'responses'],
  tickets: ['tickets_monthly', 'tickets'],
};

function columnOf(rollup: RollupName, dimension: Dimension): string | undefined {
  if (dimension.type === 'column') return ROLLUP_COLUMNS[rollup][dimension.column];
  if (dimension.type === 'customer' && dimension.field === 'segment') return 'segment';
  return undefined;
}

const isMonthStart = (day: string | undefined) => day === undefined || day.endsWith('-01');
const isMonthEnd = (day: string | undefined) => day === undefined || new Date(`${day}T00:00:00Z`).getUTCDate() === new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).getUTCDate();

/** The daily ticket rollup keeps counts and sums only: duration histograms are monthly. */
const WITHOUT_HISTOGRAMS: ReadonlySet<RollupName> = new Set(['tickets']);

/**
 * Whether the rollup has every dimension the request groups or filters by (and, for a duration
 * metric, histograms); a monthly rollup also needs whole months: periods of a month or longer,
 * and a range from a 1st to a month's end.
 */
export function rollupCanAnswer(
  rollup: RollupName,
  request: { by: Dimension[]; where: Filter[]; fromDay?: string; toDay?: string; needsHistograms: boolean },
): boolean {
  const { by, where, fromDay, toDay } = request;
  if (request.needsHistograms && WITHOUT_HISTOGRAMS.has(rollup)) return false;
  const dimensions = [...by, ...where.map((f) => f.dimension)];
  if (MONTHLY.has(rollup)) {
    if (!isMonthStart(fromDay) || !isMonthEnd(toDay)) return false;
    if (dimensions.some((d) => d.type === 'period' && (d.period === 'day' || d.period === 'week'))) return false;
  }
  return dimensions.every((d) => d.type === 'period' || columnOf(rollup, d) !== undefined);
}

export interface RollupScope {
  workspaceId: number;
  /** First and last day (YYYY-MM-DD, inclusive) in the workspace's time zone. */
  fromDay?: string;
  toDay?: string;
  by: Dimension[];
  where: Filter[];
}

export class RollupBuilder {
  readonly params: unknown[];
  readonly keys: { name: string; sql: string }[] = [];
  /** The rollup's columns the request groups or filters by. */
  readonly columnsUsed = new Set<string>();
  readonly #where: string[] = ['ro.workspace_id = $1'];

  constructor(
    readonly rollup: RollupName,
    scope: RollupScope,
  ) {
    this.params = [scope.workspaceId];
    if (scope.fromDay) this.#where.push(`ro.day >= ${this.param(scope.fromDay)}::date`);
    if (scope.toDay) this.#where.push(`ro.day <= ${this.param(scope.toDay)}::date`);
    for (const filter of scope.where) this.#where.push(`${this.dimension(filter.dimension)} = ANY(${this.param(filter.values)}::text[])`);
    for (const dimension of scope.by) this.keys.push({ name: dimension.name, sql: this.dimension(dimension) });
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: string): this {
    this.#where.push(condition);
    return this;
  }

  dimension(dimension: Dimension): string {
    if (dimension.type === 'period') {
      const [unit, format] = PERIOD_FORMATS[dimension.period];
      // A date is truncated as a timestamp without time zone: no zone lookups per row.
      return `to_char(date_trunc('${unit}', ro.day::timestamp), '${format}')`;
    }
    const column = columnOf(this.rollup, dimension);
    if (!column) throw new Error(`the ${this.rollup} rollup has no ${dimension.name}`);
    this.columnsUsed.add(column);
    return `NULLIF(ro.${column}, '')`;
  }

  /** The rows of `table` (another table keyed like the rollup) in scope, ungrouped. */
  rows(columns: string[], table: string): string {
    return `SELECT ${[...this.keys.map((k, i) => `${k.sql} AS k${i}`), ...columns].join(', ')} FROM ${table} ro WHERE ${this.#where.join(' AND ')}`;
  }

  select(columns: string[], groupExtra: string[] = [], having = ''): string {
    const table = TABLES[this.rollup];
    const list = [...this.keys.map((k, i) => `${k.sql} AS k${i}`), ...columns].join(', ');
    const group = [...this.keys.map((_, i) => `k${i}`), ...groupExtra];
    return `SELECT ${list} FROM ${table} ro WHERE ${this.#where.join(' AND ')} ${group.length > 0 ? `GROUP BY ${group.join(', ')}` : ''} ${having}`;
  }
}

export async function rollupScoreHistograms(db: Database, builder: RollupBuilder, kinds: readonly string[]): Promise<Group<ScoreCell[]>[]> {
  builder.where(`ro.kind = ANY(${builder.param(kinds)}::text[])`);
  const sql = builder.select(['ro.scale_min AS scale_min', 'ro.scale_max AS scale_max', 'ro.score AS score', 'sum(ro.n)::integer AS n'], ['scale_min', 'scale_max', 'score'], 'HAVING sum(ro.n) > 0');
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, () => [] as ScoreCell[], (cells, row) =>
    cells.push({ scaleMin: Number(row.scale_min), scaleMax: Number(row.scale_max), score: Number(row.score), n: Number(row.n) }),
  );
}

/** Duration histograms and sums, from the compact monthly histograms (one row of arrays a cell). */
export async function rollupDurationStats(db: Database, builder: RollupBuilder, measure: TicketMeasureName): Promise<Group<DurationStats>[]> {
  if (builder.rollup !== 'tickets_monthly') throw new Error(`the ${builder.rollup} rollup keeps no duration histograms`);
  builder.where(`ro.measure = ${builder.param(measure)}`);
  // The rows summed over the dimensions the request does not use: one row per group and month.
  const summedOver = ['channel', 'segment'].filter((c) => !builder.columnsUsed.has(c)).map((c) => `${c}s`).join(',');
  builder.where(`ro.summed_over = ${builder.param(summedOver)}`);
  // As comma-separated text: the drivers' generic array parsers cost more than the query.
  const sql = builder.rows(
    [`array_to_string(ro.buckets, ',') AS buckets`, `array_to_string(ro.counts, ',') AS counts`, 'ro.n', 'ro.sum', 'ro.sum_squares'],
    'ticket_histograms_monthly',
  );
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, (): DurationStats => ({ n: 0, sum: 0, sumSquares: 0, histogram: new Map() }), (stats, row) => {
    stats.n += Number(row.n);
    stats.sum += Number(row.sum);
    stats.sumSquares += Number(row.sum_squares);
    const buckets = parseNumberList(String(row.buckets));
    const counts = parseNumberList(String(row.counts));
    for (let i = 0; i < buckets.length; i++) stats.histogram.set(buckets[i]!, (stats.histogram.get(buckets[i]!) ?? 0) + counts[i]!);
  });
}

export async function rollupRateStats(db: Database, builder: RollupBuilder, measure: TicketMeasureName): Promise<Group<RateStats>[]> {
  builder.where(`ro.measure = ${builder.param(measure)}`);
  const sql = builder.select(['sum(ro.x)::integer AS x', 'sum(ro.n)::integer AS n'], [], 'HAVING sum(ro.n) > 0');
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, () => ({ x: 0, n: 0 }), (stats, row) => {
    stats.x += Number(row.x);
    stats.n += Number(row.n);
  });
}

/** Sums of an amount (cost per resolution): x counts the tickets that have one, n all of them. */
export async function rollupSumStats(db: Database, builder: RollupBuilder, measure: TicketMeasureName): Promise<Group<SumStats>[]> {
  builder.where(`ro.measure = ${builder.param(measure)}`);
  const sql = builder.select(
    ['sum(ro.x)::integer AS x', 'sum(ro.n)::integer AS n', 'sum(ro.sum)::double precision AS sum', 'sum(ro.sum_squares)::double precision AS sum_squares'],
    [],
    'HAVING sum(ro.n) > 0',
  );
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, () => ({ n: 0, sum: 0, sumSquares: 0, missing: 0 }), (stats, row) => {
    stats.n += Number(row.x);
    stats.missing += Number(row.n) - Number(row.x);
    stats.sum += Number(row.sum);
    stats.sumSquares += Number(row.sum_squares);
  });
}

/**
 * "12,-3,4500" → [12, -3, 4500]. Buckets and counts are whole numbers: read digit by digit, with
 * no string per number (at 10M responses a report reads hundreds of thousands of them); anything
 * else falls back to Number().
 */
export function parseNumberList(text: string): number[] {
  const numbers: number[] = [];
  if (text === '') return numbers;
  let value = 0;
  let sign = 1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 44;
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
    } else if (code === 44 && digits > 0 && digits < 16) {
      numbers.push(sign * value);
      value = 0;
      sign = 1;
      digits = 0;
    } else if (code === 45 && digits === 0 && sign === 1) {
      sign = -1;
    } else {
      return text.split(',').map(Number);
    }
  }
  return numbers;
}
