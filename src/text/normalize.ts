/**
 * Text normalization and tokenization for comments (pure, no I/O).
 *
 *   normalize(text, lang)  NFC, lower case, Arabic: tashkeel/tatweel removed, alef variants
 *                          (أ إ آ ٱ) → ا, ى → ي, word-final ة → ه, Arabic-Indic digits → 0–9;
 *                          every language: runs of 3+ equal letters squeezed to 2 ("sooo" → "soo").
 *   foldDiacritics(text)   the matching form for Latin scripts: ą → a, š → s, ã → a, ç → c …
 *                          (Arabic letters are left alone: their variants are already unified).
 *   tokenize(text, lang)   words and emoji; emoji are kept as tokens because they carry sentiment.
 */

/** Arabic short vowels, tanween, shadda, sukun, Quranic marks and the superscript alef. */
const TASHKEEL = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ALEF_VARIANTS = /[\u0622\u0623\u0625\u0671]/g; // آ أ إ ٱ
const ALEF_MAQSURA = /\u0649/g; // ى
const TEH_MARBUTA_END = /\u0629(?=$|[^\p{L}\p{M}])/gu; // ة at the end of a word
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const LONG_RUNS = /(\p{L})\1{2,}/gu;

export function normalize(text: string, lang: string = 'und'): string {
  let t = text.normalize('NFC');
  t = lang === 'lt' ? t.toLocaleLowerCase('lt') : lang === 'tr' ? t.toLocaleLowerCase('tr') : t.toLowerCase();
  if (lang === 'ar' || /[\u0600-\u06FF]/.test(t)) {
    t = t
      .replace(TASHKEEL, '')
      .replace(TATWEEL, '')
      .replace(ALEF_VARIANTS, '\u0627')
      .replace(ALEF_MAQSURA, '\u064A')
      .replace(TEH_MARBUTA_END, '\u0647')
      .replace(ARABIC_INDIC_DIGITS, (d) => String((d.charCodeAt(0) - (d.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660))));
  }
  return t.replace(LONG_RUNS, '$1$1');
}

/** Removes combining marks from Latin letters (NFD, drop \p{M}, NFC); Arabic text is unchanged. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(/\u0131/g, 'i')
    .normalize('NFC');
}

/**
 * A word: letters (with marks), digits and inner apostrophes ("don't", "l'eau"). An emoji: one
 * pictograph, its variation selector, skin tone and ZWJ-joined parts dropped to the first
 * pictograph so 👍🏽 and 👍 are the same token.
 */
const TOKEN =
  /(\p{Extended_Pictographic})(?:[\u{FE0F}\u{1F3FB}-\u{1F3FF}]|\u200D\p{Extended_Pictographic}\u{FE0F}?)*|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}]+)*/gu;

export interface TokenizeOptions {
  /** also fold diacritics (the matching form); default true */
  readonly fold?: boolean;
  /** keep tokens made of digits only; default false */
  readonly numbers?: boolean;
}

/** normalize + split into word and emoji tokens. */
export function tokenize(text: string, lang: string = 'und', options: TokenizeOptions = {}): string[] {
  let t = normalize(text, lang);
  if (options.fold ?? true) t = foldDiacritics(t);
  const out: string[] = [];
  for (const m of t.matchAll(TOKEN)) {
    const token = m[1] ?? m[0].replace(/’/g, "'");
    if (!options.numbers && /^\p{N}+$/u.test(token)) continue;
    out.push(token);
  }
  return out;
}

export function isEmoji(token: string): boolean {
  return /^\p{Extended_Pictographic}/u.test(token);
}

/** n-grams of 1..maxN consecutive tokens, joined by a space. */
export function ngrams(tokens: readonly string[], minN: number, maxN: number): string[] {
  const out: string[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}

/**
 * Arabic light stem for matching: the clitic prefixes و ف ب ك ل and the article ال (وال، بال،
 * فال، كال، لل، ال) are removed when at least three letters remain. Used by the lexicon only.
 */
export function arabicLightStem(token: string): string {
  const m = /^(?:[وف]?(?:[بك]?ال|لل)|[وفبل])(.{3,})$/u.exec(token);
  return m ? m[1]! : token;
}
