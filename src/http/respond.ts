import { createHash } from 'node:crypto';
import { checkAnswers, clean, type AnswerInput } from '../listening/answers.ts';
import { verifiedIdentity, type Identity } from '../listening/identity.ts';
import { verifyLink, type LinkClaims } from '../listening/link-token.ts';
import { pickSurveyLanguage, type Survey } from '../listening/survey.ts';
import type { Database } from '../storage/database.ts';
import { createSubmission, findSubmission, updateSubmission, type Refusal, type Respondent, type SubmissionOutcome } from '../storage/submissions.ts';
import { identitySecret, linkKey } from '../storage/surveys.ts';
import type { Workspace } from '../storage/workspaces.ts';

/**
 * One way to answer a survey, shared by the link page, the widget and the public API: verify
 * the link, check the answers, apply the contact rules, store. Returns an outcome the caller
 * turns into HTML or JSON.
 */

export type RespondError =
  | { status: 400; error: 'invalid_answers'; message: string; problems: Array<{ question: string; message: string }> }
  | { status: 403; error: 'invalid_link'; message: string }
  | { status: 404; error: 'not_found'; message: string }
  | { status: 409 | 410; error: Refusal; message: string };

export type RespondResult = { ok: true; outcome: Extract<SubmissionOutcome, { ok: true }> } | ({ ok: false } & RespondError);

/** Messages for API clients; the link page shows its own, translated, for the same codes. */
const REFUSALS: Record<Refusal, { status: 409 | 410; message: string }> = {
  link_used: { status: 409, message: 'This personal link has already been used to answer. Each link answers once.' },
  token_required: { status: 409, message: 'This survey is answered through personal links only: send the token of the link.' },
  finished: { status: 409, message: 'This response is finished and can no longer be changed.' },
  closed: { status: 410, message: 'This survey is closed and no longer takes answers.' },
  already_answered: { status: 409, message: 'This person answered this survey recently; the survey cooldown has not passed.' },
  recently_surveyed: { status: 409, message: 'This person answered another survey recently; the workspace asks each person at most once in its contact cooldown.' },
  opted_out: { status: 409, message: 'This person asked not to be surveyed.' },
  full: { status: 410, message: 'This survey has all the responses it asked for.' },
  idempotency_conflict: { status: 409, message: 'This Idempotency-Key was already used for a different request. Use a new key for a new response.' },
  not_found: { status: 409, message: 'There is no such response to this survey.' },
};

const LINK_PROBLEMS = {
  malformed: 'The survey link is damaged: open the link from the message again.',
  forged: 'The survey link is not valid for this workspace.',
  expired: 'The survey link has expired.',
  other_survey: 'The survey link belongs to another survey.',
} as const;

export const refusalError = (refusal: Refusal): RespondError => ({ error: refusal, ...REFUSALS[refusal] });

/** Workspace listening settings (workspaces.settings.listening), with their defaults. */
export function contactCooldownDays(workspace: Workspace): number {
  const value = (workspace.settings as { listening?: { contactCooldownDays?: unknown } }).listening?.contactCooldownDays;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 7;
}

/** Resolves a personal-link token into who is answering; `null` when the request carries none. */
export async function respondentFromToken(
  db: Database,
  workspace: Workspace,
  survey: Survey,
  token: string | null | undefined,
  options: { forOptOut?: boolean } = {},
): Promise<{ ok: true; respondent: Respondent; claims?: LinkClaims; profileLanguage?: string } | ({ ok: false } & RespondError)> {
  if (token === undefined || token === null || token === '') {
    if (survey.access === 'personal') return { ok: false, ...refusalError('token_required') };
    return { ok: true, respondent: {} };
  }
  // An expired link still lets its person opt out: stopping surveys must never need a fresh link.
  const check = verifyLink(await linkKey(db, workspace.id), token, survey.id, Date.now(), { ignoreExpiry: options.forOptOut });
  if (!check.ok) return { ok: false, status: 403, error: 'invalid_link', message: LINK_PROBLEMS[check.reason] };
  const { claims } = check;
  return {
    ok: true,
    claims,
    profileLanguage: claims.l ?? (await profileLanguage(db, workspace.id, survey.audience, survey.audience === 'customers' ? claims.c : claims.e)),
    respondent: {
      customerId: survey.audience === 'customers' ? claims.c : undefined,
      employeeId: survey.audience === 'employees' ? claims.e : undefined,
      orderId: claims.o,
      ticketId: claims.t,
      linkNonce: survey.limits.singleUse ? claims.n : undefined,
    },
  };
}

