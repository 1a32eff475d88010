import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { openDatabase } from '../src/storage/open.ts';
import { listJobs } from '../src/storage/jobs.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { ensureWorkspace } from '../src/storage/workspaces.ts';
import { startSadaServer } from './support/cli.ts';
import { startInbox, type Inbox } from './support/smtp.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** The real `sada serve`: an event's delayed invitation is sent by the server started after a restart. */
describe('sada serve: events → delayed invitation across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sada-serve-jobs-'));
  const token = 'serve-test-token-0123456789abcdef';
  let inbox: Inbox;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    inbox = await startInbox();
    env = { SADA_DATA_DIR: dataDir, SADA_DATABASE_URL: '', SADA_API_TOKEN: token, SADA_SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, SADA_MAIL_FROM: 'Shop <cx@shop.example>', SADA_PUBLIC_URL: 'https://cx.shop.example' };
  });
  after(async () => {
    await inbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('queued before a restart, sent after it', async () => {
    const opened = await openDatabase(readConfig(env), 'test');
    let workspaceId: number;
    try {
      const ws = await ensureWorkspace(opened.db, 'shop');
      workspaceId = ws.id;
      await saveSurvey(opened.db, ws.id, checkoutSurvey());
      await opened.db.query(`UPDATE workspaces SET settings = jsonb_set(settings, '{listening}', $2::jsonb, true) WHERE id = $1`, [ws.id, JSON.stringify({ triggers: [{ event: 'order_delivered', survey: 'checkout', delayMinutes: 60 }] })]);
    } finally {
      await opened.close();
    }

    let server = await startSadaServer(env);
    // Delivered 59 min 52 s ago: the invitation is due in 8 seconds (after this server has stopped).
    const occurredAt = new Date(Date.now() - 3600_000 + 8000).toISOString();
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'delivery-o-1' },
      body: JSON.stringify({ workspace: 'shop', type: 'order_delivered', customer: { id: 'c-1', email: 'ana@example.com', name: 'Ana', language: 'lt' }, order: 'o-1', occurredAt }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    assert.equal(await server.stop(), 0, 'the server stops cleanly with a job waiting');
    assert.equal(inbox.messages.length, 0, 'not sent before it is due');

    server = await startSadaServer(env);
    try {
      const [mail] = await inbox.next(1, 20_000);
      assert.equal(mail!.subject, 'Trumpas klausimas apie jūsų patirtį');
      assert.match(String(mail!.html), /href="https:\/\/cx\.shop\.example\/s\/shop\/checkout\?lang=lt&amp;t=[\w.-]+&amp;score=10"/);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const check = await openDatabase(readConfig(env), 'test');
    try {
      const jobs = await listJobs(check.db, workspaceId!);
      assert.deepEqual(jobs.map((j) => [j.status, j.attempts]), [['done', 1]]);
    } finally {
      await check.close();
    }
  });
});
