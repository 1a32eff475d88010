/**
 * Dashboard benchmark: what a person waits for when they open Sada in the morning.
 *   1. The JavaScript and CSS the first page downloads, gzipped, against the 300 KB budget.
 *   2. The overview page in Debian's Chromium, from navigation to every KPI card showing its
 *      value, over a big `sada demo` company (the same one bench:overview loads, so the two
 *      share it) — against the same page over an empty workspace, measured in the same run.
 *   3. GET /api/v1/overview alone (12 KPIs × 12 months with changes), against GET /health.
 *
 *   npm run bench:dashboard                                   # 1,000,000 responses, PostgreSQL
 *   npm run bench:dashboard -- --responses 10m                # the 10M target
 *   npm run bench:dashboard -- --responses 100k --engine pglite
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hashPassword } from '../src/accounts/password.ts';
import { runDemo } from '../src/demo/run.ts';
import { startServer } from '../src/http/server.ts';
import type { Database } from '../src/storage/database.ts';
import { addMembership, createSession, createUser, findUserByEmail } from '../src/storage/accounts.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPGlite } from '../src/storage/pglite.ts';
import { openPostgres } from '../src/storage/postgres.ts';
import { ensureWorkspace, findWorkspace } from '../src/storage/workspaces.ts';
import { buildDashboard } from '../src/web/build.ts';
import { launchChromium } from '../test/support/browser.ts';
import { BenchArgs } from './lib/args.ts';
import { formatTable } from './lib/table.ts';

const args = new BenchArgs();
const responses = args.count('responses', 'SADA_BENCH_RESPONSES', 1_000_000);
const engine = args.string('engine', 'SADA_BENCH_ENGINE', 'postgres');
const repeats = args.count('repeats', undefined, 5);
const postgresUrl = args.string('postgres-url', 'SADA_BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test');
const BUDGET_KB = 300;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function bundleSize() {
  const bundle = await buildDashboard();
  // What / loads: the entry, its static imports, the stylesheet, the overview page's chunk and
  // the catalogue of the language in use — Arabic's, the heaviest, so this is the worst case.
  const chunkWith = (text: string) => [...bundle.assets.keys()].find((name) => new TextDecoder().decode(bundle.assets.get(name)!.contents).includes(text));
  const overviewChunk = chunkWith('overview-period');
  const arabicCatalogue = chunkWith('"page.overview":"نظرة عامة"');
  const names = new Set([bundle.script, ...bundle.preload, ...(bundle.stylesheet ? [bundle.stylesheet] : []), ...(overviewChunk ? [overviewChunk] : []), ...(arabicCatalogue ? [arabicCatalogue] : [])]);
  let raw = 0;
  let gzipped = 0;
  for (const name of names) {
    const contents = bundle.assets.get(name)!.contents;
    raw += contents.length;
    gzipped += gzipSync(contents, { level: 9 }).length;
  }
  let allGzipped = 0;
  for (const asset of bundle.assets.values()) allGzipped += gzipSync(asset.contents, { level: 9 }).length;
  return { files: names.size, raw, gzipped, allGzipped };
}

async function openDatabase(): Promise<{ db: Database; cleanup(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'sada-bench-dashboard-'));
    const db = await openPGlite(join(dir, 'pgdata'));
    await migrate(db);
    return { db, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const db = await openPostgres(postgresUrl, { max: 8 });
  await migrate(db);
  return { db, cleanup: () => db.close() };
}

const size = await bundleSize();
console.log(`first page: ${size.files} files, ${(size.raw / 1024).toFixed(0)} KB, ${(size.gzipped / 1024).toFixed(1)} KB gzipped (${((size.gzipped / 1024 / BUDGET_KB) * 100).toFixed(0)}% of the ${BUDGET_KB} KB budget); every page's code together ${(size.allGzipped / 1024).toFixed(1)} KB gzipped`);

const { db, cleanup } = await openDatabase();
// The same company bench:overview loads (seed, months, end month), so one load serves both.
const bigName = `bench-overview-${responses}`;
let big = await findWorkspace(db, bigName);
if (!big) {
  console.log(`${engine}: loading a demo company with ${responses.toLocaleString('en-US')} responses…`);
  big = (await runDemo(db, { seed: 42, responses, months: 24, endMonth: '2026-06', workspace: bigName, reportDir: mkdtempSync(join(tmpdir(), 'sada-bench-reports-')) })).workspace;
}
const empty = await ensureWorkspace(db, 'bench-dashboard-empty');
const email = 'bench@sada.local';
const user = (await findUserByEmail(db, email)) ?? (await createUser(db, { email, passwordHash: await hashPassword('bench-password-not-secret') }));
for (const workspace of [big, empty]) await addMembership(db, workspace.id, user.id, 'viewer').catch(() => undefined);
const [counted] = await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1', [big.id]);

const server = await startServer(db, { port: 0, host: '127.0.0.1', version: 'bench', defaultWorkspace: bigName });
const browser = await launchChromium();
const { token } = await createSession(db, user.id);
const cookie = `sada_session=${token}`;

async function pageReady(workspace: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'sada_session', value: token, url: server.url }]);
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${server.url}/?workspace=${workspace}`);
  // Interactive: every card shows its value (or says it has none), and the controls answer.
  await page.waitForFunction(() => (document.querySelectorAll('.kpi').length === 12 || document.querySelector('.empty')) && !document.querySelector('[role=status]'), undefined, { timeout: 120_000 });
  const ms = performance.now() - started;
  await context.close();
  return ms;
}

async function apiTime(path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return performance.now() - started;
}

try {
  // Warm up: the bundle is built on the first request, and the first query plans are cached.
  await pageReady(bigName);
  await pageReady(empty.name);
  const rows: Array<[string, number[]]> = [
    ['GET /health (baseline)', []],
    ['GET /api/v1/overview, empty workspace', []],
    [`GET /api/v1/overview, ${counted!.n.toLocaleString('en-US')} responses`, []],
    ['overview page interactive, empty workspace (baseline)', []],
    [`overview page interactive, ${counted!.n.toLocaleString('en-US')} responses`, []],
  ];
  for (let i = 0; i < repeats; i++) {
    rows[0]![1].push(await apiTime('/health'));
    rows[1]![1].push(await apiTime(`/api/v1/overview?workspace=${empty.name}`));
    rows[2]![1].push(await apiTime(`/api/v1/overview?workspace=${bigName}`));
    rows[3]![1].push(await pageReady(empty.name));
    rows[4]![1].push(await pageReady(bigName));
  }
  const baselineFor = (index: number) => median(rows[index < 3 ? 0 : 3]![1]);
  console.log(`\n${engine}, ${repeats} runs each, medians:`);
  console.log(
    formatTable(
      ['measure', 'median', 'ratio to its baseline'],
      rows.map(([label, times], index) => [label, `${median(times).toFixed(0)} ms`, `${(median(times) / baselineFor(index)).toFixed(1)}×`]),
    ),
  );
} finally {
  await browser.close();
  await server.close();
  await cleanup();
}
