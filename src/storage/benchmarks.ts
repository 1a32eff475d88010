import type { Queryable } from './accounts.ts';

/**
 * Benchmarks: competitor and industry figures a workspace records, each with its source link
 * (migration 0018). Every query names the workspace. The routes audit changes in the same
 * transaction (routes/benchmarks.ts).
 */

export const BENCHMARK_KINDS = ['competitor', 'industry'] as const;
export type BenchmarkKind = (typeof BENCHMARK_KINDS)[number];

export interface Benchmark {
  id: number;
  metric: string;
  label: string;
  kind: BenchmarkKind;
  /** In the metric's unit: NPS points, percent 0–100, seconds, money, a count. */
  value: number;
  /** YYYY-MM-DD: the date the figure describes (or was published). */
  asOf: string;
  sourceUrl: string;
  n: number | null;
  /** The source's 95% margin of error, in the metric's unit. */
  margin: number | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface BenchmarkInput {
  metric: string;
  label: string;
  kind: BenchmarkKind;
  value: number;
  asOf: string;
  sourceUrl: string;
  n?: number | null;
  margin?: number | null;
  note?: string | null;
}

interface Row {
  id: number;
  metric: string;
  label: string;
  kind: BenchmarkKind;
  value: number | string;
  as_of: string;
  source_url: string;
  n: number | null;
  margin: number | string | null;
  note: string | null;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = `id, metric, label, kind, value, to_char(as_of, 'YYYY-MM-DD') AS as_of, source_url, n, margin, note, created_by, created_at, updated_at`;

const fromRow = (r: Row): Benchmark => ({
  id: Number(r.id),
  metric: r.metric,
  label: r.label,
  kind: r.kind,
  value: Number(r.value),
  asOf: String(r.as_of),
  sourceUrl: r.source_url,
  n: r.n === null ? null : Number(r.n),
  margin: r.margin === null ? null : Number(r.margin),
  note: r.note,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The workspace's benchmarks, by metric then newest figure first; optionally of one metric. */
export async function listBenchmarks(db: Queryable, workspaceId: number, metric?: string): Promise<Benchmark[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM benchmarks WHERE workspace_id = $1 AND ($2::text IS NULL OR metric = $2::text)
     ORDER BY metric, as_of DESC, id LIMIT 1000`,
    [workspaceId, metric ?? null],
  );
  return rows.map(fromRow);
}

export async function findBenchmark(db: Queryable, workspaceId: number, id: number): Promise<Benchmark | undefined> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM benchmarks WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? fromRow(row) : undefined;
}

export async function createBenchmark(db: Queryable, workspaceId: number, input: BenchmarkInput, createdBy: string): Promise<Benchmark> {
  const [row] = await db.query<Row>(
    `INSERT INTO benchmarks (workspace_id, metric, label, kind, value, as_of, source_url, n, margin, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
    [workspaceId, input.metric, input.label, input.kind, input.value, input.asOf, input.sourceUrl, input.n ?? null, input.margin ?? null, input.note ?? null, createdBy],
  );
  return fromRow(row!);
}

const COLUMN_OF: Record<keyof BenchmarkInput, string> = {
  metric: 'metric', label: 'label', kind: 'kind', value: 'value', asOf: 'as_of', sourceUrl: 'source_url', n: 'n', margin: 'margin', note: 'note',
};

/** Changes the fields given (null clears an optional one); undefined when there is no such benchmark. */
export async function updateBenchmark(db: Queryable, workspaceId: number, id: number, changes: Partial<BenchmarkInput>): Promise<Benchmark | undefined> {
  const params: unknown[] = [workspaceId, id];
  const sets: string[] = [];
  for (const [key, column] of Object.entries(COLUMN_OF) as Array<[keyof BenchmarkInput, string]>) {
    if (changes[key] === undefined) continue;
    params.push(changes[key]);
    sets.push(`${column} = $${params.length}${key === 'asOf' ? '::date' : ''}`);
  }
  const [row] = await db.query<Row>(
    `UPDATE benchmarks SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return row ? fromRow(row) : undefined;
}

export async function deleteBenchmark(db: Queryable, workspaceId: number, id: number): Promise<Benchmark | undefined> {
  const [row] = await db.query<Row>(`DELETE FROM benchmarks WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [workspaceId, id]);
  return row ? fromRow(row) : undefined;
}
