import { composeInvitation } from '../listening/invitation.ts';
import { signLink } from '../listening/link-token.ts';
import { pickSurveyLanguage } from '../listening/survey.ts';
import type { Database } from '../storage/database.ts';
import type { Job, JobHandler } from '../storage/jobs.ts';
import { findSurvey, linkKey } from '../storage/surveys.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { contactCooldownDays } from '../http/respond.ts';
import type { Mailer } from './mailer.ts';

export const SEND_INVITATION = 'send_invitation';

/** What an event puts in a send_invitation job (routes/events.ts). */
export interface InvitationPayload {
  event: string;
  eventType: string;
  survey: string;
  customer: { id: string; email?: string; name?: string; language?: string; phone?: string };
  order?: string;
  ticket?: string;
}

/** Personal links in invitations stay valid 30 days. */
export const INVITATION_LINK_DAYS = 30;

export interface InvitationDeps {
  db: Database;
  mailer: Mailer;
  /** Where respondents reach the server (SADA_PUBLIC_URL, else the server's own address). */
  publicUrl: () => string;
}

/**
 * Sends one survey invitation: the survey must be open, the person must have an e-mail address
 * (from the event, else the customer record), must not have opted out, and must not have been
 * surveyed or invited within the cooldowns (docs/surveys.md); otherwise the job is skipped with
 * the reason. A send that fails throws, so the queue retries it with backoff.
 */
export function sendInvitationHandler({ db, mailer, publicUrl }: InvitationDeps): JobHandler {
  return async (job: Job) => {
    const payload = job.payload as unknown as InvitationPayload;
    const [workspace] = await db.query<Workspace>('SELECT id, name, timezone, settings FROM workspaces WHERE id = $1', [job.workspaceId]);
    if (!workspace) return { status: 'skipped', result: 'workspace_not_found' };
    const stored = await findSurvey(db, workspace.id, payload.survey, { fresh: true });
    if (!stored) return { status: 'skipped', result: `survey_not_found: ${payload.survey}` };
    const survey = stored.survey;
    if (stored.status === 'closed') return { status: 'skipped', result: 'survey_closed' };

    const [record] = await db.query<{ email: string | null; name: string | null; language: string | null }>(
      `SELECT email, name, attributes->>'language' AS language FROM customers WHERE workspace_id = $1 AND id = $2`,
      [workspace.id, payload.customer.id],
    );
    const email = payload.customer.email ?? record?.email ?? undefined;
    if (!email) return { status: 'skipped', result: 'no_email: the event and the customer record carry no e-mail address' };

    const cooldown = contactCooldownDays(workspace);
    const [state] = await db.query<{ opted_out: boolean; same: boolean; other: boolean; invited: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM survey_opt_outs WHERE workspace_id = $1 AND person_kind = 'customer' AND person_id = $2) AS opted_out,
         EXISTS (SELECT 1 FROM submissions WHERE workspace_id = $1 AND customer_id = $2 AND survey_id = $3
                   AND started_at > now() - make_interval(days => $4)) AS same,
         EXISTS (SELECT 1 FROM submissions WHERE workspace_id = $1 AND customer_id = $2 AND survey_id <> $3
                   AND started_at > now() - make_interval(days => $5)) AS other,
         EXISTS (SELECT 1 FROM jobs WHERE workspace_id = $1 AND kind = $6 AND status = 'done' AND subject_id = $2
                   AND finished_at > now() - make_interval(days => $5) AND NOT (id = $7)) AS invited`,
      [workspace.id, payload.customer.id, survey.id, survey.limits.cooldownDays, cooldown, SEND_INVITATION, job.id],
    );
    if (state?.opted_out) return { status: 'skipped', result: 'opted_out: the customer asked not to be surveyed' };
    if (state?.same) return { status: 'skipped', result: `already_answered: answered this survey within its ${survey.limits.cooldownDays}-day cooldown` };
    if (state?.other) return { status: 'skipped', result: `recently_surveyed: answered a survey within the workspace's ${cooldown}-day contact cooldown` };
    if (state?.invited) return { status: 'skipped', result: `recently_invited: sent an invitation within the workspace's ${cooldown}-day contact cooldown` };

    const language = pickSurveyLanguage(survey, [payload.customer.language, record?.language ?? undefined]);
    const token = signLink(await linkKey(db, workspace.id), {
      survey: survey.id,
      customer: payload.customer.id,
      order: payload.order,
      ticket: payload.ticket,
      language,
      validForSeconds: INVITATION_LINK_DAYS * 86_400,
    });
    const link = `${publicUrl()}/s/${encodeURIComponent(workspace.name)}/${encodeURIComponent(survey.id)}?lang=${encodeURIComponent(language)}&t=${encodeURIComponent(token)}`;
    const mail = composeInvitation({ survey, language, name: payload.customer.name ?? record?.name ?? undefined, link });
    const sent = await mailer.send({ to: email, subject: mail.subject, html: mail.html, text: mail.text });
    return { status: 'done', result: `sent ${sent.messageId}`.trim() };
  };
}
