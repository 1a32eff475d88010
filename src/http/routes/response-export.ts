import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { csvLine } from '../../reports/csv.ts';
import type { Database } from '../../storage/database.ts';
import { listResponses, type ListedResponse, type ResponseCursor, type ResponseFilter } from '../../storage/response-list.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * GET /api/v1/responses/export?format=csv|json (viewers and above): every customer answer the
 * filters match, newest first, streamed a page at a time (keyset pages of the responses list, so
 * memory stays flat whatever the size). Employees' answers are never exported (confidential, as
 * in the list). CSV cells that a spreadsheet would run as formulas are neutralised
 * (reports/csv.ts). JSON is one array.
 */

const PAGE = 2000;
const list = (name: string) =>
  z
    .string()
    .max(5000)
    .optional()
    .transform((v, ctx) => {
      const items = v?.split(',').map((x) => x.trim()).filter(Boolean);
      if (items && (items.length > 50 || items.some((x) => x.length > 100))) ctx.addIssue({ code: 'custom', message: `${name} takes at most 50 values of up to 100 characters, separated by commas` });
      return items?.length ? items : undefined;
    })
    .describe(`${name}, comma-separated`);
const day = (name: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a day written YYYY-MM-DD`).optional().describe(`${name}: a day in the workspace's time zone`);

export const exportQuery = z
  .object({
    format: z.enum(['csv', 'json'], { errorMap: () => ({ message: 'format must be csv or json' }) }).default('csv'),
    from: day('from'),
    to: day('to'),
    survey: list('survey'),
    kind: list('kind'),
    touchpoint: list('touchpoint'),
    language: list('language'),
    q: z.string().max(200).optional().describe('Text to find in comments and answers'),
  })
  .strict();

apiOperation({
  method: 'get', path: '/api/v1/responses/export', tag: 'responses', role: 'viewer', summary: 'Export customers’ answers as CSV or JSON', query: exportQuery,
  responses: { 200: { description: 'The answers (text/csv or application/json), as an attachment; the columns sentiment, sentiment_p_negative and sentiment_method hold the stored sentiment of an unscored comment (label negative/positive/neutral; P(negative) when a model learned from the workspace’s scored comments decided, empty for the lexicon; learned or lexicon), empty when it has none', contentType: 'text/csv' }, 400: 'Not a valid filter' },
});

export const EXPORT_COLUMNS = ['id', 'submitted_at', 'survey', 'question', 'kind', 'score', 'scale_min', 'scale_max', 'answer', 'comment', 'language', 'touchpoint', 'channel', 'customer_id', 'customer_name', 'sentiment', 'sentiment_p_negative', 'sentiment_method'] as const;
/** The last three: the stored sentiment of an unscored comment (docs/text-analysis.md), empty when it has none. */
const cells = (r: ListedResponse) => [r.id, r.submittedAt, r.surveyId, r.questionId, r.kind, r.score, r.scaleMin, r.scaleMax, r.answer, r.comment, r.language, r.touchpoint, r.channel, r.customerId, r.customerName, r.sentiment?.label, r.sentiment?.pNegative, r.sentiment?.method];

export function responseExportRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/responses/export', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const query = parseQuery(c, exportQuery);
    const zone = workspace.timezone;
    const dayAt = (text: string | undefined, name: string, plus = 0) => {
      if (!text) return undefined;
      const parsed = DateTime.fromFormat(text, 'yyyy-MM-dd', { zone });
      if (!parsed.isValid) throw new HTTPException(400, { message: `${name} must be a real day written YYYY-MM-DD, not "${text}"` });
      return parsed.plus({ days: plus }).toJSDate();
    };
    const filter: ResponseFilter = {
      from: dayAt(query.from, 'from'),
      to: dayAt(query.to, 'to', 1),
      surveys: query.survey,
      kinds: query.kind,
      touchpoints: query.touchpoint,
      languages: query.language,
      q: query.q,
    };
    const stamp = DateTime.now().setZone(zone).toFormat('yyyy-MM-dd');
    const name = `responses-${workspace.name}-${stamp}.${query.format}`.replace(/[^A-Za-z0-9._-]/g, '_');
    c.header('content-type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${name}"`);
    c.header('x-content-type-options', 'nosniff');
    c.header('cache-control', 'no-store');
    return stream(c, async (out) => {
      let after: ResponseCursor | undefined;
      let first = true;
      await out.write(query.format === 'csv' ? `\ufeff${csvLine([...EXPORT_COLUMNS])}` : '[');
      for (;;) {
        const page = await listResponses(db, workspace.id, filter, { limit: PAGE, after });
        if (page.responses.length > 0) {
          let text = '';
          for (const r of page.responses) {
            if (query.format === 'csv') text += csvLine(cells(r));
            else {
              text += `${first ? '' : ','}\n${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((col, i) => [col, cells(r)[i] ?? null])))}`;
              first = false;
            }
          }
          await out.write(text);
        }
        if (!page.next) break;
        after = page.next;
      }
      if (query.format === 'json') await out.write('\n]\n');
    });
  });
  return routes;
}
