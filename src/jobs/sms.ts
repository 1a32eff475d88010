/**
 * SMS through any HTTP provider (docs/distribution.md#sms), configured by three variables:
 *
 * - SADA_SMS_URL: where to POST, e.g. https://api.provider.example/v1/messages;
 * - SADA_SMS_BODY: the body, with {to} and {text} replaced. A template that starts with `{` or
 *   `[` is JSON (values are JSON-escaped, put them inside quotes: `{"to":"{to}","text":"{text}"}`,
 *   the default); otherwise it is a form (`To={to}&Body={text}`, values URL-encoded);
 * - SADA_SMS_AUTH: a header sent with it, `Name: value` (`Authorization: Bearer …`); a value
 *   without a name is sent as Authorization.
 *
 * The operator chooses the URL, so it is not checked like webhook URLs; redirects are still not
 * followed. A non-2xx answer throws, so the job queue retries with backoff.
 */

export interface SmsSender {
  send(to: string, text: string): Promise<{ status: number }>;
}

export class SmsNotConfigured extends Error {}

export interface SmsConfig {
  url?: string;
  body?: string;
  auth?: string;
  timeoutMs?: number;
}

export const smsConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): SmsConfig => ({ url: env.SADA_SMS_URL || undefined, body: env.SADA_SMS_BODY || undefined, auth: env.SADA_SMS_AUTH || undefined });

export const DEFAULT_SMS_BODY = '{"to":"{to}","text":"{text}"}';

/** The body for one message: the template with {to} and {text} filled in, escaped for its format. */
export function smsBody(template: string, to: string, text: string): { body: string; contentType: string } {
  const json = /^\s*[{[]/.test(template);
  const escape = json ? (v: string) => JSON.stringify(v).slice(1, -1) : encodeURIComponent;
  const body = template.replace(/\{(to|text)\}/g, (_m, name: string) => escape(name === 'to' ? to : text));
  return { body, contentType: json ? 'application/json' : 'application/x-www-form-urlencoded' };
}

export function httpSmsSender(config: SmsConfig): SmsSender {
  return {
    async send(to, text) {
      if (!config.url) throw new SmsNotConfigured('SMS is not configured: set SADA_SMS_URL (and SADA_SMS_BODY, SADA_SMS_AUTH; docs/distribution.md#sms); the invitation will be retried.');
      const { body, contentType } = smsBody(config.body ?? DEFAULT_SMS_BODY, to, text);
      const headers: Record<string, string> = { 'content-type': contentType };
      if (config.auth) {
        const colon = config.auth.indexOf(':');
        const named = colon > 0 && /^[A-Za-z0-9-]+$/.test(config.auth.slice(0, colon));
        if (named) headers[config.auth.slice(0, colon).trim().toLowerCase()] = config.auth.slice(colon + 1).trim();
        else headers.authorization = config.auth;
      }
      const response = await fetch(config.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(config.timeoutMs ?? 15_000) });
      const reply = (await response.text()).slice(0, 200);
      if (response.status < 200 || response.status > 299) throw new Error(`the SMS provider answered ${response.status}${reply ? `: ${reply}` : ''}`);
      return { status: response.status };
    },
  };
}
