import { Hono, type MiddlewareHandler } from 'hono';
import { html, raw } from 'hono/html';
import { direction, translator } from '../../i18n/index.ts';
import { buildDashboard, type DashboardBundle } from '../../web/build.ts';
import { DASHBOARD_PAGES } from '../../web/routes.ts';
import { pickLocale } from '../locale.ts';

/**
 * The dashboard: its HTML shell at / and at each page's path (the app routes in the browser),
 * and its bundled assets under /assets. The bundle is built on the first request and kept for
 * the life of the process (a failed build is retried on the next request).
 */

let bundle: Promise<DashboardBundle> | undefined;

export function dashboardBundle(): Promise<DashboardBundle> {
  bundle ??= buildDashboard();
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

// The app runs its own code only; styles may be set by script (charts size their canvases).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#123c69"/><path d="M9 21c3 3 11 3 14-1M11 13a5 5 0 0 1 10 0" stroke="#e69f00" stroke-width="3" fill="none" stroke-linecap="round"/></svg>';

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function dashboardRoutes({ defaultWorkspace, signedIn }: { defaultWorkspace: string; signedIn?: MiddlewareHandler }): Hono {
  const routes = new Hono();

  routes.get('/assets/:name', async (c) => {
    const asset = (await dashboardBundle()).assets.get(c.req.param('name'));
    if (!asset) return c.json({ error: 'not_found', message: `There is no asset ${c.req.param('name')}; reload the page.` }, 404);
    const headers = { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: asset.etag };
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.contents as Uint8Array<ArrayBuffer>, 200, headers);
  });

  // The tab's icon: Sada's initial in its colours (a link in the HTML, so no 404 for /favicon.ico).
  routes.get('/favicon.svg', (c) =>
    c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }),
  );
  routes.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301));

  const shell: MiddlewareHandler = async (c) => {
    const locale = pickLocale(c);
    const t = translator(locale);
    const { script, stylesheet, preload } = await dashboardBundle();
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(html`<!doctype html>
<html lang="${locale}" dir="${direction(locale)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${t('app.name')}</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    ${stylesheet ? html`<link rel="stylesheet" href="/assets/${stylesheet}" />` : ''}
    ${preload.map((name) => html`<link rel="modulepreload" href="/assets/${name}" />`)}
    <script type="module" src="/assets/${script}"></script>
  </head>
  <body>
    <div id="root"></div>
    <noscript>${t('dashboard.noscript')}</noscript>
    <script type="application/json" id="boot">${raw(scriptJson({ locale, defaultWorkspace }))}</script>
  </body>
</html>`);
  };
  // Only the app's own pages: any other path stays a 404, whether signed in or not.
  const pages = `/:page{${DASHBOARD_PAGES.join('|')}}`;
  if (signedIn) routes.use('/', signedIn).use(pages, signedIn);
  routes.get('/', shell);
  routes.get(pages, shell);
  return routes;
}
