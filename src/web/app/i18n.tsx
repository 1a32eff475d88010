import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useContext, useMemo, type ReactNode } from 'react';

/**
 * The app's texts in English, Arabic and Lithuanian: ICU messages (plurals: Lithuanian has
 * one/few/many/other, Arabic six forms), numbers and dates through Intl, and the writing
 * direction. A person's choice of language is kept in a cookie the server reads too, so the
 * first HTML already comes in that language and direction. Only the language in use is
 * downloaded (the three catalogues together weigh more than React): loadCatalogue before
 * createI18n; catalogues-all.ts registers all three at once for the survey preview and tests.
 */

export const LOCALES = ['en', 'ar', 'lt'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof import('./messages/en.json', { with: { type: 'json' } }) & string;
export type Values = Record<string, string | number>;

type Catalogue = Record<MessageKey, string>;
const CATALOGUES: Partial<Record<Locale, Catalogue>> = {};

export function registerCatalogue(locale: Locale, messages: Catalogue): void {
  CATALOGUES[locale] = messages;
}

export async function loadCatalogue(locale: Locale): Promise<void> {
  if (CATALOGUES[locale]) return;
  const loaded =
    locale === 'ar'
      ? await import('./messages/ar.json', { with: { type: 'json' } })
      : locale === 'lt'
        ? await import('./messages/lt.json', { with: { type: 'json' } })
        : await import('./messages/en.json', { with: { type: 'json' } });
  registerCatalogue(locale, loaded.default);
}
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', ar: 'العربية', lt: 'Lietuvių' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export interface I18n {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  t: (key: MessageKey, values?: Values) => string;
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
}

export function createI18n(locale: Locale): I18n {
  const catalogue = CATALOGUES[locale];
  if (!catalogue) throw new Error(`the ${locale} catalogue is not loaded: await loadCatalogue('${locale}') first`);
  const cache = new Map<MessageKey, IntlMessageFormat>();
  const numberFormats = new Map<string, Intl.NumberFormat>();
  return {
    locale,
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    t(key, values) {
      let format = cache.get(key);
      if (!format) {
        format = new IntlMessageFormat(catalogue[key] ?? key, locale);
        cache.set(key, format);
      }
      return String(format.format(values));
    },
    number(value, options = {}) {
      const id = JSON.stringify(options);
      let format = numberFormats.get(id);
      if (!format) {
        format = new Intl.NumberFormat(locale, options);
        numberFormats.set(id, format);
      }
      return format.format(value);
    },
  };
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const i18n = useMemo(() => createI18n(locale), [locale]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

/** Switches language: remembered for a year, applied to the document at once. */
export function rememberLocale(locale: Locale): void {
  document.cookie = `sada_lang=${locale}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === 'ar' ? 'rtl' : 'ltr';
}
