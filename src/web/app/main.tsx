import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { isLocale } from './i18n.tsx';
import './styles.css';

/** What the server put in the page: the language it picked and the default workspace. */
const boot = JSON.parse(document.getElementById('boot')?.textContent ?? '{}') as { locale?: string; defaultWorkspace?: string };

createRoot(document.getElementById('root')!).render(
  <App initialLocale={isLocale(boot.locale) ? boot.locale : 'en'} defaultWorkspace={boot.defaultWorkspace ?? 'default'} />,
);
