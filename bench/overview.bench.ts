/**
 * Overview benchmark: the dashboard's overview — every KPI × 24 months × customer segment —
 * over a `sada demo` company, computed three ways in one process:
 *   1. from the rollups (what `sada report` and the API do),
 *   2. from the raw rows in SQL (the same queries with rollups off),
 *   3. the way some survey tools do it: load every response and ticket into JavaScript and count.
 * Ratios are against (1). The demo is loaded through the normal import path first.
 *
 *   npm run bench:overview                              # 1,000,000 responses, both engines
 *   npm run bench:overview -- --responses 10m --engines postgres
 *   npm run bench:overview -- --responses 100k          # a quick run
 *   npm run bench:overview -- --pglite-dir .bench/pglite # keep the loaded company for the next run
 *   npm run bench:overview -- --responses 10m --engines pglite --pglite-dir … --rollups-only  # (1) alone
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from '../src/demo/run.ts';
import { metricReport, type MetricRequest } from '../src/reports/metric-report.ts';
import type { Database } from '../src/storage/database.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPGlite } from '../src/storage/pglite.ts';
import { openPostgres } from '../src/storage/postgres.ts';
import { refreshRollups } from '../src/storage/rollups.ts';
import { findWorkspace, type Workspace } from '../src/storage/workspaces.ts';
import { BenchArgs } from './lib/args.ts';
import { mib } from './lib/memory.ts';
import { formatTable, markdownTable, type Cell } from './lib/table.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const MONTHS = 24;
const END_MONTH = '2026-06';
const FROM = '2024-07-01';
const TO = '2026-06-30';
const SURVEY_KPIS = ['nps', 'csat', 'ces', 'esat', 'enps'] as const;
const TICKET_KPIS = ['frt', 'fcr', 'aht', 'volume', 'cost_per_resolution'] as const;
const CUSTOMER_KPIS = ['churn', 'retention'] as const;
const KPIS = [...SURVEY_KPIS, ...TICKET_KPIS, ...CUSTOMER_KPIS];

const args = new BenchArgs();
const responses = args.count('responses', 'SADA_BENCH_RESPONSES', 1_000_000);
const engines = args.list('engines', 'SADA_BENCH_ENGINES', ['pglite', 'postgres'], ['pglite', 'postgres']);
const repeats = args.count('repeats', undefined, 3);
// At 10M rows on PGlite the raw-SQL and load-everything baselines take most of an hour; this
// measures the rollups alone (the overview's own path) and prints no ratios.
const rollupsOnly = args.flag('rollups-only');
const postgresUrl = args.string('postgres-url', 'SADA_BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test');
/** A PGlite data directory to keep (and reuse on the next run) instead of a throw-away one. */
const pgliteDir = args.string('pglite-dir', undefined, '');
const seed = 42;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push((await timed(work)).ms);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const overviewRequest = (metric: string, useRollups: boolean): MetricRequest => ({ metric, by: ['month', 'segment'], from: FROM, to: TO, useRollups });

