import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { journey } from '../../reports/journey.ts';
import { ReportError } from '../../reports/metric-report.ts';
import { DISTRIBUTION_MEASURES, durationDistribution, isDistributionMeasure, supportAgents } from '../../reports/support.ts';
import type { Database } from '../../storage/database.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * The support and journey pages' own API (any role may read):
 * - GET /api/v1/support/distribution?measure=frt|frt_business|resolution_time|first_resolution_time|aht&from=&to=&where=
 *   tickets per log-spaced duration bucket, with the metric's median and p90 (reports/support.ts);
 * - GET /api/v1/support/agents: the agents' names and teams, for the agent table;
 * - GET /api/v1/journey?from=&to=&where=: CSAT, CES and NPS per touchpoint in journey order, and
 *   the weakest step (reports/journey.ts).
 */
export function supportRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };
  const reportErrors = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  };

  routes.get('/support/distribution', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const measure = c.req.query('measure') ?? '';
    if (!isDistributionMeasure(measure)) {
      throw new HTTPException(400, { message: `measure must be one of ${DISTRIBUTION_MEASURES.join(', ')}${measure ? `, not "${measure}"` : ''}` });
    }
    const result = await reportErrors(() =>
      durationDistribution(db, workspace, { measure, from: c.req.query('from') || undefined, to: c.req.query('to') || undefined, where: c.req.queries('where') ?? [] }),
    );
    return c.json(result);
  });

  routes.get('/support/agents', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    return c.json({ workspace: workspace.name, agents: await supportAgents(db, workspace) });
  });

  routes.get('/journey', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const result = await reportErrors(() =>
      journey(db, workspace, { from: c.req.query('from') || undefined, to: c.req.query('to') || undefined, where: c.req.queries('where') ?? [] }),
    );
    return c.json(result);
  });
  return routes;
}
