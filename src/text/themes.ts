/**
 * Themes: frequent and distinctive phrases of comments, per group (a period, a segment, or both,
 * as the caller keys them), by class-based TF-IDF (c-TF-IDF, Grootendorst 2022) over word 1–3-grams:
 *
 *   tf(t, g)  = count of t in group g / number of tokens in g
 *   idf(t)    = log(1 + A / f(t)),  A = mean tokens per group, f(t) = count of t over all groups
 *   weight    = tf · idf
 *
 * An n-gram is a candidate only if it neither starts nor ends with a stopword of the comment's
 * language (a 2–3-gram may start with a negation: "não recebi"), appears in at least `minDocs`
 * comments (one comment counts once) and in at most `maxDocShare` (25%) of them. The top phrases
 * of every group are pooled and merged: a phrase inside a longer one (as whole words) joins it
 * when the longer one covers ≥ 60% of the shorter one's comments (the longer, more specific label
 * wins), and two phrases whose comment sets overlap with Jaccard ≥ 0.5 are one theme.
 *
 * Each theme reports its volume, its monthly trend and its impact on the score: mean score of the
 * comments mentioning it minus that of the rest (Welch, src/stats/compare.ts) and the same for the
 * satisfied share (two-proportion test), each with n and a 95% CI.
 * Renaming and pinning are stored per workspace (src/storage/theme-labels.ts); a pinned phrase
 * that is not among the themes found is counted by phraseTheme: the comments whose 1–3-grams
 * include it (the same tokens and n-grams as candidates), with the same volume, trend and impact.
 */
import { compareMeans, compareProportions, type Comparison, type MeanComparison } from '../stats/compare.ts';
import { meanFromValues } from '../stats/mean.ts';
import { ngrams, tokenize } from './normalize.ts';
import { isNegator, isStopword } from './stopwords.ts';

export interface ThemeDocument {
  readonly id: string;
  readonly text: string;
  readonly lang: string;
  /** the c-TF-IDF class: a period, a segment, or "2026-10|web" */
  readonly group: string;
  /** ISO date or timestamp; its first 7 characters are the month of the trend */
  readonly date?: string;
  readonly score?: number | null;
  /** e.g. CSAT top-2-box; counted for the satisfied-share impact */
  readonly satisfied?: boolean | null;
}

export interface ThemeOptions {
  readonly maxN?: number;
  readonly perGroup?: number;
  readonly minDocs?: number;
  readonly maxThemes?: number;
  /** candidates in more than this share of the comments are dropped; default 0.25 */
  readonly maxDocShare?: number;
}

export interface Theme {
  /** the label (the most specific phrase of the merged ones) */
  readonly label: string;
  readonly phrases: readonly string[];
  /** c-TF-IDF weight of the label's best group */
  readonly weight: number;
  readonly groups: readonly string[];
  readonly volume: number;
  readonly share: number;
  readonly trend: ReadonlyArray<{ month: string; count: number; total: number }>;
  readonly documentIds: readonly string[];
  readonly scoreImpact: MeanComparison | null;
  readonly satisfiedImpact: Comparison | null;
}

function candidateGrams(tokens: readonly string[], lang: string, maxN: number): string[] {
  const out: string[] = [];
  for (const g of ngrams(tokens, 1, maxN)) {
    const words = g.split(' ');
    const first = words[0]!;
    const negatedPhrase = words.length > 1 && isNegator(first, lang);
    if ((isStopword(first, lang) && !negatedPhrase) || isStopword(words[words.length - 1]!, lang)) continue;
    if (words.some((w) => w.length < 2 && !/\p{Extended_Pictographic}/u.test(w))) continue;
    out.push(g);
  }
  return out;
}

/** c-TF-IDF weights: group → phrase → weight, plus each phrase's comment ids. */
export function classTfIdf(docs: readonly ThemeDocument[], options: ThemeOptions = {}) {
  const maxN = options.maxN ?? 3;
  const minDocs = options.minDocs ?? Math.max(3, Math.ceil(docs.length * 0.005));
  // A phrase in more than this share of all comments ("produto" in a shop) names no theme.
  const maxDocs = Math.max(minDocs, Math.floor(docs.length * (options.maxDocShare ?? 0.25)));
  const groupCounts = new Map<string, Map<string, number>>();
  const groupTokens = new Map<string, number>();
  const total = new Map<string, number>();
  const docsOf = new Map<string, Set<string>>();
  for (const d of docs) {
    const tokens = tokenize(d.text, d.lang);
    groupTokens.set(d.group, (groupTokens.get(d.group) ?? 0) + tokens.length);
    const counts = groupCounts.get(d.group) ?? new Map<string, number>();
    groupCounts.set(d.group, counts);
    for (const g of candidateGrams(tokens, d.lang, maxN)) {
      counts.set(g, (counts.get(g) ?? 0) + 1);
      total.set(g, (total.get(g) ?? 0) + 1);
      let set = docsOf.get(g);
      if (!set) docsOf.set(g, (set = new Set()));
      set.add(d.id);
    }
  }
  const groups = [...groupCounts.keys()].sort();
  const meanTokens = groups.reduce((s, g) => s + (groupTokens.get(g) ?? 0), 0) / Math.max(1, groups.length);
  const weights = new Map<string, Map<string, number>>();
  for (const g of groups) {
    const w = new Map<string, number>();
    const size = Math.max(1, groupTokens.get(g) ?? 0);
    for (const [t, c] of groupCounts.get(g)!) {
      const df = docsOf.get(t)!.size;
      if (df < minDocs || df > maxDocs) continue;
      w.set(t, (c / size) * Math.log(1 + meanTokens / total.get(t)!));
    }
    weights.set(g, w);
  }
  return { groups, weights, docsOf };
}

