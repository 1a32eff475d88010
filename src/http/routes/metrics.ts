import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { metricReport, ReportError } from '../../reports/metric-report.ts';
import type { Database } from '../../storage/database.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text, windowQuery } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

const reportQuery = z.object({ ...windowQuery, by: text('Comma-separated: a period (day, week, month, quarter, year) and/or dimensions'), churn_days: text('Churn window in days, or p80') });
apiOperation({ method: 'get', path: '/api/v1/metrics/{name}', tag: 'metrics', role: 'viewer', summary: 'One metric with its interval, by period or dimension', query: reportQuery, responses: { 200: 'The report', 400: 'Not a valid request' } });

/** GET /api/v1/metrics/:name?workspace=&by=a,b&from=&to=&where=k=v — the same JSON as `sada report --format json`; any role may read. */
export function metricRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/:name', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const { by, churn_days: churnDays, from, to, where } = parseQuery(c, reportQuery);
    if (churnDays && churnDays !== 'p80' && !(Number.isInteger(Number(churnDays)) && Number(churnDays) >= 1)) {
      throw new HTTPException(400, { message: 'churn_days must be a whole number of days, or p80' });
    }
    try {
      const result = await metricReport(db, workspace, {
        metric: c.req.param('name'),
        by: by ? by.split(',') : [],
        from,
        to,
        where: where ?? [],
        churnDays: churnDays === 'p80' ? 'p80' : churnDays ? Number(churnDays) : undefined,
      });
      return c.json(result);
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  });
  return routes;
}
