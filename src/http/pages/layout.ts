import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { direction, type Locale } from '../../i18n/index.ts';

// Logical properties (margin-inline, padding-inline, text-align: start) so Arabic mirrors itself.
const STYLE = `
  :root { color-scheme: light; font-family: system-ui, "DejaVu Sans", sans-serif; color: #1d2330; background: #f6f7f9; }
  body { margin: 0; }
  header { background: #123c69; color: #fff; padding-block: 1.5rem; padding-inline: 2rem; }
  header h1 { margin: 0; font-size: 2rem; }
  .tagline { margin-block: 0.25rem 1rem; opacity: 0.85; }
  nav { display: flex; gap: 1rem; }
  nav a { color: #fff; }
  nav a[aria-current] { font-weight: 700; text-decoration: none; border-block-end: 2px solid #fff; }
  main { max-inline-size: 48rem; padding-block: 1rem; padding-inline: 2rem; text-align: start; line-height: 1.6; }
  main a { color: #123c69; }
`;

export function layout({ locale, title, body }: { locale: Locale; title: string; body: HtmlEscapedString | Promise<HtmlEscapedString> }) {
  return html`<!doctype html>
<html lang="${locale}" dir="${direction(locale)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <style>${STYLE}</style>
  </head>
  <body>
    ${body}
  </body>
</html>`;
}