/** Method 3: every row into JavaScript, counted there (what Sada avoids). */
async function loadEverything(db: Database, workspace: Workspace): Promise<number> {
  const groups = new Map<string, number[]>();
  const bump = (key: string, index: number, by = 1) => {
    const cell = groups.get(key) ?? new Array<number>(8).fill(0);
    cell[index]! += by;
    groups.set(key, cell);
  };
  const month = (d: Date) => d.toISOString().slice(0, 7);
  const answers = await db.query<{ kind: string; score: number; scale_max: number; submitted_at: Date; segment: string | null }>(
    `SELECT r.kind, r.score, r.scale_max, r.submitted_at, c.segment FROM responses r
     LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
     WHERE r.workspace_id = $1 AND r.score IS NOT NULL AND r.submitted_at >= $2 AND r.submitted_at < $3`,
    [workspace.id, FROM, '2026-07-01'],
  );
  for (const a of answers) {
    const key = `${a.kind}|${month(a.submitted_at)}|${a.segment}`;
    bump(key, 0);
    if (a.kind === 'nps' || a.kind === 'enps') bump(key, a.score >= 9 ? 1 : a.score <= 6 ? 2 : 3);
    else bump(key, 1, a.score >= a.scale_max - 1 ? 1 : 0);
  }
  const tickets = await db.query<{ created_at: Date; resolved_at: Date | null; first_response_at: Date | null; handle_seconds: number | null; cost: number | null; segment: string | null; fcr: boolean | null }>(
    `SELECT t.created_at, t.resolved_at, t.first_response_at, t.handle_seconds, coalesce(t.cost, t.handle_seconds * e.hourly_cost / 3600.0)::float8 AS cost, c.segment,
            (t.resolved_at IS NOT NULL AND coalesce(t.reopen_count, 0) = 0 AND coalesce(t.customer_contact_count, t.agent_reply_count) <= 1) AS fcr
     FROM tickets t LEFT JOIN customers c ON c.workspace_id = t.workspace_id AND c.id = t.customer_id
     LEFT JOIN employees e ON e.workspace_id = t.workspace_id AND e.id = t.agent_id
     WHERE t.workspace_id = $1 AND t.created_at >= $2 AND t.created_at < $3`,
    [workspace.id, FROM, '2026-07-01'],
  );
  const waits = new Map<string, number[]>();
  for (const t of tickets) {
    const key = `ticket|${month(t.created_at)}|${t.segment}`;
    bump(key, 0);
    if (t.fcr) bump(key, 1);
    if (t.handle_seconds) bump(key, 2, t.handle_seconds);
    if (t.resolved_at && t.cost !== null) bump(`cost|${month(t.resolved_at)}|${t.segment}`, 0, t.cost);
    if (t.first_response_at) {
      const list = waits.get(key) ?? [];
      list.push(t.first_response_at.getTime() - t.created_at.getTime());
      waits.set(key, list);
    }
  }
  // Churn and retention: every subscription, then who was active at each month's start and end.
  const subscriptions = await db.query<{ customer_id: string; started_at: Date; ended_at: Date | null; segment: string | null }>(
    `SELECT s.customer_id, s.started_at, s.ended_at, c.segment FROM subscriptions s
     LEFT JOIN customers c ON c.workspace_id = s.workspace_id AND c.id = s.customer_id WHERE s.workspace_id = $1`,
    [workspace.id],
  );
  const byCustomer = new Map<string, typeof subscriptions>();
  for (const sub of subscriptions) byCustomer.set(sub.customer_id, [...(byCustomer.get(sub.customer_id) ?? []), sub]);
  for (let m = 0; m < MONTHS; m++) {
    const start = Date.UTC(2024, 6 + m, 1);
    const end = Date.UTC(2024, 7 + m, 1);
    const activeAt = (subs: typeof subscriptions, at: number) => subs.some((s) => s.started_at.getTime() < at && (!s.ended_at || s.ended_at.getTime() >= at));
    for (const subs of byCustomer.values()) {
      const key = `life|${m}|${subs[0]!.segment}`;
      const atStart = activeAt(subs, start);
      if (atStart) bump(key, 0);
      if (atStart && !activeAt(subs, end)) bump(key, 1);
    }
  }
  for (const list of waits.values()) list.sort((a, b) => a - b);
  return groups.size + answers.length + tickets.length + subscriptions.length;
}

