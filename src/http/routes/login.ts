import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { hashPassword, passwordProblem, PASSWORD_MIN_LENGTH } from '../../accounts/password.ts';
import { safeNextPath } from '../../accounts/redirect.ts';
import { workspaceNameProblem } from '../../domain/workspace.ts';
import { translator } from '../../i18n/index.ts';
import { addMembership, countUsers, createSession, createUser } from '../../storage/accounts.ts';
import { writeAudit } from '../../storage/audit.ts';
import { ensureWorkspace } from '../../storage/workspaces.ts';
import { crossSiteProblem, principalFromSession, setSessionCookie, type AuthOptions } from '../auth.ts';
import { pickLocale } from '../locale.ts';
import { ACCOUNT_PAGE_CSP, accountMessagePage, loginPage, setupPage } from '../pages/login.ts';
import type { SetupToken } from '../setup-token.ts';
import type { SignIn } from '../sign-in.ts';

/**
 * GET/POST /login: the sign-in form, which sets the session cookie and sends the browser on to
 * `?next=` when that is a path on this site (accounts/redirect.ts), else to "/".
 * GET/POST /setup?token=: on a fresh install (no user at all), the one-time link `sada serve`
 * prints creates the first admin, their workspace, and signs them in.
 */

export interface LoginRouteOptions extends AuthOptions {
  signIn: SignIn;
  defaultWorkspace: string;
  setup?: SetupToken;
}

const FORM_LIMIT = bodyLimit({ maxSize: 8 * 1024, onError: (c) => c.text('The form is too large.', 413) });
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

const field = (form: Record<string, unknown>, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

export function loginRoutes(options: LoginRouteOptions): Hono {
  const routes = new Hono();
  // Only on these pages: the router is mounted at / beside the dashboard, which has its own CSP.
  routes.use('/login', accountPageHeaders).use('/setup', accountPageHeaders);
  async function accountPageHeaders(c: Context, next: Next) {
    await next();
    c.header('Content-Security-Policy', ACCOUNT_PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer'); // the setup token is in the URL
  }

  routes.get('/login', async (c) => {
    const next = safeNextPath(c.req.query('next'));
    if (await principalFromSession(c, options)) return c.redirect(next, 303);
    return c.html(loginPage({ locale: pickLocale(c), next }));
  });

  routes.post('/login', FORM_LIMIT, async (c) => {
    const locale = pickLocale(c);
    const t = translator(locale);
    const form = await c.req.parseBody();
    const next = safeNextPath(field(form, 'next') || c.req.query('next'));
    const email = field(form, 'email').trim();
    if (crossSiteProblem(c, options, { allowNoHeaders: true })) return c.html(loginPage({ locale, next, email, error: t('login.crossSite') }), 403);
    const outcome = await options.signIn.attempt(c, email, field(form, 'password'));
    if (outcome.ok) return c.redirect(next, 303);
    if (outcome.reason === 'rate_limited') {
      c.header('Retry-After', String(outcome.retryAfterSeconds));
      return c.html(loginPage({ locale, next, email, error: t('login.rateLimited', { minutes: Math.ceil(outcome.retryAfterSeconds / 60) }) }), 429);
    }
    return c.html(loginPage({ locale, next, email, error: t('login.failed') }), 401);
  });

  const setupUnavailable = async (c: Context) => {
    const locale = pickLocale(c);
    const t = translator(locale);
    return c.html(accountMessagePage(locale, t('setup.title'), t('setup.invalidLink'), (l) => `/setup?lang=${l}`), 404);
  };

  /** Whether this request may set up: a live token that matches, and still no user. */
  const setupAllowed = async (token: string) => Boolean(options.setup?.matches(token)) && (await countUsers(options.db)) === 0;

  routes.get('/setup', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!(await setupAllowed(token))) return setupUnavailable(c);
    return c.html(setupPage({ locale: pickLocale(c), token, values: { workspace: options.defaultWorkspace } }));
  });

  routes.post('/setup', FORM_LIMIT, async (c) => {
    const locale = pickLocale(c);
    const t = translator(locale);
    const form = await c.req.parseBody();
    const token = field(form, 'token');
    if (!(await setupAllowed(token))) return setupUnavailable(c);
    const values = { email: field(form, 'email').trim(), name: field(form, 'name').trim().slice(0, 200), workspace: field(form, 'workspace').trim() };
    const password = field(form, 'password');
    const again = (error: string, status: 400 | 403 = 400) => c.html(setupPage({ locale, token, values, error }), status);
    if (crossSiteProblem(c, options, { allowNoHeaders: true })) return again(t('login.crossSite'), 403);
    if (!EMAIL.test(values.email)) return again(t('setup.emailInvalid'));
    if (passwordProblem(password)) return again(t('setup.passwordHint', { min: PASSWORD_MIN_LENGTH }));
    if (workspaceNameProblem(values.workspace)) return again(t('setup.workspaceHint'));

    const passwordHash = await hashPassword(password);
    const workspace = await ensureWorkspace(options.db, values.workspace);
    const session = await options.db.transaction(async (tx) => {
      // Two setups at once: the second waits here, then finds a user and stops.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('sada.setup'))`);
      if ((await countUsers(tx)) > 0) return undefined;
      const user = await createUser(tx, { email: values.email, name: values.name, passwordHash, locale });
      await addMembership(tx, workspace.id, user.id, 'admin');
      const actor = { kind: 'setup' as const, label: 'first-run setup link' };
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'user.create', target: `user:${user.id}`, details: { email: user.email } });
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'member.add', target: `user:${user.id}`, details: { email: user.email, role: 'admin' } });
      return createSession(tx, user.id);
    });
    if (!session) return setupUnavailable(c);
    options.setup?.consume();
    setSessionCookie(c, session.token, options);
    return c.redirect('/', 303);
  });

  return routes;
}
