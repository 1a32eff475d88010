import { IntlMessageFormat } from 'intl-messageformat';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import lt from './messages/lt.json' with { type: 'json' };

/**
 * Message catalogues and their formatting. Every text a person reads comes from here, in
 * English, Arabic and Lithuanian; plurals, numbers and dates go through ICU / Intl, never
 * through concatenated strings.
 */

export const LOCALES = ['en', 'ar', 'lt'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, ar, lt };
const RTL: ReadonlySet<Locale> = new Set(['ar']);

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

export function direction(locale: Locale): 'rtl' | 'ltr' {
  return RTL.has(locale) ? 'rtl' : 'ltr';
}

/**
 * Picks the locale: an explicit choice (link or cookie) first, then the browser's
 * Accept-Language in its order of preference, then English.
 */
export function negotiateLocale(explicit: string | undefined, acceptLanguage: string | undefined): Locale {
  if (explicit && isLocale(explicit)) return explicit;
  return rankedLanguageTags(acceptLanguage).map((tag) => tag.split('-')[0] ?? '').find(isLocale) ?? 'en';
}

/** An Accept-Language header's tags (lower case), most wanted first: by weight, then by order. */
export function rankedLanguageTags(acceptLanguage: string | undefined): string[] {
  return (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.trim().toLowerCase(), weight: q ? Number(q.trim().slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((entry) => entry.tag);
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const compiled = new Map<string, IntlMessageFormat>();

export function translator(locale: Locale): Translate {
  return (key, values) => {
    const cacheKey = `${locale}\u0000${key}`;
    let format = compiled.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(CATALOGUES[locale][key] ?? CATALOGUES.en[key], locale);
      compiled.set(cacheKey, format);
    }
    return String(format.format(values));
  };
}

/** Every catalogue has exactly the keys of the English one (checked by a test). */
export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(CATALOGUES[locale]).sort();
}

export function messageText(locale: Locale, key: MessageKey): string {
  return CATALOGUES[locale][key];
}
