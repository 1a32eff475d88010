/**
 * What a theme alert rule reads (docs/alerts.md#theme-spikes): the comments of the period being
 * looked at and of the one before it — responses with a comment in the workspace, put in a period
 * by `submitted_at` in the workspace's time zone, fetched as GET /api/v1/text/themes fetches them
 * (listResponses with withComment, so employees' answers are never read) — counted by the pure
 * code in src/alerts/theme.ts. Bounded: at most MAX_THEME_ALERT_COMMENTS comments per period, the
 * newest (a busier period is judged on its last comments). Without a phrase, findThemes runs
 * twice over at most 2 × 2,000 comments: by the ~6 s per 20,000 long Arabic reviews measured in
 * docs/text-analysis.md, a few seconds at worst per rule and evaluation (not measured here).
 */
import { DateTime } from 'luxon';
import { countThemes, type ThemeComment, type ThemePeriodCounts } from '../alerts/theme.ts';
import type { RuleDefinition } from '../alerts/rules.ts';
import type { Period } from '../metrics/dimensions.ts';
import { periodLabel } from '../metrics/periods.ts';
import type { Database } from '../storage/database.ts';
import { listResponses } from '../storage/response-list.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { detectLanguage } from '../text/language.ts';

export const MAX_THEME_ALERT_COMMENTS = 2_000;

/** The newest comments (at most MAX_THEME_ALERT_COMMENTS) submitted in [start, start + 1 period). */
export async function periodComments(db: Database, workspace: Workspace, start: DateTime, period: Period): Promise<ThemeComment[]> {
  const end = start.plus({ [`${period}s`]: 1 });
  const page = await listResponses(db, workspace.id, { withComment: true, from: start.toJSDate(), to: end.toJSDate() }, { limit: MAX_THEME_ALERT_COMMENTS });
  return page.responses.map((r) => ({ id: r.id, text: r.comment ?? '', lang: r.language || detectLanguage(r.comment ?? '') }));
}

/**
 * The counts a theme rule is evaluated on at `at`: the period containing `at` against the one
 * before it, then that one against its own previous period (the period in progress first, as the
 * other period rules look at both).
 */
export async function themeAlertCounts(db: Database, workspace: Workspace, definition: Extract<RuleDefinition, { kind: 'theme' }>, at: Date): Promise<ThemePeriodCounts[]> {
  const period = definition.params.period;
  const current = DateTime.fromJSDate(at, { zone: workspace.timezone }).startOf(period);
  const starts = [current, current.minus({ [`${period}s`]: 1 }), current.minus({ [`${period}s`]: 2 })];
  const comments: ThemeComment[][] = [];
  for (const start of starts) comments.push(await periodComments(db, workspace, start, period));
  const labels = starts.map((start) => periodLabel(start, period));
  return [0, 1].map((i) => countThemes({ period: labels[i]!, previous: labels[i + 1]! }, comments[i]!, comments[i + 1]!, definition.params.phrase));
}
