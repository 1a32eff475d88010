import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { Link, Route, Switch, useLocation, useSearchParams } from 'wouter';
import { DASHBOARD_PAGES, type DashboardPage } from '../routes.ts';
import { api } from './api.ts';
import { Loading } from './components/Status.tsx';
import { useApi, WorkspaceContext, type WorkspaceChoice } from './hooks.ts';
import { I18nProvider, LANGUAGE_NAMES, loadCatalogue, LOCALES, rememberLocale, useI18n, type Locale, type MessageKey } from './i18n.tsx';
import type { Me } from './types.ts';

// Each page is its own chunk: the first page downloads its code only.
const PAGES: Record<DashboardPage, LazyExoticComponent<ComponentType>> = {
  overview: lazy(() => import('./pages/overview.tsx')),
  explore: lazy(() => import('./pages/explore.tsx')),
  journey: lazy(() => import('./pages/journey.tsx')),
  support: lazy(() => import('./pages/support.tsx')),
  retention: lazy(() => import('./pages/retention.tsx')),
  customers: lazy(() => import('./pages/customers.tsx')),
  people: lazy(() => import('./pages/people.tsx')),
  visitors: lazy(() => import('./pages/visitors.tsx')),
  responses: lazy(() => import('./pages/responses.tsx')),
  cases: lazy(() => import('./pages/cases.tsx')),
  surveys: lazy(() => import('./pages/surveys.tsx')),
  import: lazy(() => import('./pages/import.tsx')),
  annotations: lazy(() => import('./pages/annotations.tsx')),
  alerts: lazy(() => import('./pages/alerts.tsx')),
  benchmarks: lazy(() => import('./pages/benchmarks.tsx')),
  assessment: lazy(() => import('./pages/assessment.tsx')),
  settings: lazy(() => import('./pages/settings.tsx')),
};

export function App({ initialLocale, defaultWorkspace }: { initialLocale: Locale; defaultWorkspace: string }) {
  const [locale, setLocale] = useState(initialLocale);
  const changeLocale = async (next: Locale) => {
    await loadCatalogue(next);
    rememberLocale(next);
    setLocale(next);
  };
  return (
    <I18nProvider locale={locale}>
      <Shell onLocale={changeLocale} defaultWorkspace={defaultWorkspace} />
    </I18nProvider>
  );
}

function Shell({ onLocale, defaultWorkspace }: { onLocale: (locale: Locale) => void; defaultWorkspace: string }) {
  const { t, locale } = useI18n();
  const [path] = useLocation();
  const [params, setParams] = useSearchParams();
  const me = useApi<Me>('/api/v1/me');
  const memberships = me.data?.workspaces ?? [];
  const named = params.get('workspace');
  const workspace: WorkspaceChoice =
    memberships.find((w) => w.name === named) ?? memberships.find((w) => w.name === defaultWorkspace) ?? memberships[0] ?? { name: named ?? defaultWorkspace, role: 'viewer' };
  const page = (path.split('/')[1] || 'overview') as DashboardPage;

  useEffect(() => {
    document.title = `${t(`page.${page}` as MessageKey)} · ${t('app.name')}`;
  }, [page, locale, t]);

  const signOut = async () => {
    await api('/api/v1/session', { method: 'DELETE' }).catch(() => undefined);
    location.assign('/login');
  };

  return (
    <WorkspaceContext.Provider value={workspace}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          {t('app.name')}
        </Link>
        <div className="topbar-controls">
          {memberships.length > 1 && (
            <label>
              {t('control.workspace')}
              <select value={workspace.name} onChange={(event) => setParams((p) => (p.set('workspace', event.target.value), p))} data-testid="workspace-picker">
                {memberships.map((w) => (
                  <option key={w.name} value={w.name}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t('control.language')}
            <select value={locale} onChange={(event) => onLocale(event.target.value as Locale)} data-testid="language-picker">
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          {me.data?.user && (
            <button type="button" onClick={signOut} className="link-button">
              {t('action.signOut')}
            </button>
          )}
        </div>
      </header>
      <div className="frame">
        <nav className="sidenav" aria-label={t('nav.label')}>
          <ul>
            {DASHBOARD_PAGES.map((name) => (
              <li key={name}>
                <Link href={withWorkspace(`/${name === 'overview' ? '' : name}`, named)} aria-current={name === page ? 'page' : undefined}>
                  {t(`page.${name}` as MessageKey)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Switch key={workspace.name}>
              <Route path="/" component={PAGES.overview} />
              {DASHBOARD_PAGES.map((name) => (
                <Route key={name} path={`/${name}`} component={PAGES[name]} />
              ))}
            </Switch>
          </Suspense>
        </main>
      </div>
    </WorkspaceContext.Provider>
  );
}

/** Links keep the workspace the person is looking at. */
function withWorkspace(path: string, workspace: string | null): string {
  return workspace ? `${path}?workspace=${encodeURIComponent(workspace)}` : path;
}
