import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { keyDriverReport } from '../../reports/key-drivers.ts';
import { ReportError } from '../../reports/metric-report.ts';
import type { Database } from '../../storage/database.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { day, text, where } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

const keyDriversQuery = z.object({
  outcome: text('The overall score to explain: nps (default) or csat'),
  predictor: text('The touchpoint answers that explain it: csat (default) or ces'),
  from: day('First day of the outcome answers; default the 6 months ending with the latest one'),
  to: day('Last day of the outcome answers'),
  where,
  touchpoints: text('Comma-separated touchpoints to use; default those answered by at least 30 and 5% of the respondents (at most 12)'),
  window_days: text('How many days before the outcome answer a touchpoint answer counts (default 90)'),
  missing: text('A respondent who did not answer a touchpoint: mean (default: the touchpoint mean) or listwise (left out)'),
  resamples: text('Bootstrap resamples for the intervals (default 200)'),
  seed: text('Seed of the bootstrap (default 1)'),
});
apiOperation({
  method: 'get',
  path: '/api/v1/key-drivers',
  tag: 'metrics',
  role: 'viewer',
  summary: 'Key drivers: which touchpoints explain NPS or CSAT (LMG relative importance, bootstrap intervals, priority matrix)',
  query: keyDriversQuery,
  responses: { 200: 'The drivers, R², n and warnings', 400: 'Not a valid request' },
});

const whole = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new HTTPException(400, { message: `${name} must be a whole number, not "${value}"` });
  return Number(value);
};

/** GET /api/v1/key-drivers?outcome=nps&from=2026-05&to=2026-10[&touchpoints=shipping,checkout][&where=…]: reports/key-drivers.ts. */
export function keyDriverRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/key-drivers', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const query = parseQuery(c, keyDriversQuery);
    const request = {
      outcome: query.outcome || undefined,
      predictor: query.predictor || undefined,
      from: query.from || undefined,
      to: query.to || undefined,
      where: query.where ?? [],
      touchpoints: query.touchpoints?.split(',').map((t) => t.trim()).filter(Boolean),
      windowDays: whole(query.window_days, 'window_days'),
      missing: query.missing || undefined,
      resamples: whole(query.resamples, 'resamples'),
      seed: whole(query.seed, 'seed'),
    };
    try {
      return c.json(await keyDriverReport(db, workspace, request));
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  });
  return routes;
}
