import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { isMetricName, METRIC_NAMES } from '../../metrics/definitions.ts';
import { PERIODS, type Period } from '../../metrics/dimensions.ts';
import { periodLabel } from '../../metrics/periods.ts';
import { annotationImpact, DEFAULT_IMPACT_DAYS, MAX_IMPACT_DAYS } from '../../reports/annotation-impact.ts';
import { catalogueEntry } from '../../reports/metric-catalogue.ts';
import { ReportError } from '../../reports/metric-report.ts';
import {
  ANNOTATION_CATEGORIES,
  createAnnotation,
  deleteAnnotation,
  findAnnotation,
  listAnnotations,
  updateAnnotation,
  type Annotation,
} from '../../storage/annotations.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import { actorOf } from '../auth.ts';
import { readJsonBody } from '../json-body.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text as queryText, where } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Annotations, the events people mark on trend charts (docs/metrics.md#before-and-after-an-annotation):
 *
 * - GET /api/v1/annotations?workspace=&from=&to=&period= — the workspace's annotations by day;
 *   with `period`, each also carries the label of the period it falls in (2026-10, 2026-W40, …)
 *   so a chart by that period can mark it. Viewers and above.
 * - POST /api/v1/annotations, PATCH and DELETE /api/v1/annotations/:id — analysts and above;
 *   each change is audited in its own transaction.
 * - GET /api/v1/annotations/:id/impact?metric=&days=&where= — the metric over the N days before
 *   and after the annotated day, with the tested difference (reports/annotation-impact.ts).
 */

const BODY_LIMIT = 8 * 1024;
export const TEXT_MAX = 200;
export const NOTE_MAX = 2000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (text: string) => DAY.test(text) && DateTime.fromFormat(text, 'yyyy-MM-dd').isValid && text >= '1900-01-01' && text <= '2999-12-31';

const day = z
  .string({ required_error: 'day is required: the date of the event, as YYYY-MM-DD', invalid_type_error: 'day must be a date written YYYY-MM-DD' })
  .refine(validDay, 'day must be a real date written YYYY-MM-DD, e.g. 2026-09-15');
const text = z
  .string({ required_error: 'text is required: what happened, e.g. "New returns policy"', invalid_type_error: 'text must be a string' })
  .trim()
  .min(1, 'text must not be empty: say what happened')
  .max(TEXT_MAX, `text must be at most ${TEXT_MAX} characters; put the details in note`);
const note = z.string({ invalid_type_error: 'note must be a string' }).trim().max(NOTE_MAX, `note must be at most ${NOTE_MAX} characters`).nullable().optional()
  .transform((value) => (value === '' ? null : value));
const category = z
  .enum(ANNOTATION_CATEGORIES, { errorMap: () => ({ message: `category must be one of ${ANNOTATION_CATEGORIES.join(', ')}` }) })
  .nullable()
  .optional();
const metric = z
  .string({ invalid_type_error: 'metric must be a string' })
  .refine(isMetricName, { message: `metric must be one of ${METRIC_NAMES.join(', ')}` })
  .nullable()
  .optional();

export const createSchema = z.object({ day, text, note, category, metric }).strict();
export const updateSchema = z
  .object({ day: day.optional(), text: text.optional(), note, category, metric })
  .strict()
  .refine((value) => Object.values(value).some((v) => v !== undefined), 'send at least one of day, text, note, category, metric');

async function parseBody<T>(c: Context, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T> {
  const body = await readJsonBody(c, BODY_LIMIT);
  if (!body.ok) throw new HTTPException(body.status, { message: body.message });
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message));
    throw new HTTPException(400, { message: messages.join('; ') });
  }
  return parsed.data;
}

const idParam = (value: string): number => {
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) throw notFound();
  return Number(value);
};
const notFound = () => new HTTPException(404, { message: 'There is no such annotation in this workspace.' });

const optionalDay = (value: string | undefined, name: string): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (!validDay(value)) throw new HTTPException(400, { message: `${name} must be a date written YYYY-MM-DD, not "${value}"` });
  return value;
};

