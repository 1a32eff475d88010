import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLocale, negotiateLocale, type Locale } from '../i18n/index.ts';

const COOKIE = 'sada_lang';

/** `?lang=` (remembered in a cookie), else the cookie, else the browser's languages. */
export function pickLocale(c: Context): Locale {
  const requested = c.req.query('lang');
  if (requested && isLocale(requested)) {
    // Not HttpOnly: a preference, not a secret, and the dashboard's language switcher writes it too.
    setCookie(c, COOKIE, requested, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    return requested;
  }
  return negotiateLocale(getCookie(c, COOKIE), c.req.header('accept-language'));
}
