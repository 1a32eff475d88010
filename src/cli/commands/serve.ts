import { Command } from 'commander';
import { readConfig } from '../../config.ts';
import { startServer } from '../../http/server.ts';
import { openDatabase } from '../../storage/open.ts';
import { UserError, VERSION } from '../context.ts';
import { smtpMailer } from '../../jobs/mailer.ts';
import { createJobWorker } from '../../jobs/worker.ts';
import { SetupToken } from '../../http/setup-token.ts';
import { countUsers } from '../../storage/accounts.ts';
import { scheduleAllEvaluations } from '../../storage/alerts.ts';

export const serveCommand = new Command('serve')
  .description('Run the Sada server (web app and API) on PORT, default 3000')
  .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
  .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
  .action(async (options: { port?: string; host?: string }) => {
    const config = readConfig();
    const port = options.port === undefined ? config.port : Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a port number, not "${options.port}"`);
    const opened = await openDatabase(config, 'serve');
    let server;
    const setup = new SetupToken();
    try {
      server = await startServer(opened.db, { port, host: options.host ?? config.host, version: VERSION, apiToken: config.apiToken, defaultWorkspace: config.defaultWorkspace, trustProxy: config.trustProxy, publicUrl: config.publicUrl, setup });
    } catch (error) {
      await opened.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError(`Port ${port} is already in use: stop what runs there or set PORT to another port.`);
      throw error;
    }
    opened.lock?.announce(server.url);
    // Delayed survey invitations and other queued work (docs/distribution.md).
    const mailer = smtpMailer(config.smtpUrl, config.mailFrom);
    const serverUrl = server.url;
    // Alert rules are evaluated every 15 minutes: queue each workspace's next slot (idempotent, docs/alerts.md).
    await scheduleAllEvaluations(opened.db);
    const worker = createJobWorker(opened.db, { mailer, publicUrl: () => config.publicUrl ?? serverUrl }).start();
    if (!config.smtpUrl || !config.mailFrom) console.log('E-mail is off (set SADA_SMTP_URL and SADA_MAIL_FROM): invitations wait in the queue until it is on.');
    else if (!config.publicUrl) console.log(`Survey links in e-mails point at ${serverUrl}: set SADA_PUBLIC_URL to the address people reach Sada at.`);
    const where = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`;
    console.log(`Sada ${VERSION} is running at ${server.url} (${where}). Press Ctrl-C to stop.`);
    // A fresh install: nobody can sign in yet. The link works once and only while there is no user.
    if ((await countUsers(opened.db)) === 0) {
      const token = setup.issue();
      console.log(`No account exists yet. Create the first admin at ${config.publicUrl ?? server.url}/setup?token=${token} (this link works once), or run: sada user create --email you@example.com --workspace ${config.defaultWorkspace} --role admin`);
    }
    const running = server;
    const stop = async () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await running.close().catch(() => {});
      // Finish the jobs in hand; jobs not yet due stay in the database for the next start.
      await worker.stop();
      mailer.close();
      await opened.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
