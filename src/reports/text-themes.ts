/**
 * Themes of a workspace's comments (GET /api/v1/text/themes): the newest comments the filter
 * matches (at most MAX_THEME_COMMENTS), grouped by month of `submitted_at` in the workspace's time
 * zone, through findThemes (src/text/themes.ts). A comment's language is the response's own, else
 * detected. Scores of different scales are compared as a share of their scale, 0–100
 * ((score − min) ÷ (max − min)); satisfied = top-2-box (labelFromScore … positive).
 * The workspace's theme labels (src/storage/theme-labels.ts) apply: a renamed theme's `label` is
 * its name (`phrase` keeps the key phrase), hidden themes are left out, and pinned ones are always
 * listed, first — a pinned phrase the analysis did not bring up is counted by phraseTheme.
 */
import { DateTime } from 'luxon';
import { listResponses, type ResponseFilter } from '../storage/response-list.ts';
import type { Database } from '../storage/database.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { labelFromScore } from '../text/classifier.ts';
import { detectLanguage } from '../text/language.ts';
import { tokenize } from '../text/normalize.ts';
import { listThemeLabels } from '../storage/theme-labels.ts';
import { findThemes, phraseTheme, type Theme, type ThemeDocument } from '../text/themes.ts';

export const MAX_THEME_COMMENTS = 20_000;
const EXAMPLES = 3;

export interface ThemesReport {
  workspace: string;
  timezone: string;
  comments: number;
  /** more comments matched than were analysed (the newest MAX_THEME_COMMENTS were) */
  truncated: boolean;
  languages: Record<string, number>;
  themes: Array<{
    /** what to show: the user's name for the theme, else its phrase */
    label: string;
    /** the theme's key phrase (matching form): what labels are keyed by and `q` can search for */
    phrase: string;
    /** the phrase as the newest comment mentioning it writes it ("Chegou rápido"): what to search for */
    search: string;
    /** the user's name, or null */
    name: string | null;
    pinned: boolean;
    phrases: string[];
    volume: number;
    share: number;
    trend: Array<{ month: string; count: number; total: number }>;
    /** theme − rest, score as % of its scale; null without scored comments on both sides */
    score_impact: { delta: number | null; ci: [number, number] | null; p_value: number | null; n_theme: number; n_rest: number } | null;
    satisfied_impact: { delta: number | null; ci: [number, number] | null; p_value: number | null; n_theme: number; n_rest: number } | null;
    /** ids of a few responses that mention it, newest first */
    examples: string[];
  }>;
}

export async function themesReport(db: Database, workspace: Workspace, filter: ResponseFilter): Promise<ThemesReport> {
  const page = await listResponses(db, workspace.id, { ...filter, withComment: true }, { limit: MAX_THEME_COMMENTS });
  const languages: Record<string, number> = {};
  const docs: ThemeDocument[] = page.responses.map((r) => {
    const text = r.comment ?? '';
    const lang = r.language || detectLanguage(text);
    languages[lang] = (languages[lang] ?? 0) + 1;
    const month = DateTime.fromISO(r.submittedAt, { zone: 'utc' }).setZone(workspace.timezone).toFormat('yyyy-MM');
    const scored = r.score !== null && r.scaleMin !== null && r.scaleMax !== null && r.scaleMax > r.scaleMin;
    return {
      id: r.id,
      text,
      lang,
      group: month,
      date: month,
      score: scored ? (100 * (r.score! - r.scaleMin!)) / (r.scaleMax! - r.scaleMin!) : null,
      satisfied: scored ? labelFromScore(r.score!, r.scaleMin!, r.scaleMax!) === 'positive' : null,
    };
  });
  const byId = new Map(docs.map((d) => [d.id, d]));
  const labels = new Map((await listThemeLabels(db, workspace.id)).map((l) => [l.phrase, l]));
  const found = findThemes(docs).filter((t) => !labels.get(t.label)?.hidden || labels.get(t.label)?.pinned);
  const shown = new Set(found.map((t) => t.label));
  const pinnedMissing = [...labels.values()].filter((l) => l.pinned && !shown.has(l.phrase)).map((l) => phraseTheme(docs, l.phrase));
  const all: Theme[] = [...found, ...pinnedMissing];
  const pinned = (t: Theme) => labels.get(t.label)?.pinned === true;
  const themes = [...all.filter(pinned).sort((a, b) => b.volume - a.volume || a.label.localeCompare(b.label)), ...all.filter((t) => !pinned(t))];
  const allScored = docs.filter((d) => typeof d.score === 'number').length;
  const allSat = docs.filter((d) => typeof d.satisfied === 'boolean').length;
  return {
    workspace: workspace.name,
    timezone: workspace.timezone,
    comments: docs.length,
    truncated: page.next !== null,
    languages,
    themes: themes.map((t) => {
      const inside = t.documentIds.map((id) => byId.get(id)!);
      const nScored = inside.filter((d) => typeof d.score === 'number').length;
      const nSat = inside.filter((d) => typeof d.satisfied === 'boolean').length;
      const label = labels.get(t.label);
      return {
        label: label?.name ?? t.label,
        phrase: t.label,
        search: surfaceForm(t.documentIds.map((id) => byId.get(id)!), t.label),
        name: label?.name ?? null,
        pinned: label?.pinned ?? false,
        phrases: [...t.phrases],
        volume: t.volume,
        share: t.share,
        trend: t.trend.map((p) => ({ ...p })),
        score_impact: t.scoreImpact && { delta: t.scoreImpact.delta, ci: t.scoreImpact.ci && [...t.scoreImpact.ci], p_value: t.scoreImpact.pValue, n_theme: nScored, n_rest: allScored - nScored },
        satisfied_impact: t.satisfiedImpact && { delta: t.satisfiedImpact.delta, ci: t.satisfiedImpact.ci && [...t.satisfiedImpact.ci], p_value: t.satisfiedImpact.pValue, n_theme: nSat, n_rest: allSat - nSat },
        examples: t.documentIds.slice(0, EXAMPLES),
      };
    }),
  };
}

const WORD = /\p{Extended_Pictographic}|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}]+)*/gu;

/**
 * `phrase` (matching form: lower case, diacritics folded, Arabic letters unified) as the first of
 * `docs` that holds it writes it — a text search (ILIKE) finds that, not the folded form. Each
 * written word is tokenized alone and the run of tokens equal to the phrase's is cut out of the
 * text; the phrase itself when no comment holds it as written words.
 */
export function surfaceForm(docs: ReadonlyArray<{ text: string; lang: string }>, phrase: string): string {
  const want = phrase.split(' ');
  for (const d of docs.slice(0, 20)) {
    const tokens: Array<{ token: string; start: number; end: number }> = [];
    for (const m of d.text.matchAll(WORD)) {
      for (const token of tokenize(m[0], d.lang)) tokens.push({ token, start: m.index!, end: m.index! + m[0].length });
    }
    for (let i = 0; i + want.length <= tokens.length; i++) {
      if (want.every((w, k) => tokens[i + k]!.token === w)) return d.text.slice(tokens[i]!.start, tokens[i + want.length - 1]!.end);
    }
  }
  return phrase;
}
