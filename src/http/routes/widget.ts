import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { buildWidget } from '../../widget/build.ts';

/**
 * GET /widget.js: the website survey widget, bundled from src/widget/widget.ts on the first
 * request and kept in memory for the life of the process (a failed build is retried).
 *
 * Registered before the app's secure headers: their Cross-Origin-Resource-Policy: same-origin
 * would stop other sites' pages from running the script, which is the script's whole purpose.
 * It sets the headers that matter for a script itself.
 */

let bundle: Promise<{ code: string; etag: string }> | undefined;

function widgetBundle(): Promise<{ code: string; etag: string }> {
  bundle ??= buildWidget().then((code) => ({ code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"` }));
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

export function widgetRoutes(): Hono {
  const routes = new Hono();
  routes.get('/widget.js', async (c) => {
    const { code, etag } = await widgetBundle();
    const headers = {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(code, 200, headers);
  });
  return routes;
}
