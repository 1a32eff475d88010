import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { isLocale, loadCatalogue } from './i18n.tsx';
import './styles.css';

/** What the server put in the page: the language it picked and the default workspace. */
const boot = JSON.parse(document.getElementById('boot')?.textContent ?? '{}') as { locale?: string; defaultWorkspace?: string };

const locale = isLocale(boot.locale) ? boot.locale : 'en';
await loadCatalogue(locale);

createRoot(document.getElementById('root')!).render(<App initialLocale={locale} defaultWorkspace={boot.defaultWorkspace ?? 'default'} />);
