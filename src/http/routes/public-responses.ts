import { evaluateAlertsAfterAnswer } from '../../storage/alerts.ts';
import { queueSentimentAfterAnswer } from '../../storage/text-sentiment.ts';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { answerSchema } from '../../listening/answers.ts';
import { scoringSettingsOf } from '../../metrics/scoring.ts';
import { MAX_IDENTITY_HMAC, MAX_IDENTITY_ID } from '../../listening/identity.ts';
import { followUpFor, localizeSurvey } from '../../listening/localize.ts';
import { pickSurveyLanguage, textIn, type Survey } from '../../listening/survey.ts';
import type { Database } from '../../storage/database.ts';
import { newSubmissionId, type SubmissionState } from '../../storage/submissions.ts';
import { findSurvey } from '../../storage/surveys.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import type { WorkspaceCache } from '../workspace-cache.ts';
import { negotiateLocale } from '../../i18n/index.ts';
import { readJsonBody } from '../json-body.ts';
import { reviewsPage } from '../pages/reviews.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import type { PublicGuard } from '../public-guard.ts';
import { respond, respondMore, type RespondResult } from '../respond.ts';
import { listPublicReviews } from '../../storage/reviews.ts';

/**
 * The public listening API: no authentication (respondents have no account), so every request
 * is size-limited, validated, rate-limited per workspace and client, and answered only after
 * the answer is committed. CORS is open: the widget calls it from the business's own site.
 */

export const PUBLIC_BODY_LIMIT = 32 * 1024;

const SLUG = z.string().min(1).max(63);
const answers = z
  .record(z.string().max(63), answerSchema)
  .refine((value) => Object.keys(value).length <= 10, 'at most 10 answers in one request');

/** An answer with an open-text comment or text: sentiment has something new to score. */
const hasText = (given: Record<string, { text?: string; comment?: string }>) => Object.values(given).some((a) => Boolean(a.text?.trim() || a.comment?.trim()));

export const newResponseBody = z.object({
  workspace: SLUG.optional(),
  survey: SLUG,
  /** The personal link's token; who is answering comes from it (or a verified identity), never from other fields. */
  token: z.string().max(2048).nullable().optional(),
  language: z.string().max(35).optional(),
  answers,
  complete: z.boolean().default(true),
  reviewConsent: z.boolean().optional(),
  page: z.string().max(2000).optional(),
  /**
   * The widget's identify(id, hmac). Trusted only when the HMAC verifies (respond.ts); an
   * identity of the wrong shape is dropped like one that does not verify: the answer is kept,
   * anonymous, rather than refused for what the page passed to identify().
   */
  identity: z
    .object({ id: z.string().min(1).max(MAX_IDENTITY_ID), hmac: z.string().max(MAX_IDENTITY_HMAC) })
    .optional()
    .catch(undefined),
  /** Honeypot: a field people never see; bots fill it. */
  website: z.unknown().optional(),
});

export const moreAnswersBody = z.object({
  workspace: SLUG.optional(),
  survey: SLUG,
  answers: answers.default({}),
  complete: z.boolean().default(true),
  reviewConsent: z.boolean().optional(),
  website: z.unknown().optional(),
});

export interface PublicRoutesOptions {
  db: Database;
  defaultWorkspace: string;
  guard: PublicGuard;
  workspaces: WorkspaceCache;
}

type Problem = { status: 400 | 403 | 404 | 409 | 410 | 413 | 429; error: string; message: string; [extra: string]: unknown };
const problem = (c: Context, p: Problem, headers?: Record<string, string>) => c.json(p, p.status, headers);

