import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Bearer-token authentication for the API. The token is compared as a hash in constant time;
 * without a configured token every request is refused, so an unconfigured server exposes nothing.
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) {
      return c.json({ error: 'unauthorized', message: 'The API is off: start the server with SADA_API_TOKEN set, then send it as "Authorization: Bearer <token>".' }, 401);
    }
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return c.json({ error: 'unauthorized', message: 'Send the API token as "Authorization: Bearer <token>".' }, 401, { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
