/**
 * Short, hand-curated stopword lists (written for Sada, not copied from a published list): the
 * function words that would otherwise top every theme list. They are stored here as written and
 * compared in their matching form (normalize + foldDiacritics), like the tokens.
 * Negations (not, não, ne, لا …) are stopwords for themes but NOT for sentiment, which keeps them.
 */
import { foldDiacritics, normalize } from './normalize.ts';

const RAW: Record<string, string> = {
  en: `a an the and or but if so of to in on at by for with from as is are was were be been being am
    i me my we our you your he she it its they them their this that these those there here what which who
    whom when where why how do does did done have has had having will would can could should shall may might
    must just also very too than then there's it's i'm i've i'd you're don't doesn't didn't not no all any
    some more most other such only own same again once up down out over about into through after before
    each few both because while until get got gets one ff firefox please now just use using used new back
    still even really want need make way go going know thing things lot`,
  pt: `a o as os um uma uns umas de do da dos das em no na nos nas por pelo pela pelos pelas para pra com
    sem e ou mas que se como quando onde porque pois ja muito muita muitos muitas mais menos eu voce voces
    ele ela eles elas nos meu minha meus minhas seu sua seus suas este esta isso isto esse essa aquele
    aquela foi ser era sao estar esta estou estava tem ter tinha ha fiz faz ao aos a as ate tambem so
    ainda entao me te lhe lo la num numa nao sim`,
  lt: `ir bei ar o bet kad nes jog kaip kai kur kas koks kokia tai tas ta tie tos šis ši šie šios jis ji jie
    jos aš mes jūs tu mano tavo savo jo jos jų man mums jums mane buvo yra bus būti esu yra su be iš į ant
    prie po per už apie nuo iki dėl tik jau dar labai taip pat net gal ne nėra čia ten visi viskas`,
  ar: `في من الى إلى على عن مع هذا هذه ذلك تلك هو هي هم انا أنا نحن انت أنت انتم كان كانت يكون و او أو ثم
    ان أن إن لا ما لم لن قد كل بعض عند عندي عنده الذي التي الذين هناك هنا كما لكن بس اللي يا شي شيء حتى
    بعد قبل جدا كثير مش مو فيه فيها منه منها له لها لي به بها عندهم عندو عندها مره كتير يعني بصراحه صراحه
    اشي هاد هيك كمان والله زي مثل كانوا احنا اذا لما عشان علشان انه انها انو هاي هذي اكثر عليه عليها`,
};

function build(raw: string): Set<string> {
  return new Set(raw.split(/\s+/).filter(Boolean).map((w) => foldDiacritics(normalize(w))));
}

const LISTS: Record<string, Set<string>> = Object.fromEntries(Object.entries(RAW).map(([k, v]) => [k, build(v)]));
const EMPTY = new Set<string>();

/** The stopword set of a language (ISO 639-1), in matching form; empty for other languages. */
export function stopwords(lang: string): ReadonlySet<string> {
  return LISTS[lang] ?? EMPTY;
}

/**
 * Negations, which may START a theme phrase ("não recebi", "not working", "ما انصح") although
 * they are stopwords: without them the commonest complaint of a shop would read "recebi".
 */
const RAW_NEGATORS: Record<string, string> = {
  en: `not no never don't doesn't didn't can't cannot won't isn't`,
  pt: `nao nunca nem sem`,
  lt: `ne nera niekada`,
  ar: `لا ما مش مو ليس لم لن مب`,
};
const NEGATORS: Record<string, Set<string>> = Object.fromEntries(Object.entries(RAW_NEGATORS).map(([k, v]) => [k, build(v)]));

export function isNegator(token: string, lang: string): boolean {
  return NEGATORS[lang]?.has(token) ?? false;
}

export function isStopword(token: string, lang: string): boolean {
  return stopwords(lang).has(token);
}
