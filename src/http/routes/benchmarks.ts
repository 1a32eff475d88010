import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { NOT_BENCHMARKED } from '../../metrics/benchmark-gap.ts';
import { METRIC_NAMES, METRICS, type MetricName } from '../../metrics/definitions.ts';
import { writeAudit } from '../../storage/audit.ts';
import { BENCHMARK_KINDS, createBenchmark, deleteBenchmark, findBenchmark, listBenchmarks, updateBenchmark, type Benchmark } from '../../storage/benchmarks.ts';
import type { Database } from '../../storage/database.ts';
import { actorOf } from '../auth.ts';
import { apiOperation, idParam, parseBody, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Benchmarks: competitor and industry figures a workspace records to compare itself with
 * (docs/metrics.md#gap-to-a-benchmark). No figure without its source: source_url is required,
 * http(s) only. Viewers read; analysts and admins add, change and delete (audited).
 */

const BODY_LIMIT = 8 * 1024;
const NOT_FOUND = 'There is no such benchmark in this workspace.';

/** Metrics a single published figure can stand against (not cohort tables, shares by intent, counts or the agents' funnel). */
export const BENCHMARK_METRICS = METRIC_NAMES.filter((m) => !NOT_BENCHMARKED.includes(m)) as MetricName[];

/** The values a metric can take, in its unit. */
const RANGE: Record<string, [number, number]> = { nps: [-100, 100], percent: [0, 100], seconds: [0, 10 * 365 * 86400], money: [0, 1e12], count: [0, 1e12] };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (text: string) => DAY.test(text) && DateTime.fromFormat(text, 'yyyy-MM-dd').isValid && text >= '1900-01-01' && text <= '2999-12-31';

/** An http(s) address with a host: what a source link may be (never javascript:, data:, a relative path). */
export function sourceUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'source_url must be a full web address, e.g. https://example.org/report-2026';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `source_url must start with https:// or http://, not ${url.protocol}`;
  if (!url.hostname) return 'source_url must name a site';
  if (url.username || url.password) return 'source_url must not hold a user name or password';
  return null;
}

const metric = z.enum(BENCHMARK_METRICS as [MetricName, ...MetricName[]], { errorMap: () => ({ message: `metric must be one of ${BENCHMARK_METRICS.join(', ')}` }) });
const label = z
  .string({ required_error: 'label is required: the competitor or industry the figure is about, e.g. "Retail banking (national survey)"', invalid_type_error: 'label must be a string' })
  .trim()
  .min(1, 'label must not be empty: name the competitor or the industry')
  .max(120, 'label must be at most 120 characters; put the details in note');
const kind = z.enum(BENCHMARK_KINDS, { errorMap: () => ({ message: 'kind must be competitor or industry' }) });
const value = z.number({ required_error: 'value is required: the figure, in the metric’s unit', invalid_type_error: 'value must be a number' }).finite();
const asOf = z
  .string({ required_error: 'as_of is required: the date the figure describes, YYYY-MM-DD', invalid_type_error: 'as_of must be a date written YYYY-MM-DD' })
  .refine(validDay, 'as_of must be a real date written YYYY-MM-DD, e.g. 2026-06-30');
const sourceUrl = z
  .string({ required_error: 'source_url is required: the page or report the figure comes from — no figure without its source', invalid_type_error: 'source_url must be a string' })
  .trim()
  .max(2048, 'source_url must be at most 2048 characters')
  .superRefine((text, ctx) => {
    const problem = sourceUrlProblem(text);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
const n = z.number({ invalid_type_error: 'n must be a whole number' }).int('n must be a whole number').min(1, 'n must be at least 1').max(2_147_483_647).nullable().optional();
const margin = z.number({ invalid_type_error: 'margin must be a number' }).finite().min(0, 'margin must not be negative: it is the half-width of the source’s 95% interval').nullable().optional();
const note = z.string({ invalid_type_error: 'note must be a string' }).trim().max(2000, 'note must be at most 2000 characters').nullable().optional().transform((v) => (v === '' ? null : v));

const fields = { metric, label, kind, value, as_of: asOf, source_url: sourceUrl, n, margin, note };
export const benchmarkCreateSchema = z.object(fields).strict();
export const benchmarkUpdateSchema = z
  .object({ metric: metric.optional(), label: label.optional(), kind: kind.optional(), value: value.optional(), as_of: asOf.optional(), source_url: sourceUrl.optional(), n, margin, note })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one of metric, label, kind, value, as_of, source_url, n, margin, note');
const listQuery = z.object({ metric: z.string().optional().describe('Only this metric') });

const benchmarkSchema = z.object({
  id: z.number().int(), metric: z.string(), label: z.string(), kind: z.enum(BENCHMARK_KINDS), value: z.number(), asOf: z.string(), sourceUrl: z.string(),
  n: z.number().int().nullable(), margin: z.number().nullable(), note: z.string().nullable(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
});

apiOperation({ method: 'get', path: '/api/v1/benchmarks', tag: 'benchmarks', role: 'viewer', summary: 'Competitor and industry benchmarks, with their sources', query: listQuery, responses: { 200: { description: 'Benchmarks by metric, newest first', schema: z.object({ benchmarks: z.array(benchmarkSchema) }) } } });
apiOperation({ method: 'post', path: '/api/v1/benchmarks', tag: 'benchmarks', role: 'analyst', summary: 'Record a benchmark (source_url required, http(s))', body: benchmarkCreateSchema, responses: { 201: { description: 'Recorded', schema: z.object({ benchmark: benchmarkSchema }) }, 400: 'Not valid: the message says which field and why' } });
apiOperation({ method: 'get', path: '/api/v1/benchmarks/{id}', tag: 'benchmarks', role: 'viewer', summary: 'One benchmark', responses: { 200: { description: 'The benchmark', schema: z.object({ benchmark: benchmarkSchema }) } } });
apiOperation({ method: 'patch', path: '/api/v1/benchmarks/{id}', tag: 'benchmarks', role: 'analyst', summary: 'Change a benchmark', body: benchmarkUpdateSchema, responses: { 200: { description: 'Changed', schema: z.object({ benchmark: benchmarkSchema }) }, 400: 'Not valid' } });
apiOperation({ method: 'delete', path: '/api/v1/benchmarks/{id}', tag: 'benchmarks', role: 'analyst', summary: 'Delete a benchmark', responses: { 204: 'Deleted' } });

const outOfRange = (metricName: MetricName, v: number): string | null => {
  const unit = METRICS[metricName].unit;
  const [low, high] = RANGE[unit]!;
  if (v < low || v > high) return `value ${v} is outside what ${metricName} can be (${low} to ${high}${unit === 'percent' ? ', in percent' : unit === 'seconds' ? ', in seconds' : ''})`;
  return null;
};

type Body = z.output<typeof benchmarkCreateSchema>;
const toInput = (b: Partial<Body>) => ({ metric: b.metric, label: b.label, kind: b.kind, value: b.value, asOf: b.as_of, sourceUrl: b.source_url, n: b.n, margin: b.margin, note: b.note });

export function benchmarkRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/benchmarks', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, listQuery);
    return c.json({ benchmarks: await listBenchmarks(db, workspace.id, query.metric || undefined) });
  });

  routes.post('/benchmarks', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const body = await parseBody(c, benchmarkCreateSchema, BODY_LIMIT);
    const problem = outOfRange(body.metric, body.value);
    if (problem) throw new HTTPException(400, { message: problem });
    const actor = actorOf(c.get('principal'));
    const benchmark = await db.transaction(async (tx) => {
      const created = await createBenchmark(tx, workspace.id, toInput(body) as Parameters<typeof createBenchmark>[2], actor.label);
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'benchmark.create', target: `benchmark:${created.id}`, details: { metric: created.metric, label: created.label, value: created.value, sourceUrl: created.sourceUrl } });
      return created;
    });
    return c.json({ benchmark }, 201);
  });

  routes.get('/benchmarks/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const benchmark = await findBenchmark(db, workspace.id, idParam(c.req.param('id'), NOT_FOUND));
    if (!benchmark) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ benchmark });
  });

  routes.patch('/benchmarks/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const body = await parseBody(c, benchmarkUpdateSchema, BODY_LIMIT);
    const actor = actorOf(c.get('principal'));
    const updated = await db.transaction(async (tx) => {
      const before = await findBenchmark(tx, workspace.id, id);
      if (!before) return undefined;
      const problem = outOfRange((body.metric ?? before.metric) as MetricName, body.value ?? before.value);
      if (problem) throw new HTTPException(400, { message: problem });
      const after = (await updateBenchmark(tx, workspace.id, id, toInput(body)))!;
      const changed = Object.fromEntries(
        (Object.keys(after) as Array<keyof Benchmark>).filter((k) => !['updatedAt'].includes(k) && before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]),
      );
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'benchmark.update', target: `benchmark:${id}`, details: changed });
      return after;
    });
    if (!updated) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ benchmark: updated });
  });

  routes.delete('/benchmarks/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'), NOT_FOUND);
    const actor = actorOf(c.get('principal'));
    const gone = await db.transaction(async (tx) => {
      const deleted = await deleteBenchmark(tx, workspace.id, id);
      if (deleted) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'benchmark.delete', target: `benchmark:${id}`, details: { metric: deleted.metric, label: deleted.label, value: deleted.value, sourceUrl: deleted.sourceUrl } });
      return deleted;
    });
    if (!gone) throw new HTTPException(404, { message: NOT_FOUND });
    return c.body(null, 204);
  });

  return routes;
}