const listQuery = z.object({ from: queryText('First day, YYYY-MM-DD'), to: queryText('Last day, YYYY-MM-DD'), period: queryText(`Label each annotation with its period: ${PERIODS.join(', ')}`) });
const impactQuery = z.object({ metric: queryText('The metric; default the annotation’s own, else nps'), days: queryText(`Days on each side, 1 to ${MAX_IMPACT_DAYS}; default ${DEFAULT_IMPACT_DAYS}`), where });
apiOperation({ method: 'get', path: '/api/v1/annotations', tag: 'annotations', role: 'viewer', summary: 'Annotations by day', query: listQuery, responses: { 200: 'Annotations', 400: 'Not a valid day or period' } });
apiOperation({ method: 'get', path: '/api/v1/annotations/{id}/impact', tag: 'annotations', role: 'viewer', summary: 'The metric before and after the annotated day', query: impactQuery, responses: { 200: 'Impact', 400: 'Not a valid metric or window' } });

export function annotationRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/annotations', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, listQuery);
    const period = query.period;
    if (period !== undefined && period !== '' && !(PERIODS as readonly string[]).includes(period)) {
      throw new HTTPException(400, { message: `period must be one of ${PERIODS.join(', ')}, not "${period}"` });
    }
    const annotations = await listAnnotations(db, workspace.id, { from: optionalDay(query.from, 'from'), to: optionalDay(query.to, 'to') });
    const withPeriod = (a: Annotation) =>
      period ? { ...a, period: periodLabel(DateTime.fromFormat(a.day, 'yyyy-MM-dd', { zone: workspace.timezone }).startOf(period as Period), period as Period) } : a;
    return c.json({ workspace: workspace.name, annotations: annotations.map(withPeriod) });
  });

  routes.post('/annotations', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const input = await parseBody(c, createSchema);
    const principal = c.get('principal');
    const actor = actorOf(principal);
    const created = await db.transaction(async (tx) => {
      const annotation = await createAnnotation(tx, workspace.id, input, actor.label);
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'annotation.create', target: `annotation:${annotation.id}`, details: { day: annotation.day, text: annotation.text } });
      return annotation;
    });
    return c.json({ annotation: created }, 201);
  });

  routes.get('/annotations/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const annotation = await findAnnotation(db, workspace.id, idParam(c.req.param('id')));
    if (!annotation) throw notFound();
    return c.json({ annotation });
  });

  routes.patch('/annotations/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'));
    const changes = await parseBody(c, updateSchema);
    const actor = actorOf(c.get('principal'));
    const updated = await db.transaction(async (tx) => {
      const before = await findAnnotation(tx, workspace.id, id);
      if (!before) return undefined;
      const after = (await updateAnnotation(tx, workspace.id, id, changes))!;
      const changed = Object.fromEntries(
        (Object.keys(changes) as Array<keyof typeof changes>).filter((k) => changes[k] !== undefined && before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]),
      );
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'annotation.update', target: `annotation:${id}`, details: changed });
      return after;
    });
    if (!updated) throw notFound();
    return c.json({ annotation: updated });
  });

  routes.delete('/annotations/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idParam(c.req.param('id'));
    const actor = actorOf(c.get('principal'));
    const deleted = await db.transaction(async (tx) => {
      const gone = await deleteAnnotation(tx, workspace.id, id);
      if (gone) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'annotation.delete', target: `annotation:${id}`, details: { day: gone.day, text: gone.text } });
      return gone;
    });
    if (!deleted) throw notFound();
    return c.body(null, 204);
  });

  routes.get('/annotations/:id/impact', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const annotation = await findAnnotation(db, workspace.id, idParam(c.req.param('id')));
    if (!annotation) throw notFound();
    const query = parseQuery(c, impactQuery);
    const daysText = query.days;
    const days = daysText === undefined || daysText === '' ? DEFAULT_IMPACT_DAYS : Number(daysText);
    if (!Number.isInteger(days) || days < 1 || days > MAX_IMPACT_DAYS) {
      throw new HTTPException(400, { message: `days must be a whole number of days from 1 to ${MAX_IMPACT_DAYS}, not "${daysText}"` });
    }
    const own = annotation.metric && isMetricName(annotation.metric) && catalogueEntry(annotation.metric).beforeAfter ? annotation.metric : undefined;
    const chosen = query.metric || own || 'nps';
    try {
      const impact = await annotationImpact(db, workspace, { day: annotation.day, metric: chosen, days, where: query.where ?? [] });
      return c.json({ annotation, ...impact });
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  });

  return routes;
}
