/**
 * The buckets of the support page's duration histograms (first response and resolution times,
 * docs/metrics.md#frt): durations people read at a glance — 1 s, 2 s, 5 s … 1 min, 2 min, 5 min …
 * 1 h, 2 h, 4 h, 8 h, 12 h, 1 day … 1 year — each edge 1.5 to 2.5 times the one before, so the
 * buckets are nearly equal on a logarithmic scale and a bar's height compares with its
 * neighbours' whether tickets wait seconds or weeks. Pure: no I/O.
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/**
 * Lower edges of the buckets after the first, in seconds. Bucket 0 is [0 s, 1 s), bucket i is
 * [EDGES[i − 1], EDGES[i]), the last is [1 year, ∞).
 */
export const DURATION_EDGES: readonly number[] = Object.freeze([
  1, 2, 5, 10, 20, 30,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 20 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 4 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY, 365 * DAY,
]);

export interface DurationBucket {
  /** Lower edge, seconds, included. */
  from: number;
  /** Upper edge, seconds, excluded; null for the last, open bucket. */
  to: number | null;
  n: number;
}

/**
 * The bucket a duration falls in, as PostgreSQL's width_bucket(seconds, EDGES) numbers them: 0
 * below the first edge (negative durations too), i when EDGES[i − 1] ≤ seconds < EDGES[i].
 */
export function bucketIndex(seconds: number, edges: readonly number[] = DURATION_EDGES): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (edges[middle]! <= seconds) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The edges of bucket i (see DURATION_EDGES). */
export function bucketBounds(index: number, edges: readonly number[] = DURATION_EDGES): { from: number; to: number | null } {
  if (!Number.isInteger(index) || index < 0 || index > edges.length) throw new RangeError(`no bucket ${index}: buckets run from 0 to ${edges.length}`);
  return { from: index === 0 ? 0 : edges[index - 1]!, to: index === edges.length ? null : edges[index]! };
}

/**
 * The histogram from counts per bucket index (the database's answer): every bucket from the
 * first that holds a ticket to the last that does, empty ones between included (a gap is
 * information); no ticket, no bucket.
 */
export function histogramFromCounts(counts: ReadonlyMap<number, number>, edges: readonly number[] = DURATION_EDGES): DurationBucket[] {
  const used = [...counts].filter(([, n]) => n > 0).map(([index]) => index);
  if (used.length === 0) return [];
  const first = Math.min(...used);
  const last = Math.max(...used);
  const buckets: DurationBucket[] = [];
  for (let index = first; index <= last; index++) buckets.push({ ...bucketBounds(index, edges), n: counts.get(index) ?? 0 });
  return buckets;
}
