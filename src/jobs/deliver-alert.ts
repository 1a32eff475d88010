import type { AlertFigure } from '../alerts/evaluate.ts';
import { alertEmail, alertSlack, alertWebhookBody, type AlertMessageInput } from '../alerts/message.ts';
import { DELIVER_ALERT, findDeliveryToSend, recordDeliveryAttempt } from '../storage/alerts.ts';
import type { Database } from '../storage/database.ts';
import type { Job, JobHandler } from '../storage/jobs.ts';
import { postPinned } from '../webhooks/send.ts';
import { webhookHeaders } from '../webhooks/signature.ts';
import { allowPrivateFromEnv, checkWebhookUrl, type Resolver } from '../webhooks/url-guard.ts';
import type { Mailer } from './mailer.ts';

export { DELIVER_ALERT };

export interface AlertDeliveryDeps {
  db: Database;
  mailer: Mailer;
  /** Where people reach Sada (SADA_PUBLIC_URL, else the server's address): the history link. */
  publicUrl: () => string;
  allowPrivate?: () => boolean;
  resolve?: Resolver;
  timeoutMs?: number;
}

/**
 * Sends one firing to one channel (docs/alerts.md): an e-mail through the mailer, a POST of
 * {text, blocks} to a Slack-compatible incoming webhook, or a POST of the alert.fired message
 * signed per Standard Webhooks (webhook-id alert_<event>, the same on every retry). URLs are
 * checked against SSRF again now and the connection is pinned to the checked address (as for
 * outgoing webhooks). A failure is recorded and thrown, so the queue retries it with backoff; a
 * URL no longer allowed fails at once.
 */
export function deliverAlertHandler({ db, mailer, publicUrl, allowPrivate = () => allowPrivateFromEnv(), resolve, timeoutMs }: AlertDeliveryDeps): JobHandler {
  return async (job: Job) => {
    const payload = job.payload as { event?: unknown; channel?: unknown };
    const eventId = Number(payload.event);
    const channelIndex = Number(payload.channel);
    const delivery = await findDeliveryToSend(db, job.workspaceId, eventId, channelIndex);
    if (!delivery) return { status: 'skipped', result: 'alert_not_found: the rule was deleted' };
    const [workspace] = await db.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [job.workspaceId]);
    const input: AlertMessageInput = {
      eventId,
      ruleName: delivery.ruleName,
      kind: delivery.kind,
      workspace: workspace?.name ?? '',
      firedAt: delivery.firedAt,
      figure: delivery.figure as unknown as AlertFigure,
      historyUrl: `${publicUrl()}/alerts?workspace=${encodeURIComponent(workspace?.name ?? '')}`,
    };
    const last = job.attempts >= job.maxAttempts;
    const failed = async (responseCode: number | null, error: string): Promise<never> => {
      await recordDeliveryAttempt(db, job.workspaceId, eventId, channelIndex, { status: last ? 'failed' : 'retrying', responseCode, error });
      throw new Error(error);
    };
    const channel = delivery.config;
    if (channel.type === 'email') {
      const mail = alertEmail(channel.language, input);
      try {
        const sent = await mailer.send({ to: channel.to.join(', '), subject: mail.subject, html: mail.html, text: mail.text });
        await recordDeliveryAttempt(db, job.workspaceId, eventId, channelIndex, { status: 'delivered', responseCode: null, error: null });
        return { status: 'done', result: `sent ${sent.messageId}`.trim() };
      } catch (error) {
        return failed(null, (error as Error).message);
      }
    }
    const check = await checkWebhookUrl(channel.url, { allowPrivate: allowPrivate(), resolve });
    if (!check.ok) {
      await recordDeliveryAttempt(db, job.workspaceId, eventId, channelIndex, { status: 'failed', responseCode: null, error: `refused: ${check.reason}` });
      return { status: 'skipped', result: `url_refused: ${check.reason}` };
    }
    const body = JSON.stringify(channel.type === 'slack' ? alertSlack(channel.language, input) : alertWebhookBody(input));
    const headers = channel.type === 'webhook' ? webhookHeaders(channel.secret, `alert_${eventId}`, body) : {};
    let result;
    try {
      result = await postPinned(check.url, check.address, headers, body, timeoutMs);
    } catch (error) {
      return failed(null, `no answer from ${check.url.host}: ${(error as Error).message}`);
    }
    if (result.status < 200 || result.status > 299) return failed(result.status, `${check.url.host} answered ${result.status}${result.body ? `: ${result.body.slice(0, 200)}` : ''}`);
    await recordDeliveryAttempt(db, job.workspaceId, eventId, channelIndex, { status: 'delivered', responseCode: result.status, error: null });
    return { status: 'done', result: `delivered: ${result.status}` };
  };
}
