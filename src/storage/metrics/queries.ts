import type { Database } from '../database.ts';
import { groupKey, type SqlBuilder } from './sql-builder.ts';

/**
 * The sufficient statistics of every metric, computed in SQL: counts, score histograms, sums.
 * The statistics (intervals, tests) are computed from them in pure TypeScript (src/metrics).
 * Each function returns one entry per group, keyed by the group's dimension values.
 */

export interface Group<T> {
  key: Record<string, string | null>;
  stats: T;
}

export function collect<T>(builder: { keys: { name: string }[] }, rows: Record<string, unknown>[], init: () => T, add: (stats: T, row: Record<string, unknown>) => void): Group<T>[] {
  const groups = new Map<string, Group<T>>();
  for (const row of rows) {
    const key = groupKey(builder, row);
    const id = JSON.stringify(key);
    let group = groups.get(id);
    if (!group) {
      group = { key, stats: init() };
      groups.set(id, group);
    }
    add(group.stats, row);
  }
  return [...groups.values()];
}

export interface ScoreCell {
  scaleMin: number;
  scaleMax: number;
  score: number;
  n: number;
}

/** Score histograms of the responses of some question kinds (one cell per scale and score). */
export async function scoreHistograms(db: Database, builder: SqlBuilder, kinds: readonly string[]): Promise<Group<ScoreCell[]>[]> {
  builder.where(`${builder.col('kind')} = ANY(${builder.param(kinds)}::text[])`).where(`${builder.col('score')} IS NOT NULL`);
  const sql = builder.select(
    [`${builder.col('scale_min')} AS scale_min`, `${builder.col('scale_max')} AS scale_max`, `${builder.col('score')} AS score`, 'count(*)::integer AS n'],
    ['scale_min', 'scale_max', 'score'],
  );
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, () => [] as ScoreCell[], (cells, row) =>
    cells.push({ scaleMin: Number(row.scale_min), scaleMax: Number(row.scale_max), score: Number(row.score), n: Number(row.n) }),
  );
}

export interface DurationStats {
  n: number;
  sum: number;
  sumSquares: number;
  /** Duration bucket (seconds, see durationBucketSql) → count. */
  histogram: Map<number, number>;
}

/**
 * Durations are kept exact to the second below 200 s; above, they are rounded to a step of 1, 2
 * or 5 units of their third significant digit — 2 s from 200 s, 5 s from 500 s, 10 s from
 * 1,000 s, 20 s from 2,000 s… — so at most 0.5% off, and round durations stay round (3,600 s,
 * 5,400 s, 10,800 s are kept exactly). 350 steps a decade keep a histogram small however many
 * tickets there are; means use exact sums.
 */
export function durationBucketSql(seconds: string): string {
  // extract(epoch …) is numeric on PostgreSQL ≥ 14, whose log() is ~30× slower than float8's.
  const s = `(${seconds})::double precision`;
  const decade = `power(10, floor(log(${s})))`;
  // The step is a whole number of seconds, so the bucket is an exact integer on both engines.
  const step = `(${decade} / 100 * CASE WHEN ${s} < 2 * ${decade} THEN 1 WHEN ${s} < 5 * ${decade} THEN 2 ELSE 5 END)`;
  // floor(x + 0.5), not round(): float8's round() goes half to even, numeric's half up.
  return `CASE WHEN ${s} < 200 THEN floor(${s} + 0.5) ELSE floor(${s} / ${step} + 0.5) * ${step} END`;
}

/** Histograms and sums of `seconds` (an SQL expression) over the rows `condition` keeps. */
export async function durationStats(db: Database, builder: SqlBuilder, seconds: string, condition: string): Promise<Group<DurationStats>[]> {
  builder.where(condition);
  const sql = builder.select(
    [`${durationBucketSql(seconds)}::double precision AS bucket`, 'count(*)::integer AS n', `sum((${seconds})::double precision) AS sum`, `sum((${seconds})::double precision ^ 2) AS sum_squares`],
    ['bucket'],
  );
  return collectDurations(builder, await db.query<Record<string, unknown>>(sql, builder.params));
}

/** Folds rows of (keys, bucket, n, sum, sum_squares) into one DurationStats per group. */
function collectDurations(builder: { keys: { name: string }[] }, rows: Record<string, unknown>[]): Group<DurationStats>[] {
  return collect(
    builder,
    rows,
    (): DurationStats => ({ n: 0, sum: 0, sumSquares: 0, histogram: new Map() }),
    (stats, row) => {
      const n = Number(row.n);
      stats.n += n;
      stats.sum += Number(row.sum);
      stats.sumSquares += Number(row.sum_squares);
      stats.histogram.set(Number(row.bucket), n);
    },
  );
}

export interface RateStats {
  x: number;
  n: number;
}

/** Of the rows `population` keeps, how many also meet `success`. */
export async function rateStats(db: Database, builder: SqlBuilder, success: string, population: string): Promise<Group<RateStats>[]> {
  builder.where(population);
  const sql = builder.select([`count(*) FILTER (WHERE ${success})::integer AS x`, 'count(*)::integer AS n']);
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, () => ({ x: 0, n: 0 }), (stats, row) => {
    stats.x += Number(row.x);
    stats.n += Number(row.n);
  });
}

export interface SumStats {
  n: number;
  sum: number;
  sumSquares: number;
  /** Rows the population kept but that had no value. */
  missing: number;
}

/** Count, sum and sum of squares of `value` over the rows `population` keeps. */
export async function sumStats(db: Database, builder: SqlBuilder, value: string, population: string): Promise<Group<SumStats>[]> {
  builder.where(population);
  const sql = builder.select([
    `count(${value})::integer AS n`,
    `coalesce(sum(${value}), 0)::double precision AS sum`,
    `coalesce(sum((${value}) ^ 2), 0)::double precision AS sum_squares`,
    `count(*) FILTER (WHERE ${value} IS NULL)::integer AS missing`,
  ]);
  const rows = await db.query<Record<string, unknown>>(sql, builder.params);
  return collect(builder, rows, () => ({ n: 0, sum: 0, sumSquares: 0, missing: 0 }), (stats, row) => {
    stats.n += Number(row.n);
    stats.sum += Number(row.sum);
    stats.sumSquares += Number(row.sum_squares);
    stats.missing += Number(row.missing);
  });
}

/** Row counts per group. */
export async function countStats(db: Database, builder: SqlBuilder, population = 'true'): Promise<Group<{ n: number }>[]> {
  builder.where(population);
  const rows = await db.query<Record<string, unknown>>(builder.select(['count(*)::integer AS n']), builder.params);
  return collect(builder, rows, () => ({ n: 0 }), (stats, row) => (stats.n += Number(row.n)));
}
