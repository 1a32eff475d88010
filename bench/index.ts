/**
 * Runs Sada's benchmarks one after the other, each in its own process (so one bench's memory
 * does not show up in the next one's numbers):
 *
 *   npm run bench                               # the import benchmark
 *   npm run bench -- import overview            # several, by name
 *   npm run bench -- all -- --rows 200k         # flags after a second `--` go to every bench
 *
 * Each bench also runs alone: npm run bench:import, npm run bench:overview, npm run bench:dashboard,
 * npm run bench:submit, npm run bench:text.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, { file: string; doc: string }> = {
  import: { file: 'import.bench.ts', doc: 'import speed and memory, per engine and layer (bench/README.md)' },
  overview: { file: 'overview.bench.ts', doc: 'the dashboard overview from rollups, raw SQL and in JavaScript' },
  dashboard: { file: 'dashboard.bench.ts', doc: 'the first page\'s download and the overview page in Chromium over a big company' },
  submit: { file: 'submit.bench.ts', doc: 'survey answers per second through the public API of a real server' },
  text: { file: 'text.bench.ts', doc: 'language detection and sentiment quality on the real comments of ../shared/datasets' },
};
const DEFAULT = ['import'];

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
// Names first, then flags: `import overview -- --rows 200k`, or just `--rows 200k` for the default.
const firstFlag = argv.findIndex((a) => a.startsWith('-'));
const namesEnd = split >= 0 ? split : firstFlag >= 0 ? firstFlag : argv.length;
const names = argv.slice(0, namesEnd);
const flags = split >= 0 ? argv.slice(split + 1) : argv.slice(namesEnd);
if (argv.includes('--help') && split < 0) {
  console.log('npm run bench -- [names…|all] [-- flags for every bench]\n');
  for (const [name, { doc }] of Object.entries(BENCHES)) console.log(`  ${name.padEnd(10)} ${doc}`);
  process.exit(0);
}
const selected = names.length === 0 ? DEFAULT : names.includes('all') ? Object.keys(BENCHES) : names;
for (const name of selected) {
  if (!BENCHES[name]) {
    console.error(`no bench called "${name}"; benches: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
}
for (const name of selected) {
  const file = fileURLToPath(new URL(BENCHES[name]!.file, import.meta.url));
  console.log(`\n=== bench: ${name} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...flags], {
    stdio: 'inherit',
    env: { ...process.env, npm_lifecycle_event: `bench:${name}` },
  });
  if (run.status !== 0) {
    console.error(`bench ${name} failed (exit ${run.status ?? run.signal})`);
    process.exit(run.status ?? 1);
  }
}
