import { html, raw } from 'hono/html';
import type { PublicReview } from '../../storage/reviews.ts';
import { languageDirection } from '../../listening/survey.ts';
import { chromeFor } from './survey.ts';

/**
 * The review feed as an HTML fragment page a business can embed (iframe) or link to: the
 * comments customers agreed to publish, each in its own language and direction. Comments are
 * hostile input: the html`` template escapes them, and the page allows no script at all.
 */
const STYLE = `
  :root { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1d2330; background: #fff; line-height: 1.5; }
  body { margin: 0; padding: 1rem; }
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
  li { border: 1px solid #d5dbe5; border-radius: 10px; padding: 0.75rem 1rem; }
  blockquote { margin: 0; font-size: 1.05rem; }
  .meta { margin-block-start: 0.375rem; font-size: 0.85rem; color: #46526a; }
`;

export function reviewsPage(language: string, reviews: PublicReview[]) {
  const t = chromeFor(language);
  const number = new Intl.NumberFormat(language);
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
  return html`<!doctype html>
<html lang="${language}" dir="${languageDirection(language)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${t('reviews.title')}</title>
    <style>${raw(STYLE)}</style>
  </head>
  <body>
    <main>
      <h1>${t('reviews.title')}</h1>
      ${reviews.length === 0
        ? html`<p>${t('reviews.none')}</p>`
        : html`<ul>
            ${reviews.map(
              (r) => html`<li>
                <blockquote lang="${r.language ?? ''}" dir="${r.language ? languageDirection(r.language) : 'auto'}">${r.comment}</blockquote>
                <p class="meta">${t('reviews.score', { score: number.format(r.score), max: number.format(r.scale.max) })} · <time datetime="${r.submittedAt}">${date.format(new Date(r.submittedAt))}</time></p>
              </li>`,
            )}
          </ul>`}
    </main>
  </body>
</html>`;
}
