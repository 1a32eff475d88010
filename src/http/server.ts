import { serve, type ServerType } from '@hono/node-server';
import type { Database } from '../storage/database.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the HTTP server; resolves once it listens (port 0 picks a free port, for tests). */
export function startServer(db: Database, options: { port: number; host: string; version: string; apiToken?: string; defaultWorkspace?: string }): Promise<RunningServer> {
  const app = createApp({ db, version: options.version, apiToken: options.apiToken, defaultWorkspace: options.defaultWorkspace });
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info) => {
        const host = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
        });
      });
      server.once('error', reject);
    } catch (error) {
      reject(error);
    }
  });
}
