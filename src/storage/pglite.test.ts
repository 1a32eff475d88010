import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPGlite } from './pglite.ts';

const walSinceCheckpoint = 'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()';

test('PGlite, which has no checkpointer, checkpoints after a write once the log outgrows max_wal_size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sada-pglite-wal-'));
  const db = await openPGlite(join(dir, 'data'), undefined, { maxWalBytes: 4 * 1024 ** 2 });
  try {
    const wal = async () => (await db.query<{ bytes: number }>(walSinceCheckpoint))[0]!.bytes;
    await db.transaction((tx) => tx.exec("CREATE TABLE small AS SELECT g FROM generate_series(1, 100) g"));
    const before = await wal();
    assert.ok(before < 4 * 1024 ** 2, `a small write leaves the log alone (${before} bytes)`);
    // About 20 MB of WAL in one transaction: past the limit, so a checkpoint follows the commit.
    await db.transaction((tx) => tx.exec("CREATE TABLE big AS SELECT g, repeat('x', 100) AS s FROM generate_series(1, 150000) g"));
    const after = await wal();
    assert.ok(after < 1024 ** 2, `checkpointed: ${after} bytes of log since the last checkpoint`);
    assert.equal((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM big'))[0]?.n, 150000);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
