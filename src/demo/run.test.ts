import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { RECORD_KINDS } from '../domain/record-kinds.ts';
import { describeEachEngine } from '../../test/support/databases.ts';
import { BUILTIN_TOUCHPOINTS } from '../domain/catalog.ts';
import { findSurvey, listSurveys } from '../storage/surveys.ts';
import { createDemo, DEMO_KINDS } from './generator.ts';
import { exampleSurveys, runDemo, type DemoProgress } from './run.ts';

const scratch = mkdtempSync(join(tmpdir(), 'sada-demo-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describeEachEngine('sada demo', (t) => {
  it('imports every kind with no rejects, and a second run changes nothing', async () => {
    const workspace = await t.workspace('demo');
    const tempDir = mkdtempSync(join(scratch, 'tmp-'));
    const reportDir = join(scratch, `report-${workspace.name}`);
    const progress: DemoProgress[] = [];
    const options = { workspace: workspace.name, seed: 7, responses: 2000, reportDir, tempDir };

    const first = await runDemo(t.db, { ...options, onProgress: (p) => progress.push(p) });
    assert.equal(first.status, 'done');
    assert.equal(first.rejected, 0, JSON.stringify(first.summaries.flatMap((s) => s.firstRejects).slice(0, 5)));
    assert.deepEqual(
      first.summaries.map((s) => s.kind),
      [...DEMO_KINDS],
    );
    assert.equal(first.updated, 0);
    assert.equal(first.unchanged, 0);

    // What is in the database is exactly what the generator yields.
    const demo = createDemo(options);
    for (const kind of DEMO_KINDS) {
      let generated = 0;
      for (const _ of demo.records(kind)) generated++;
      const [row] = await t.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${RECORD_KINDS[kind].table} WHERE workspace_id = $1`, [workspace.id]);
      assert.equal(row!.n, generated, `${kind} in the database`);
      assert.equal(first.generated[kind], generated);
      const summary = first.summaries.find((s) => s.kind === kind)!;
      assert.equal(summary.inserted, generated, `${kind} inserted`);
    }
    const [responses] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1', [workspace.id]);
    assert.ok(Math.abs(responses!.n - 2000) < 200, `${responses!.n} responses`);

    // Values survive the round trip through CSV: times, numbers, booleans and attributes.
    const ticket = [...demo.records('tickets')].find((r) => r.first_response_at !== null && r.handled_by_bot === false)!;
    const [stored] = await t.db.query<{ created_at: Date; first_response_at: Date; cost: number; handled_by_bot: boolean; attributes: Record<string, unknown> }>(
      'SELECT created_at, first_response_at, cost, handled_by_bot, attributes FROM tickets WHERE workspace_id = $1 AND id = $2',
      [workspace.id, ticket.id],
    );
    assert.equal(new Date(stored!.created_at).toISOString(), (ticket.created_at as Date).toISOString());
    assert.equal(new Date(stored!.first_response_at).toISOString(), (ticket.first_response_at as Date).toISOString());
    assert.equal(Number(stored!.cost), ticket.cost);
    assert.equal(stored!.handled_by_bot, false);
    assert.deepEqual(stored!.attributes, ticket.attributes);
    const [carriers] = await t.db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM orders WHERE workspace_id = $1 AND attributes->>'carrier' = 'Amber Express'`,
      [workspace.id],
    );
    assert.ok(carriers!.n > 0);
    const [arabic] = await t.db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1 AND language = 'ar' AND comment ~ '[ء-ي]'`,
      [workspace.id],
    );
    assert.ok(arabic!.n > 0, 'Arabic comments are stored as written');

    // The example surveys are there, ready to ask: one per built-in touchpoint, and one for employees.
    const surveys = await listSurveys(t.db, workspace.id);
    assert.deepEqual(surveys.map((s) => s.id).sort(), exampleSurveys().map((s) => s.id).sort());
    assert.deepEqual(first.surveys.map((s) => s.outcome), surveys.map(() => 'created'));
    for (const touchpoint of BUILTIN_TOUCHPOINTS) assert.ok(surveys.some((s) => s.touchpoint === touchpoint && s.status === 'open'), `a survey at ${touchpoint}`);
    const employees = await findSurvey(t.db, workspace.id, 'employee-pulse');
    assert.equal(employees?.survey.audience, 'employees');

    // Progress covers every kind, and the temporary files are gone.
    for (const kind of DEMO_KINDS) assert.ok(progress.some((p) => p.kind === kind && p.phase === 'done'));
    assert.deepEqual(readdirSync(tempDir), []);

    const second = await runDemo(t.db, options);
    assert.equal(second.status, 'done');
    assert.equal(second.inserted, 0);
    assert.equal(second.updated, 0);
    assert.equal(second.rejected, 0);
    assert.equal(second.unchanged, Object.values(first.generated).reduce((a, b) => a + b, 0));
    assert.ok(second.surveys.every((s) => s.outcome === 'updated'));
    assert.equal((await listSurveys(t.db, workspace.id)).length, surveys.length);
  });

  it('stops between batches when aborted, and a re-run completes the job', async () => {
    const workspace = await t.workspace('demo');
    const reportDir = join(scratch, `report-${workspace.name}`);
    const controller = new AbortController();
    const options = { workspace: workspace.name, seed: 8, responses: 1500, months: 6, reportDir, tempDir: scratch, batchSize: 200 };
    const interrupted = await runDemo(t.db, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.kind === 'orders' && p.phase === 'importing' && p.rows > 0) controller.abort();
      },
    });
    assert.equal(interrupted.status, 'interrupted');
    assert.equal(interrupted.summaries.at(-1)!.kind, 'orders');
    const done = await runDemo(t.db, options);
    assert.equal(done.status, 'done');
    assert.equal(done.rejected, 0);
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM orders WHERE workspace_id = $1', [workspace.id]);
    assert.equal(row!.n, done.generated.orders);
  });
});