async function open(engine: string): Promise<{ db: Database; cleanup(): Promise<void>; workspaceName: string }> {
  const workspaceName = `bench-overview-${responses}`;
  if (engine === 'pglite') {
    if (pgliteDir) {
      mkdirSync(pgliteDir, { recursive: true });
      const db = await openPGlite(pgliteDir);
      await migrate(db);
      return { db, workspaceName, cleanup: () => db.close() };
    }
    const dir = mkdtempSync(join(tmpdir(), 'sada-bench-overview-'));
    const db = await openPGlite(join(dir, 'pgdata'));
    await migrate(db);
    return { db, workspaceName, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const db = await openPostgres(postgresUrl, { max: 4 });
  await migrate(db);
  return { db, workspaceName, cleanup: () => db.close() };
}

interface EngineResult {
  engine: string;
  loadSeconds: number;
  rows: Record<string, number>;
  perKpi: { kpi: string; rollups: number; raw: number }[];
  rollupsMs: number;
  /** Every KPI's report at once, as GET /api/v1/overview asks for them (reports/overview.ts). */
  rollupsConcurrentMs: number;
  rawMs: number;
  loadEverythingMs: number;
  peakRssMiB: number;
}

async function runEngine(engine: string): Promise<EngineResult | undefined> {
  let opened;
  try {
    opened = await open(engine);
  } catch (error) {
    console.log(`${engine}: skipped (${(error as Error).message})`);
    return undefined;
  }
  const { db, cleanup, workspaceName } = opened;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  try {
    let workspace = await findWorkspace(db, workspaceName);
    const rows: Record<string, number> = {};
    let loadSeconds = 0;
    if (!workspace || args.flag('reload')) {
      console.log(`${engine}: loading a demo company with ${responses.toLocaleString('en-US')} responses over ${MONTHS} months…`);
      const demo = await runDemo(db, { seed, responses, months: MONTHS, endMonth: END_MONTH, workspace: workspaceName, reportDir: mkdtempSync(join(tmpdir(), 'sada-bench-reports-')) });
      workspace = demo.workspace;
      loadSeconds = demo.seconds;
      Object.assign(rows, demo.generated);
    }
    // A workspace loaded by an earlier run may predate a rollup tier: bring them all up to date.
    const refreshed = await timed(() => refreshRollups(db, workspace!.id));
    if (refreshed.value.length > 0) console.log(`${engine}: rebuilt ${refreshed.value.join(', ')} in ${(refreshed.ms / 1000).toFixed(1)} s`);
    for (const table of ['responses', 'tickets']) {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table} WHERE workspace_id = $1`, [workspace.id]);
      rows[table] = row?.n ?? 0;
    }
    const perKpi: EngineResult['perKpi'] = [];
    for (const kpi of KPIS) {
      const rollupsMs = await median(() => metricReport(db, workspace!, overviewRequest(kpi, true)));
      const rawMs = rollupsOnly ? Number.NaN : await median(() => metricReport(db, workspace!, overviewRequest(kpi, false)));
      perKpi.push({ kpi, rollups: rollupsMs, raw: rawMs });
      console.log(`${engine}: ${kpi.padEnd(20)} rollups ${rollupsMs.toFixed(1)} ms · raw ${rawMs.toFixed(1)} ms`);
    }
    const sum = (pick: (k: (typeof perKpi)[number]) => number) => perKpi.reduce((total, k) => total + pick(k), 0);
    const rollupsConcurrentMs = await median(() => Promise.all(KPIS.map((kpi) => metricReport(db, workspace!, overviewRequest(kpi, true)))));
    console.log(`${engine}: all ${KPIS.length} KPIs at once from the rollups ${rollupsConcurrentMs.toFixed(1)} ms`);
    const loadEverythingMs = rollupsOnly ? Number.NaN : await median(() => loadEverything(db, workspace!));
    return {
      engine,
      loadSeconds,
      rows,
      perKpi,
      rollupsMs: sum((k) => k.rollups),
      rollupsConcurrentMs,
      rawMs: sum((k) => k.raw),
      loadEverythingMs,
      // The sampler cannot run while PGlite's WebAssembly holds the event loop: read once more at the end.
      peakRssMiB: mib(Math.max(peak, process.memoryUsage().rss)),
    };
  } finally {
    clearInterval(sampler);
    await cleanup();
  }
}

const results: EngineResult[] = [];
for (const engine of engines) {
  const result = await runEngine(engine);
  if (result) results.push(result);
}

const ratio = (a: number, b: number) => (Number.isNaN(a) ? '–' : `${(a / b).toFixed(1)}×`);
const ms = (value: number, digits = 0) => (Number.isNaN(value) ? '–' : value.toFixed(digits));
const header = ['engine', 'responses', 'tickets', 'rollups (ms)', 'rollups, KPIs at once (ms)', 'raw SQL (ms)', 'load everything (ms)', 'raw ÷ rollups', 'load everything ÷ rollups', 'peak RSS (MiB)'];
const table: Cell[][] = results.map((r) => [
  r.engine,
  r.rows.responses ?? 0,
  r.rows.tickets ?? 0,
  r.rollupsMs.toFixed(0),
  r.rollupsConcurrentMs.toFixed(0),
  ms(r.rawMs),
  ms(r.loadEverythingMs),
  ratio(r.rawMs, r.rollupsMs),
  ratio(r.loadEverythingMs, r.rollupsMs),
  r.peakRssMiB,
]);
console.log(`\nOverview: ${KPIS.length} KPIs × ${MONTHS} months × segment (median of ${repeats} runs; ${cpus().length} cores)`);
console.log(formatTable(header, table));
const perKpiHeader = ['KPI', ...results.flatMap((r) => [`${r.engine} rollups (ms)`, `${r.engine} raw SQL (ms)`])];
const perKpiTable: Cell[][] = KPIS.map((kpi) => [
  kpi,
  ...results.flatMap((r) => {
    const k = r.perKpi.find((p) => p.kpi === kpi)!;
    return [k.rollups.toFixed(1), ms(k.raw)];
  }),
]);
console.log('\nPer KPI:');
console.log(formatTable(perKpiHeader, perKpiTable));

if (!args.flag('no-write')) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const command = `npm run bench:overview -- --responses ${responses} --engines ${engines.join(',')}`;
  writeFileSync(join(RESULTS_DIR, 'overview.json'), JSON.stringify({ command, date: new Date().toISOString(), results }, null, 2));
  writeFileSync(
    join(RESULTS_DIR, 'overview.md'),
    `Command: \`${command}\`\n\n${markdownTable(header, table)}\n\nPer KPI (median of ${repeats} runs):\n\n${markdownTable(perKpiHeader, perKpiTable)}\n`,
  );
}
