import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { negotiateLocale, type MessageKey } from '../../i18n/index.ts';
import type { AnswerInput } from '../../listening/answers.ts';
import { followUpFor, localizeSurvey, type QuestionView } from '../../listening/localize.ts';
import { scoringSettingsOf } from '../../metrics/scoring.ts';
import { qrSvg } from '../../listening/qr.ts';
import { isScored, pickSurveyLanguage, textIn, type Survey } from '../../listening/survey.ts';
import { findSubmission, findSubmissionByLink, optOut, type Refusal, type SubmissionState } from '../../storage/submissions.ts';
import { findSurvey } from '../../storage/surveys.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import type { WorkspaceCache } from '../workspace-cache.ts';
import { chromeFor, messagePage, surveyStepPage, thankYouPage, type FormValues } from '../pages/survey.ts';
import type { PublicGuard } from '../public-guard.ts';
import { respond, respondentFromToken, respondMore, type RespondError } from '../respond.ts';
import { PUBLIC_BODY_LIMIT, type PublicRoutesOptions } from './public-responses.ts';

/**
 * The link page, /s/<survey> (default workspace) and /s/<workspace>/<survey>: step one asks the
 * first question (the score), step two the "why?" worded by that score and the rest, then a
 * thank-you with the incentive. Plain forms and redirects (POST → 303 → GET), so it works
 * without JavaScript and a reload never submits twice.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

const REFUSAL_MESSAGES: Record<Refusal | 'invalid_link' | 'not_found' | 'rate_limited', MessageKey> = {
  link_used: 'survey.alreadyAnswered',
  finished: 'survey.alreadyAnswered',
  already_answered: 'survey.alreadyAnswered',
  token_required: 'survey.tokenRequired',
  closed: 'survey.closed',
  recently_surveyed: 'survey.recentlySurveyed',
  opted_out: 'survey.optedOut',
  full: 'survey.full',
  idempotency_conflict: 'survey.somethingWrong',
  not_found: 'survey.notFound',
  invalid_link: 'survey.invalidLink',
  rate_limited: 'survey.rateLimited',
};

/** Step one: the first question (or every question when the first is not a score). Also the builder's preview. */
export const firstStep = (survey: Survey): string[] => (survey.questions[0] && isScored(survey.questions[0]) ? [survey.questions[0].id] : survey.questions.map((q) => q.id));
/** Whether anything is left after step one: a follow-up, more questions, the review consent. */
export const hasSecondStep = (survey: Survey): boolean =>
  survey.questions.length > firstStep(survey).length || Boolean(survey.reviewConsent) || survey.questions.some((q) => isScored(q) && q.followUp && firstStep(survey).includes(q.id));

interface Target {
  workspace: Workspace;
  survey: Survey;
  base: string;
}

export interface SurveyPageOptions extends PublicRoutesOptions {
  /** The address respondents reach the server at (SADA_PUBLIC_URL); else the request's origin. */
  publicUrl?: string;
}

