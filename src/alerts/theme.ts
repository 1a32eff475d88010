import { compareProportions } from '../stats/compare.ts';
import { wilsonInterval } from '../stats/proportion.ts';
import { tokenize } from '../text/normalize.ts';
import { findThemes, type ThemeDocument } from '../text/themes.ts';
import type { Firing, ThemeFigure } from './evaluate.ts';
import type { AlertRule } from './rules.ts';

/**
 * Theme spikes (docs/alerts.md), decided without I/O. The caller gathers the comments of a period
 * and of the one before it; `countThemes` counts, in each, the comments that mention each theme
 * (the themes findThemes finds over the two periods, src/text/themes.ts) or the rule's phrase;
 * `evaluateThemeRule` fires when a theme's share of the comments rose significantly — the
 * two-proportion test of src/stats/compare.ts (pooled z-test, Newcombe interval), the family the
 * drop rule uses for proportions, not a raw difference — with ≥ minMentions mentions now and
 * n ≥ minN comments in both periods.
 *
 * A comment mentions a phrase when the phrase's words appear in it consecutively, both tokenized
 * by src/text/normalize.ts (lower case, Arabic letter variants unified, diacritics folded) — the
 * matching form themes.ts builds its n-grams from, so a theme's phrases match the comments that
 * made them.
 */

export interface ThemeComment {
  id: string;
  text: string;
  /** the comment's language (the response's own, else detected) */
  lang: string;
}

export interface ThemeCounts {
  /** the theme's label (or the rule's phrase as written) */
  label: string;
  /** the phrases (matching form) whose mention counts */
  phrases: string[];
  mentions: number;
  previousMentions: number;
}

/** One period against the one before it: comments and mentions of each theme in both. */
export interface ThemePeriodCounts {
  period: string;
  previous: string;
  n: number;
  previousN: number;
  themes: ThemeCounts[];
}

/** A phrase in the matching form: its tokens joined by one space ("Late  Délivery!" → "late delivery"). */
export function phraseKey(phrase: string, lang = 'und'): string {
  return tokenize(phrase, lang).join(' ');
}

/** The comment's tokens in the matching form, padded with spaces so that ` ${phrase} ` finds whole words. */
const matchingText = (c: ThemeComment) => ` ${tokenize(c.text, c.lang).join(' ')} `;

/**
 * Counts mentions in the current period (`comments`) and the previous one (`previousComments`)
 * of `phrase`, or — without a phrase — of each theme findThemes finds over both periods (grouped
 * by period, so c-TF-IDF brings out what is distinctive of each) that is among the current
 * period's top phrases.
 */
export function countThemes(
  periods: { period: string; previous: string },
  comments: readonly ThemeComment[],
  previousComments: readonly ThemeComment[],
  phrase?: string,
): ThemePeriodCounts {
  let watched: Array<{ label: string; phrases: string[] }>;
  if (phrase !== undefined) {
    const key = phraseKey(phrase);
    watched = key ? [{ label: phrase.trim(), phrases: [key] }] : [];
  } else {
    const docs: ThemeDocument[] = [
      ...comments.map((c) => ({ id: `now:${c.id}`, text: c.text, lang: c.lang, group: periods.period })),
      ...previousComments.map((c) => ({ id: `before:${c.id}`, text: c.text, lang: c.lang, group: periods.previous })),
    ];
    watched = findThemes(docs)
      .filter((t) => t.groups.includes(periods.period))
      .map((t) => ({ label: t.label, phrases: [...t.phrases] }));
  }
  const now = comments.map(matchingText);
  const before = previousComments.map(matchingText);
  const mentioning = (texts: readonly string[], phrases: readonly string[]) => texts.filter((text) => phrases.some((p) => text.includes(` ${p} `))).length;
  return {
    ...periods,
    n: comments.length,
    previousN: previousComments.length,
    themes: watched.map((w) => ({ ...w, mentions: mentioning(now, w.phrases), previousMentions: mentioning(before, w.phrases) })),
  };
}

export const themeDedupeKey = (ruleId: number, periodName: string, label: string, theme: string) => `rule:${ruleId}:${periodName}:${label}:theme:${theme}`;

/**
 * A theme rule over the counts of the periods to look at (the period in progress first, then the
 * one before it). Each theme that spiked fires once per period (dedupe key rule + period + theme);
 * within a period the strongest evidence (smallest p-value) comes first, so when the cool-down lets
 * only one through, it is that one. Shares are percent, the change in percentage points.
 */
export function evaluateThemeRule(rule: Pick<AlertRule, 'id' | 'definition'>, counts: readonly ThemePeriodCounts[]): Firing[] {
  const definition = rule.definition;
  if (definition.kind !== 'theme') return [];
  const { period: periodName, minN, minMentions } = definition.params;
  const firings: Array<Firing & { p: number }> = [];
  for (const c of counts) {
    if (c.n < minN || c.previousN < minN) continue;
    const found: Array<Firing & { p: number }> = [];
    for (const theme of c.themes) {
      if (theme.mentions < minMentions) continue;
      const change = compareProportions({ x: theme.previousMentions, n: c.previousN }, { x: theme.mentions, n: c.n });
      if (!change.significant || change.smallSample || change.delta === null || !(change.delta > 0) || change.pValue === null) continue;
      const now = wilsonInterval(theme.mentions, c.n);
      const key = theme.phrases[0] ?? theme.label;
      const figure: ThemeFigure = {
        theme: theme.label,
        phrases: theme.phrases,
        periodName,
        period: c.period,
        share: (100 * theme.mentions) / c.n,
        mentions: theme.mentions,
        n: c.n,
        ci: now.ci ? [100 * now.ci[0], 100 * now.ci[1]] : null,
        previous: { period: c.previous, share: (100 * theme.previousMentions) / c.previousN, mentions: theme.previousMentions, n: c.previousN },
        change: { delta: 100 * change.delta, ci: change.ci ? [100 * change.ci[0], 100 * change.ci[1]] : null, pValue: change.pValue },
      };
      found.push({ ruleId: rule.id, dedupeKey: themeDedupeKey(rule.id, periodName, c.period, key), period: c.period, figure, p: change.pValue });
    }
    found.sort((a, b) => a.p - b.p || a.dedupeKey.localeCompare(b.dedupeKey));
    firings.push(...found);
  }
  return firings.map(({ p: _p, ...firing }) => firing);
}
