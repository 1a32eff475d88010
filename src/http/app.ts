import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Database } from '../storage/database.ts';
import { homePage } from './pages/home.ts';
import { pickLocale } from './locale.ts';
import { listWorkspaces } from '../storage/workspaces.ts';
import { requireToken } from './auth.ts';
import { metricRoutes } from './routes/metrics.ts';
import { publicRoutes } from './routes/public-responses.ts';
import { surveyPageRoutes } from './routes/survey-pages.ts';
import { PublicGuard } from './public-guard.ts';
import { WorkspaceCache } from './workspace-cache.ts';
import { widgetRoutes } from './routes/widget.ts';
import { eventRoutes } from './routes/events.ts';

export interface AppContext {
  db: Database;
  version: string;
  /** Bearer token for /api (see config.ts); undefined turns the API off. */
  apiToken?: string;
  defaultWorkspace?: string;
  /** Read client addresses from X-Forwarded-For (set SADA_TRUST_PROXY behind a reverse proxy). */
  trustProxy?: boolean;
  /** Where respondents reach the server (SADA_PUBLIC_URL, config.ts): the address in survey QR codes. */
  publicUrl?: string;
}

/** The HTTP surface: every route validates, authorises, queries and answers the same way. */
export function createApp({ db, version, apiToken, defaultWorkspace = 'default', trustProxy = false, publicUrl }: AppContext): Hono {
  const app = new Hono();
  app.route('/', widgetRoutes()); // before secureHeaders: other sites load this script (routes/widget.ts)
  app.use(secureHeaders());
  const guard = new PublicGuard(db, trustProxy);
  const workspaces = new WorkspaceCache(db);

  app.get('/health', async (c) => {
    try {
      await db.query('SELECT 1');
      return c.json({ status: 'ok', version, database: db.engine });
    } catch (error) {
      return c.json({ status: 'unavailable', version, database: db.engine, message: (error as Error).message }, 503);
    }
  });

  // The survey endpoints respondents use are the only unauthenticated API.
  app.route('/api/v1/public', publicRoutes({ db, defaultWorkspace, guard, workspaces }));
  app.use('/api/*', requireToken(apiToken));
  app.route('/api/v1/metrics', metricRoutes(db, defaultWorkspace));
  app.route('/api/v1/events', eventRoutes(db, defaultWorkspace));
  app.route('/s', surveyPageRoutes({ db, defaultWorkspace, guard, workspaces, publicUrl }));

  app.get('/', async (c) => {
    const locale = pickLocale(c);
    const workspaces = await listWorkspaces(db);
    return c.html(homePage({ locale, engine: db.engine, workspaceCount: workspaces.length }));
  });

  app.notFound((c) => c.json({ error: 'not_found', message: `Nothing at ${c.req.method} ${c.req.path}. Try /health.` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ error: error.status === 404 ? 'not_found' : 'bad_request', message: error.message }, error.status);
    }
    console.error(error);
    return c.json({ error: 'internal', message: 'Something went wrong on our side; the server log has the details.' }, 500);
  });
  return app;
}
