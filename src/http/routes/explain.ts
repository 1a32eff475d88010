import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { isLocale } from '../../i18n/index.ts';
import { parsePeriodLabel } from '../../metrics/period-labels.ts';
import { previousLabel } from '../../metrics/periods.ts';
import { explainChange } from '../../reports/explain.ts';
import { explanationSummary } from '../../reports/explain-format.ts';
import { ReportError } from '../../reports/metric-report.ts';
import type { Database } from '../../storage/database.ts';
import { pickLocale } from '../locale.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text, where } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

const explainQuery = z.object({
  metric: text('The metric, e.g. csat (required)'),
  to: text('The period to explain, e.g. 2026-10 (required)'),
  from: text('The period to compare with; default the one before `to`'),
  by: text('Comma-separated dimensions to split by; default every dimension of the metric'),
  where,
  min_n: text('Groups with fewer answers in both periods are pooled as "other"'),
  lang: text('Language of the summary sentence: en, ar or lt; default the caller’s'),
});
apiOperation({ method: 'get', path: '/api/v1/explain', tag: 'metrics', role: 'viewer', summary: 'Explain a change: mix and rate effects by dimension', query: explainQuery, responses: { 200: 'The explanation', 400: 'Not a valid request' } });

/**
 * GET /api/v1/explain?metric=csat&to=2026-10[&from=2026-09][&by=touchpoint,channel][&where=…][&min_n=30][&lang=ar]:
 * the change split into mix and rate effects per group (reports/explain.ts), with a sentence
 * in the asker's language. `from` defaults to the period before `to`.
 */
export function explainRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/explain', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const query = parseQuery(c, explainQuery);
    const { metric, to, lang } = query;
    if (!metric || !to) throw new HTTPException(400, { message: 'Say which metric and which period: ?metric=csat&to=2026-10 (and optionally from=2026-09).' });
    const named = parsePeriodLabel(to);
    const from = query.from || (named ? previousLabel(named.label, named.period) : undefined) || '';
    const minN = query.min_n;
    if (minN !== undefined && !/^\d+$/.test(minN)) throw new HTTPException(400, { message: 'min_n must be a whole number' });
    const locale = lang && isLocale(lang) ? lang : pickLocale(c);
    try {
      const explanation = await explainChange(db, workspace, {
        metric,
        from,
        to,
        by: query.by?.split(',').map((d) => d.trim()).filter(Boolean),
        where: query.where ?? [],
        minN: minN === undefined ? undefined : Number(minN),
      });
      return c.json({ ...explanation, summary: explanationSummary(explanation, locale) });
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  });
  return routes;
}
