import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../../storage/database.ts';
import { MAX_THEME_COMMENTS, themesReport } from '../../reports/text-themes.ts';
import { sentimentQualityReport } from '../../reports/text-sentiment.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';
import { responseFilter } from './responses.ts';

/**
 * GET /api/v1/text/themes?from=&to=&kind=&language=&touchpoint=&survey=&q=&score_min=&score_max=
 * — the themes of the comments the filter matches (the same filter as /responses; at most the
 * newest 20,000 comments), each with volume, monthly trend and impact on the score with 95% CIs
 * (docs/text-analysis.md).
 * GET /api/v1/text/sentiment-quality?(same filter) — accuracy and macro-F1 of the learned sentiment
 * on the workspace's own scored comments, held-out 20%, per language, beside the baselines.
 * Any role may read.
 */
const themesQuery = z.object({
  from: text('First day, YYYY-MM-DD in the workspace’s time zone'),
  to: text('Last day, YYYY-MM-DD'),
  kind: text('Question kinds, comma-separated (nps, csat, ces, …)'),
  language: text('Languages, comma-separated'),
  touchpoint: text('Touchpoints, comma-separated'),
  survey: text('Surveys, comma-separated'),
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
  return routes;
}
