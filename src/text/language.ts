/**
 * Language detection, offline: franc (trigram profiles of the UDHR, MIT, no data downloaded at
 * run time) restricted to the languages Sada's customers write in, mapped to ISO 639-1.
 * Too little text ('und'): fewer than `minLetters` letters — trigram statistics on a few words
 * are guesses.
 *
 * franc's profiles come from formal text (the Universal Declaration of Human Rights), so on short,
 * informal comments it confuses close languages ("nao recebi o produto" → Spanish). Each language
 * with a Sada stopword list (en, pt, lt) therefore gets a bonus of STOPWORD_WEIGHT × the share of
 * the text's words that are its function words, added to franc's normalized score (top = 1)
 * before picking the best. This biases toward those languages by design; measured effect on the
 * real datasets in docs/text-analysis.md.
 */
import { francAll } from 'franc';
import { tokenize } from './normalize.ts';
import { stopwords } from './stopwords.ts';

/** ISO 639-3 (franc) → ISO 639-1, for the languages the detector may answer. */
const ISO3_TO_1: Record<string, string> = {
  eng: 'en', arb: 'ar', lit: 'lt', por: 'pt', spa: 'es', fra: 'fr', deu: 'de', ita: 'it', nld: 'nl',
  pol: 'pl', rus: 'ru', ukr: 'uk', lvs: 'lv', ekk: 'et', tur: 'tr', pes: 'fa', urd: 'ur', heb: 'he',
  swe: 'sv', dan: 'da', nob: 'no', fin: 'fi', ces: 'cs', ron: 'ro', hun: 'hu', ell: 'el', ind: 'id',
};
const CANDIDATES = Object.keys(ISO3_TO_1);
const PERSIAN_LETTERS = /[\u067E\u0686\u0698\u06AF\u06CC\u06A9]/u; // پ چ ژ گ ی ک
const URDU_LETTERS = /[\u0679\u0688\u0691\u06BA\u06D2\u06C1\u06BE]/u; // ٹ ڈ ڑ ں ے ہ ھ
export const STOPWORD_WEIGHT = 0.3;

export interface DetectOptions {
  /** below this many letters the answer is 'und'; default 12 */
  readonly minLetters?: number;
}

/** ISO 639-1 code of the text's language, or 'und' when there is too little text to tell. */
export function detectLanguage(text: string, options: DetectOptions = {}): string {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < (options.minLetters ?? 12)) return 'und';
  const scores = francAll(text, { only: CANDIDATES, minLength: 1 });
  if (scores[0]?.[0] === 'und') return 'und';
  const words = tokenize(text).filter((t) => /\p{L}/u.test(t));
  let best = 'und';
  let bestScore = -Infinity;
  for (const [iso3, score] of scores) {
    const iso1 = ISO3_TO_1[iso3];
    if (!iso1) continue;
    // Persian and Urdu write letters Arabic does not have; without any of them it is Arabic
    // (dialect reviews were called Persian 97 times in 27,912 before this rule).
    if (iso1 === 'fa' && !PERSIAN_LETTERS.test(text)) continue;
    if (iso1 === 'ur' && !URDU_LETTERS.test(text)) continue;
    const list = iso1 === 'ar' ? undefined : stopwords(iso1);
    const share = list && list.size > 0 && words.length > 0 ? words.filter((w) => list.has(w)).length / words.length : 0;
    const total = score + STOPWORD_WEIGHT * share;
    if (total > bestScore) [best, bestScore] = [iso1, total];
  }
  return best;
}

export const SUPPORTED_LANGUAGES = Object.freeze(Object.values(ISO3_TO_1));
