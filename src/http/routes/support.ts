import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { journey } from '../../reports/journey.ts';
import { ReportError } from '../../reports/metric-report.ts';
import { DISTRIBUTION_MEASURES, durationDistribution, isDistributionMeasure, supportAgents } from '../../reports/support.ts';
import type { Database } from '../../storage/database.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text, windowQuery } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

const distributionQuery = z.object({ measure: text(`One of ${DISTRIBUTION_MEASURES.join(', ')} (required)`), ...windowQuery });
const journeyQuery = z.object(windowQuery);
apiOperation({ method: 'get', path: '/api/v1/support/distribution', tag: 'support', role: 'viewer', summary: 'Tickets per duration bucket, with the median and p90', query: distributionQuery, responses: { 200: 'Buckets', 400: 'Not a valid measure or filter' } });
apiOperation({ method: 'get', path: '/api/v1/support/agents', tag: 'support', role: 'viewer', summary: 'Agents for the agent table', responses: { 200: 'Agents' } });
apiOperation({ method: 'get', path: '/api/v1/journey', tag: 'metrics', role: 'viewer', summary: 'CSAT, CES and NPS per touchpoint, in journey order', query: journeyQuery, responses: { 200: 'Steps', 400: 'Not a valid filter' } });

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
    const { measure = '', from, to, where } = parseQuery(c, distributionQuery);
    if (!isDistributionMeasure(measure)) {
      throw new HTTPException(400, { message: `measure must be one of ${DISTRIBUTION_MEASURES.join(', ')}${measure ? `, not "${measure}"` : ''}` });
    }
    const result = await reportErrors(() =>
      durationDistribution(db, workspace, { measure, from: from || undefined, to: to || undefined, where: where ?? [] }),
    );
    return c.json(result);
  });

  routes.get('/support/agents', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    return c.json({ workspace: workspace.name, agents: await supportAgents(db, workspace) });
  });

  routes.get('/journey', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const { from, to, where } = parseQuery(c, journeyQuery);
    const result = await reportErrors(() =>
      journey(db, workspace, { from: from || undefined, to: to || undefined, where: where ?? [] }),
    );
    return c.json(result);
  });
  return routes;
}
