import { html } from 'hono/html';
import { direction, LOCALES, translator, type Locale } from '../../i18n/index.ts';
import { layout } from './layout.ts';

export interface HomeModel {
  locale: Locale;
  engine: 'pglite' | 'postgres';
  workspaceCount: number;
}

/** The placeholder start page until the dashboard lands: what Sada is and that it is healthy. */
export function homePage({ locale, engine, workspaceCount }: HomeModel) {
  const t = translator(locale);
  const names: Record<Locale, string> = { en: 'English', ar: 'العربية', lt: 'Lietuvių' };
  return layout({
    locale,
    title: t('home.title'),
    body: html`<header>
        <h1>${t('app.name')}</h1>
        <p class="tagline">${t('app.tagline')}</p>
        <nav aria-label="${t('home.language')}">
          ${LOCALES.map(
            (l) =>
              html`<a href="?lang=${l}" hreflang="${l}" lang="${l}" dir="${direction(l)}" ${l === locale ? html`aria-current="true"` : ''}>${names[l]}</a>`,
          )}
        </nav>
      </header>
      <main>
        <h2>${t('home.title')}</h2>
        <p>${t('home.intro')}</p>
        <p>${t('home.comingSoon')}</p>
        <ul>
          <li data-testid="workspaces">${t('home.workspaces', { count: workspaceCount })}</li>
          <li>${t('home.database', { engine: t(engine === 'pglite' ? 'engine.pglite' : 'engine.postgres') })}</li>
          <li><a href="/health">${t('home.health')}</a></li>
        </ul>
      </main>`,
  });
}