export function surveyPageRoutes({ db, defaultWorkspace, guard, workspaces, publicUrl }: SurveyPageOptions): Hono {
  const routes = new Hono();
  routes.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
  });
  routes.use('*', bodyLimit({ maxSize: PUBLIC_BODY_LIMIT, onError: (c) => c.text('The form is too large.', 413) }));

  const fallbackLanguage = (c: Context) => negotiateLocale(c.req.query('lang'), c.req.header('accept-language'));
  const message = (c: Context, language: string, key: MessageKey, status: 200 | 400 | 403 | 404 | 409 | 410 | 429) =>
    c.html(messagePage(language, chromeFor(language)(key)), status);

  async function resolve(c: Context, workspaceName: string, surveyId: string): Promise<Target | Response> {
    const workspace = await workspaces.find(workspaceName);
    const stored = workspace && (await findSurvey(db, workspace.id, surveyId));
    if (!workspace || !stored) return message(c, fallbackLanguage(c), 'survey.notFound', 404);
    return { workspace, survey: stored.survey, base: `/s/${encodeURIComponent(workspace.name)}/${encodeURIComponent(stored.survey.id)}` };
  }

  const refusal = (c: Context, language: string, error: RespondError) =>
    message(c, language, REFUSAL_MESSAGES[error.error as keyof typeof REFUSAL_MESSAGES] ?? 'survey.somethingWrong', error.status);

  function renderFirstStep(c: Context, target: Target, language: string, options: { token?: string; key?: string; errors?: Record<string, string>; values?: FormValues; status?: 200 | 400 }) {
    const view = localizeSurvey(target.survey, language);
    const ids = new Set(firstStep(target.survey));
    const query = (l: string) => `?lang=${encodeURIComponent(l)}${options.token ? `&t=${encodeURIComponent(options.token)}` : ''}`;
    return c.html(
      surveyStepPage({
        view,
        questions: view.questions.filter((q) => ids.has(q.id)),
        followUps: [],
        action: `${target.base}?lang=${encodeURIComponent(language)}`,
        hidden: { t: options.token, k: options.key ?? randomBytes(16).toString('base64url'), lang: language },
        final: !hasSecondStep(target.survey),
        showReviewConsent: false,
        errors: options.errors ?? {},
        values: options.values ?? {},
        optOut: options.token ? { action: `${target.base}/opt-out?lang=${encodeURIComponent(language)}`, token: options.token } : undefined,
        hrefForLanguage: query,
      }),
      options.status ?? 200,
    );
  }

  function renderSecondStep(c: Context, target: Target, state: SubmissionState, language: string, options: { errors?: Record<string, string>; values?: FormValues; status?: 200 | 400 } = {}) {
    const view = localizeSurvey(target.survey, language);
    const first = new Set(firstStep(target.survey));
    const followUps = Object.entries(state.scores).flatMap(([questionId, score]) => {
      const text = followUpFor(target.survey, questionId, score, language, scoringSettingsOf(target.workspace.settings));
      return text ? [{ questionId, text }] : [];
    });
    const questions = view.questions.filter((q) => !first.has(q.id) && !state.answered.includes(q.id));
    return c.html(
      surveyStepPage({
        view,
        questions,
        followUps,
        action: `${target.base}/r/${state.id}?lang=${encodeURIComponent(language)}`,
        hidden: { lang: language },
        final: true,
        showReviewConsent: true,
        errors: options.errors ?? {},
        values: options.values ?? {},
        hrefForLanguage: (l) => `?lang=${encodeURIComponent(l)}`,
      }),
      options.status ?? 200,
    );
  }

  function renderThanks(c: Context, target: Target, state: SubmissionState, language: string) {
    const { survey } = target;
    const incentive = survey.incentive && state.coupon ? { text: textIn(survey.incentive.text, language, survey.defaultLanguage), code: state.coupon } : null;
    return c.html(thankYouPage(localizeSurvey(survey, language), incentive));
  }

  async function showStart(c: Context, workspaceName: string, surveyId: string) {
    const target = await resolve(c, workspaceName, surveyId);
    if (target instanceof Response) return target;
    const token = c.req.query('t') || undefined;
    const who = await respondentFromToken(db, target.workspace, target.survey, token);
    const language = pickSurveyLanguage(target.survey, [c.req.query('lang'), who.ok ? who.profileLanguage : undefined], c.req.header('accept-language'));
    if (target.survey.status === 'closed') return message(c, language, 'survey.closed', 410);
    if (!who.ok) return refusal(c, language, who);
    if (who.respondent.linkNonce) {
      const earlier = await findSubmissionByLink(db, target.workspace.id, target.survey.id, who.respondent.linkNonce);
      if (earlier?.completed) return message(c, language, 'survey.alreadyAnswered', 200);
      if (earlier) return c.redirect(`${target.base}/r/${earlier.id}?lang=${encodeURIComponent(language)}`, 303);
    }
    // ?score=N (the score links of an invitation e-mail) preselects that score; nothing is stored
    // until the respondent presses Next, so a mail scanner opening the link answers nothing.
    const score = c.req.query('score');
    const first = target.survey.questions[0];
    const values: FormValues = first && isScored(first) && score && /^-?\d{1,3}$/.test(score) ? { [`q.${first.id}.score`]: String(Number(score)) } : {};
    return renderFirstStep(c, target, language, { token, values });
  }

  async function submitStart(c: Context, workspaceName: string, surveyId: string) {
    const target = await resolve(c, workspaceName, surveyId);
    if (target instanceof Response) return target;
    const form = await formOf(c);
    const language = pickSurveyLanguage(target.survey, [form.lang, c.req.query('lang')], c.req.header('accept-language'));
    const verdict = await guard.admit(c, target.workspace, target.survey.id);
    if (!verdict.allowed) return message(c, language, 'survey.rateLimited', 429);
    if (form.website) return c.html(thankYouPage(localizeSurvey(target.survey, language), null));
    const step = new Set(firstStep(target.survey));
    const answers = answersFrom(form, step);
    const complete = !hasSecondStep(target.survey);
    const result = await respond(db, {
      workspace: target.workspace,
      survey: target.survey,
      token: form.t,
      language,
      answers,
      complete,
      askedNow: step,
      idempotencyKey: form.k ? `form:${form.k.slice(0, 64)}` : undefined,
      clientHash: verdict.clientHash,
      channel: 'web',
    });
    if (!result.ok) {
      if (result.status === 400) {
        return renderFirstStep(c, target, language, { token: form.t, key: form.k, errors: pageErrors(target.survey, result, language), values: form, status: 400 });
      }
      return refusal(c, language, result);
    }
    return c.redirect(`${target.base}/r/${result.outcome.state.id}?lang=${encodeURIComponent(language)}`, 303);
  }

  routes.get('/:survey', (c) => showStart(c, defaultWorkspace, c.req.param('survey')));
  routes.post('/:survey', (c) => submitStart(c, defaultWorkspace, c.req.param('survey')));
  routes.get('/:workspace/:survey', (c) => showStart(c, c.req.param('workspace'), c.req.param('survey')));
  routes.post('/:workspace/:survey', (c) => submitStart(c, c.req.param('workspace'), c.req.param('survey')));

  /**
   * The link page's address as a QR code, to print for a shop counter or a receipt. A personal
   * survey has none: one printed code is shared by everyone, and a personal link names one person.
   */
  routes.get('/:workspace/:survey/qr.svg', async (c) => {
    const target = await resolve(c, c.req.param('workspace'), c.req.param('survey'));
    if (target instanceof Response) return target;
    if (target.survey.access === 'personal') {
      const language = pickSurveyLanguage(target.survey, [c.req.query('lang')], c.req.header('accept-language'));
      return message(c, language, 'survey.qrPersonal', 409);
    }
    const svg = await qrSvg(`${publicUrl ?? new URL(c.req.url).origin}${target.base}`);
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml' });
  });

  routes.post('/:workspace/:survey/opt-out', async (c) => {
    const target = await resolve(c, c.req.param('workspace'), c.req.param('survey'));
    if (target instanceof Response) return target;
    const form = await formOf(c);
    const language = pickSurveyLanguage(target.survey, [c.req.query('lang')], c.req.header('accept-language'));
    const who = await respondentFromToken(db, target.workspace, target.survey, form.t || null, { forOptOut: true });
    const person = who.ok ? (who.respondent.customerId ? { kind: 'customer' as const, id: who.respondent.customerId } : who.respondent.employeeId ? { kind: 'employee' as const, id: who.respondent.employeeId } : undefined) : undefined;
    if (!person) return message(c, language, 'survey.invalidLink', 403);
    await optOut(db, target.workspace.id, person);
    return message(c, language, 'survey.optOutDone', 200);
  });

  routes.get('/:workspace/:survey/r/:id', async (c) => {
    const target = await resolve(c, c.req.param('workspace'), c.req.param('survey'));
    if (target instanceof Response) return target;
    const state = await findSubmission(db, target.workspace.id, c.req.param('id').slice(0, 64));
    if (!state || state.surveyId !== target.survey.id) return message(c, fallbackLanguage(c), 'survey.notFound', 404);
    const language = pickSurveyLanguage(target.survey, [c.req.query('lang'), state.language]);
    if (state.completed) return renderThanks(c, target, state, language);
    if (target.survey.status === 'closed') return message(c, language, 'survey.closed', 410);
    return renderSecondStep(c, target, state, language);
  });

  routes.post('/:workspace/:survey/r/:id', async (c) => {
    const target = await resolve(c, c.req.param('workspace'), c.req.param('survey'));
    if (target instanceof Response) return target;
    const id = c.req.param('id').slice(0, 64);
    const form = await formOf(c);
    const before = await findSubmission(db, target.workspace.id, id);
    if (!before || before.surveyId !== target.survey.id) return message(c, fallbackLanguage(c), 'survey.notFound', 404);
    const language = pickSurveyLanguage(target.survey, [form.lang, before.language]);
    const verdict = await guard.admit(c, target.workspace, target.survey.id);
    if (!verdict.allowed) return message(c, language, 'survey.rateLimited', 429);
    const after = `${target.base}/r/${id}?lang=${encodeURIComponent(language)}`;
    if (before.completed) return c.redirect(after, 303);
    const answers = answersFrom(form, new Set(target.survey.questions.map((q) => q.id)));
    const result = await respondMore(db, { workspace: target.workspace, survey: target.survey, submissionId: id, answers, complete: true, reviewConsent: form.review_consent === 'yes' ? true : undefined });
    if (!result.ok) {
      if (result.status === 400) return renderSecondStep(c, target, before, language, { errors: pageErrors(target.survey, result, language), values: form, status: 400 });
      return refusal(c, language, result);
    }
    return c.redirect(after, 303);
  });

  return routes;
}

