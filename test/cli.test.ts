import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sada, SADA_BIN, startSadaServer } from './support/cli.ts';

/** The command line as a user runs it, on the embedded database (the default deployment). */
describe('sada command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sada-cli-test-'));
  const env = { SADA_DATA_DIR: dataDir, SADA_DATABASE_URL: '' };
  const csv = join(dataDir, 'responses.csv');
  writeFileSync(csv, 'id,kind,score,submitted_at\nr1,nps,9,2024-01-01\nr2,nps,12,2024-01-02\n');

  test('import prints what happened to every row and where the rejects are', async () => {
    const result = await sada(['import', 'responses', csv, '-w', 'cli'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /inserted 1 · updated 0 · unchanged 0 · rejected 1/);
    assert.match(result.stdout, /line 3, score \(column 3\): score 12 is outside the scale 0–10/);
    assert.match(result.stdout, /all rejects: .*responses\.csv\.responses\.rejects\.csv/);
  });

  test('bad arguments get a message a person can act on, and a non-zero exit', async () => {
    const kind = await sada(['import', 'tickets2', csv], env);
    assert.equal(kind.code, 1);
    assert.match(kind.stderr, /"tickets2" is not a kind of record\. Kinds: customers, /);
    const missing = await sada(['import', 'responses', join(dataDir, 'nope.csv')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file: .*nope\.csv/);
    const mapping = await sada(['import', 'responses', csv, '--map', 'score=rating'], env);
    assert.match(mapping.stderr, /column "rating", which the file does not have\. Columns: id, kind, score, submitted_at/);
    const workspace = await sada(['import', 'responses', csv, '-w', 'Bad Name'], env);
    assert.match(workspace.stderr, /is not a workspace name/);
  });

  test('a second process on the embedded database is told who holds it, and the lock goes with the server', async () => {
    const server = await startSadaServer(env);
    try {
      const health = await fetch(`${server.url}/health`);
      assert.deepEqual(await health.json(), { status: 'ok', version: '0.1.0', database: 'pglite' });
      const blocked = await sada(['workspaces'], env);
      assert.equal(blocked.code, 1);
      assert.match(blocked.stderr, new RegExp(`in use by "sada serve" \\(process ${server.child.pid} at ${server.url.replace(/[.]/g, '\\.')}`));
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.ok(!existsSync(join(dataDir, 'sada.lock')), 'lock released on SIGTERM');
    const after = await sada(['workspaces'], env);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /^cli\t/m);
  });

  test('a lock left by a dead process is taken over', async () => {
    writeFileSync(join(dataDir, 'sada.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'import', since: '2024-01-01T00:00:00Z' }));
    const result = await sada(['workspaces'], env);
    assert.equal(result.code, 0, result.stderr);
  });

  test('kill -9 in the middle of an import loses nothing acknowledged, and a re-run completes it', async () => {
    const big = join(dataDir, 'orders.csv');
    const lines = ['id,customer_id,placed_at,amount'];
    for (let i = 0; i < 60_000; i++) lines.push(`o${i},c${i % 5000},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i % 100}.5`);
    writeFileSync(big, lines.join('\n') + '\n');
    const child = spawn(process.execPath, [SADA_BIN, 'import', 'orders', big, '-w', 'crash', '--batch-size', '1000'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const closed = new Promise((resolve) => child.once('close', resolve));
    let progress = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        progress += chunk;
        if (/importing: \d+% read/.test(progress)) resolve(); // batches are being written right now
      });
      void closed.then(() => resolve());
    });
    assert.equal(child.exitCode, null, `the import ended before it could be killed: ${progress}`);
    child.kill('SIGKILL');
    await closed;
    const rerun = await sada(['import', 'orders', big, '-w', 'crash', '--json'], env);
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as { inserted: number; unchanged: number; updated: number; rejected: number };
    assert.equal(summary.inserted + summary.unchanged, 60_000, 'every row is there exactly once');
    assert.equal(summary.updated + summary.rejected, 0);
    assert.ok(summary.unchanged >= 1000, 'the batches acknowledged before the kill were kept');
  });
});
