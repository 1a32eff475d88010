import { Hono } from 'hono';
import { negotiateLocale } from '../../i18n/index.ts';
import type { Database } from '../../storage/database.ts';
import { resolveShortLink } from '../../storage/short-links.ts';
import { chromeFor, messagePage } from '../pages/survey.ts';
import type { PublicGuard } from '../public-guard.ts';
import { RateLimiter } from '../rate-limit.ts';

/** Lookups per client address and minute: plenty for people, nothing for guessing codes. */
const LOOKUPS_PER_MINUTE = 30;

/**
 * GET /r/<code>: the short link an SMS invitation carries (storage/short-links.ts), answered with
 * a redirect to the personal survey link it stands for. The target is always a path on this
 * server (`/s/…`, checked when stored), so this can never redirect anywhere else.
 */
export function shortLinkRoutes({ db, guard }: { db: Database; guard: PublicGuard }): Hono {
  const routes = new Hono();
  const lookups = new RateLimiter(60_000);
  routes.get('/:code', async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    const language = negotiateLocale(c.req.query('lang'), c.req.header('accept-language'));
    const page = (status: 404 | 410 | 429) => c.html(messagePage(language, chromeFor(language)(status === 429 ? 'survey.rateLimited' : 'survey.invalidLink')), status);
    const verdict = lookups.hit(guard.clientAddress(c), LOOKUPS_PER_MINUTE);
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      return page(429);
    }
    const link = await resolveShortLink(db, c.req.param('code'));
    if (!link.found) return page(link.expired ? 410 : 404);
    return c.redirect(link.target, 302);
  });
  return routes;
}
