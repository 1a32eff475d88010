import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { DateTime } from 'luxon';
import { QUESTION_KINDS } from '../../domain/catalog.ts';
import { ReportError } from '../../reports/metric-report.ts';
import { PEOPLE_PERIODS, peopleReport } from '../../reports/people.ts';
import type { Database } from '../../storage/database.ts';
import { countResponses, customerTimeline, EMPLOYEE_KINDS, listResponses, responseFacets, type ResponseCursor, type ResponseFilter } from '../../storage/response-list.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * The People and Responses pages' API (any role may read):
 * - GET /api/v1/responses?workspace=&q=&kind=&score_min=&score_max=&language=&touchpoint=&survey=&with_comment=&from=&to=&cursor=&limit=
 *   customers' answers newest first, a page at a time (`next` is the cursor of the page after);
 * - GET /api/v1/responses/facets: the kinds, languages, touchpoints and surveys to filter on;
 * - GET /api/v1/customers/:id/timeline: a customer's responses, tickets and orders in time order;
 * - GET /api/v1/people?period=quarter|month&from=&to=: ESAT and eNPS by team beside the teams' CSAT and NPS.
 */

export const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;
const LISTABLE_KINDS = QUESTION_KINDS.filter((k) => !(EMPLOYEE_KINDS as readonly string[]).includes(k));

const bad = (message: string) => new HTTPException(400, { message });

function list(value: string | undefined, name: string): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const items = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (items.length > 50 || items.some((v) => v.length > 100)) throw bad(`${name} takes at most 50 values of up to 100 characters, separated by commas`);
  return items;
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw bad(`${name} must be a number, not "${value}"`);
  return parsed;
}

function day(value: string | undefined, name: string, zone: string): DateTime | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = DateTime.fromFormat(value, 'yyyy-MM-dd', { zone });
  if (!parsed.isValid) throw bad(`${name} must be a day written YYYY-MM-DD, not "${value}"`);
  return parsed;
}

export function encodeCursor(cursor: ResponseCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): ResponseCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at) && typeof id === 'string' && id.length <= 1000) return { at, id };
  } catch {
    // fall through
  }
  throw bad('cursor is not one this server gave out: pass the "next" value of the previous page as it is, or leave cursor out for the first page');
}

/** The filter of a /responses request, validated (400 with what to fix). */
export function responseFilter(query: (name: string) => string | undefined, workspace: Workspace): ResponseFilter {
  const q = query('q')?.trim();
  if (q && q.length > 200) throw bad('q (the text to search for) can be at most 200 characters');
  const kinds = list(query('kind'), 'kind');
  for (const kind of kinds ?? []) {
    if ((EMPLOYEE_KINDS as readonly string[]).includes(kind)) throw bad(`${kind} answers are employees' and confidential: they are not listed (see the People page for team scores)`);
    if (!(LISTABLE_KINDS as readonly string[]).includes(kind)) throw bad(`kind "${kind}" is not a question kind; use one of ${LISTABLE_KINDS.join(', ')}`);
  }
  const scoreMin = number(query('score_min'), 'score_min');
  const scoreMax = number(query('score_max'), 'score_max');
  if (scoreMin !== undefined && scoreMax !== undefined && scoreMin > scoreMax) throw bad(`score_min (${scoreMin}) is above score_max (${scoreMax})`);
  const from = day(query('from'), 'from', workspace.timezone);
  const to = day(query('to'), 'to', workspace.timezone);
  if (from && to && to < from) throw bad(`to (${query('to')}) is before from (${query('from')})`);
  const withComment = query('with_comment');
  if (withComment !== undefined && !['', 'true', 'false', '1', '0'].includes(withComment)) throw bad('with_comment must be true or false');
  return {
    q: q || undefined,
    kinds,
    scoreMin,
    scoreMax,
    languages: list(query('language'), 'language'),
    touchpoints: list(query('touchpoint'), 'touchpoint'),
    surveys: list(query('survey'), 'survey'),
    segments: list(query('segment'), 'segment'),
    withComment: withComment === 'true' || withComment === '1',
    from: from?.toJSDate(),
    to: to?.plus({ days: 1 }).toJSDate(),
  };
}

