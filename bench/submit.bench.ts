/**
 * Submission benchmark: survey answers POSTed to the public API of a real `sada serve` process
 * (its own process, as in production) by autocannon, on each engine. Each request is a new
 * response with its own Idempotency-Key, as the widget sends them. Baseline, on the same server
 * and the same connections: GET /health (HTTP plus one `SELECT 1`), so the ratio shows what
 * validating, storing and rolling up an answer costs over the bare round trip.
 * After the run the server is stopped and every acknowledged (2xx) response is counted in the
 * database: the bench fails if one is missing.
 *
 *   npm run bench:submit                                   # both engines, 15 s each, 64 connections
 *   npm run bench:submit -- --engines postgres --seconds 30 --connections 64
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { parseSurvey } from '../src/listening/survey.ts';
import type { Database } from '../src/storage/database.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPGlite } from '../src/storage/pglite.ts';
import { openPostgres } from '../src/storage/postgres.ts';
import { refreshRollups } from '../src/storage/rollups.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { ensureWorkspace } from '../src/storage/workspaces.ts';
import { BenchArgs } from './lib/args.ts';
import { formatTable, markdownTable, type Cell } from './lib/table.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const SADA = fileURLToPath(new URL('../bin/sada.js', import.meta.url));

const args = new BenchArgs();
const engines = args.list('engines', 'SADA_BENCH_ENGINES', ['postgres', 'pglite'], ['pglite', 'postgres']) as Array<'pglite' | 'postgres'>;
const seconds = args.count('seconds', undefined, 15);
const connections = args.count('connections', undefined, 64);
const postgresUrl = args.string('postgres-url', 'SADA_BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test');

const SURVEY = parseSurvey({
  id: 'after-checkout',
  name: 'After checkout',
  touchpoint: 'checkout',
  defaultLanguage: 'en',
  languages: ['en'],
  questions: [{ id: 'recommend', kind: 'nps', text: { en: 'How likely are you to recommend us?' }, followUp: { text: { en: 'Why?' } } }],
});

interface Prepared {
  workspace: string;
  env: NodeJS.ProcessEnv;
  reopen: () => Promise<Database>;
  cleanup: () => void;
}

async function prepare(engine: 'pglite' | 'postgres'): Promise<Prepared> {
  const workspace = `bench-submit-${Date.now().toString(36)}`;
  let db: Database;
  let env: NodeJS.ProcessEnv;
  let reopen: () => Promise<Database>;
  let cleanup = () => {};
  if (engine === 'postgres') {
    db = await openPostgres(postgresUrl);
    env = { SADA_DATABASE_URL: postgresUrl };
    reopen = () => openPostgres(postgresUrl);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'sada-bench-submit-'));
    db = await openPGlite(join(dir, 'pgdata'));
    env = { SADA_DATA_DIR: dir };
    reopen = () => openPGlite(join(dir, 'pgdata'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  await migrate(db);
  const ws = await ensureWorkspace(db, workspace);
  // The bench measures the write path, not the ballot-stuffing limits (one client address here).
  await db.query('UPDATE workspaces SET settings = $2 WHERE id = $1', [ws.id, JSON.stringify({ listening: { rateLimits: { perClientPerMinute: 10_000_000, perSurveyPerMinute: 10_000_000 } } })]);
  await saveSurvey(db, ws.id, SURVEY);
  await refreshRollups(db, ws.id); // live answers then keep the rollups by deltas, as in production
  await db.close();
  return { workspace, env, reopen, cleanup };
}

function startServer(env: NodeJS.ProcessEnv, workspace: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [SADA, 'serve', '--port', '0'], {
    env: { ...process.env, ...env, SADA_WORKSPACE: workspace, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+) /.exec(output);
      if (match) resolve({ url: match[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`sada serve exited (${code}) before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Run {
  requestsPerSecond: number;
  ok: number;
  other: number;
  p50: number;
  p99: number;
}

async function load(options: autocannon.Options): Promise<Run> {
  const result = await autocannon({ connections, duration: seconds, ...options });
  return {
    requestsPerSecond: result['2xx'] / seconds,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const rows: Cell[][] = [];
const results: Record<string, unknown> = {};
for (const engine of engines) {
  const prepared = await prepare(engine);
  const { url, child } = await startServer(prepared.env, prepared.workspace);
  let health: Run;
  let submit: Run;
  try {
    await load({ url: `${url}/health`, duration: 2 }); // warm-up
    health = await load({ url: `${url}/health` });
    submit = await load({
      url: `${url}/api/v1/public/responses`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, 'idempotency-key': randomUUID() },
            body: JSON.stringify({ survey: SURVEY.id, complete: false, answers: { recommend: { score: Math.floor(Math.random() * 11) } } }),
          }),
        },
      ],
    });
  } finally {
    await stop(child);
  }
  const db = await prepared.reopen();
  const [stored] = await db.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM responses r JOIN workspaces w ON w.id = r.workspace_id WHERE w.name = $1`,
    [prepared.workspace],
  );
  await db.close();
  prepared.cleanup();
  if ((stored?.n ?? 0) < submit.ok) throw new Error(`${engine}: ${submit.ok} answers acknowledged but ${stored?.n} stored`);
  const ratio = health.requestsPerSecond / submit.requestsPerSecond;
  rows.push([engine, Math.round(health.requestsPerSecond), Math.round(submit.requestsPerSecond), `${ratio.toFixed(1)}×`, submit.p50, submit.p99, submit.other, `${stored?.n} / ${submit.ok}`]);
  results[engine] = { health, submit, stored: stored?.n };
}

const header = ['engine', 'GET /health /s', 'answers /s', 'health ÷ answers', 'p50 ms', 'p99 ms', 'non-2xx', 'stored / acknowledged'];
console.log(`\nSubmissions: ${connections} connections, ${seconds} s per run, server in its own process, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})\n`);
console.log(formatTable(header, rows));
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, 'submit.json'), JSON.stringify({ connections, seconds, cores: cpus().length, results }, null, 2) + '\n');
writeFileSync(join(RESULTS_DIR, 'submit.md'), `${markdownTable(header, rows)}\n`);
