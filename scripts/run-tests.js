#!/usr/bin/env node
// Runs every *.test.ts under src/, test/, examples/ and bench/ with Node's test runner (through
// tsx), because Node 20's runner does not expand globs itself. Arguments narrow the run:
// `npm test -- src/import` runs the tests under that folder only.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  let found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['src', 'test', 'examples', 'bench'])
  .flatMap((root) => (statSync(root, { throwIfNoEntry: false })?.isDirectory() ? findTests(root) : [root]))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