async function formOf(c: Context): Promise<Record<string, string | undefined>> {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const form: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') form[key] = value;
  return form;
}

const FIELD = /^q\.([a-z0-9][a-z0-9._-]{0,62})\.(score|choice|other|text|comment)$/;

/** Form fields q.<question>.<part> into answers, for the questions on this step only. */
function answersFrom(form: Record<string, string | undefined>, questions: ReadonlySet<string>): Record<string, AnswerInput> {
  const answers: Record<string, AnswerInput> = {};
  for (const [name, value] of Object.entries(form)) {
    const match = FIELD.exec(name);
    if (!match || value === undefined || value.trim() === '' || !questions.has(match[1]!)) continue;
    const answer = (answers[match[1]!] ??= {});
    const part = match[2] as keyof AnswerInput;
    if (part === 'score') answer.score = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    else answer[part] = value;
  }
  return answers;
}

/** The API's problems, as messages a respondent reads in their language. */
function pageErrors(survey: Survey, error: RespondError, language: string): Record<string, string> {
  if (error.status !== 400) return {};
  const t = chromeFor(language);
  const number = new Intl.NumberFormat(language);
  const errors: Record<string, string> = {};
  for (const p of error.problems) {
    const q: QuestionView | undefined = localizeSurvey(survey, language).questions.find((candidate) => candidate.id === p.question);
    if (!q) continue;
    errors[q.id] = q.scale ? t('survey.chooseScore', { min: number.format(q.scale.min), max: number.format(q.scale.max) }) : q.choices ? t('survey.chooseOption') : t('survey.errorSummary');
  }
  return errors;
}
