import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile } from '../src/import/importer.ts';
import { mappingSchema, type Mapping } from '../src/import/mapping.ts';
import type { RecordKindName } from '../src/domain/record-kinds.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

const dir = mkdtempSync(join(tmpdir(), 'sada-import-test-'));
let fileCounter = 0;
function file(text: string, extension = 'csv'): string {
  const path = join(dir, `f${fileCounter++}.${extension}`);
  writeFileSync(path, text);
  return path;
}

describeEachEngine('import', (t) => {
  const run = (workspace: Workspace, kind: RecordKindName, path: string, mapping: Partial<Mapping> = {}, batchSize = 2) =>
    importFile(t.db, { workspace, kind, path, mapping: mappingSchema.parse(mapping), reportDir: join(dir, 'reports'), batchSize });

  test('imports good rows, reports bad ones, and a re-run changes nothing', async () => {
    const ws = await t.workspace();
    const path = file('id,kind,score,submitted_at,comment\nr1,nps,10,2024-01-05T10:00:00Z,"<script>alert(1)</script>"\nr2,nps,11,2024-01-05,x\nr3,csat,4,2024-01-06,\nr4,ces,,2024-01-07,no score\n');
    const first = await run(ws, 'responses', path);
    assert.deepEqual([first.inserted, first.updated, first.unchanged, first.rejected], [2, 0, 0, 2]);
    const rejects = readFileSync(first.rejectsFile!, 'utf8').trim().split('\n');
    assert.equal(rejects[0], 'line,column,field,value,reason');
    assert.equal(rejects[1], '3,score (column 3),score,11,score 11 is outside the scale 0–10');
    assert.equal(rejects[2], '5,score (column 3),score,,a ces answer needs a score');
    const again = await run(ws, 'responses', path);
    assert.deepEqual([again.inserted, again.updated, again.unchanged, again.rejected], [0, 0, 2, 2]);
    const rows = await t.db.query<{ id: string; comment: string | null; scale_max: number }>(
      'SELECT id, comment, scale_max FROM responses WHERE workspace_id = $1 ORDER BY id',
      [ws.id],
    );
    assert.deepEqual(rows, [
      { id: 'r1', comment: '<script>alert(1)</script>', scale_max: 10 },
      { id: 'r3', comment: null, scale_max: 5 },
    ]);
  });

  test('an update touches only the mapped columns and merges attributes', async () => {
    const ws = await t.workspace();
    await run(ws, 'customers', file('id,segment,country,plan\nc1,smb,LT,basic\nc2,enterprise,SA,pro\n'), { fields: { 'attributes.source': { value: 'crm' } } });
    const partialFile = file('id,plan,tier\nc1,pro,gold\nc2,pro,silver\n');
    const partial = await run(ws, 'customers', partialFile, { fields: { 'attributes.tier': 'tier' } });
    assert.deepEqual([partial.inserted, partial.updated, partial.unchanged], [0, 2, 0], 'c2 keeps its plan but gains an attribute');
    const same = await run(ws, 'customers', partialFile, { fields: { 'attributes.tier': 'tier' } });
    assert.deepEqual([same.inserted, same.updated, same.unchanged], [0, 0, 2]);
    const rows = await t.db.query('SELECT id, segment, country, plan, attributes FROM customers WHERE workspace_id = $1 ORDER BY id', [ws.id]);
    assert.deepEqual(rows, [
      { id: 'c1', segment: 'smb', country: 'LT', plan: 'pro', attributes: { source: 'crm', tier: 'gold' } },
      { id: 'c2', segment: 'enterprise', country: 'SA', plan: 'pro', attributes: { source: 'crm', tier: 'silver' } },
    ]);
  });

  test('the same id twice in a file: the later row wins, counted as an update', async () => {
    const ws = await t.workspace();
    const summary = await run(ws, 'orders', file('id,placed_at,amount\no1,2024-01-01,10\no1,2024-01-01,12\no2,2024-01-02,5\n'), {}, 100);
    assert.deepEqual([summary.inserted, summary.updated], [2, 1]);
    const [order] = await t.db.query<{ amount: number }>("SELECT amount FROM orders WHERE workspace_id = $1 AND id = 'o1'", [ws.id]);
    assert.equal(order?.amount, 12);
  });

  test('workspaces never see each other’s rows, even with the same ids', async () => {
    const a = await t.workspace('a');
    const b = await t.workspace('b');
    const path = file('id,placed_at,amount\no1,2024-01-01,10\n');
    await run(a, 'orders', path);
    const inB = await run(b, 'orders', path);
    assert.equal(inB.inserted, 1, 'same id in another workspace is a new row');
    const counts = await t.db.query<{ workspace_id: number; n: number }>(
      'SELECT workspace_id, count(*) AS n FROM orders WHERE workspace_id IN ($1, $2) GROUP BY workspace_id ORDER BY workspace_id',
      [a.id, b.id],
    );
    assert.deepEqual(counts.map((c) => c.n), [1, 1]);
  });

  test('a failure mid-import keeps the committed batches, and a re-run completes the job', async () => {
    const ws = await t.workspace();
    const lines = ['id,placed_at,amount'];
    for (let i = 0; i < 10; i++) lines.push(`o${i},2024-01-0${(i % 9) + 1},${i}`);
    const path = file(lines.join('\n') + '\n');
    const controller = new AbortController();
    let batches = 0;
    const interrupted = await importFile(t.db, {
      workspace: ws,
      kind: 'orders',
      path,
      mapping: mappingSchema.parse({}),
      reportDir: join(dir, 'reports'),
      batchSize: 3,
      signal: controller.signal,
      onProgress: () => {
        if (++batches === 2) controller.abort();
      },
    });
    assert.equal(interrupted.status, 'interrupted');
    assert.equal(interrupted.inserted, 6, 'two whole batches, nothing half-written');
    const [{ n: stored } = { n: -1 }] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM orders WHERE workspace_id = $1', [ws.id]);
    assert.equal(stored, 6);
    const finished = await run(ws, 'orders', path, {}, 3);
    assert.deepEqual([finished.status, finished.inserted, finished.unchanged], ['done', 4, 6]);
    const runs = await t.db.query<{ status: string }>('SELECT status FROM import_runs WHERE workspace_id = $1 ORDER BY id', [ws.id]);
    assert.deepEqual(runs.map((r) => r.status), ['interrupted', 'done']);
  });

  test('read on a worker thread, a file imports the same: rows, counts, rejects; errors and aborts come through', async () => {
    const lines = ['id,kind,score,submitted_at,comment'];
    for (let i = 0; i < 40; i++) lines.push(`r${i % 30},nps,${i % 13},2024-01-${String((i % 28) + 1).padStart(2, '0')},"said ""${i}"", twice"`);
    lines.push('broken,"nps');
    const path = file(lines.join('\n') + '\n');
    const importWith = async (readInWorker: boolean) => {
      const ws = await t.workspace();
      const reportDir = join(dir, `reports-${readInWorker ? 'worker' : 'here'}`);
      const summary = await importFile(t.db, { workspace: ws, kind: 'responses', path, mapping: mappingSchema.parse({}), reportDir, batchSize: 7, readInWorker });
      const rows = await t.db.query('SELECT id, score, comment, submitted_at FROM responses WHERE workspace_id = $1 ORDER BY id', [ws.id]);
      return { counts: [summary.rows, summary.inserted, summary.updated, summary.unchanged, summary.rejected], rejects: readFileSync(summary.rejectsFile!, 'utf8'), rows };
    };
    const here = await importWith(false);
    const inWorker = await importWith(true);
    assert.deepEqual(inWorker, here);
    // r11, r12, r24 and r25 have only scores of 11 and 12; ids seen again in later batches are updates.
    assert.deepEqual(here.counts, [41, 26, 8, 0, 7]);

    const ws = await t.workspace();
    const request = { workspace: ws, kind: 'responses' as const, reportDir: join(dir, 'reports'), readInWorker: true };
    await assert.rejects(importFile(t.db, { ...request, path, mapping: mappingSchema.parse({ fields: { score: 'rating' } }) }), (error: Error) => error.name === 'Error' && /rating/.test(error.message));
    await assert.rejects(importFile(t.db, { ...request, path: join(dir, 'missing.csv'), mapping: mappingSchema.parse({}) }), { code: 'ENOENT' });

    const controller = new AbortController();
    let batches = 0;
    const interrupted = await importFile(t.db, {
      ...request,
      path,
      mapping: mappingSchema.parse({}),
      batchSize: 7,
      signal: controller.signal,
      onProgress: () => {
        if (++batches === 2) controller.abort();
      },
    });
    assert.equal(interrupted.status, 'interrupted');
    assert.equal(interrupted.inserted + interrupted.updated, 14, 'two whole batches');
  });

  test('a batch the database refuses is rolled back whole', async () => {
    const ws = await t.workspace();
    // A headcount beyond PostgreSQL's integer range passes our parser but not the database.
    const path = file('id,headcount\nc1,10\nc2,20\nc3,30\nc4,3000000000\n');
    await assert.rejects(run(ws, 'customers', path), /out of range/);
    const [{ n } = { n: -1 }] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM customers WHERE workspace_id = $1', [ws.id]);
    assert.equal(n, 2, 'the first batch of two committed; the failing batch left nothing behind');
  });

  test('ticket times are derived from messages, and never overwrite the source', async () => {
    const ws = await t.workspace();
    await run(ws, 'tickets', file('id,created_at,first_response_at\nt1,2024-01-01T10:00:00Z,\nt2,2024-01-01T10:00:00Z,2024-01-01T10:05:00Z\n'));
    const messages = file(
      [
        'id,ticket_id,author_kind,public,sent_at',
        'm1,t1,customer,true,2024-01-01T10:00:00Z',
        'm2,t1,bot,true,2024-01-01T10:00:30Z',
        'm3,t1,agent,false,2024-01-01T10:10:00Z',
        'm4,t1,agent,true,2024-01-01T10:20:00Z',
        'm5,t1,customer,true,2024-01-01T10:25:00Z',
        'm6,t1,agent,true,2024-01-01T10:30:00Z',
        'm7,t2,agent,true,2024-01-01T10:15:00Z',
      ].join('\n') + '\n',
    );
    await run(ws, 'messages', messages);
    const read = () =>
      t.db.query<{ id: string; first_response_at: Date; agent_reply_count: number; customer_contact_count: number }>(
        'SELECT id, first_response_at, agent_reply_count, customer_contact_count FROM tickets WHERE workspace_id = $1 ORDER BY id',
        [ws.id],
      );
    const derived = await read();
    assert.equal(derived[0]?.first_response_at.toISOString(), '2024-01-01T10:20:00.000Z', 'bots and private notes do not count');
    assert.equal(derived[0]?.agent_reply_count, 2);
    assert.equal(derived[0]?.customer_contact_count, 2);
    assert.equal(derived[1]?.first_response_at.toISOString(), '2024-01-01T10:05:00.000Z', 'the source value stays');
    const reimport = await run(ws, 'tickets', file('id,created_at,first_response_at\nt1,2024-01-01T10:00:00Z,\nt2,2024-01-01T10:00:00Z,2024-01-01T10:05:00Z\n'));
    assert.equal(reimport.unchanged, 2, 'an empty source cell does not erase a derived value');
    assert.deepEqual(await read(), derived);
  });

  test('new channels and touchpoints become the workspace’s custom ones', async () => {
    const ws = await t.workspace();
    await run(ws, 'responses', file('kind,score,submitted_at,channel,touchpoint\ncsat,5,2024-01-01,WhatsApp,Delivery Desk\n'));
    const custom = await t.db.query<{ key: string }>(
      `SELECT key FROM channels WHERE workspace_id = $1 AND NOT builtin UNION ALL SELECT key FROM touchpoints WHERE workspace_id = $1 AND NOT builtin ORDER BY key`,
      [ws.id],
    );
    assert.deepEqual(custom.map((c) => c.key), ['delivery-desk', 'whatsapp']);
  });

  test('JSON and NDJSON files go through the same checks', async () => {
    const ws = await t.workspace();
    const json = await run(ws, 'visits', file(JSON.stringify([{ id: 'v1', visited_at: '2024-02-01T08:00:00Z', intent: 'compare prices' }, { id: 'v2' }]), 'json'));
    assert.deepEqual([json.inserted, json.rejected, json.unit], [1, 1, 'element']);
    assert.equal(json.firstRejects[0]?.line, 2);
    const nd = await run(ws, 'visits', file('{"id":"v3","visited_at":1706774400}\nnot json\n', 'ndjson'));
    assert.deepEqual([nd.inserted, nd.rejected], [1, 1]);
    assert.ok(!existsSync(join(dir, 'reports', 'missing')));
  });
});
