import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { direction, LOCALES, translator, type Locale, type Translate } from '../../i18n/index.ts';
import { PASSWORD_MIN_LENGTH } from '../../accounts/password.ts';

/**
 * The sign-in page (/login) and the first-run page that creates the first admin (/setup):
 * server-rendered forms, no script, every value escaped by html``, logical CSS properties so
 * Arabic mirrors itself.
 */

export const ACCOUNT_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, "DejaVu Sans", sans-serif; color: #1d2330; background: #f3f5f8; line-height: 1.5; }
  body { margin: 0; }
  main { max-inline-size: 26rem; margin-inline: auto; padding: 1rem; }
  nav.languages { display: flex; gap: 1rem; justify-content: flex-end; margin-block-end: 0.75rem; }
  nav.languages a { color: #123c69; }
  nav.languages a[aria-current] { font-weight: 700; text-decoration: none; }
  .card { background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.14); }
  h1 { font-size: 1.4rem; margin-block: 0 1rem; color: #123c69; }
  label { display: block; font-weight: 600; margin-block: 1rem 0.375rem; }
  input { inline-size: 100%; box-sizing: border-box; font: inherit; padding: 0.5rem; border: 2px solid #5b6b85; border-radius: 8px; }
  input[type="email"], .ltr { direction: ltr; text-align: start; }
  input:focus-visible, button:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
  .hint { font-size: 0.9rem; color: #46526a; margin-block: 0.25rem 0; }
  button { margin-block-start: 1.5rem; font: inherit; font-weight: 600; background: #123c69; color: #fff; border: 0; border-radius: 8px; padding-block: 0.75rem; padding-inline: 1.5rem; min-block-size: 2.75rem; inline-size: 100%; cursor: pointer; }
  .error { color: #a4262c; font-weight: 600; border-inline-start: 4px solid #a4262c; padding-inline-start: 0.75rem; }
`;

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NATIVE_NAMES: Record<Locale, string> = { en: 'English', ar: 'العربية', lt: 'Lietuvių' };

function page(locale: Locale, title: string, body: Html, hrefFor: (locale: Locale) => string) {
  const t = translator(locale);
  return html`<!doctype html>
<html lang="${locale}" dir="${direction(locale)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${title} · ${t('app.name')}</title>
    <style>${raw(STYLE)}</style>
  </head>
  <body>
    <main>
      <nav class="languages" aria-label="${t('login.language')}">
        ${LOCALES.map((l) => html`<a href="${hrefFor(l)}" hreflang="${l}" lang="${l}" dir="${direction(l)}" ${l === locale ? html`aria-current="true"` : ''}>${NATIVE_NAMES[l]}</a>`)}
      </nav>
      <div class="card">${body}</div>
    </main>
  </body>
</html>`;
}

const errorBlock = (error: string | undefined) => (error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : '');
const describedBy = (error: string | undefined) => (error ? html` aria-describedby="form-error"` : '');

export interface LoginModel {
  locale: Locale;
  /** Where to go after signing in (already checked to be a path on this site). */
  next: string;
  email?: string;
  error?: string;
}

const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export function loginPage({ locale, next, email, error }: LoginModel) {
  const t: Translate = translator(locale);
  const nextParam = next === '/' ? undefined : next;
  return page(
    locale,
    t('login.title'),
    html`<h1>${t('login.title')}</h1>
      ${errorBlock(error)}
      <form method="post" action="/login${query({ next: nextParam })}"${describedBy(error)}>
        <input type="hidden" name="next" value="${next}" />
        <label for="email">${t('login.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required maxlength="320" value="${email ?? ''}" ${email ? '' : 'autofocus'} />
        <label for="password">${t('login.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" ${email ? 'autofocus' : ''} />
        <button type="submit">${t('login.submit')}</button>
      </form>`,
    (l) => `/login${query({ lang: l, next: nextParam })}`,
  );
}

export interface SetupModel {
  locale: Locale;
  token: string;
  values: { email?: string; name?: string; workspace?: string };
  error?: string;
}

export function setupPage({ locale, token, values, error }: SetupModel) {
  const t = translator(locale);
  return page(
    locale,
    t('setup.title'),
    html`<h1>${t('setup.title')}</h1>
      <p>${t('setup.intro')}</p>
      ${errorBlock(error)}
      <form method="post" action="/setup"${describedBy(error)}>
        <input type="hidden" name="token" value="${token}" />
        <label for="name">${t('setup.name')}</label>
        <input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${values.name ?? ''}" />
        <label for="email">${t('login.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required maxlength="320" value="${values.email ?? ''}" />
        <label for="password">${t('login.password')}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="256" aria-describedby="password-hint" />
        <p class="hint" id="password-hint">${t('setup.passwordHint', { min: PASSWORD_MIN_LENGTH })}</p>
        <label for="workspace">${t('setup.workspace')}</label>
        <input id="workspace" name="workspace" type="text" class="ltr" required maxlength="63" value="${values.workspace ?? ''}" aria-describedby="workspace-hint" />
        <p class="hint" id="workspace-hint">${t('setup.workspaceHint')}</p>
        <button type="submit">${t('setup.submit')}</button>
      </form>`,
    (l) => `/setup${query({ lang: l, token })}`,
  );
}

/** A page with one message (a setup link that no longer works). */
export function accountMessagePage(locale: Locale, title: string, message: string, hrefFor: (l: Locale) => string) {
  return page(locale, title, html`<h1>${title}</h1><p>${message}</p>`, hrefFor);
}
