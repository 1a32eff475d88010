import type { Database } from '../database.ts';
import { durationBucketSql } from './queries.ts';
import type { SqlBuilder } from './sql-builder.ts';

/**
 * Tickets per histogram bucket of a duration (the support page's distributions): the duration is
 * first rounded as the metric's own histograms round it (durationBucketSql), so the counts agree
 * with the median and p90 that metricReport computes from those histograms, then placed by
 * width_bucket on the edges of src/metrics/duration-buckets.ts (bucket 0 below the first edge,
 * i from edges[i − 1] to edges[i], edges.length at and beyond the last). Reads the raw rows.
 */
export async function durationBucketCounts(db: Database, builder: SqlBuilder, seconds: string, population: string, edges: readonly number[]): Promise<Map<number, number>> {
  builder.where(population);
  const sql = builder.select(
    [`width_bucket((${durationBucketSql(seconds)})::double precision, ${builder.param(edges)}::double precision[]) AS bucket`, 'count(*)::integer AS n'],
    ['bucket'],
  );
  const rows = await db.query<{ bucket: number; n: number }>(sql, builder.params);
  return new Map(rows.map((row) => [Number(row.bucket), Number(row.n)]));
}
