import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { DEFAULT_RESPONSES, DEFAULT_SEED } from '../../demo/generator.ts';
import { runDemo } from '../../demo/run.ts';
import { PERIODS, type Period } from '../../metrics/dimensions.ts';
import { ReportError } from '../../reports/metric-report.ts';
import { overview } from '../../reports/overview.ts';
import { customerSegments } from '../../storage/customer-segments.ts';
import type { Database } from '../../storage/database.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text, where } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

const overviewQuery = z.object({
  period: text(`The card period: ${PERIODS.join(', ')}; default month`),
  at: text('A period label (e.g. 2026-05); default the latest period with data'),
  where,
});
const demoQuery = z.object({ responses: text(`How many survey responses, 1000 to ${DEFAULT_RESPONSES}`) });
apiOperation({ method: 'get', path: '/api/v1/overview', tag: 'metrics', role: 'viewer', summary: 'The dashboard overview: a card per KPI', query: overviewQuery, responses: { 200: 'Cards', 400: 'Not a valid period or filter' } });
apiOperation({ method: 'post', path: '/api/v1/demo', tag: 'metrics', role: 'admin', summary: 'Load the demo company into the workspace', query: demoQuery, responses: { 201: 'Loaded', 400: 'Not a valid size', 409: 'Already loading' } });

/**
 * The dashboard's own API: GET /api/v1/overview (every KPI card of one period) and
 * POST /api/v1/demo[?responses=50000] (fill a workspace with the demo company; admins).
 */
export function overviewRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  routes.get('/overview', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, overviewQuery);
    const period = query.period ?? 'month';
    if (!(PERIODS as readonly string[]).includes(period)) throw new HTTPException(400, { message: `period must be one of ${PERIODS.join(', ')}, not "${period}"` });
    try {
      const [result, segments] = await Promise.all([
        overview(db, workspace, { period: period as Period, at: query.at || undefined, where: query.where ?? [] }),
        customerSegments(db, workspace.id),
      ]);
      return c.json({ ...result, segments });
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  });

  const loading = new Set<number>();
  routes.post('/demo', async (c) => {
    const workspace = await workspaceOf(c, access, 'admin');
    if (loading.has(workspace.id)) throw new HTTPException(409, { message: 'The demo company is already being loaded into this workspace; reload the page in a minute.' });
    const requested = parseQuery(c, demoQuery).responses;
    const responses = requested === undefined ? DEFAULT_RESPONSES : Number(requested);
    if (!Number.isInteger(responses) || responses < 1000 || responses > DEFAULT_RESPONSES) {
      throw new HTTPException(400, { message: `responses must be a whole number from 1000 to ${DEFAULT_RESPONSES}` });
    }
    loading.add(workspace.id);
    try {
      const result = await runDemo(db, { seed: DEFAULT_SEED, responses, workspace: workspace.name, reportDir: join(tmpdir(), 'sada-demo-reports') });
      return c.json({ workspace: workspace.name, status: result.status, inserted: result.inserted, updated: result.updated, rejected: result.rejected }, 201);
    } finally {
      loading.delete(workspace.id);
    }
  });
  return routes;
}
