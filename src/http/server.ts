import { serve, type ServerType } from '@hono/node-server';
import type { Database } from '../storage/database.ts';
import { createApp, type AppContext } from './app.ts';
import { drainSubmissions } from '../storage/submissions.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the HTTP server; resolves once it listens (port 0 picks a free port, for tests). */
export function startServer(db: Database, options: Omit<AppContext, 'db'> & { port: number; host: string }): Promise<RunningServer> {
  const { port, host, ...context } = options;
  const app = createApp({ db, ...context });
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      // A request (headers and body) gets 30 s, its headers 10 s: slow clients cannot hold sockets.
      server = serve({ fetch: app.fetch, port, hostname: host, serverOptions: { requestTimeout: 30_000, headersTimeout: 10_000 } }, (info) => {
        const address = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${address}:${info.port}`,
          // Stop taking requests, let the ones in flight finish, then the answers queued for a group commit.
          close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))).then(() => drainSubmissions(db)),
        });
      });
      server.once('error', reject);
    } catch (error) {
      reject(error);
    }
  });
}
