import { translator } from '../i18n/index.ts';
import { chromeLocale } from '../listening/invitation.ts';
import { signLink } from '../listening/link-token.ts';
import { pickSurveyLanguage } from '../listening/survey.ts';
import type { Database } from '../storage/database.ts';
import type { Job, JobHandler } from '../storage/jobs.ts';
import { createShortLink } from '../storage/short-links.ts';
import { findSurvey, linkKey } from '../storage/surveys.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { contactCooldownDays } from '../http/respond.ts';
import { INVITATION_LINK_DAYS, SEND_INVITATION, type InvitationPayload } from './send-invitation.ts';
import type { SmsSender } from './sms.ts';

export const SEND_SMS = 'send_sms';

/** What an event puts in a send_sms job: an invitation's payload, with the phone number. */
export type SmsPayload = InvitationPayload & { customer: InvitationPayload['customer'] & { phone?: string } };

export interface SmsDeps {
  db: Database;
  sms: SmsSender;
  publicUrl: () => string;
}

/**
 * Sends one survey invitation by SMS: the same rules as the e-mail (survey open, opt-out,
 * cooldowns, a recent invitation by either channel), to the event's phone or the customer
 * record's `attributes.phone`. The text is one sentence in the survey language and a short link
 * (`/r/<code>`, 10 characters) that redirects to the personal link (`/s/<workspace>/<survey>?t=<token>`,
 * the token naming customer, order or ticket and language): the token alone would fill an SMS.
 */
export function sendSmsHandler({ db, sms, publicUrl }: SmsDeps): JobHandler {
  return async (job: Job) => {
    const payload = job.payload as unknown as SmsPayload;
    const [workspace] = await db.query<Workspace>('SELECT id, name, timezone, settings FROM workspaces WHERE id = $1', [job.workspaceId]);
    if (!workspace) return { status: 'skipped', result: 'workspace_not_found' };
    const stored = await findSurvey(db, workspace.id, payload.survey, { fresh: true });
    if (!stored) return { status: 'skipped', result: `survey_not_found: ${payload.survey}` };
    if (stored.status === 'closed') return { status: 'skipped', result: 'survey_closed' };
    const survey = stored.survey;
    const [record] = await db.query<{ phone: string | null; language: string | null }>(
      `SELECT attributes->>'phone' AS phone, attributes->>'language' AS language FROM customers WHERE workspace_id = $1 AND id = $2`,
      [workspace.id, payload.customer.id],
    );
    const phone = payload.customer.phone ?? record?.phone ?? undefined;
    if (!phone) return { status: 'skipped', result: 'no_phone: the event and the customer record carry no phone number' };
    const cooldown = contactCooldownDays(workspace);
    const [state] = await db.query<{ opted_out: boolean; same: boolean; other: boolean; invited: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM survey_opt_outs WHERE workspace_id = $1 AND person_kind = 'customer' AND person_id = $2) AS opted_out,
         EXISTS (SELECT 1 FROM submissions WHERE workspace_id = $1 AND customer_id = $2 AND survey_id = $3 AND started_at > now() - make_interval(days => $4)) AS same,
         EXISTS (SELECT 1 FROM submissions WHERE workspace_id = $1 AND customer_id = $2 AND survey_id <> $3 AND started_at > now() - make_interval(days => $5)) AS other,
         EXISTS (SELECT 1 FROM jobs WHERE workspace_id = $1 AND kind = ANY ($6::text[]) AND status = 'done' AND subject_id = $2
                   AND finished_at > now() - make_interval(days => $5) AND NOT (id = $7)) AS invited`,
      [workspace.id, payload.customer.id, survey.id, survey.limits.cooldownDays, cooldown, [SEND_INVITATION, SEND_SMS], job.id],
    );
    if (state?.opted_out) return { status: 'skipped', result: 'opted_out: the customer asked not to be surveyed' };
    if (state?.same) return { status: 'skipped', result: `already_answered: answered this survey within its ${survey.limits.cooldownDays}-day cooldown` };
    if (state?.other) return { status: 'skipped', result: `recently_surveyed: answered a survey within the workspace's ${cooldown}-day contact cooldown` };
    if (state?.invited) return { status: 'skipped', result: `recently_invited: sent an invitation within the workspace's ${cooldown}-day contact cooldown` };

    const language = pickSurveyLanguage(survey, [payload.customer.language, record?.language ?? undefined]);
    const token = signLink(await linkKey(db, workspace.id), {
      survey: survey.id, customer: payload.customer.id, order: payload.order, ticket: payload.ticket, language, validForSeconds: INVITATION_LINK_DAYS * 86_400,
    });
    const personal = `/s/${encodeURIComponent(workspace.name)}/${encodeURIComponent(survey.id)}?t=${encodeURIComponent(token)}`;
    const code = await createShortLink(db, workspace.id, personal, new Date(Date.now() + INVITATION_LINK_DAYS * 86_400_000));
    const link = `${publicUrl()}/r/${code}`;
    const text = `${translator(chromeLocale(language))('invite.intro')} ${link}`;
    const sent = await sms.send(phone, text);
    return { status: 'done', result: `sent: ${sent.status}` };
  };
}
