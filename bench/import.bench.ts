/**
 * Import benchmark: generates seeded CSV files of tickets and survey responses, imports them
 * into PGlite (fresh data directory) and PostgreSQL (a throw-away workspace), and measures every
 * layer on the same rows: reading, mapping, encoding, raw COPY, the import and a re-import.
 *
 *   npm run bench:import                      # 1,000,000 rows per kind, both engines
 *   npm run bench:import -- --rows 200k       # a quick run (results are not written)
 *
 * See bench/README.md for every flag and what each number means.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_BATCH_SIZE } from '../src/import/importer.ts';
import type { Database } from '../src/storage/database.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPGlite } from '../src/storage/pglite.ts';
import { openPostgres } from '../src/storage/postgres.ts';
import { ensureWorkspace } from '../src/storage/workspaces.ts';
import { recordKind } from '../src/domain/record-kinds.ts';
import { BENCH_MAPPINGS, generateCsv, type BenchKind } from './import/generate.ts';
import { PHASE_LABELS, runCopy, runEncode, runImport, runMap, runRead, type PhaseInput, type PhaseName, type PhaseResult } from './import/phases.ts';
import { BenchArgs } from './lib/args.ts';
import { mib } from './lib/memory.ts';
import { formatTable, markdownTable, type Cell } from './lib/table.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_RESULTS_DIR = join(BENCH_DIR, 'results');
const DEFAULT_ROWS = 1_000_000;
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ENGINES = ['pglite', 'postgres'] as const;
type Engine = (typeof ENGINES)[number];
const KINDS: readonly BenchKind[] = ['tickets', 'responses'];
const PHASES: readonly PhaseName[] = ['read', 'map', 'encode', 'copy', 'import', 'reimport'];

/** The issue's targets for the import (rows per second, per kind) and for memory. */
export const TARGETS: Record<Engine, number> = { pglite: 30_000, postgres: 100_000 };
/** Memory is "flat" when RSS grows by less than this from ¼ of the file to the end of it. */
const FLAT_TOLERANCE = { mib: 64, fraction: 0.15 };

interface Settings {
  rows: number;
  engines: Engine[];
  kinds: BenchKind[];
  phases: PhaseName[];
  batchSize: number;
  seed: number;
  postgresUrl: string;
  workDir: string | undefined;
  resultsDir: string;
  write: boolean;
  command: string;
}

function readSettings(argv: readonly string[]): Settings {
  const args = new BenchArgs(argv);
  if (args.flag('help')) {
    console.log(`npm run bench:import -- [flags]
  --rows N           rows per file (default 1m; also SADA_BENCH_ROWS); 200k is a quick run
  --engines LIST     pglite,postgres (default both; also SADA_BENCH_ENGINES)
  --kinds LIST       tickets,responses (default both)
  --phases LIST      read,map,encode,copy,import,reimport (default all)
  --batch-size N     rows per transaction (default importFile's, ${DEFAULT_BATCH_SIZE})
  --seed N           generator seed (default 1)
  --work-dir DIR     keep the generated files there and reuse them on the next run
  --out DIR          where to write results (default bench/results)
  --write            write results even for a run smaller than the default 1m rows
  --no-write         do not write results
PostgreSQL: SADA_BENCH_DATABASE_URL (default ${DEFAULT_POSTGRES_URL}).`);
    process.exit(0);
  }
  const rows = args.count('rows', 'SADA_BENCH_ROWS', DEFAULT_ROWS);
  const event = process.env.npm_lifecycle_event;
  const command = event?.startsWith('bench')
    ? `npm run ${event}${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`
    : `node --import tsx bench/import.bench.ts ${argv.join(' ')}`.trim();
  return {
    rows,
    engines: args.list('engines', 'SADA_BENCH_ENGINES', ENGINES, ENGINES) as Engine[],
    kinds: args.list('kinds', undefined, KINDS, KINDS) as BenchKind[],
    phases: args.list('phases', undefined, PHASES, PHASES) as PhaseName[],
    batchSize: args.count('batch-size', 'SADA_BENCH_BATCH_SIZE', DEFAULT_BATCH_SIZE),
    seed: args.count('seed', undefined, 1),
    postgresUrl: process.env.SADA_BENCH_DATABASE_URL || DEFAULT_POSTGRES_URL,
    workDir: args.string('work-dir', undefined, '') || undefined,
    resultsDir: args.string('out', undefined, DEFAULT_RESULTS_DIR),
    write: !args.flag('no-write') && (rows >= DEFAULT_ROWS || args.flag('write')),
    command,
  };
}

