import type { Database } from '../storage/database.ts';
import { JobWorker, type JobWorkerOptions } from '../storage/jobs.ts';
import { DELIVER_ALERT, deliverAlertHandler } from './deliver-alert.ts';
import { EVALUATE_ALERTS, evaluateAlertsHandler } from './evaluate-alerts.ts';
import { DELIVER_WEBHOOK, deliverWebhookHandler, type WebhookDeliveryDeps } from './deliver-webhook.ts';
import type { Mailer } from './mailer.ts';
import { NOTIFY_CASE_OWNER, notifyCaseOwnerHandler } from './notify-case-owner.ts';
import { SCORE_SENTIMENT, scoreSentimentHandler } from './score-sentiment.ts';
import { SEND_INVITATION, sendInvitationHandler } from './send-invitation.ts';
import { SEND_MONTHLY_REPORT, sendMonthlyReportHandler } from './send-monthly-report.ts';
import { SEND_SMS, sendSmsHandler } from './send-sms.ts';
import { httpSmsSender, smsConfigFromEnv, type SmsSender } from './sms.ts';

/** The worker `sada serve` runs: every job kind Sada knows, with its handler. */
export function createJobWorker(
  db: Database,
  deps: { mailer: Mailer; publicUrl: () => string; webhooks?: Omit<WebhookDeliveryDeps, 'db'>; sms?: SmsSender },
  options: JobWorkerOptions = {},
): JobWorker {
  return new JobWorker(
    db,
    {
      [SEND_INVITATION]: sendInvitationHandler({ db, mailer: deps.mailer, publicUrl: deps.publicUrl }),
      [DELIVER_WEBHOOK]: deliverWebhookHandler({ db, ...deps.webhooks }),
      // SADA_SMS_URL, SADA_SMS_BODY, SADA_SMS_AUTH (jobs/sms.ts) unless the caller passes a sender.
      [SEND_MONTHLY_REPORT]: sendMonthlyReportHandler({ db, mailer: deps.mailer }),
      [SEND_SMS]: sendSmsHandler({ db, sms: deps.sms ?? httpSmsSender(smsConfigFromEnv()), publicUrl: deps.publicUrl }),
      // Alerts (docs/alerts.md): evaluation on a 15-minute schedule and after new data; one delivery per channel.
      [EVALUATE_ALERTS]: evaluateAlertsHandler({ db, log: options.log }),
      // The closed loop (docs/cases.md): a case's new owner is told by e-mail.
      [NOTIFY_CASE_OWNER]: notifyCaseOwnerHandler({ db, mailer: deps.mailer, publicUrl: deps.publicUrl }),
      // Sentiment of unscored comments and tickets after new data (docs/text-analysis.md).
      [SCORE_SENTIMENT]: scoreSentimentHandler({ db }),
      [DELIVER_ALERT]: deliverAlertHandler({ db, mailer: deps.mailer, publicUrl: deps.publicUrl, allowPrivate: deps.webhooks?.allowPrivate, resolve: deps.webhooks?.resolve, timeoutMs: deps.webhooks?.timeoutMs }),
    },
    options,
  );
}