/** The language on the person's record (`attributes.language`, as imported), when the link names none. */
async function profileLanguage(db: Database, workspaceId: number, audience: Survey['audience'], personId: string | undefined): Promise<string | undefined> {
  if (!personId) return undefined;
  const table = audience === 'customers' ? 'customers' : 'employees';
  const [row] = await db.query<{ language: string | null }>(`SELECT attributes->>'language' AS language FROM ${table} WHERE workspace_id = $1 AND id = $2`, [workspaceId, personId]);
  return row?.language ?? undefined;
}

export interface NewAnswersRequest {
  workspace: Workspace;
  survey: Survey;
  token: string | null | undefined;
  language?: string;
  acceptLanguage?: string;
  answers: Record<string, AnswerInput>;
  complete: boolean;
  /** The questions on the page being sent (the link page's first step). */
  askedNow?: ReadonlySet<string>;
  reviewConsent?: boolean;
  idempotencyKey?: string;
  clientHash?: string;
  page?: string;
  channel: string;
  /**
   * The widget's `identify(id, hmac)`: the answer is that customer's when the HMAC verifies
   * with the workspace's identity secret, on a customers survey without a personal link;
   * otherwise it is ignored and the answer stays anonymous.
   */
  identity?: Identity;
}

/**
 * Who the widget's identity names, if anyone: a personal link names the person itself, and an
 * employees survey is not answered in a customer's name (the secret signs the site's user ids).
 */
async function identifiedRespondent(db: Database, request: NewAnswersRequest, respondent: Respondent): Promise<Respondent> {
  if (!request.identity || request.token || request.survey.audience !== 'customers' || respondent.customerId) return respondent;
  const customerId = verifiedIdentity(await identitySecret(db, request.workspace.id), request.identity);
  return customerId ? { ...respondent, customerId } : respondent;
}

const hashRequest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

export async function respond(db: Database, request: NewAnswersRequest): Promise<RespondResult> {
  const { survey, workspace } = request;
  const who = await respondentFromToken(db, workspace, survey, request.token);
  if (!who.ok) return who;
  const checked = checkAnswers(survey, request.answers, { complete: request.complete, askedNow: request.askedNow });
  if (checked.problems.length > 0) return invalid(checked.problems);
  const language = pickSurveyLanguage(survey, [request.language, who.profileLanguage], request.acceptLanguage);
  const respondent = await identifiedRespondent(db, request, who.respondent);
  const identified = respondent.customerId !== who.respondent.customerId ? [respondent.customerId] : [];
  const outcome = await createSubmission(db, workspace.id, {
    survey,
    respondent,
    language,
    channel: survey.channel ?? request.channel,
    answers: checked.answers,
    complete: request.complete,
    // Consent counts only where the survey asks for it: otherwise anyone could publish into the feed.
    reviewConsent: survey.reviewConsent ? request.reviewConsent : undefined,
    idempotencyKey: request.idempotencyKey,
    requestHash: hashRequest([survey.id, request.token ?? null, request.answers, request.complete, request.reviewConsent ?? null, ...identified]),
    clientHash: request.clientHash,
    page: clean(request.page) ?? undefined,
    contactCooldownDays: contactCooldownDays(workspace),
  });
  return outcome.ok ? { ok: true, outcome } : { ok: false, ...refusalError(outcome.refusal) };
}

export interface MoreAnswersRequest {
  workspace: Workspace;
  survey: Survey;
  submissionId: string;
  answers: Record<string, AnswerInput>;
  complete: boolean;
  reviewConsent?: boolean;
}

export async function respondMore(db: Database, request: MoreAnswersRequest): Promise<RespondResult> {
  const before = await findSubmission(db, request.workspace.id, request.submissionId);
  if (!before || before.surveyId !== request.survey.id) return { ok: false, status: 404, error: 'not_found', message: 'There is no such response to this survey.' };
  const checked = checkAnswers(request.survey, request.answers, { complete: request.complete, alreadyAnswered: new Set(before.answered) });
  if (checked.problems.length > 0) return invalid(checked.problems);
  const outcome = await updateSubmission(db, request.workspace.id, request.submissionId, {
    survey: request.survey,
    answers: checked.answers,
    complete: request.complete,
    reviewConsent: request.survey.reviewConsent ? request.reviewConsent : undefined,
    requestHash: hashRequest([request.submissionId, request.answers, request.complete, request.reviewConsent ?? null]),
  });
  if (!outcome.ok && outcome.refusal === 'not_found') return { ok: false, status: 404, error: 'not_found', message: 'There is no such response to this survey.' };
  return outcome.ok ? { ok: true, outcome } : { ok: false, ...refusalError(outcome.refusal) };
}

function invalid(problems: Array<{ question: string; message: string }>): RespondError & { ok: false } {
  return {
    ok: false,
    status: 400,
    error: 'invalid_answers',
    message: problems.map((p) => `${p.question}: ${p.message}`).join('; '),
    problems,
  };
}