/** The URL without its password, for printing. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function gitState(): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return undefined;
  }
}

function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    note: 'shared machine: other processes may have run at the same time',
  };
}

interface GeneratedFile {
  kind: BenchKind;
  path: string;
  rows: number;
  bytes: number;
}

async function prepareFiles(settings: Settings, dir: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const [i, kind] of settings.kinds.entries()) {
    const path = join(dir, `${kind}-${settings.rows}-seed${settings.seed}.csv`);
    const marker = `${path}.done`;
    let bytes: number;
    if (existsSync(marker) && existsSync(path) && statSync(path).size === Number(readFileSync(marker, 'utf8'))) {
      bytes = statSync(path).size;
      console.log(`  ${kind}: reusing ${path}`);
    } else {
      const started = performance.now();
      bytes = await generateCsv(kind, path, settings.rows, settings.seed * 1000 + i);
      writeFileSync(marker, String(bytes));
      console.log(`  ${kind}: ${settings.rows.toLocaleString('en-US')} rows, ${mib(bytes)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path}`);
    }
    files.push({ kind, path, rows: settings.rows, bytes });
  }
  return files;
}

function phaseInput(file: GeneratedFile, settings: Settings): PhaseInput {
  return { kind: file.kind, path: file.path, rows: file.rows, mapping: BENCH_MAPPINGS[file.kind], batchSize: settings.batchSize, workspaceZone: 'UTC' };
}

interface EngineRun {
  engine: Engine;
  database: string;
  phases: PhaseResult[];
}

/** Opens the engine; undefined (with the reason printed) when PostgreSQL is unreachable. */
async function openEngine(engine: Engine, settings: Settings, scratch: string): Promise<{ db: Database; cleanup: () => Promise<void> } | undefined> {
  if (engine === 'pglite') {
    const dataDir = join(scratch, 'pgdata');
    const db = await openPGlite(dataDir);
    return {
      db,
      cleanup: async () => {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  let db: Database;
  try {
    db = await openPostgres(settings.postgresUrl, { max: 4 });
  } catch (error) {
    console.log(
      `\nPostgreSQL skipped: cannot connect to ${safeUrl(settings.postgresUrl)} (${(error as Error).message}).\n` +
        'Start it or set SADA_BENCH_DATABASE_URL; use --engines pglite to run PGlite only.',
    );
    return undefined;
  }
  return { db, cleanup: () => db.close() };
}

async function runEngine(engine: Engine, settings: Settings, files: GeneratedFile[], scratch: string, stamp: string): Promise<EngineRun | undefined> {
  const opened = await openEngine(engine, settings, scratch);
  if (!opened) return undefined;
  const { db } = opened;
  const phases: PhaseResult[] = [];
  let workspaceId: number | undefined;
  const twins: string[] = [];
  try {
    await migrate(db);
    const [{ version } = { version: '?' }] = await db.query<{ version: string }>('SELECT version()');
    const database = engine === 'pglite' ? `PGlite ${dependencyVersion('@electric-sql/pglite')} (${version.split(' on ')[0]})` : version.split(' on ')[0]!;
    console.log(`\n${engine}: ${database}${engine === 'postgres' ? ` at ${safeUrl(settings.postgresUrl)}` : ''}`);
    const workspace = await ensureWorkspace(db, `bench-${stamp}`);
    workspaceId = workspace.id;
    const reportDir = join(scratch, `reports-${engine}`);
    for (const file of files) {
      const input = phaseInput(file, settings);
      if (settings.phases.includes('copy')) {
        const table = recordKind(file.kind).table;
        const twin = `bench_copy_${file.kind}_${stamp.replaceAll(/[^a-z0-9]/g, '_')}`;
        twins.push(twin);
        await db.transaction(async (tx) => {
          await tx.exec(`CREATE TABLE ${twin} (LIKE ${table} INCLUDING ALL)`);
          await tx.exec(`ALTER TABLE ${twin} ADD FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE`);
        });
        phases.push(report(await runCopy(db, engine, input, twin, workspace.id)));
        await db.transaction((tx) => tx.exec(`DROP TABLE ${twin}`));
        twins.pop();
      }
      if (settings.phases.includes('import') || settings.phases.includes('reimport')) {
        phases.push(report(await runImport(db, engine, input, workspace, reportDir, 'import')));
      }
      if (settings.phases.includes('reimport')) {
        phases.push(report(await runImport(db, engine, input, workspace, reportDir, 'reimport')));
      }
    }
    return { engine, database, phases };
  } finally {
    try {
      for (const twin of twins) await db.transaction((tx) => tx.exec(`DROP TABLE IF EXISTS ${twin}`));
      if (engine === 'postgres' && workspaceId !== undefined) {
        // The workspace's records, runs and catalog rows go with it (ON DELETE CASCADE).
        console.log(`  cleaning up: deleting workspace bench-${stamp} and its rows`);
        await db.query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
      }
    } finally {
      await opened.cleanup();
    }
  }
}

function dependencyVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(BENCH_DIR, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return pkg.dependencies[name] ?? '?';
}

function report(result: PhaseResult): PhaseResult {
  const m = result.memory;
  console.log(
    `  ${result.kind.padEnd(9)} ${PHASE_LABELS[result.phase].padEnd(30)} ${Math.round(result.rowsPerSecond).toLocaleString('en-US').padStart(9)} rows/s` +
      `  ${result.seconds.toFixed(1).padStart(6)} s  peak RSS ${mib(m.peakRss)} MiB (¼: ${mib(m.rssAt['0.25'] ?? 0)}, end: ${mib(m.rssAt['1'] ?? 0)})  load ${result.load}`,
  );
  if (result.database) console.log(`            database: ${breakdownText(result.database)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Results

interface PhaseRow {
  kind: BenchKind;
  phase: PhaseName;
  label: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** This phase's wall time divided by the import's, same kind and engine. */
  timeVsImport: number | null;
  counts?: PhaseResult['counts'];
  /** 1-minute load average when the phase ended: above the core count, other work competed. */
  loadAverage: number;
  /** Import phases: seconds of database time by kind of statement (bench/import/phases.ts). */
  databaseSeconds?: Record<string, number>;
  memoryMiB: { start: number; peak: number; peakHeapUsed: number; atQuarter: number; atEnd: number; growthQuarterToEnd: number };
}

export interface ImportBenchResult {
  bench: 'import';
  engine: Engine;
  date: string;
  command: string;
  git: { commit: string; dirty: boolean } | undefined;
  machine: ReturnType<typeof machine>;
  database: string;
  settings: { rowsPerFile: number; batchSize: number; seed: number; kinds: BenchKind[] };
  files: { kind: BenchKind; rows: number; bytes: number }[];
  phases: PhaseRow[];
  summary: Record<string, {
    importRowsPerSecond: number;
    reimportRowsPerSecond: number | null;
    target: number;
    meetsTarget: boolean;
    /** import time ÷ raw COPY time: what the temporary table and the upsert cost. */
    importVsCopy: number | null;
    /** re-import time ÷ import time. */
    reimportVsImport: number | null;
    /** Share of the import's time spent in Node (read + map + encode). */
    nodeShareOfImport: number | null;
    memoryFlat: boolean;
  }>;
  /** Largest RSS of the whole benchmark process (getrusage), any phase so far. */
  processMaxRssMiB: number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function toRow(result: PhaseResult, all: PhaseResult[], engine: Engine): PhaseRow {
  const imported = all.find((r) => r.kind === result.kind && r.phase === 'import' && r.engine === engine);
  const m = result.memory;
  const atQuarter = m.rssAt['0.25'] ?? m.startRss;
  const atEnd = m.rssAt['1'] ?? m.peakRss;
  return {
    kind: result.kind,
    phase: result.phase,
    label: PHASE_LABELS[result.phase],
    rows: result.rows,
    seconds: round(result.seconds),
    rowsPerSecond: Math.round(result.rowsPerSecond),
    timeVsImport: imported ? round(result.seconds / imported.seconds) : null,
    ...(result.counts ? { counts: result.counts } : {}),
    loadAverage: result.load,
    ...(result.database ? { databaseSeconds: roundAll(result.database) } : {}),
    memoryMiB: {
      start: mib(m.startRss),
      peak: mib(m.peakRss),
      peakHeapUsed: mib(m.peakHeapUsed),
      atQuarter: mib(atQuarter),
      atEnd: mib(atEnd),
      growthQuarterToEnd: round(mib(atEnd - atQuarter), 1),
    },
  };
}

function roundAll(seconds: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)]));
}

function breakdownText(seconds: Record<string, number>): string {
  return Object.entries(seconds)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, s]) => `${kind} ${s.toFixed(1)} s`)
    .join(', ');
}

function isFlat(row: PhaseRow): boolean {
  const growth = row.memoryMiB.growthQuarterToEnd;
  return growth <= Math.max(FLAT_TOLERANCE.mib, FLAT_TOLERANCE.fraction * row.memoryMiB.atQuarter);
}

function buildResult(run: EngineRun, baselines: PhaseResult[], settings: Settings, files: GeneratedFile[], git: ImportBenchResult['git']): ImportBenchResult {
  const all = [...baselines, ...run.phases];
  const phases = all.map((r) => toRow(r, all, run.engine));
  const summary: ImportBenchResult['summary'] = {};
  for (const kind of settings.kinds) {
    const of = (phase: PhaseName) => phases.find((p) => p.kind === kind && p.phase === phase);
    const imported = of('import');
    if (!imported) continue;
    const copy = of('copy');
    const reimport = of('reimport');
    const encode = of('encode');
    summary[kind] = {
      importRowsPerSecond: imported.rowsPerSecond,
      reimportRowsPerSecond: reimport?.rowsPerSecond ?? null,
      target: TARGETS[run.engine],
      meetsTarget: imported.rowsPerSecond >= TARGETS[run.engine],
      importVsCopy: copy ? round(imported.seconds / copy.seconds) : null,
      reimportVsImport: reimport ? round(reimport.seconds / imported.seconds) : null,
      nodeShareOfImport: encode ? round(encode.seconds / imported.seconds) : null,
      memoryFlat: [imported, reimport].every((p) => !p || isFlat(p)),
    };
  }
  return {
    bench: 'import',
    engine: run.engine,
    date: new Date().toISOString(),
    command: settings.command,
    git,
    machine: machine(),
    database: run.database,
    settings: { rowsPerFile: settings.rows, batchSize: settings.batchSize, seed: settings.seed, kinds: settings.kinds },
    files: files.map(({ kind, rows, bytes }) => ({ kind, rows, bytes })),
    phases,
    summary,
    processMaxRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  };
}

const TABLE_HEADER = ['engine', 'kind', 'phase', 'rows/s', 'wall s', 'time ÷ import', 'peak RSS MiB', 'RSS ¼ → end MiB'];

function tableRows(result: ImportBenchResult, includeBaselines: boolean): Cell[][] {
  return result.phases
    .filter((p) => includeBaselines || !['read', 'map', 'encode'].includes(p.phase))
    .map((p) => [
      ['read', 'map', 'encode'].includes(p.phase) ? '(no database)' : result.engine,
      p.kind,
      p.label,
      p.rowsPerSecond,
      p.seconds.toFixed(1),
      p.timeVsImport === null ? '' : `${p.timeVsImport.toFixed(2)}×`,
      p.memoryMiB.peak.toFixed(0),
      `${p.memoryMiB.atQuarter.toFixed(0)} → ${p.memoryMiB.atEnd.toFixed(0)}`,
    ]);
}

function ratioLines(result: ImportBenchResult): string[] {
  const lines: string[] = [];
  for (const [kind, s] of Object.entries(result.summary)) {
    const parts = [
      `${s.importRowsPerSecond.toLocaleString('en-US')} rows/s (target ${s.target.toLocaleString('en-US')}: ${s.meetsTarget ? 'met' : 'MISSED'})`,
      s.importVsCopy !== null ? `import takes ${s.importVsCopy}× the raw COPY time` : '',
      s.reimportVsImport !== null ? `re-import ${s.reimportVsImport}× the import time` : '',
      s.nodeShareOfImport !== null ? `read+map+encode alone is ${Math.round(s.nodeShareOfImport * 100)}% of the import time` : '',
      `memory ${s.memoryFlat ? 'flat' : 'NOT flat'} from ¼ of the file to the end`,
    ].filter(Boolean);
    lines.push(`${result.engine} ${kind}: ${parts.join('; ')}`);
  }
  return lines;
}

function breakdownTable(results: ImportBenchResult[]): string[] {
  const rows = results.flatMap((r) => r.phases.filter((p) => p.databaseSeconds).map((p) => ({ engine: r.engine, phase: p })));
  const kinds = [...new Set(rows.flatMap(({ phase }) => Object.keys(phase.databaseSeconds!)))];
  return [
    markdownTable(
      ['engine', 'kind', 'phase', 'wall s', ...kinds],
      rows.map(({ engine, phase }) => [engine, phase.kind, phase.label, phase.seconds.toFixed(1), ...kinds.map((k) => (phase.databaseSeconds![k] ?? 0).toFixed(1))]),
    ),
  ];
}

function markdown(results: ImportBenchResult[]): string {
  const first = results[0]!;
  const rows: Cell[][] = [];
  results.forEach((r, i) => rows.push(...tableRows(r, i === 0)));
  const files = first.files.map((f) => `${f.rows.toLocaleString('en-US')} ${f.kind} (${mib(f.bytes)} MiB)`).join(' and ');
  return [
    `<!-- generated by bench/import.bench.ts; paste into the README -->`,
    `### Import speed`,
    '',
    `Importing ${files} of CSV, ${first.settings.batchSize.toLocaleString('en-US')} rows per transaction, ` +
      `on ${first.machine.cpus} cores (${first.machine.cpuModel}), Node ${first.machine.node}: ` +
      results.map((r) => `${r.engine} = ${r.database}`).join('; ') + '.',
    '',
    markdownTable(TABLE_HEADER, rows),
    '',
    ...results.flatMap(ratioLines).map((l) => `- ${l}`),
    '',
    'Where the import’s database time goes (seconds; on PostgreSQL it overlaps the reading of the next batch):',
    '',
    ...breakdownTable(results),
    '',
    `RSS is the whole benchmark process; for PGlite it includes the embedded database's WebAssembly heap. ` +
      `“¼ → end” is RSS when a quarter of the file had been read and at its end: equal numbers mean memory does not grow with the file. ` +
      `Produced by \`${first.command}\` (${results.map((r) => `${r.engine}: ${r.date.slice(0, 10)}, commit ${r.git?.commit ?? '?'}${r.git?.dirty ? '+changes' : ''}`).join('; ')}).`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

export async function runImportBench(argv: readonly string[] = process.argv.slice(2)): Promise<ImportBenchResult[]> {
  const settings = readSettings(argv);
  const stamp = `${new Date().toISOString().replaceAll(/[-:]/g, '').slice(0, 15).toLowerCase()}-${process.pid}`;
  const scratch = mkdtempSync(join(tmpdir(), 'sada-bench-'));
  const fileDir = settings.workDir ?? scratch;
  mkdirSync(fileDir, { recursive: true });
  console.log(
    `Import benchmark: ${settings.rows.toLocaleString('en-US')} rows per kind, batches of ${settings.batchSize.toLocaleString('en-US')}, ` +
      `engines ${settings.engines.join(', ')}, ${cpus().length} cores${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier memory numbers)'}`,
  );
  const results: ImportBenchResult[] = [];
  // The code as it was when the run started (a later edit must not be credited with its numbers).
  const git = gitState();
  try {
    console.log('\ngenerating files');
    const files = await prepareFiles(settings, fileDir);

    console.log('\nbaselines (no database)');
    const baselines: PhaseResult[] = [];
    for (const file of files) {
      const input = phaseInput(file, settings);
      if (settings.phases.includes('read')) baselines.push(report(await runRead(input)));
      if (settings.phases.includes('map')) baselines.push(report(await runMap(input)));
      if (settings.phases.includes('encode')) baselines.push(report(await runEncode(input)));
    }

    for (const engine of settings.engines) {
      const run = await runEngine(engine, settings, files, scratch, stamp);
      if (run) results.push(buildResult(run, baselines, settings, files, git));
    }
    if (results.length === 0) {
      console.log('\nno engine ran');
      return results;
    }

    console.log('');
    const rows: Cell[][] = [];
    results.forEach((r, i) => rows.push(...tableRows(r, i === 0)));
    console.log(formatTable(TABLE_HEADER, rows));
    console.log('');
    for (const r of results) for (const line of ratioLines(r)) console.log(line);
    console.log(`process max RSS: ${results.at(-1)!.processMaxRssMiB} MiB`);

    if (settings.write) {
      mkdirSync(settings.resultsDir, { recursive: true });
      for (const r of results) {
        const path = join(settings.resultsDir, `import-${r.engine}.json`);
        writeFileSync(path, JSON.stringify(r, null, 2) + '\n');
        console.log(`wrote ${path}`);
      }
      // The snippet covers every engine with results, also those written by an earlier run.
      const stored = readdirSync(settings.resultsDir)
        .filter((name) => /^import-[a-z]+\.json$/.test(name))
        .map((name) => JSON.parse(readFileSync(join(settings.resultsDir, name), 'utf8')) as ImportBenchResult)
        .sort((a, b) => ENGINES.indexOf(a.engine) - ENGINES.indexOf(b.engine));
      const md = join(settings.resultsDir, 'import.md');
      writeFileSync(md, markdown(stored));
      console.log(`wrote ${md}`);
    } else {
      console.log(`results not written (${settings.rows < DEFAULT_ROWS ? 'a run smaller than 1m rows; add --write to write it' : '--no-write'})`);
    }
    return results;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runImportBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