function containsWords(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export function findThemes(docs: readonly ThemeDocument[], options: ThemeOptions = {}): Theme[] {
  const perGroup = options.perGroup ?? 15;
  const { weights, docsOf } = classTfIdf(docs, options);
  // Pool each group's top phrases, keeping each phrase's best weight and its groups.
  const pooled = new Map<string, { weight: number; groups: Set<string> }>();
  for (const [g, w] of weights) {
    const top = [...w].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, perGroup);
    for (const [t, weight] of top) {
      const p = pooled.get(t) ?? { weight: 0, groups: new Set<string>() };
      p.weight = Math.max(p.weight, weight);
      p.groups.add(g);
      pooled.set(t, p);
    }
  }
  interface Cluster {
    label: string;
    phrases: string[];
    weight: number;
    groups: Set<string>;
    ids: Set<string>;
  }
  const clusters: Cluster[] = [...pooled]
    .sort((a, b) => b[1].weight - a[1].weight || a[0].localeCompare(b[0]))
    .map(([t, p]) => ({ label: t, phrases: [t], weight: p.weight, groups: new Set(p.groups), ids: new Set(docsOf.get(t)) }));
  // Merge until nothing changes (a few dozen clusters: quadratic is fine).
  let merged = true;
  while (merged) {
    merged = false;
    outer: for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const a = clusters[i]!;
        const b = clusters[j]!;
        const [long, short] = a.label.split(' ').length >= b.label.split(' ').length ? [a, b] : [b, a];
        const nested = containsWords(long.label, short.label) && long.ids.size >= 0.6 * short.ids.size;
        if (!nested && jaccard(a.ids, b.ids) < 0.5) continue;
        const label = nested ? long.label : a.ids.size >= b.ids.size ? a.label : b.label;
        const union: Cluster = {
          label,
          phrases: [...new Set([label, ...a.phrases, ...b.phrases])],
          weight: Math.max(a.weight, b.weight),
          groups: new Set([...a.groups, ...b.groups]),
          ids: new Set([...a.ids, ...b.ids]),
        };
        clusters.splice(j, 1);
        clusters[i] = union;
        merged = true;
        break outer;
      }
    }
  }
  const themes = clusters.map((c) => describeTheme(docs, c.label, c.phrases, c.ids, c.weight, [...c.groups].sort()));
  // The most distinctive themes are kept (weight), then shown biggest first (volume).
  return themes
    .sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label))
    .slice(0, options.maxThemes ?? 30)
    .sort((a, b) => b.volume - a.volume || a.label.localeCompare(b.label));
}

function describeTheme(docs: readonly ThemeDocument[], label: string, phrases: readonly string[], ids: ReadonlySet<string>, weight: number, groups: readonly string[]): Theme {
  const monthTotals = new Map<string, number>();
  for (const d of docs) if (d.date) monthTotals.set(d.date.slice(0, 7), (monthTotals.get(d.date.slice(0, 7)) ?? 0) + 1);
  const months = [...monthTotals.keys()].sort();
  const inside = docs.filter((d) => ids.has(d.id));
  const outside = docs.filter((d) => !ids.has(d.id));
  const counts = new Map<string, number>();
  for (const d of inside) if (d.date) counts.set(d.date.slice(0, 7), (counts.get(d.date.slice(0, 7)) ?? 0) + 1);
  const scores = (list: readonly ThemeDocument[]) => list.flatMap((d) => (typeof d.score === 'number' ? [d.score] : []));
  const sat = (list: readonly ThemeDocument[]) => {
    const known = list.filter((d) => typeof d.satisfied === 'boolean');
    return { x: known.filter((d) => d.satisfied).length, n: known.length };
  };
  const sIn = scores(inside);
  const sOut = scores(outside);
  const pIn = sat(inside);
  const pOut = sat(outside);
  return {
    label,
    phrases: [...phrases],
    weight,
    groups: [...groups],
    volume: inside.length,
    share: docs.length === 0 ? 0 : inside.length / docs.length,
    trend: months.map((month) => ({ month, count: counts.get(month) ?? 0, total: monthTotals.get(month)! })),
    documentIds: inside.map((d) => d.id),
    // "after" = the theme, "before" = the rest: delta = theme − rest.
    scoreImpact: sIn.length > 0 && sOut.length > 0 ? compareMeans(meanFromValues(sOut), meanFromValues(sIn)) : null,
    satisfiedImpact: pIn.n > 0 && pOut.n > 0 ? compareProportions(pOut, pIn) : null,
  };
}

/**
 * One phrase as a theme (a pinned phrase the c-TF-IDF did not bring up this time): the comments
 * whose tokens contain `phrase` (already in the matching form: tokenize(…).join(' ')) as whole
 * words, with the same volume, trend and impact as findThemes reports. Weight 0, no groups.
 */
export function phraseTheme(docs: readonly ThemeDocument[], phrase: string): Theme {
  const ids = new Set<string>();
  for (const d of docs) if (` ${tokenize(d.text, d.lang).join(' ')} `.includes(` ${phrase} `)) ids.add(d.id);
  return describeTheme(docs, phrase, [phrase], ids, 0, []);
}