const optional = (description: string) => z.string().describe(description).optional();
const surveyQuery = z.object({ workspace: optional('The workspace; default the server’s'), lang: optional('Language of the texts; default from Accept-Language') });
const reviewsQuery = z.object({
  workspace: optional('The workspace; default the server’s'),
  survey: optional('Only this survey’s reviews'),
  lang: optional('Only reviews in this language'),
  limit: optional('1 to 100; default 20'),
  format: optional('json (default) or html, a page to embed'),
  ui: optional('Language of the html page’s own words; default lang'),
});
apiOperation({ method: 'get', path: '/api/v1/public/surveys/{survey}', tag: 'public', role: 'public', summary: 'A survey’s texts in the respondent’s language', query: surveyQuery, responses: { 200: 'The survey', 404: 'No such survey', 410: 'The survey is closed' } });
apiOperation({ method: 'get', path: '/api/v1/public/reviews', tag: 'public', role: 'public', summary: 'Published reviews (with consent)', query: reviewsQuery, responses: { 200: 'Reviews', 404: 'No such workspace' } });

export function publicRoutes({ db, defaultWorkspace, guard, workspaces }: PublicRoutesOptions): Hono {
  const routes = new Hono();
  routes.use('*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'], allowHeaders: ['Content-Type', 'Idempotency-Key'], exposeHeaders: ['Retry-After', 'Idempotent-Replayed'], maxAge: 600 }));

  async function target(c: Context, workspaceName: string | undefined, surveyId: string): Promise<{ workspace: Workspace; survey: Survey } | Response> {
    const name = workspaceName ?? defaultWorkspace;
    const workspace = await workspaces.find(name);
    const stored = workspace && (await findSurvey(db, workspace.id, surveyId));
    if (!workspace || !stored) return problem(c, { status: 404, error: 'not_found', message: `There is no survey "${surveyId}" in workspace "${name}".` });
    return { workspace, survey: stored.survey };
  }

  async function readBody<T extends z.ZodTypeAny>(c: Context, schema: T): Promise<z.infer<T> | Response> {
    if (!(c.req.header('content-type') ?? '').includes('application/json')) {
      return problem(c, { status: 400, error: 'bad_request', message: 'Send the answers as JSON with Content-Type: application/json.' });
    }
    const body = await readJsonBody(c, PUBLIC_BODY_LIMIT);
    if (!body.ok) return problem(c, { status: body.status, error: body.status === 413 ? 'too_large' : 'bad_request', message: body.message });
    const parsed = schema.safeParse(body.value);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
      return problem(c, { status: 400, error: 'bad_request', message: issues.join('; ') });
    }
    return parsed.data;
  }

  const idempotencyKey = (c: Context) => {
    const key = c.req.header('idempotency-key');
    return key && key.length >= 16 && key.length <= 200 ? key : undefined;
  };

  routes.post('/responses', async (c) => {
    const body = await readBody(c, newResponseBody);
    if (body instanceof Response) return body;
    if (c.req.header('idempotency-key') && !idempotencyKey(c)) return problem(c, { status: 400, error: 'bad_request', message: 'An Idempotency-Key is 16 to 200 characters: a random UUID per response is a good one (a short key could be guessed, and a replay returns the response it made).' });
    const found = await target(c, body.workspace, body.survey);
    if (found instanceof Response) return found;
    const verdict = await guard.admit(c, found.workspace, found.survey.id);
    if (!verdict.allowed) return problem(c, { status: 429, error: 'rate_limited', message: verdict.message }, { 'Retry-After': String(verdict.retryAfterSeconds) });
    if (body.website !== undefined && body.website !== '') return c.json(decoy(found.survey), 201); // a bot: thank it, keep nothing
    const result = await respond(db, {
      workspace: found.workspace,
      survey: found.survey,
      token: body.token,
      language: body.language,
      acceptLanguage: c.req.header('accept-language'),
      answers: body.answers,
      complete: body.complete,
      reviewConsent: body.reviewConsent,
      idempotencyKey: idempotencyKey(c),
      clientHash: verdict.clientHash,
      page: body.page,
      channel: 'web',
      identity: body.identity,
    });
    if (result.ok) await evaluateAlertsAfterAnswer(db, found.workspace.id); // answer rules (docs/alerts.md)
    if (result.ok && hasText(body.answers)) await queueSentimentAfterAnswer(db, found.workspace.id); // docs/text-analysis.md
    return answer(c, found.workspace, found.survey, result);
  });

  routes.patch('/responses/:id', async (c) => {
    const body = await readBody(c, moreAnswersBody);
    if (body instanceof Response) return body;
    const found = await target(c, body.workspace, body.survey);
    if (found instanceof Response) return found;
    const verdict = await guard.admit(c, found.workspace, found.survey.id);
    if (!verdict.allowed) return problem(c, { status: 429, error: 'rate_limited', message: verdict.message }, { 'Retry-After': String(verdict.retryAfterSeconds) });
    if (body.website !== undefined && body.website !== '') return c.json(decoy(found.survey), 200);
    const result = await respondMore(db, { workspace: found.workspace, survey: found.survey, submissionId: c.req.param('id').slice(0, 64), answers: body.answers, complete: body.complete, reviewConsent: body.reviewConsent });
    if (result.ok) await evaluateAlertsAfterAnswer(db, found.workspace.id);
    if (result.ok && hasText(body.answers)) await queueSentimentAfterAnswer(db, found.workspace.id);
    return answer(c, found.workspace, found.survey, result);
  });

  routes.get('/surveys/:survey', async (c) => {
    const query = parseQuery(c, surveyQuery);
    const found = await target(c, query.workspace, c.req.param('survey'));
    if (found instanceof Response) return found;
    if (found.survey.status === 'closed') return problem(c, { status: 410, error: 'closed', message: 'This survey is closed and no longer takes answers.' });
    const language = pickSurveyLanguage(found.survey, [query.lang], c.req.header('accept-language'));
    c.header('Cache-Control', 'public, max-age=60');
    c.header('Vary', 'Accept-Language');
    return c.json(localizeSurvey(found.survey, language));
  });

  routes.get('/reviews', async (c) => {
    const query = parseQuery(c, reviewsQuery);
    const name = query.workspace ?? defaultWorkspace;
    const workspace = await workspaces.find(name);
    if (!workspace) return problem(c, { status: 404, error: 'not_found', message: `There is no workspace "${name}".` });
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 20) || 20));
    c.header('Cache-Control', 'public, max-age=300');
    const reviews = await listPublicReviews(db, workspace.id, { surveyId: query.survey, language: query.lang, limit });
    if (query.format === 'html') {
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'");
      return c.html(reviewsPage(negotiateLocale(query.ui ?? query.lang, c.req.header('accept-language')), reviews));
    }
    return c.json({ reviews });
  });

  return routes;
}

