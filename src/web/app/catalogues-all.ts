import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import lt from './messages/lt.json' with { type: 'json' };
import { registerCatalogue } from './i18n.tsx';

// All three catalogues at once, for what shows every language side by side (the survey
// editor's previews) and for tests in Node. The app itself loads only the language in use.
registerCatalogue('en', en);
registerCatalogue('ar', ar);
registerCatalogue('lt', lt);
