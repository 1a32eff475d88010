import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Database } from '../storage/database.ts';
import { authenticate, requireSignedInPage, type AuthOptions } from './auth.ts';
import { accountRoutes, sessionRoutes } from './routes/accounts.ts';
import { loginRoutes } from './routes/login.ts';
import type { SetupToken } from './setup-token.ts';
import { SignIn, type LoginLimits } from './sign-in.ts';
import { metricRoutes } from './routes/metrics.ts';
import { publicRoutes } from './routes/public-responses.ts';
import { surveyPageRoutes } from './routes/survey-pages.ts';
import { PublicGuard } from './public-guard.ts';
import { WorkspaceCache } from './workspace-cache.ts';
import { widgetRoutes } from './routes/widget.ts';
import { eventRoutes } from './routes/events.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { overviewRoutes } from './routes/overview.ts';
import { explainRoutes } from './routes/explain.ts';
import { keyDriverRoutes } from './routes/key-drivers.ts';
import { monthlyReportRoutes } from './routes/monthly-report.ts';
import { customerRoutes } from './routes/customers.ts';
import { supportRoutes } from './routes/support.ts';
import { responsesRoutes } from './routes/responses.ts';
import { importRoutes } from './routes/imports.ts';
import { settingsRoutes } from './routes/settings.ts';
import { metricCatalogueRoutes } from './routes/metric-catalogue.ts';
import { annotationRoutes } from './routes/annotations.ts';
import { caseRoutes } from './routes/cases.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { hookRoutes } from './routes/hooks.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { alertRoutes } from './routes/alerts.ts';
import { apiDocsRoutes } from './routes/api-docs.ts';
import { responseExportRoutes } from './routes/response-export.ts';
import { customerRecordRoutes } from './routes/customer-records.ts';
import { benchmarkRoutes } from './routes/benchmarks.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { shortLinkRoutes } from './routes/short-links.ts';
import { textRoutes } from './routes/text.ts';

export interface AppContext {
  db: Database;
  version: string;
  /** SADA_API_TOKEN: a bearer token that is admin of every workspace (config.ts); undefined: off. */
  apiToken?: string;
  defaultWorkspace?: string;
  /** Read client addresses from X-Forwarded-For (set SADA_TRUST_PROXY behind a reverse proxy). */
  trustProxy?: boolean;
  /** Where respondents reach the server (SADA_PUBLIC_URL, config.ts): the address in survey QR codes. */
  publicUrl?: string;
  /** The first-run setup link (`sada serve` issues it when there is no user); without it /setup refuses. */
  setup?: SetupToken;
  /** Sign-in attempts allowed per client address and per e-mail (sign-in.ts; tests lower them). */
  loginLimits?: LoginLimits;
}

const ERROR_CODES: Partial<Record<number, string>> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 429: 'rate_limited' };

/** The HTTP surface: every route validates, authorises, queries and answers the same way. */
export function createApp({ db, version, apiToken, defaultWorkspace = 'default', trustProxy = false, publicUrl, setup, loginLimits }: AppContext): Hono {
  const app = new Hono();
  app.route('/', widgetRoutes()); // before secureHeaders: other sites load this script (routes/widget.ts)
  app.use(secureHeaders());
  const guard = new PublicGuard(db, trustProxy);
  const workspaces = new WorkspaceCache(db);
  // Who is asking (auth.ts): the same options for the API gate and requireSignedInPage(auth) on pages.
  const auth: AuthOptions = { db, apiToken, publicUrl, trustProxy };
  const signIn = new SignIn(auth, guard, loginLimits);

  app.get('/health', async (c) => {
    try {
      await db.query('SELECT 1');
      return c.json({ status: 'ok', version, database: db.engine });
    } catch (error) {
      return c.json({ status: 'unavailable', version, database: db.engine, message: (error as Error).message }, 503);
    }
  });

  // The survey endpoints respondents use, and signing in, are the only unauthenticated API.
  app.route('/api/v1/public', publicRoutes({ db, defaultWorkspace, guard, workspaces }));
  app.route('/api/v1/session', sessionRoutes({ ...auth, signIn }));
  app.route('/api/v1/hooks', hookRoutes({ db, workspaces })); // authenticated by each tool's signature (routes/hooks.ts)
  app.route('/api', apiDocsRoutes(version)); // GET /api/docs: the OpenAPI document, public like any API description
  app.use('/api/*', authenticate(auth));
  // Each route below finds its workspace and checks the caller's role with workspaceOf (workspace-access.ts).
  app.route('/api/v1', accountRoutes({ db, defaultWorkspace }));
  app.route('/api/v1', workspaceRoutes(db, defaultWorkspace, workspaces));
  app.route('/api/v1/metrics', metricRoutes(db, defaultWorkspace));
  app.route('/api/v1/events', eventRoutes(db, defaultWorkspace));
  app.route('/api/v1', overviewRoutes(db, defaultWorkspace));
  app.route('/api/v1', explainRoutes(db, defaultWorkspace));
  app.route('/api/v1', keyDriverRoutes(db, defaultWorkspace));
  app.route('/api/v1', monthlyReportRoutes(db, defaultWorkspace));
  app.route('/api/v1', customerRoutes(db, defaultWorkspace));
  app.route('/api/v1', supportRoutes(db, defaultWorkspace));
  app.route('/api/v1', responsesRoutes(db, defaultWorkspace));
  app.route('/api/v1', importRoutes(db, defaultWorkspace).route('/', settingsRoutes(db, defaultWorkspace, publicUrl)));
  app.route('/api/v1', metricCatalogueRoutes(db, defaultWorkspace));
  app.route('/api/v1', annotationRoutes(db, defaultWorkspace));
  app.route('/api/v1', caseRoutes(db, defaultWorkspace));
  app.route('/api/v1', surveyRoutes(db, defaultWorkspace, { publicUrl }));
  app.route('/api/v1', webhookRoutes(db, defaultWorkspace));
  app.route('/api/v1', alertRoutes(db, defaultWorkspace));
  app.route('/api/v1', responseExportRoutes(db, defaultWorkspace));
  app.route('/api/v1', customerRecordRoutes(db, defaultWorkspace)); // after customerRoutes: /customers/at-risk before /customers/:id
  app.route('/api/v1', benchmarkRoutes(db, defaultWorkspace));
  app.route('/api/v1', assessmentRoutes(db, defaultWorkspace));
  app.route('/api/v1', textRoutes(db, defaultWorkspace));
  app.route('/r', shortLinkRoutes({ db, guard })); // SMS invitations' short links
  app.route('/s', surveyPageRoutes({ db, defaultWorkspace, guard, workspaces, publicUrl }));
  app.route('/', loginRoutes({ ...auth, signIn, defaultWorkspace, setup }));

  // The dashboard last: its /:page route must not shadow anything above.
  app.route('/', dashboardRoutes({ defaultWorkspace, signedIn: requireSignedInPage(auth) }));

  app.notFound((c) => c.json({ error: 'not_found', message: `Nothing at ${c.req.method} ${c.req.path}. Try /health.` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ error: ERROR_CODES[error.status] ?? 'bad_request', message: error.message }, error.status);
    }
    console.error(error);
    return c.json({ error: 'internal', message: 'Something went wrong on our side; the server log has the details.' }, 500);
  });
  return app;
}