/** The JSON a respondent's client gets back: where the response stands and what to show next. */
export function responseBody(workspace: Workspace, survey: Survey, state: SubmissionState) {
  const followUp: Record<string, string> = {};
  const scoring = scoringSettingsOf(workspace.settings);
  for (const [question, score] of Object.entries(state.scores)) {
    const text = followUpFor(survey, question, score, state.language, scoring);
    if (text) followUp[question] = text;
  }
  return {
    id: state.id,
    survey: survey.id,
    language: state.language,
    completed: state.completed,
    answered: state.answered,
    followUp,
    thankYou: state.completed && survey.thankYou ? textIn(survey.thankYou, state.language, survey.defaultLanguage) : null,
    incentive: state.completed && survey.incentive && state.coupon ? { text: textIn(survey.incentive.text, state.language, survey.defaultLanguage), code: state.coupon } : null,
  };
}

function answer(c: Context, workspace: Workspace, survey: Survey, result: RespondResult) {
  if (!result.ok) {
    const { ok: _ok, ...rest } = result;
    return problem(c, rest);
  }
  const { state, created, replayed } = result.outcome;
  if (replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(responseBody(workspace, survey, state), created ? 201 : 200);
}

/** What a bot that filled the honeypot sees: a plausible success, with nothing stored. */
function decoy(survey: Survey) {
  return { id: newSubmissionId(), survey: survey.id, language: survey.defaultLanguage, completed: true, answered: [], followUp: {}, thankYou: null, incentive: null };
}
