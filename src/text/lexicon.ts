/**
 * Lexicon sentiment baseline, one small hand-written word list per language (written for Sada
 * from everyday review vocabulary; not copied from a published lexicon). Matching is on the
 * tokens' matching form (normalized, diacritics folded; Arabic also light-stemmed), so "péssimo"
 * and "pessimo", "ačiū" and "aciu", "الممتاز" and "ممتاز" all match.
 *
 * Score = Σ polarity of matched words and two-word phrases (±1), each flipped when one of the
 * three tokens before it is a negator ("not good" → −1, "não recomendo" → −1); Lithuanian
 * negates with the prefix ne- ("nepatiko" = ne + patiko → −1). Emoji count in every language.
 * label: score > 0 positive, < 0 negative, 0 neutral (no evidence either way).
 */
import { arabicLightStem, foldDiacritics, normalize, tokenize } from './normalize.ts';

interface RawLexicon {
  positive: string;
  negative: string;
  negators: string;
}

const RAW: Record<string, RawLexicon> = {
  en: {
    positive: `good great love loved loving like liked awesome excellent amazing best better fast faster quick
      nice perfect happy easy wonderful fantastic smooth thanks thank helpful reliable stable clean enjoy
      enjoyed recommend favorite favourite fine works beautiful simple cool brilliant superb glad pleased`,
    negative: `bad slow slower crash crashes crashed crashing freeze freezes freezing froze frozen hate hated
      worst worse terrible awful annoying annoyed broken bug bugs buggy problem problems issue issues sucks
      suck shit crap horrible poor useless error errors fail fails failed failing hang hangs hanging
      unable stuck lag laggy disappointed disappointing ugly stupid wrong junk garbage frustrating
      frustrated unusable unresponsive keeps+crashing stopped+working doesn't+work won't+load`,
    negators: `not no never don't doesn't didn't isn't aren't wasn't won't can't cannot couldn't nothing without hardly`,
  },
  pt: {
    positive: `bom boa bons boas otimo otima excelente perfeito perfeita recomendo adorei amei gostei
      satisfeito satisfeita rapido rapida rapidez lindo linda parabens maravilhoso maravilhosa top
      certinho correto bem obrigado obrigada confiavel super qualidade antes+do+prazo dentro+do+prazo
      chegou+rapido tudo+certo tudo+ok`,
    negative: `ruim pessimo pessima horrivel defeito defeituoso quebrado quebrada errado errada atraso atrasado
      atrasada demora demorou problema problemas reclamacao devolver devolucao insatisfeito insatisfeita
      decepcionado decepcionada enganosa enganoso pior cancelar cancelei cancelamento faltando falta
      faltou diferente danificado riscado fraco fraca lixo absurdo descaso aguardando
      nao+recebi nao+chegou nao+veio nao+foi+entregue nao+entregue nao+recomendo ainda+nao`,
    negators: `nao nem nunca jamais sem`,
  },
  lt: {
    positive: `geras gera geri gerai puikus puiki puiku puikiai greitai greitas greita rekomenduoju aciu
      patiko malonus maloni malonu saunu kokybiskas kokybiska patenkintas patenkinta nuostabu nuostabus
      super idealu profesionalus draugiskas patogu patogus`,
    negative: `blogas bloga blogai prastas prasta prastai letai letas velavo veluoja velavimas sugedes sugedo
      brangu brangus siaubinga siaubingas baisu nusivylęs nusivylusi nusivylimas klaida problema
      problemos nemalonus nekokybiskas broku brokas gaila apgavyste sulauziau nerekomenduoju`,
    negators: `ne nera niekada be`,
  },
  ar: {
    positive: `ممتاز ممتازه رائع رائعه روعه جميل جميله حلو حلوه لذيذ لذيذه افضل احسن انصح نظيف نظيفه
      شكرا رهيب رهيبه مميز مميزه طيب طيبه سريع ممتع متميز الله+يعطيهم يستاهل يجنن خيالي اروع
      محترم محترمين راقي نظافه مرتب`,
    negative: `سيء سيئ سيئه سئ زفت وسخ وسخه غالي غاليه خايس مقرف رديء ردئ تعبان بطيء اسوا اسوء للاسف
      مشكله زباله فاشل فاشله حرامي نصب مو+نظيف ما+انصح لا+انصح خرا قذر قذره سيئين ماخذ+عقله
      غلا تاخير`,
    negators: `لا ما مش مو ليس غير لم لن مب مافي`,
  },
};

