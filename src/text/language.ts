/**
 * Language detection, offline: franc (trigram profiles of the UDHR, MIT, no data downloaded at
 * run time) restricted to the languages Sada's customers write in, mapped to ISO 639-1.
 * Too little text ('und'): fewer than `minLetters` letters — trigram statistics on a few words
 * are guesses.
 */
import { franc } from 'franc';

/** ISO 639-3 (franc) → ISO 639-1, for the languages the detector may answer. */
const ISO3_TO_1: Record<string, string> = {
  eng: 'en', arb: 'ar', lit: 'lt', por: 'pt', spa: 'es', fra: 'fr', deu: 'de', ita: 'it', nld: 'nl',
  pol: 'pl', rus: 'ru', ukr: 'uk', lvs: 'lv', ekk: 'et', tur: 'tr', pes: 'fa', urd: 'ur', heb: 'he',
  swe: 'sv', dan: 'da', nob: 'no', fin: 'fi', ces: 'cs', ron: 'ro', hun: 'hu', ell: 'el', ind: 'id',
};
const CANDIDATES = Object.keys(ISO3_TO_1);

export interface DetectOptions {
  /** below this many letters the answer is 'und'; default 12 */
  readonly minLetters?: number;
}

/** ISO 639-1 code of the text's language, or 'und' when there is too little text to tell. */
export function detectLanguage(text: string, options: DetectOptions = {}): string {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < (options.minLetters ?? 12)) return 'und';
  const iso3 = franc(text, { only: CANDIDATES, minLength: 1 });
  return ISO3_TO_1[iso3] ?? 'und';
}

export const SUPPORTED_LANGUAGES = Object.freeze(Object.values(ISO3_TO_1));
