import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { importFile } from '../src/import/importer.ts';
import { mappingSchema } from '../src/import/mapping.ts';
import { smtpMailer } from '../src/jobs/mailer.ts';
import { createJobWorker } from '../src/jobs/worker.ts';
import { addMembership, createSession, createUser } from '../src/storage/accounts.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { listJobs } from '../src/storage/jobs.ts';
import { classifyUnscored, SCORE_SENTIMENT, scoreSentimentSoon, SENTIMENT_WINDOW_MINUTES } from '../src/storage/text-sentiment.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

/**
 * The score_sentiment job (docs/text-analysis.md): an import of responses queues it (one per
 * workspace and window, due at the window's end); the worker runs classifyUnscored, so the
 * unscored comments get a stored sentiment that GET /api/v1/responses and the export show; a
 * second import scores the new comment without duplicating rows; a run with nothing new skips.
 */

const dir = mkdtempSync(join(tmpdir(), 'sada-sentiment-job-'));
let files = 0;
const csv = (lines: string[]) => {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, ['id,kind,score,submitted_at,comment,language', ...lines].join('\n') + '\n');
  return path;
};
const quiet = { log: () => {} };

describeEachEngine('score_sentiment job', (t) => {
  const run = (workspace: Workspace, path: string) => importFile(t.db, { workspace, kind: 'responses', path, mapping: mappingSchema.parse({}), reportDir: join(dir, 'reports') });
  const worker = (ws: Workspace) => createJobWorker(t.db, { mailer: smtpMailer(undefined, undefined), publicUrl: () => 'http://localhost' }, { ...quiet, workspaceIds: [ws.id] });
  /** The clock moves past the queued job's window: it is due, and its window is over. */
  const windowPasses = (ws: Workspace) =>
    t.db.query(
      `UPDATE jobs SET run_at = run_at - make_interval(mins => $3), dedupe_key = 'past:' || id WHERE workspace_id = $1 AND kind = $2 AND status = 'queued'`,
      [ws.id, SCORE_SENTIMENT, 2 * SENTIMENT_WINDOW_MINUTES],
    );
  const stored = async (ws: Workspace) =>
    (await t.db.query<{ record_id: string; label: string; method: string; language: string }>(`SELECT record_id, label, method, language FROM text_sentiment WHERE workspace_id = $1 ORDER BY record_id`, [ws.id])).map((r) => [r.record_id, r.label, r.method, r.language]);

  test('queued after an import, run by the worker, shown by the API and the export; a second import adds without duplicating', async () => {
    const ws = await t.workspace('sentiment-job');
    const other = await t.workspace('sentiment-job-other');
    const scored = Array.from({ length: 240 }, (_, i) =>
      i % 3 === 0 ? `s${i},csat,1,2026-10-01T10:00:00Z,"Não recebi o pedido ${i}, que demora",pt` : `s${i},csat,5,2026-10-01T10:00:00Z,"Chegou antes do prazo ${i}, adorei",pt`,
    );
    const before = Date.now();
    const first = await run(ws, csv([...scored, 'u1,text,,2026-10-02T10:00:00Z,"Ainda não recebi o pedido, que demora",pt', 'u2,text,,2026-10-02T11:00:00Z,"Adorei, chegou antes do prazo",pt']));
    assert.equal(first.inserted, 242);
    let jobs = await listJobs(t.db, ws.id, SCORE_SENTIMENT);
    assert.equal(jobs.length, 1);
    // Due at the end of its window, not at once: a burst of imports and answers is one run.
    const runAt = new Date(jobs[0]!.run_at).getTime();
    assert.equal(runAt % (SENTIMENT_WINDOW_MINUTES * 60_000), 0);
    assert.ok(runAt > before && runAt <= Date.now() + SENTIMENT_WINDOW_MINUTES * 60_000);
    assert.deepEqual(await stored(ws), [], 'nothing is scored in the import itself');

    await windowPasses(ws);
    assert.equal(await worker(ws).runOnce(), 1);
    jobs = await listJobs(t.db, ws.id, SCORE_SENTIMENT);
    assert.equal(jobs[0]!.status, 'done');
    assert.match(jobs[0]!.result!, /^scored 2 comment\(s\) and 0 ticket\(s\): 2 learned, 0 lexicon; models: pt 240 \| inputs: /);
    assert.deepEqual(await stored(ws), [
      ['u1', 'negative', 'learned', 'pt'],
      ['u2', 'positive', 'learned', 'pt'],
    ]);
    assert.deepEqual(await stored(other), []);

    // GET /api/v1/responses: the unscored comments carry their sentiment, scored answers none.
    const user = await createUser(t.db, { email: `s-${ws.id}@example.com`, name: 'Sara', passwordHash: 'x' });
    await addMembership(t.db, ws.id, user.id, 'viewer');
    const cookie = `sada_session=${(await createSession(t.db, user.id)).token}`;
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: ws.name });
    const res = await app.request(`/api/v1/responses?workspace=${ws.name}&limit=3`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { responses: Array<{ id: string; sentiment: { label: string; pNegative: number | null; method: string; language: string } | null }> };
    assert.deepEqual(body.responses.map((r) => r.id), ['u2', 'u1', 's99']);
    assert.deepEqual({ ...body.responses[1]!.sentiment!, pNegative: undefined }, { label: 'negative', method: 'learned', language: 'pt', pNegative: undefined });
    assert.ok(body.responses[1]!.sentiment!.pNegative! > 0.9);
    assert.equal(body.responses[0]!.sentiment!.label, 'positive');
    assert.ok(body.responses[0]!.sentiment!.pNegative! < 0.1);
    assert.equal(body.responses[2]!.sentiment, null);

    // The export: three sentiment columns, empty for a scored answer.
    const exported = await (await app.request(`/api/v1/responses/export?workspace=${ws.name}&format=csv`, { headers: { cookie } })).text();
    const lines = exported.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.ok(lines[0]!.endsWith(',customer_name,sentiment,sentiment_p_negative,sentiment_method'));
    assert.match(lines.find((l) => l.startsWith('u1,'))!, /,negative,(1|0\.9\d*),learned$/);
    assert.match(lines.find((l) => l.startsWith('s99,'))!, /,,,$/);

    // A second import: the same rows again and one new unscored comment.
    const second = await run(ws, csv([...scored, 'u1,text,,2026-10-02T10:00:00Z,"Ainda não recebi o pedido, que demora",pt', 'u3,text,,2026-10-03T10:00:00Z,"Que demora, não recebi nada",pt']));
    assert.deepEqual([second.inserted, second.unchanged], [1, 241]);
    assert.equal((await listJobs(t.db, ws.id, SCORE_SENTIMENT)).filter((j) => j.status === 'queued').length, 1);
    await windowPasses(ws);
    assert.equal(await worker(ws).runOnce(), 1, 'a new worker (a restart) finds the queued job');
    assert.deepEqual(await stored(ws), [
      ['u1', 'negative', 'learned', 'pt'],
      ['u2', 'positive', 'learned', 'pt'],
      ['u3', 'negative', 'learned', 'pt'],
    ]);

    // Nothing new since: the next run skips instead of re-scoring.
    await scoreSentimentSoon(t.db, ws.id, new Date(Date.now() - 3 * SENTIMENT_WINDOW_MINUTES * 60_000));
    assert.equal(await worker(ws).runOnce(), 1);
    jobs = await listJobs(t.db, ws.id, SCORE_SENTIMENT);
    assert.deepEqual(jobs.map((j) => j.status), ['done', 'done', 'skipped']);
    assert.match(jobs[2]!.result!, /^unchanged since the last run/);
    assert.equal((await stored(ws)).length, 3);
  });

  test('debounced: one job per workspace and window however many calls; an import of orders queues none', async () => {
    const ws = await t.workspace('sentiment-debounce');
    const t0 = new Date('2026-10-05T10:01:00Z');
    for (const s of [0, 30, 170]) await scoreSentimentSoon(t.db, ws.id, new Date(t0.getTime() + s * 1000));
    await scoreSentimentSoon(t.db, ws.id, new Date('2026-10-05T10:05:00Z'));
    const jobs = await listJobs(t.db, ws.id, SCORE_SENTIMENT);
    assert.deepEqual(jobs.map((j) => new Date(j.run_at).toISOString()), ['2026-10-05T10:05:00.000Z', '2026-10-05T10:10:00.000Z']);

    const shop = await t.workspace('sentiment-orders');
    const path = join(dir, `o${files++}.csv`);
    writeFileSync(path, 'id,placed_at,amount\no1,2026-10-01,10\n');
    await importFile(t.db, { workspace: shop, kind: 'orders', path, mapping: mappingSchema.parse({}), reportDir: join(dir, 'reports') });
    assert.deepEqual(await listJobs(t.db, shop.id, SCORE_SENTIMENT), []);
  });

  test('a survey answer queues it when it brings text, not for a score alone; two runs at once do not collide', async () => {
    const ws = await t.workspace('sentiment-answers');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    const app = createApp({ db: t.db, version: 'test', trustProxy: true });
    const send = (method: string, path: string, answers: unknown) =>
      app.request(path, { method, headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.77' }, body: JSON.stringify({ workspace: ws.name, survey: 'checkout', complete: false, answers }) });
    const posted = await send('POST', '/api/v1/public/responses', { recommend: { score: 3 } });
    assert.equal(posted.status, 201);
    assert.deepEqual(await listJobs(t.db, ws.id, SCORE_SENTIMENT), [], 'a score alone adds nothing to score');
    const { id } = (await posted.json()) as { id: string };
    assert.equal((await send('PATCH', `/api/v1/public/responses/${id}`, { recommend: { comment: 'The parcel came late and broken' } })).status, 200);
    assert.equal((await listJobs(t.db, ws.id, SCORE_SENTIMENT)).length, 1);

    // Two runs at once (two servers): serialized by the lock, one row per comment.
    await t.db.query(`INSERT INTO responses (workspace_id, id, kind, comment, language, submitted_at) VALUES ($1, 'open-1', 'text', 'Terrible, broken and late', 'en', now())`, [ws.id]);
    await Promise.all([classifyUnscored(t.db, ws.id), classifyUnscored(t.db, ws.id)]);
    assert.deepEqual((await t.db.query<{ record_id: string; label: string }>(`SELECT record_id, label FROM text_sentiment WHERE workspace_id = $1`, [ws.id])).map((r) => [r.record_id, r.label]), [['open-1', 'negative']]);
  });
});
