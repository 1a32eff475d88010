import nodemailer from 'nodemailer';

/** One e-mail to send; `from` comes from the mailer. */
export interface Mail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Files sent with the message (the monthly report's PDF). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface Mailer {
  send(mail: Mail): Promise<{ messageId: string }>;
  close(): void;
}

export class MailNotConfigured extends Error {}

/**
 * SMTP through nodemailer, from SADA_SMTP_URL and SADA_MAIL_FROM (config.ts). Without them the
 * mailer throws on send, so an invitation job fails with a clear last_error and waits for a retry
 * instead of being dropped. Connection, greeting and socket waits are bounded (15/15/30 s), well
 * inside a job's lock.
 */
export function smtpMailer(smtpUrl: string | undefined, from: string | undefined): Mailer {
  if (!smtpUrl || !from) {
    const missing = [!smtpUrl && 'SADA_SMTP_URL', !from && 'SADA_MAIL_FROM'].filter(Boolean).join(' and ');
    return {
      send: async () => {
        throw new MailNotConfigured(`E-mail is not configured: set ${missing} (docs/distribution.md); the invitation will be retried.`);
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers, attachments: mail.attachments });
      return { messageId: String(info.messageId ?? '') };
    },
    close: () => transport.close(),
  };
}