const EMOJI_POSITIVE = ['😍', '😊', '😀', '😁', '😃', '😄', '🥰', '😘', '👍', '👌', '👏', '❤', '💕', '💯', '🌹', '⭐', '🙂', '😋', '💖', '🤩'];
const EMOJI_NEGATIVE = ['😡', '😠', '🤬', '👎', '😞', '😒', '😢', '😭', '💩', '🤮', '😤', '🙁', '😩', '😫', '🤢'];

interface Lexicon {
  words: Map<string, number>;
  phrases: Map<string, number>;
  negators: Set<string>;
  maxPhrase: number;
}

function matchForm(word: string, lang: string): string {
  const t = foldDiacritics(normalize(word, lang));
  return lang === 'ar' ? arabicLightStem(t) : t;
}

function build(raw: RawLexicon, lang: string): Lexicon {
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  let maxPhrase = 1;
  for (const [list, polarity] of [
    [raw.positive, 1],
    [raw.negative, -1],
  ] as const) {
    for (const entry of list.split(/\s+/).filter(Boolean)) {
      const parts = entry.split('+').map((w) => matchForm(w, lang));
      if (parts.length === 1) words.set(parts[0]!, polarity);
      else {
        phrases.set(parts.join(' '), polarity);
        maxPhrase = Math.max(maxPhrase, parts.length);
      }
    }
  }
  for (const e of EMOJI_POSITIVE) words.set(e, 1);
  for (const e of EMOJI_NEGATIVE) words.set(e, -1);
  const negators = new Set(raw.negators.split(/\s+/).filter(Boolean).map((w) => matchForm(w, lang)));
  return { words, phrases, negators, maxPhrase };
}

const LEXICONS: Record<string, Lexicon> = Object.fromEntries(Object.entries(RAW).map(([lang, raw]) => [lang, build(raw, lang)]));

export const LEXICON_LANGUAGES = Object.freeze(Object.keys(RAW));

export interface LexiconResult {
  /** Σ matched polarities after negation */
  readonly score: number;
  readonly label: 'positive' | 'negative' | 'neutral';
  /** the matched words/phrases with their (negated) polarity, for explaining a score */
  readonly matches: ReadonlyArray<{ term: string; polarity: number }>;
}

/** Lexicon sentiment of one comment; a language without a lexicon only scores emoji. */
export function lexiconSentiment(text: string, lang: string): LexiconResult {
  const lex = LEXICONS[lang] ?? build({ positive: '', negative: '', negators: '' }, lang);
  const tokens = tokenize(text, lang).map((t) => (lang === 'ar' ? arabicLightStem(t) : t));
  const matches: Array<{ term: string; polarity: number }> = [];
  let score = 0;
  const negatedAt = (i: number): boolean => {
    for (let j = Math.max(0, i - 3); j < i; j++) if (lex.negators.has(tokens[j]!)) return true;
    return false;
  };
  for (let i = 0; i < tokens.length; i++) {
    let matched = false;
    // Longest phrase first; a phrase already containing its negation ("não recebi") is not flipped.
    for (let n = lex.maxPhrase; n >= 2 && !matched; n--) {
      if (i + n > tokens.length) continue;
      const phrase = tokens.slice(i, i + n).join(' ');
      const p = lex.phrases.get(phrase);
      if (p !== undefined) {
        const containsNegator = tokens.slice(i, i + n).some((t) => lex.negators.has(t));
        const polarity = !containsNegator && negatedAt(i) ? -p : p;
        matches.push({ term: phrase, polarity });
        score += polarity;
        i += n - 1;
        matched = true;
      }
    }
    if (matched) continue;
    const token = tokens[i]!;
    let p = lex.words.get(token);
    let negated = negatedAt(i);
    if (p === undefined && lang === 'lt' && token.startsWith('ne') && token.length > 4) {
      p = lex.words.get(token.slice(2));
      if (p !== undefined) negated = !negated;
    }
    if (p === undefined) continue;
    const polarity = negated ? -p : p;
    matches.push({ term: token, polarity });
    score += polarity;
  }
  return { score, label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral', matches };
}