const listQuery = z.object({
  q: text('Text search in comments and answers'),
  kind: text('Question kinds, comma-separated (nps, csat, ces, …)'),
  score_min: text('Lowest score'),
  score_max: text('Highest score'),
  language: text('Languages, comma-separated'),
  touchpoint: text('Touchpoints, comma-separated'),
  survey: text('Surveys, comma-separated'),
  segment: text('Customer segments, comma-separated'),
  with_comment: text('true: only answers with a comment'),
  from: text('First day, YYYY-MM-DD in the workspace’s time zone'),
  to: text('Last day, YYYY-MM-DD'),
  limit: text(`1 to ${MAX_LIMIT}; default ${DEFAULT_LIMIT}`),
  cursor: text('The previous page’s `next`'),
});
const peopleQuery = z.object({ period: text(`${PEOPLE_PERIODS.join(' or ')}; default quarter`), from: text('First period or day'), to: text('Last period or day') });
apiOperation({ method: 'get', path: '/api/v1/responses', tag: 'responses', role: 'viewer', summary: 'Customers’ answers and comments, newest first', query: listQuery, responses: { 200: 'A page of responses; each has sentiment {label: negative|positive|neutral, pNegative (learned model only, else null), method: learned|lexicon, language} when it is an unscored comment the score_sentiment job has scored, else null', 400: 'Not a valid filter' } });
apiOperation({ method: 'get', path: '/api/v1/responses/facets', tag: 'responses', role: 'viewer', summary: 'The values the response filters can take', responses: { 200: 'Facets' } });
apiOperation({ method: 'get', path: '/api/v1/customers/{id}/timeline', tag: 'customers', role: 'viewer', summary: 'A customer’s responses, tickets and orders in time order', responses: { 200: 'Timeline' } });
apiOperation({ method: 'get', path: '/api/v1/people', tag: 'metrics', role: 'viewer', summary: 'ESAT and eNPS by period and team', query: peopleQuery, responses: { 200: 'People metrics', 400: 'Not a valid period' } });

export function responsesRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/responses', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query: Record<string, string | undefined> = parseQuery(c, listQuery);
    const filter = responseFilter((name) => query[name], workspace);
    const limitText = query.limit;
    const limit = limitText === undefined || limitText === '' ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw bad(`limit must be a whole number from 1 to ${MAX_LIMIT}, not "${limitText}"`);
    const cursorText = query.cursor;
    const after = cursorText ? decodeCursor(cursorText) : undefined;
    const [page, total] = await Promise.all([listResponses(db, workspace.id, filter, { limit, after }), after ? Promise.resolve(undefined) : countResponses(db, workspace.id, filter)]);
    return c.json({
      workspace: workspace.name,
      timezone: workspace.timezone,
      ...(total === undefined ? {} : { total }),
      limit,
      responses: page.responses,
      next: page.next ? encodeCursor(page.next) : null,
    });
  });

  routes.get('/responses/facets', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    return c.json({ workspace: workspace.name, ...(await responseFacets(db, workspace.id)) });
  });

  routes.get('/customers/:id/timeline', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const id = c.req.param('id');
    if (id.length > 1000) throw bad('a customer id is at most 1000 characters');
    const timeline = await customerTimeline(db, workspace.id, id);
    if (!timeline) throw new HTTPException(404, { message: `There is no customer "${id}" in workspace "${workspace.name}".` });
    return c.json({ workspace: workspace.name, timezone: workspace.timezone, ...timeline });
  });

  routes.get('/people', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, peopleQuery);
    const period = query.period || 'quarter';
    if (!(PEOPLE_PERIODS as readonly string[]).includes(period)) throw bad(`period must be one of ${PEOPLE_PERIODS.join(', ')}, not "${period}"`);
    try {
      return c.json(await peopleReport(db, workspace, { period: period as (typeof PEOPLE_PERIODS)[number], from: query.from || undefined, to: query.to || undefined }));
    } catch (error) {
      if (error instanceof ReportError) throw bad(error.message);
      throw error;
    }
  });
  return routes;
}
