import { resolve } from 'node:path';

/** Everything Sada reads from the environment, in one place (documented in the README). */
export interface Config {
  /** PostgreSQL server to use; when absent, the embedded database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Embedded database and local files (import reports). */
  dataDir: string;
  port: number;
  host: string;
  /** Workspace used when a command is given no --workspace. */
  defaultWorkspace: string;
  /**
   * Bearer token for the /api routes until user accounts exist. Without one the API answers 401:
   * nothing but the public pages is reachable unauthenticated.
   */
  apiToken: string | undefined;
  /** Behind a reverse proxy: take client addresses (rate limits) from X-Forwarded-For. */
  trustProxy: boolean;
  /**
   * SADA_PUBLIC_URL: the address respondents reach the server at (`https://cx.example.com`, or
   * with a path prefix, `https://example.com/cx`), without a trailing slash. Survey QR codes
   * (`/s/<workspace>/<survey>/qr.svg`) and `sada survey link` put it in front of the survey's
   * path. Without it, the QR code takes the origin of its own request (behind a reverse proxy
   * that is the proxy's upstream address unless the proxy keeps the Host header) and
   * `sada survey link` uses http://127.0.0.1:3000 unless given --base-url.
   */
  publicUrl: string | undefined;
  /**
   * SADA_SMTP_URL: the SMTP server survey invitations are sent through, as a URL:
   * `smtp://host:587` (STARTTLS when the server offers it), `smtps://host:465` (TLS from the
   * start), with credentials as `smtp://user:password@host:587` (percent-encode special
   * characters). Without it, invitation jobs fail with a clear last_error and are retried later
   * (never dropped): set it and they go out. docs/distribution.md.
   */
  smtpUrl: string | undefined;
  /** SADA_MAIL_FROM: the From of invitations, e.g. `Acme <feedback@acme.example>`. Required with SADA_SMTP_URL. */
  mailFrom: string | undefined;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number from 0 to 65535, not "${env.PORT}"`);
  }
  if (env.SADA_API_TOKEN && env.SADA_API_TOKEN.length < 24) {
    throw new ConfigError('SADA_API_TOKEN must be at least 24 characters (e.g. openssl rand -hex 24)');
  }
  return {
    databaseUrl: env.SADA_DATABASE_URL || undefined,
    dataDir: resolve(env.SADA_DATA_DIR || '.sada'),
    port,
    host: env.HOST || '127.0.0.1',
    defaultWorkspace: env.SADA_WORKSPACE || 'default',
    apiToken: env.SADA_API_TOKEN || undefined,
    trustProxy: env.SADA_TRUST_PROXY === '1' || env.SADA_TRUST_PROXY === 'true',
    publicUrl: env.SADA_PUBLIC_URL ? publicUrl(env.SADA_PUBLIC_URL) : undefined,
    smtpUrl: env.SADA_SMTP_URL ? smtpUrl(env.SADA_SMTP_URL) : undefined,
    mailFrom: env.SADA_MAIL_FROM || undefined,
  };
}

/** An http(s) URL with no query or fragment, without its trailing slash. */
export function publicUrl(value: string, name = 'SADA_PUBLIC_URL'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL such as https://cx.example.com, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must start with https:// or http://, not "${url.protocol}"`);
  if (url.search || url.hash) throw new ConfigError(`${name} takes no query (?…) or fragment (#…)`);
  return url.href.replace(/\/+$/, '');
}

/** An smtp:// or smtps:// URL. */
export function smtpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`SADA_SMTP_URL must be a URL such as smtp://mail.example.com:587, not "${value.replace(/\/\/[^@/]*@/, '//…@')}"`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError(`SADA_SMTP_URL must start with smtp:// or smtps://, not "${url.protocol}"`);
  return value;
}
