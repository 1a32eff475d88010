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
  };
}
