import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { metricReport, ReportError } from '../../reports/metric-report.ts';
import type { Database } from '../../storage/database.ts';
import { workspaceOf } from '../workspace-access.ts';

/** GET /api/v1/metrics/:name?workspace=&by=a,b&from=&to=&where=k=v — the same JSON as `sada report --format json`; any role may read. */
export function metricRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/:name', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const by = c.req.query('by');
    const churnDays = c.req.query('churn_days');
    if (churnDays && churnDays !== 'p80' && !(Number.isInteger(Number(churnDays)) && Number(churnDays) >= 1)) {
      throw new HTTPException(400, { message: 'churn_days must be a whole number of days, or p80' });
    }
    try {
      const result = await metricReport(db, workspace, {
        metric: c.req.param('name'),
        by: by ? by.split(',') : [],
        from: c.req.query('from'),
        to: c.req.query('to'),
        where: c.req.queries('where') ?? [],
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
