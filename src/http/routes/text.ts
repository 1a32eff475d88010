import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { writeAudit } from '../../storage/audit.ts';
import { deleteThemeLabel, listThemeLabels, upsertThemeLabel } from '../../storage/theme-labels.ts';
import { tokenize } from '../../text/normalize.ts';
import { actorOf } from '../auth.ts';
import type { Database } from '../../storage/database.ts';
import { MAX_THEME_COMMENTS, themesReport } from '../../reports/text-themes.ts';
import { sentimentQualityReport } from '../../reports/text-sentiment.ts';
import { apiOperation, parseBody, parseQuery } from '../openapi.ts';
import { text } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';
import { responseFilter } from './responses.ts';

/**
 * GET /api/v1/text/themes?from=&to=&kind=&language=&touchpoint=&survey=&segment=&q=&score_min=&score_max=
 * — the themes of the comments the filter matches (the same filter as /responses; at most the
 * newest 20,000 comments), each with volume, monthly trend and impact on the score with 95% CIs
 * (docs/text-analysis.md).
 * GET /api/v1/text/sentiment-quality?(same filter) — accuracy and macro-F1 of the learned sentiment
 * on the workspace's own scored comments, held-out 20%, per language, beside the baselines.
 * Any role may read.
 * GET /api/v1/text/theme-labels — the workspace's theme names, pins and hides (any role).
 * PUT /api/v1/text/theme-labels {phrase, name?, pinned?, hidden?} — rename, pin/unpin, hide a
 * theme (analysts and admins); the phrase is put in the matching form (tokens joined by one space).
 * DELETE /api/v1/text/theme-labels?phrase= — back to the found phrase, unpinned. Both audited.
 */
const themesQuery = z.object({
  from: text('First day, YYYY-MM-DD in the workspace’s time zone'),
  to: text('Last day, YYYY-MM-DD'),
  kind: text('Question kinds, comma-separated (nps, csat, ces, …)'),
  language: text('Languages, comma-separated'),
  touchpoint: text('Touchpoints, comma-separated'),
  survey: text('Surveys, comma-separated'),
  segment: text('Customer segments, comma-separated: themes per segment'),
  q: text('Only comments containing this text'),
  score_min: text('Lowest score'),
  score_max: text('Highest score'),
});
apiOperation({
  method: 'get',
  path: '/api/v1/text/themes',
  tag: 'responses',
  role: 'viewer',
  summary: `Themes of the comments: distinctive phrases with volume, monthly trend and score impact (newest ${MAX_THEME_COMMENTS.toLocaleString('en-US')} comments at most)`,
  query: themesQuery,
  responses: { 200: 'Themes', 400: 'Not a valid filter' },
});

apiOperation({
  method: 'get',
  path: '/api/v1/text/sentiment-quality',
  tag: 'responses',
  role: 'viewer',
  summary: 'How good sentiment is on this workspace’s own scored comments: learned model vs majority and lexicon baselines on a held-out 20%, per language',
  query: themesQuery,
  responses: { 200: 'Accuracy and macro-F1 per language', 400: 'Not a valid filter' },
});

/** A phrase in the matching form the themes are keyed by ("Late  Délivery!" → "late delivery"). */
const phraseKey = (phrase: string) => tokenize(phrase).join(' ');
const NO_PHRASE = 'phrase must hold at least one word (a theme’s phrase, as GET /api/v1/text/themes gives it)';

const labelOut = z.object({ phrase: z.string(), name: z.string().nullable(), pinned: z.boolean(), hidden: z.boolean(), updatedBy: z.string(), updatedAt: z.string() });
const labelBody = z
  .object({
    phrase: z.string().trim().min(1).max(200).describe('The theme’s phrase (`phrase` of GET /api/v1/text/themes)'),
    name: z.string().trim().min(1).max(200).nullable().optional().describe('The name to show; null: the phrase again'),
    pinned: z.boolean().optional().describe('Always list it, first'),
    hidden: z.boolean().optional().describe('Leave it out of the list (unless pinned)'),
  })
  .strict();
const labelDeleteQuery = z.object({ phrase: z.string().min(1).max(200).describe('The theme’s phrase') });
apiOperation({ method: 'get', path: '/api/v1/text/theme-labels', tag: 'responses', role: 'viewer', summary: 'The workspace’s theme names, pins and hides', responses: { 200: { description: 'Labels', schema: z.object({ labels: z.array(labelOut) }) } } });
apiOperation({
  method: 'put', path: '/api/v1/text/theme-labels', tag: 'responses', role: 'analyst', summary: 'Rename, pin or hide a theme (fields left out keep their value)', body: labelBody,
  responses: { 200: { description: 'The label', schema: z.object({ label: labelOut }) }, 400: 'Not valid' },
});
apiOperation({ method: 'delete', path: '/api/v1/text/theme-labels', tag: 'responses', role: 'analyst', summary: 'Forget a theme’s name, pin and hide', query: labelDeleteQuery, responses: { 204: 'Forgotten', 404: 'No label for that phrase' } });

export function textRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/text/themes', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const query: Record<string, string | undefined> = parseQuery(c, themesQuery);
    const filter = responseFilter((name) => query[name], workspace);
    return c.json(await themesReport(db, workspace, filter));
  });
  routes.get('/text/sentiment-quality', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const query: Record<string, string | undefined> = parseQuery(c, themesQuery);
    return c.json(await sentimentQualityReport(db, workspace, responseFilter((name) => query[name], workspace)));
  });
  routes.get('/text/theme-labels', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    return c.json({ labels: await listThemeLabels(db, workspace.id) });
  });
  routes.put('/text/theme-labels', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'analyst');
    const body = await parseBody(c, labelBody, 4096);
    const phrase = phraseKey(body.phrase);
    if (!phrase) throw new HTTPException(400, { message: NO_PHRASE });
    const actor = actorOf(c.get('principal'));
    const label = await db.transaction(async (tx) => {
      const saved = await upsertThemeLabel(tx, workspace.id, phrase, { name: body.name, pinned: body.pinned, hidden: body.hidden }, actor.label);
      await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'theme_label.set', target: `theme:${phrase}`, details: { name: body.name, pinned: body.pinned, hidden: body.hidden } });
      return saved;
    });
    return c.json({ label });
  });
  routes.delete('/text/theme-labels', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'analyst');
    const phrase = phraseKey(parseQuery(c, labelDeleteQuery).phrase);
    const actor = actorOf(c.get('principal'));
    const deleted = await db.transaction(async (tx) => {
      const gone = await deleteThemeLabel(tx, workspace.id, phrase);
      if (gone) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'theme_label.delete', target: `theme:${phrase}` });
      return gone;
    });
    if (!deleted) throw new HTTPException(404, { message: 'No name, pin or hide is stored for that phrase.' });
    return c.body(null, 204);
  });
  return routes;
}
