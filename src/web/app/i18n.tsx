import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import lt from './messages/lt.json' with { type: 'json' };

/**
 * The app's texts in English, Arabic and Lithuanian: ICU messages (plurals: Lithuanian has
 * one/few/many/other, Arabic six forms), numbers and dates through Intl, and the writing
 * direction. A person's choice of language is kept in a cookie the server reads too, so the
 * first HTML already comes in that language and direction.
 */

export const LOCALES = ['en', 'ar', 'lt'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
export type Values = Record<string, string | number>;

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, ar, lt };
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
  const cache = new Map<MessageKey, IntlMessageFormat>();
  const numberFormats = new Map<string, Intl.NumberFormat>();
  return {
    locale,
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    t(key, values) {
      let format = cache.get(key);
      if (!format) {
        format = new IntlMessageFormat(CATALOGUES[locale][key] ?? CATALOGUES.en[key] ?? key, locale);
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

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const i18n = useMemo(() => createI18n(locale), [locale]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** Switches language: remembered for a year, applied to the document at once. */
export function rememberLocale(locale: Locale): void {
  document.cookie = `sada_lang=${locale}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === 'ar' ? 'rtl' : 'ltr';
}
