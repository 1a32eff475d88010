import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { smtpMailer } from '../src/jobs/mailer.ts';
import { SEND_INVITATION } from '../src/jobs/send-invitation.ts';
import { createJobWorker } from '../src/jobs/worker.ts';
import type { Database } from '../src/storage/database.ts';
import { claimJobs, enqueueJob, listJobs } from '../src/storage/jobs.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPGlite } from '../src/storage/pglite.ts';
import { openPostgres } from '../src/storage/postgres.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { ensureWorkspace, type Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine, TEST_POSTGRES_URL } from './support/databases.ts';
import { closedPort, startInbox, type Inbox } from './support/smtp.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** Events → a send_invitation job → an e-mail received by a real SMTP server started here. */

const TOKEN = 'test-token-0123456789abcdefghij';
const PUBLIC = 'http://sada.test';

async function setTriggers(db: Database, ws: Workspace, triggers: unknown, extra: Record<string, unknown> = {}): Promise<void> {
  await db.query(`UPDATE workspaces SET settings = settings || jsonb_build_object('listening', $2::jsonb) WHERE id = $1`, [ws.id, JSON.stringify({ triggers, ...extra })]);
}

const quiet = { log: () => {} };

describe('distribution', () => {
  let inbox: Inbox;
  before(async () => {
    inbox = await startInbox();
  });
  after(async () => {
    await inbox.close();
  });
  const mailer = () => smtpMailer(`smtp://127.0.0.1:${inbox.port}`, 'Acme <feedback@acme.example>');

  describeEachEngine('events → invitation e-mail', (t) => {
    const app = () => createApp({ db: t.db, version: 'test', apiToken: TOKEN, trustProxy: true });
    beforeEach(() => {
      inbox.messages.length = 0;
    });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      app().request('/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    test('an event schedules the survey after the delay; the e-mail is in the customer’s language, the name escaped, each score a link that preselects it', async () => {
      const ws = await t.workspace('events');
      await saveSurvey(t.db, ws.id, checkoutSurvey());
      await setTriggers(t.db, ws, [{ event: 'order_delivered', survey: 'checkout', delayMinutes: 60 }]);
      const occurredAt = new Date(Date.now() - 2 * 3600_000);
      const hostile = '<script>alert(1)</script> Ana & "Co"';
      const response = await post({ id: 'ev-1', workspace: ws.name, type: 'order_delivered', customer: { id: 'c-1', email: 'ana@example.com', name: hostile, language: 'ar' }, order: { id: 'o-7', total: 12 }, occurredAt: occurredAt.toISOString() });
      assert.equal(response.status, 202);
      const body = (await response.json()) as { event: string; scheduled: Array<{ survey: string; runAt: string }> };
      assert.equal(body.event, 'ev-1');
      assert.equal(body.scheduled.length, 1);
      assert.equal(body.scheduled[0]!.runAt, new Date(occurredAt.getTime() + 3600_000).toISOString());

      // Not due yet: an event that just happened waits its hour.
      const later = await post({ workspace: ws.name, type: 'order_delivered', customer: { id: 'c-2', email: 'bo@example.com' } });
      assert.equal(later.status, 202);

      const worker = createJobWorker(t.db, { mailer: mailer(), publicUrl: () => PUBLIC }, { ...quiet, workspaceIds: [ws.id] });
      assert.equal(await worker.runOnce(), 1);
      const [mail] = await inbox.next();
      assert.equal(mail!.subject, 'سؤال سريع عن تجربتك');
      assert.equal((mail!.to as { value: Array<{ address: string }> }).value[0]!.address, 'ana@example.com');
      assert.equal(mail!.from?.value[0]?.address, 'feedback@acme.example');
      const html = String(mail!.html);
      assert.match(html, /<html lang="ar" dir="rtl">/);
      assert.ok(!html.includes('<script>'), 'the name is escaped');
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; Ana &amp; &quot;Co&quot;'));
      assert.match(html, /ما مدى احتمال أن توصي بنا لصديق؟/);
      assert.match(mail!.text ?? '', /ما مدى احتمال أن توصي بنا لصديق؟/);
      const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
      const scoreLinks = links.filter((l) => l.includes('&score='));
      assert.equal(scoreLinks.length, 11, 'one link per score, 0 to 10');
      const nine = scoreLinks.find((l) => l.endsWith('&score=9'))!;
      assert.ok(nine.startsWith(`${PUBLIC}/s/${ws.name}/checkout?lang=ar&t=`));

      const page = await app().request(nine.slice(PUBLIC.length));
      assert.equal(page.status, 200);
      const pageHtml = await page.text();
      assert.match(pageHtml, /<input type="radio" name="q\.recommend\.score" value="9" checked/);
      assert.doesNotMatch(pageHtml, /value="8" checked/);
      const [count] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM submissions WHERE workspace_id = $1', [ws.id]);
      assert.equal(count!.n, 0, 'opening a score link stores nothing');

      const jobs = await listJobs(t.db, ws.id, SEND_INVITATION);
      assert.deepEqual(jobs.map((j) => j.status), ['done', 'queued']);

      // The sender retries the same event: nothing new is scheduled.
      const again = await post({ id: 'ev-1', workspace: ws.name, type: 'order_delivered', customer: { id: 'c-1', email: 'ana@example.com', name: hostile, language: 'ar' }, order: { id: 'o-7', total: 12 }, occurredAt: occurredAt.toISOString() });
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { duplicate: boolean }).duplicate, true);
      assert.equal((await listJobs(t.db, ws.id, SEND_INVITATION)).length, 2);
      const reused = await post({ workspace: ws.name, type: 'signup', customer: { id: 'c-9' } }, { 'idempotency-key': 'ev-1' });
      assert.equal(reused.status, 409);

      // A second event for the same customer within the contact cooldown is skipped, with the reason.
      await post({ id: 'ev-2', workspace: ws.name, type: 'order_delivered', customer: { id: 'c-1', email: 'ana@example.com' }, occurredAt: occurredAt.toISOString() });
      assert.equal(await worker.runOnce(), 1);
      const skipped = (await listJobs(t.db, ws.id, SEND_INVITATION)).at(-1)!;
      assert.equal(skipped.status, 'skipped');
      assert.match(skipped.result ?? '', /^recently_invited/);
    });

    test('opted-out customers and customers without an address are skipped, with the reason recorded', async () => {
      const ws = await t.workspace('optout');
      await saveSurvey(t.db, ws.id, checkoutSurvey());
      await setTriggers(t.db, ws, [{ event: 'ticket_solved', survey: 'checkout', delayMinutes: 0 }]);
      await t.db.query(`INSERT INTO survey_opt_outs (workspace_id, person_kind, person_id) VALUES ($1, 'customer', 'c-out')`, [ws.id]);
      assert.equal((await post({ workspace: ws.name, type: 'ticket_solved', customer: { id: 'c-out', email: 'out@example.com' }, ticket: 't-1' })).status, 202);
      assert.equal((await post({ workspace: ws.name, type: 'ticket_solved', customer: { id: 'c-none' } })).status, 202);
      const worker = createJobWorker(t.db, { mailer: mailer(), publicUrl: () => PUBLIC }, { ...quiet, workspaceIds: [ws.id] });
      assert.equal(await worker.runOnce(), 2);
      const jobs = await listJobs(t.db, ws.id, SEND_INVITATION);
      assert.deepEqual(jobs.map((j) => [j.status, j.result?.split(':')[0]]), [['skipped', 'opted_out'], ['skipped', 'no_email']]);
      assert.equal(inbox.messages.length, 0);
    });

    test('SMTP down or not configured: the job is kept, retried with exponential backoff, last_error set', async () => {
      const ws = await t.workspace('smtpdown');
      await saveSurvey(t.db, ws.id, checkoutSurvey());
      await setTriggers(t.db, ws, [{ event: 'signup', survey: 'checkout' }]);
      assert.equal((await post({ workspace: ws.name, type: 'signup', customer: { id: 'c-1', email: 'ana@example.com', language: 'lt' } })).status, 202);
      const down = createJobWorker(t.db, { mailer: smtpMailer(`smtp://127.0.0.1:${await closedPort()}`, 'x@acme.example'), publicUrl: () => PUBLIC }, { ...quiet, workspaceIds: [ws.id] });
      const delayOf = async () => {
        const [row] = await t.db.query<{ delay: number }>(`SELECT extract(epoch FROM run_at - now())::float8 AS delay FROM jobs WHERE workspace_id = $1`, [ws.id]);
        return row!.delay;
      };
      assert.equal(await down.runOnce(), 1);
      let [job] = await listJobs(t.db, ws.id);
      assert.equal(job!.status, 'queued');
      assert.equal(job!.attempts, 1);
      assert.match(job!.last_error ?? '', /ECONNREFUSED|connect/i);
      assert.ok(Math.abs((await delayOf()) - 60) < 10, 'first retry after a minute');
      assert.equal(await down.runOnce(), 0, 'not due again yet');

      await t.db.query('UPDATE jobs SET run_at = now() WHERE workspace_id = $1', [ws.id]);
      const unconfigured = createJobWorker(t.db, { mailer: smtpMailer(undefined, undefined), publicUrl: () => PUBLIC }, { ...quiet, workspaceIds: [ws.id] });
      assert.equal(await unconfigured.runOnce(), 1);
      [job] = await listJobs(t.db, ws.id);
      assert.equal(job!.status, 'queued');
      assert.equal(job!.attempts, 2);
      assert.match(job!.last_error ?? '', /E-mail is not configured: set SADA_SMTP_URL and SADA_MAIL_FROM/);
      assert.ok(Math.abs((await delayOf()) - 120) < 10, 'then after two minutes');

      await t.db.query('UPDATE jobs SET run_at = now() WHERE workspace_id = $1', [ws.id]);
      const up = createJobWorker(t.db, { mailer: mailer(), publicUrl: () => PUBLIC }, { ...quiet, workspaceIds: [ws.id] });
      assert.equal(await up.runOnce(), 1);
      const [mail] = await inbox.next();
      assert.equal(mail!.subject, 'Trumpas klausimas apie jūsų patirtį');
      [job] = await listJobs(t.db, ws.id);
      assert.equal(job!.status, 'done');
      assert.equal(job!.attempts, 3);
    });

    test('POST /api/v1/events: the API token is required; invalid events get a 4xx that says what to fix', async () => {
      const ws = await t.workspace('invalid');
      const valid = { workspace: ws.name, type: 'order_completed', customer: { id: 'c-1' } };
      assert.equal((await app().request('/api/v1/events', { method: 'POST', body: JSON.stringify(valid) })).status, 401);
      assert.equal((await post(valid, { authorization: 'Bearer wrong-token-wrong-token-wrong' })).status, 401);
      const off = await createApp({ db: t.db, version: 'test' }).request('/api/v1/events', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(valid) });
      assert.equal(off.status, 401);

      const problem = async (body: unknown, headers: Record<string, string> = {}) => {
        const response = await post(body, headers);
        return { status: response.status, message: ((await response.json()) as { message: string }).message };
      };
      assert.deepEqual(await problem('{"type":'), { status: 400, message: 'The body is not valid JSON.' });
      let r = await problem({ workspace: ws.name, customer: { id: 'c-1' } });
      assert.equal(r.status, 400);
      assert.match(r.message, /type is required: one of order_completed, order_delivered, ticket_solved, subscription_cancelled, signup or a name of your own/);
      r = await problem({ ...valid, type: 'Order Completed!' });
      assert.match(r.message, /type must be one of .* in lower case/);
      r = await problem({ workspace: ws.name, type: 'signup' });
      assert.match(r.message, /customer is required/);
      r = await problem({ ...valid, customer: { id: 'c-1', email: 'not-an-address' } });
      assert.match(r.message, /customer.email must be an e-mail address/);
      r = await problem({ ...valid, occurredAt: '01/05/2026' });
      assert.match(r.message, /occurredAt must be an ISO 8601 time/);
      r = await problem({ ...valid, customr: {} });
      assert.match(r.message, /unknown field customr: put your own data under "properties"/);
      r = await problem({ ...valid, id: 'a' }, { 'idempotency-key': 'b' });
      assert.match(r.message, /Idempotency-Key header and the body's "id" differ/);
      r = await problem({ ...valid, workspace: 'no-such-workspace' });
      assert.deepEqual(r, { status: 404, message: 'There is no workspace "no-such-workspace".' });
      const big = await post({ ...valid, properties: { blob: 'x'.repeat(70_000) } });
      assert.equal(big.status, 413);

      await setTriggers(t.db, ws, [{ event: 'signup', survey: 'nope' }, { event: 'signup' }]);
      const warned = (await (await post({ ...valid, type: 'signup', occurredAt: '2020-01-01T00:00:00Z' })).json()) as { scheduled: unknown[]; warnings: string[] };
      assert.deepEqual(warned.scheduled, []);
      assert.match(warned.warnings.join('\n'), /settings\.listening\.triggers\[1\] is ignored: survey is required/);
      assert.match(warned.warnings.join('\n'), /names survey "nope", which this workspace does not have/);
      await saveSurvey(t.db, ws.id, checkoutSurvey());
      await setTriggers(t.db, ws, [{ event: 'signup', survey: 'checkout', delayMinutes: 10 }]);
      const stale = (await (await post({ ...valid, type: 'signup', occurredAt: '2020-01-01T00:00:00Z' })).json()) as { scheduled: unknown[]; warnings: string[] };
      assert.deepEqual(stale.scheduled, []);
      assert.match(stale.warnings[0]!, /more than 7 days ago, too late to ask/);

      const ok = await post({ ...valid, properties: { plan: 'gold' } });
      assert.equal(ok.status, 202);
      const body = (await ok.json()) as { scheduled: unknown[]; warnings: string[] };
      assert.deepEqual(body.scheduled, []);
      assert.match(body.warnings[0]!, /no trigger in settings.listening.triggers for "order_completed"/);
    });
  });

  /** A real restart: the database is closed and opened again (PGlite on disk; a new PostgreSQL pool). */
  const restartable: Array<{ name: string; open(): Promise<Database>; cleanup(): void }> = [];
  {
    const dir = mkdtempSync(join(tmpdir(), 'sada-jobs-'));
    restartable.push({ name: 'pglite', open: async () => openPGlite(join(dir, 'pgdata')), cleanup: () => rmSync(dir, { recursive: true, force: true }) });
    const url = TEST_POSTGRES_URL;
    if (url) restartable.push({ name: 'postgres', open: () => openPostgres(url, { max: 2 }), cleanup: () => {} });
  }
  for (const engine of restartable) {
    test(`a queued job survives a restart, and a job held by a process that died runs again after its lock [${engine.name}]`, async () => {
      inbox.messages.length = 0;
      try {
        let db = await engine.open();
        await migrate(db);
        const ws = await ensureWorkspace(db, `restart-${Math.random().toString(36).slice(2, 10)}`);
        await saveSurvey(db, ws.id, checkoutSurvey());
        const payload = (customer: string) => ({ event: `ev-${customer}`, eventType: 'signup', survey: 'checkout', customer: { id: customer, email: `${customer}@example.com` } });
        await db.transaction(async (tx) => {
          await enqueueJob(tx, ws.id, { kind: SEND_INVITATION, payload: payload('a'), subjectId: 'a' });
          await enqueueJob(tx, ws.id, { kind: SEND_INVITATION, payload: payload('b'), subjectId: 'b' });
        });
        // A process claims one job and dies before finishing it.
        const [held] = await claimJobs(db, { limit: 1, lockSeconds: 600, kinds: [SEND_INVITATION], workspaceIds: [ws.id] });
        assert.ok(held);
        await db.close();

        db = await engine.open();
        const worker = createJobWorker(db, { mailer: mailer(), publicUrl: () => PUBLIC }, { ...quiet, workspaceIds: [ws.id] });
        assert.equal(await worker.runOnce(), 1, 'the job nobody holds runs at once');
        await inbox.next();
        let jobs = await listJobs(db, ws.id);
        assert.deepEqual(jobs.map((j) => j.status).sort(), ['done', 'running']);
        assert.equal(await worker.runOnce(), 0, 'a job whose lock holds is left alone');
        // Its 10 minutes pass.
        await db.query(`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE workspace_id = $1 AND id = $2`, [ws.id, held.id]);
        assert.equal(await worker.runOnce(), 1, 'the dead process’s job, once its lock expired');
        await inbox.next();
        jobs = await listJobs(db, ws.id);
        assert.deepEqual(jobs.map((j) => j.status), ['done', 'done']);
        assert.equal(jobs.find((j) => j.id === held.id)!.attempts, 2);

        // The loop: start() polls, stop() waits for the job in hand.
        await db.transaction((tx) => enqueueJob(tx, ws.id, { kind: SEND_INVITATION, payload: payload('c'), subjectId: 'c' }));
        worker.start();
        await inbox.next();
        await worker.stop();
        assert.equal((await listJobs(db, ws.id)).at(-1)!.status, 'done');
        await db.close();
      } finally {
        engine.cleanup();
      }
    });
  }
});
