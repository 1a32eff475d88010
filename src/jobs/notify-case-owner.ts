import { escapeHtml } from '../alerts/message.ts';
import { isLocale, translator, type Locale } from '../i18n/index.ts';
import { findCase, type CaseSummary } from '../storage/cases.ts';
import type { Database } from '../storage/database.ts';
import type { Job, JobHandler, NewJob } from '../storage/jobs.ts';
import type { Mail, Mailer } from './mailer.ts';

/**
 * The e-mail to a case's new owner (docs/cases.md): enqueued in the transaction that assigned the
 * case (PATCH /api/v1/cases/{id} giving it to someone else than the person assigning), sent by
 * the job worker in the owner's language. When the case has changed hands again before the job
 * runs, nothing is sent. Without SMTP the job waits and is retried, like invitations.
 */

export const NOTIFY_CASE_OWNER = 'notify_case_owner';

export function caseOwnerJob(caseId: number, ownerUserId: number): NewJob {
  return { kind: NOTIFY_CASE_OWNER, payload: { case: caseId, owner: ownerUserId }, maxAttempts: 8 };
}

/** Subject, HTML and text of the message, every value from the data escaped for HTML. */
export function caseOwnerMail(locale: Locale, c: CaseSummary, link: string): Omit<Mail, 'to'> {
  const t = translator(locale);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const customer = c.customer ? c.customer.name || c.customer.email || c.customer.id : t('case.mail.anonymous');
  const values = {
    id: String(c.id),
    kind: c.answer.kind.toUpperCase(),
    score: number.format(c.answer.score),
    min: number.format(c.answer.scaleMin),
    max: number.format(c.answer.scaleMax),
    customer,
    due: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(c.dueAt)),
  };
  const subject = t('case.mail.subject', values);
  const lines = [t('case.mail.assigned', values), t('case.mail.answer', values), t('case.mail.due', values)];
  const comment = c.answer.comment ? t('case.mail.comment', { comment: c.answer.comment }) : null;
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  const html = `<!doctype html><html lang="${locale}" dir="${dir}"><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${
    comment ? `<blockquote dir="auto">${escapeHtml(comment)}</blockquote>` : ''
  }<p><a href="${escapeHtml(link)}">${escapeHtml(t('case.mail.open'))}</a></p></body></html>`;
  const text = [...lines, ...(comment ? [comment] : []), `${t('case.mail.open')}: ${link}`].join('\n\n');
  return { subject, html, text };
}

export function notifyCaseOwnerHandler({ db, mailer, publicUrl }: { db: Database; mailer: Mailer; publicUrl: () => string }): JobHandler {
  return async (job: Job) => {
    const caseId = Number((job.payload as { case?: unknown }).case);
    const ownerId = Number((job.payload as { owner?: unknown }).owner);
    const found = await findCase(db, job.workspaceId, caseId);
    if (!found) return { status: 'skipped', result: 'case_not_found' };
    if (found.owner?.id !== ownerId) return { status: 'skipped', result: 'reassigned: the case has another owner now' };
    const [user] = await db.query<{ email: string; locale: string }>('SELECT email, locale FROM users WHERE id = $1', [ownerId]);
    const [workspace] = await db.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [job.workspaceId]);
    if (!user || !workspace) return { status: 'skipped', result: 'owner_not_found' };
    const locale: Locale = isLocale(user.locale) ? user.locale : 'en';
    const link = `${publicUrl().replace(/\/$/, '')}/cases?workspace=${encodeURIComponent(workspace.name)}&id=${caseId}`;
    const sent = await mailer.send({ to: user.email, ...caseOwnerMail(locale, found, link) });
    return { status: 'done', result: `sent ${sent.messageId}` };
  };
}
