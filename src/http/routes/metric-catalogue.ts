import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { metricCatalogue } from '../../reports/metric-catalogue.ts';
import type { Database } from '../../storage/database.ts';
import { latestActivity } from '../../storage/metrics/activity.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * GET /api/v1/metrics?workspace= — the metrics the Explore page offers: title, unit, source,
 * definition, and the breakdowns and filters valid for each (reports/metric-catalogue.ts), with
 * the workspace's time zone and the last day anything happened in it (where a default range
 * ends). Any role may read. GET /api/v1/metrics/<name> (routes/metrics.ts) answers the numbers.
 */
export function metricCatalogueRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/metrics', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const latest = await latestActivity(db, workspace.id);
    return c.json({
      workspace: workspace.name,
      timezone: workspace.timezone,
      latest: latest ? DateTime.fromJSDate(latest, { zone: workspace.timezone }).toISODate() : null,
      ...metricCatalogue(),
    });
  });
  return routes;
}
