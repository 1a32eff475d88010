import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredRecord } from '../domain/record-kinds.ts';
import { describeEachEngine } from '../../test/support/databases.ts';
import { keepPlannerStatistics, upsertBatch } from './bulk-upsert.ts';

const COLUMNS = ['id', 'created_at', 'channel', 'subject', 'attributes'];

function ticket(id: string, subject: string | null, channel: string | null = 'email', attributes: Record<string, unknown> = {}): StoredRecord {
  return { id, created_at: new Date('2024-05-01T10:00:00Z'), channel, subject, attributes };
}

describeEachEngine('bulk upsert', (t) => {
  const subjects = async (workspaceId: number) =>
    (await t.db.query<{ id: string; subject: string | null }>('SELECT id, subject FROM tickets WHERE workspace_id = $1 ORDER BY id', [workspaceId]))
      .map((r) => `${r.id}=${r.subject}`);

  test('new ids are inserted; a batch mixing new and known ids is merged and counted row by row', async () => {
    const ws = await t.workspace();
    assert.deepEqual(await upsertBatch(t.db, ws.id, 'tickets', COLUMNS, [ticket('a', 'one'), ticket('b', 'two')]), {
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    const mixed = await upsertBatch(t.db, ws.id, 'tickets', COLUMNS, [ticket('a', 'one'), ticket('b', 'TWO'), ticket('c', 'three')]);
    assert.deepEqual(mixed, { inserted: 1, updated: 1, unchanged: 1 });
    assert.deepEqual(await subjects(ws.id), ['a=one', 'b=TWO', 'c=three']);
  });

  test('other errors in the COPY still roll the whole batch back', async () => {
    const ws = await t.workspace();
    const bad = { ...ticket('q', 'x'), created_at: null };
    await assert.rejects(upsertBatch(t.db, ws.id, 'tickets', COLUMNS, [ticket('p', 'x'), bad]));
    assert.deepEqual(await subjects(ws.id), []);
  });

  test('ids, keys and text with quotes, commas, braces, backslashes, NULL and NUL survive an insert and a re-import', async () => {
    const ws = await t.workspace();
    const odd = ['NULL', 'a,b', 'say "hi"', '{x}', 'back\\slash', 'تذكرة', 'nul\u0000id', ' padded '];
    const batch = odd.map((id, i) => ticket(id, `s${i} "${id}"`, `ch ${id}`.toLowerCase(), { note: id }));
    assert.deepEqual(await upsertBatch(t.db, ws.id, 'tickets', COLUMNS, batch), { inserted: odd.length, updated: 0, unchanged: 0 });
    assert.deepEqual(await upsertBatch(t.db, ws.id, 'tickets', COLUMNS, batch), { inserted: 0, updated: 0, unchanged: odd.length });
    const stored = await t.db.query<{ id: string; attributes: { note: string } }>('SELECT id, attributes FROM tickets WHERE workspace_id = $1', [ws.id]);
    const expected = odd.map((id) => id.replace('\u0000', ''));
    assert.deepEqual(stored.map((r) => r.id).sort(), [...expected].sort());
    assert.ok(stored.every((r) => r.attributes.note === r.id), 'NUL is dropped inside attributes too');
    const channels = await t.db.query<{ key: string }>('SELECT key FROM channels WHERE workspace_id = $1 AND NOT builtin ORDER BY key', [ws.id]);
    assert.deepEqual(channels.map((r) => r.key).sort(), expected.map((id) => `ch ${id}`.toLowerCase()).sort());
  });

  test('a table never analysed is analysed before an import, even one that will insert nothing', async () => {
    const ws = await t.workspace();
    await upsertBatch(t.db, ws.id, 'tickets', COLUMNS, [ticket('a', 'one'), ticket('b', 'two')]);
    // What pg_class says of a table no ANALYZE has seen (PGlite has no autovacuum to run one).
    await t.db.query(`UPDATE pg_class SET reltuples = -1 WHERE oid = 'tickets'::regclass`);
    await keepPlannerStatistics(t.db, 'tickets');
    const [row] = await t.db.query<{ rows: number }>(`SELECT reltuples AS rows FROM pg_class WHERE oid = 'tickets'::regclass`);
    assert.ok((row?.rows ?? -1) >= 2, `reltuples ${row?.rows}`);
  });
  test('fill-only columns keep the value a record already has, and fill records without one', async () => {
    const ws = await t.workspace();
    await upsertBatch(t.db, ws.id, 'tickets', COLUMNS, [ticket('a', 'one')]);
    const later = { id: 'a', created_at: new Date('2024-05-01T10:00:01Z'), subject: 'one', attributes: { replies: 2 } };
    const fresh = { id: 'b', created_at: new Date('2024-05-02T10:00:00Z'), subject: 'two', attributes: {} };
    const columns = ['id', 'created_at', 'subject', 'attributes'];
    assert.deepEqual(await upsertBatch(t.db, ws.id, 'tickets', columns, [later, fresh], { fillOnly: ['created_at'] }), { inserted: 1, updated: 1, unchanged: 0 });
    assert.deepEqual(await upsertBatch(t.db, ws.id, 'tickets', columns, [later, fresh], { fillOnly: ['created_at'] }), { inserted: 0, updated: 0, unchanged: 2 });
    const rows = await t.db.query<{ id: string; created_at: Date }>('SELECT id, created_at FROM tickets WHERE workspace_id = $1 ORDER BY id', [ws.id]);
    assert.deepEqual(rows.map((r) => r.created_at.toISOString()), ['2024-05-01T10:00:00.000Z', '2024-05-02T10:00:00.000Z']);
  });
});
