import type { Database } from '../storage/database.ts';
import { backoffSeconds, type Job, type JobHandler } from '../storage/jobs.ts';
import { DELIVER_WEBHOOK, findDelivery, findWebhook, recordAttempt } from '../storage/webhooks.ts';
import { postPinned, type PostResult } from '../webhooks/send.ts';
import { webhookHeaders } from '../webhooks/signature.ts';
import { allowPrivateFromEnv, checkWebhookUrl, type Resolver } from '../webhooks/url-guard.ts';

export { DELIVER_WEBHOOK };

export interface WebhookDeliveryDeps {
  db: Database;
  /** Whether private and loopback targets are allowed (default: SADA_WEBHOOKS_ALLOW_PRIVATE, read at each attempt). */
  allowPrivate?: () => boolean;
  /** How host names are resolved (default: the system's resolver; tests pass their own). */
  resolve?: Resolver;
  timeoutMs?: number;
}

/**
 * Sends one webhook delivery (docs/webhooks.md): the URL is checked again against what its host
 * resolves to now (SSRF, DNS rebinding) and the connection goes to the address checked; the body
 * is the message fixed when the event happened, signed with the endpoint's current secret and
 * this attempt's time. A 2xx delivers it. Anything else (an error, a timeout, a 3xx, 4xx or 5xx)
 * is recorded on the delivery and thrown, so the job queue retries it with backoff (1 min, 2,
 * 4, … at most 6 h, 12 attempts). A URL that is no longer allowed fails at once, without retries.
 */
export function deliverWebhookHandler({ db, allowPrivate = () => allowPrivateFromEnv(), resolve, timeoutMs }: WebhookDeliveryDeps): JobHandler {
  return async (job: Job) => {
    const deliveryId = Number((job.payload as { delivery?: unknown }).delivery);
    const delivery = await findDelivery(db, job.workspaceId, deliveryId);
    if (!delivery) return { status: 'skipped', result: 'delivery_not_found: the webhook was deleted' };
    const webhook = await findWebhook(db, job.workspaceId, delivery.webhookId);
    if (!webhook) return { status: 'skipped', result: 'webhook_not_found' };
    if (!webhook.enabled) {
      await recordAttempt(db, job.workspaceId, deliveryId, { status: 'failed', responseCode: null, error: 'the webhook is disabled', nextAttemptAt: null });
      return { status: 'skipped', result: 'webhook_disabled' };
    }
    const check = await checkWebhookUrl(webhook.url, { allowPrivate: allowPrivate(), resolve });
    if (!check.ok) {
      await recordAttempt(db, job.workspaceId, deliveryId, { status: 'failed', responseCode: null, error: `refused: ${check.reason}`, nextAttemptAt: null });
      return { status: 'skipped', result: `url_refused: ${check.reason}` };
    }
    const body = JSON.stringify(delivery.payload);
    const last = job.attempts >= job.maxAttempts;
    const failed = async (responseCode: number | null, error: string): Promise<never> => {
      const nextAttemptAt = last ? null : new Date(Date.now() + backoffSeconds(job.attempts) * 1000);
      await recordAttempt(db, job.workspaceId, deliveryId, { status: last ? 'failed' : 'retrying', responseCode, error, nextAttemptAt });
      throw new Error(error);
    };
    let result: PostResult;
    try {
      result = await postPinned(check.url, check.address, webhookHeaders(webhook.secret, delivery.messageId, body), body, timeoutMs);
    } catch (error) {
      return failed(null, `no answer from ${check.url.host}: ${(error as Error).message}`);
    }
    if (result.status < 200 || result.status > 299) {
      const redirect = result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : '';
      return failed(result.status, `${check.url.host} answered ${result.status}${redirect}${result.body ? `: ${result.body.slice(0, 200)}` : ''}`);
    }
    await recordAttempt(db, job.workspaceId, deliveryId, { status: 'delivered', responseCode: result.status, error: null, nextAttemptAt: null });
    return { status: 'done', result: `delivered: ${result.status}` };
  };
}
