import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { deliverWebhookHandler } from '../../src/jobs/deliver-webhook.ts';
import { listAudit } from '../../src/storage/audit.ts';
import { hookSecret } from '../../src/storage/hook-secrets.ts';
import { JobWorker } from '../../src/storage/jobs.ts';
import { saveSurvey } from '../../src/storage/surveys.ts';
import { DELIVER_WEBHOOK, findWebhook } from '../../src/storage/webhooks.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';
import { SCREENSHOTS } from '../support/browser.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/**
 * The Settings page in Chromium: a CSAT threshold and the time zone changed through the form,
 * kept after a reload, and followed by the metrics (CSAT falls when only 5 of 5 counts; the
 * overview speaks in the new zone); a webhook secret made and shown once; an API key created;
 * the audit log lists the changes. Outgoing webhooks: a private URL refused with the server's
 * message, an endpoint added for a local receiver (private targets then allowed, as
 * test/webhooks.test.ts does), its secret shown once, listed as the API lists it; the delivery log
 * after an answer (a hostile error text shown as text), Resend and its 409; disable, rotate,
 * delete; hidden from analysts. English and Arabic (mirrored, URLs left to right), axe, screenshots.
 */

interface WebhookJson {
  id: number;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
}
interface DeliveryJson {
  id: number;
  event: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

interface MetricJson {
  groups: Array<{ value: number | null; n: number }>;
  timezone: string;
}

describe('dashboard settings page in Chromium', () => {
  let dashboard: DashboardHarness;
  let receiver: Receiver;
  const allowPrivate = process.env.SADA_WEBHOOKS_ALLOW_PRIVATE;
  before(async () => {
    dashboard = await startDashboard();
    receiver = await startReceiver();
    await saveSurvey(dashboard.db, dashboard.workspace.id, checkoutSurvey());
  });
  after(async () => {
    if (allowPrivate === undefined) delete process.env.SADA_WEBHOOKS_ALLOW_PRIVATE;
    else process.env.SADA_WEBHOOKS_ALLOW_PRIVATE = allowPrivate;
    await receiver?.close();
    await dashboard?.close();
  });
  /** Sends what is due, as the job worker does (the test server runs none). */
  const sendDue = () => new JobWorker(dashboard.db, { [DELIVER_WEBHOOK]: deliverWebhookHandler({ db: dashboard.db }) }, { workspaceIds: [dashboard.workspace.id], log: () => {} }).runOnce();
  let answers = 0;
  const answer = async (comment: string) => {
    const response = await fetch(`${dashboard.server.url}/api/v1/public/responses`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `settings-webhook-answer-${++answers}` },
      body: JSON.stringify({ workspace: 'acme', survey: 'checkout', language: 'en', complete: true, answers: { recommend: { score: 8, comment } } }),
    });
    assert.equal(response.status, 201, await response.text());
  };
  const webhooks = async () => (await dashboard.api<{ webhooks: WebhookJson[] }>('/api/v1/webhooks?workspace=acme')).webhooks;
  const deliveries = async (id: number) => (await dashboard.api<{ deliveries: DeliveryJson[] }>(`/api/v1/webhooks/${id}/deliveries?workspace=acme`)).deliveries;
  const cells = (page: Page, testId: string) => page.locator(`[data-testid=deliveries] tbody [data-testid=${testId}]`).allTextContents();
  const refreshLog = async (page: Page, expectedStatuses: string[]) => {
    await page.click('[data-testid=delivery-refresh]');
    await page.waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll('[data-testid=deliveries] tbody tr')].map((r) => r.getAttribute('data-status'))) === want,
      JSON.stringify(expectedStatuses),
    );
  };

  test('English: a threshold and the time zone change, persist, and the metrics follow; secrets shown once; audited', async () => {
    const csatBefore = (await dashboard.api<MetricJson>('/api/v1/metrics/csat?workspace=acme')).groups[0]!;
    const page = await dashboard.open('en', '/settings');
    assert.equal(await page.textContent('main h1'), 'Settings');
    await page.waitForSelector('[data-testid=settings-form] [data-testid=positive-1-5]');
    assert.equal(await page.inputValue('[data-testid=positive-1-5]'), '4', 'the default: 4 and 5 of 5 are satisfied');
    await page.fill('[data-testid=positive-1-5]', '5');
    await page.fill('[data-testid=timezone]', 'Asia/Riyadh');
    await page.click('[data-testid=save-settings]');
    await page.waitForSelector('[data-testid=settings-saved]', { timeout: 60_000 });
    assert.match((await page.textContent('[data-testid=settings-saved]'))!, /^Saved: 2 settings changed\. \d+ tables? of totals (was|were) rebuilt for the new time zone\.$/);

    await page.reload();
    await page.waitForSelector('[data-testid=settings-form] [data-testid=positive-1-5]');
    assert.equal(await page.inputValue('[data-testid=positive-1-5]'), '5', 'the change survives a reload');
    assert.equal(await page.inputValue('[data-testid=timezone]'), 'Asia/Riyadh');

    const csatAfter = await dashboard.api<MetricJson>('/api/v1/metrics/csat?workspace=acme');
    assert.equal(csatAfter.timezone, 'Asia/Riyadh');
    assert.equal(csatAfter.groups[0]!.n, csatBefore.n, 'the same answers');
    assert.ok(csatAfter.groups[0]!.value! < csatBefore.value!, `fewer count as satisfied (${csatAfter.groups[0]!.value} < ${csatBefore.value})`);
    const overview = await dashboard.open('en', '/');
    await overview.waitForSelector('[data-testid=overview-period]');
    assert.match((await overview.textContent('[data-testid=overview-period]'))!, /in the time zone Asia\/Riyadh/);

    // A webhook secret Sada makes: shown once, stored, the receiver now marked as set.
    await page.click('[data-testid=make-secret-typeform]');
    await page.waitForSelector('[data-testid=hook-secret] code');
    const shown = (await page.locator('[data-testid=hook-secret] code').first().textContent())!;
    assert.equal(shown, await hookSecret(dashboard.db, dashboard.workspace.id, 'typeform'));
    await page.waitForFunction(() => document.querySelector('[data-testid=secret-state-typeform]')?.textContent === 'set');
    assert.match((await page.textContent('[data-testid=hook-secret]'))!, /\/api\/v1\/hooks\/typeform\?workspace=acme/);

    // An API key: its secret once.
    await page.fill('[data-testid=key-name]', 'warehouse sync');
    await page.click('[data-testid=create-key]');
    await page.waitForSelector('[data-testid=key-secret] code');
    assert.match((await page.textContent('[data-testid=key-secret] code'))!, /^\S{20,}$/);
    await page.waitForSelector('[data-testid=api-keys] >> text=warehouse sync');

    const audit = (await listAudit(dashboard.db, dashboard.workspace.id)).map((a) => a.action);
    assert.deepEqual(audit.slice(0, 3), ['api_key.create', 'hook_secret.set', 'settings.update']);
    await page.reload();
    await page.waitForSelector('[data-testid=audit] tbody tr');
    assert.equal(await page.locator('[data-testid=audit] tbody tr').count(), audit.length, 'the audit log lists every change');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-settings-en');
  });

  test('Arabic: mirrored, Arabic weekday names, no serious axe violations; a bad zone is refused with the server\'s message', async () => {
    const page = await dashboard.open('ar', '/settings');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.waitForSelector('[data-testid=settings-form] [data-testid=timezone]');
    await assertHugsStart(page, '.sidenav', 'rtl');
    assert.match((await page.locator('.weekdays label').first().textContent())!, /الاثنين/);
    await page.fill('[data-testid=timezone]', 'Mars/Olympus');
    await page.click('[data-testid=save-settings]');
    await page.waitForSelector('[data-testid=settings-form] [role=alert]');
    assert.match((await page.textContent('[data-testid=settings-form] [role=alert]'))!, /IANA time zone/);
    const settings = await dashboard.api<{ timezone: string }>('/api/v1/workspace-settings?workspace=acme');
    assert.notEqual(settings.timezone, 'Mars/Olympus');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page).filter((p) => p !== '400 PATCH /api/v1/workspace-settings'), []);
    await screenshot(page, 'dashboard-settings-ar');
  });
  test('English: outgoing webhooks — a private URL refused, an endpoint added with its secret shown once, the delivery log, Resend, disable, rotate, delete', async () => {
    delete process.env.SADA_WEBHOOKS_ALLOW_PRIVATE;
    const page = await dashboard.open('en', '/settings');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.waitForSelector('[data-testid=outgoing-webhooks] h2');
    assert.equal(await page.textContent('#settings-outhooks'), 'Outgoing webhooks');
    assert.match((await page.textContent('[data-testid=outgoing-webhooks]'))!, /No endpoint yet/);

    // The SSRF guard's refusal, as the server words it.
    const target = `${receiver.url}/sada?x=1`;
    await page.fill('[data-testid=webhook-new-url]', target);
    await page.click('[data-testid=webhook-add]');
    await page.waitForSelector('[data-testid=outgoing-webhooks] [role=alert]');
    assert.match((await page.textContent('[data-testid=outgoing-webhooks] [role=alert]'))!, /url is refused: 127\.0\.0\.1 is a loopback address/);
    assert.deepEqual(await webhooks(), []);

    // Private targets allowed (a receiver on this machine): added, for completed answers only.
    process.env.SADA_WEBHOOKS_ALLOW_PRIVATE = '1';
    await page.uncheck('[data-testid="webhook-event-response.created"]');
    await page.click('[data-testid=webhook-add]');
    await page.waitForSelector('[data-testid=webhook-secret] code:not(.url)');
    const [hook] = await webhooks();
    assert.ok(hook);
    assert.deepEqual([hook.url, hook.events, hook.enabled], [target, ['response.completed'], true]);
    const secret = (await page.textContent('[data-testid=webhook-secret] code:not(.url)'))!;
    assert.match(secret, /^whsec_/);
    assert.equal(secret, (await findWebhook(dashboard.db, dashboard.workspace.id, hook.id))!.secret, 'the secret shown is the one stored');
    assert.equal(await page.getAttribute('[data-testid=webhook-secret] code.url', 'dir'), 'ltr');
    assert.equal(await page.locator('[data-testid=outgoing-webhooks] [role=alert]').count(), 0, 'the refusal is gone');
    const row = page.locator(`[data-testid=webhooks] tr[data-webhook="${hook.id}"]`);
    assert.equal(await row.locator('[data-testid=webhook-url]').textContent(), hook.url);
    assert.equal(await row.locator('[data-testid=webhook-events]').textContent(), 'response.completed');
    assert.equal(await row.locator('[data-testid=webhook-state]').textContent(), 'enabled');
    assert.equal(await page.locator('[data-testid=webhooks] tbody tr').count(), 1);
    assert.equal(await page.textContent('[data-testid=webhooks] caption'), '1 endpoint');
    await page.reload();
    await page.waitForSelector(`[data-testid=webhooks] tr[data-webhook="${hook.id}"]`);
    assert.equal(await page.locator('[data-testid=webhook-secret]').count(), 0, 'the secret is shown once');

    // An answer arrives and is delivered; the log shows it as the API does.
    await row.locator('[data-testid=webhook-log]').click();
    await page.waitForSelector('[data-testid=delivery-log] >> text=Nothing sent yet');
    await answer('webhook one');
    assert.equal(await sendDue(), 1);
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]!.url, '/sada?x=1');
    await refreshLog(page, ['delivered']);
    assert.deepEqual(await cells(page, 'delivery-status'), ['delivered']);
    assert.deepEqual(await cells(page, 'delivery-code'), ['200']);
    assert.deepEqual(await cells(page, 'delivery-attempts'), ['1']);

    // The receiver fails with hostile text: shown as text, with the next attempt in words.
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
    receiver.reply = (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end(hostile);
    };
    await answer('webhook two');
    assert.equal(await sendDue(), 1, 'one attempt, which fails');
    receiver.reply = (_request, response) => {
      response.writeHead(200);
      response.end('ok');
    };
    await refreshLog(page, ['retrying', 'delivered']);
    const logged = await deliveries(hook.id);
    assert.deepEqual(logged.map((d) => [d.status, d.attempts, d.responseCode]), [['retrying', 1, 500], ['delivered', 1, 200]]);
    assert.deepEqual(await page.locator('[data-testid=deliveries] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-delivery')))), logged.map((d) => d.id), 'newest first, as the API');
    assert.deepEqual(await cells(page, 'delivery-status'), ['failed, will retry', 'delivered']);
    assert.deepEqual(await cells(page, 'delivery-code'), ['500', '200']);
    assert.equal((await cells(page, 'delivery-error'))[0], logged[0]!.lastError);
    assert.ok(logged[0]!.lastError!.includes(hostile));
    assert.equal(await page.locator('[data-testid=delivery-log] img').count(), 0, 'the receiver\'s HTML is not markup');
    assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
    await page.locator('[data-testid=delivery-log]').screenshot({ path: `${SCREENSHOTS}dashboard-settings-webhook-failed-en.png` });
    assert.match((await cells(page, 'delivery-next'))[0]!, /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M \((in \d+ minutes?|in 1 minute)\)$/);

    // 409: an attempt in flight (a worker holds the job) — said in words, nothing queued.
    const failed = logged[0]!;
    await dashboard.db.query(`UPDATE jobs SET status = 'running' WHERE workspace_id = $1 AND kind = $2 AND payload->>'delivery' = $3 AND status = 'queued'`, [dashboard.workspace.id, DELIVER_WEBHOOK, String(failed.id)]);
    const failedRow = page.locator(`[data-testid=deliveries] tr[data-delivery="${failed.id}"]`);
    await failedRow.locator('[data-testid=delivery-resend]').click();
    await page.waitForSelector('[data-testid=delivery-note][role=alert]');
    assert.equal(await page.textContent('[data-testid=delivery-note]'), 'This delivery is being sent right now, so it cannot be resent yet. Refresh the log in a moment to see how it went.');
    await dashboard.db.query(`UPDATE jobs SET status = 'queued' WHERE workspace_id = $1 AND kind = $2 AND payload->>'delivery' = $3 AND status = 'running'`, [dashboard.workspace.id, DELIVER_WEBHOOK, String(failed.id)]);

    // Resend: queued now, sent, delivered on the second attempt.
    await failedRow.locator('[data-testid=delivery-resend]').click();
    await page.waitForSelector('[data-testid=delivery-note][role=status]');
    assert.match((await page.textContent('[data-testid=delivery-note]'))!, /^Queued/);
    await page.waitForSelector(`[data-testid=deliveries] tr[data-delivery="${failed.id}"][data-status=pending]`);
    assert.equal((await deliveries(hook.id))[0]!.status, 'pending');
    assert.equal(await sendDue(), 1);
    await refreshLog(page, ['delivered', 'delivered']);
    assert.deepEqual(await cells(page, 'delivery-attempts'), ['2', '1']);
    assert.equal(receiver.received.length, 3);
    assert.equal(receiver.received[2]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id'], 'the same message again');
    assert.deepEqual(await seriousAxeViolations(page), []);
    await page.locator('[data-testid=outgoing-webhooks]').screenshot({ path: `${SCREENSHOTS}dashboard-settings-webhooks-en.png` });

    // Disable, rotate (the new secret shown once, stored), delete (confirmed).
    await row.locator('[data-testid=webhook-toggle]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-webhook="${id}"] [data-testid=webhook-state]`)?.textContent === 'disabled', hook.id);
    assert.equal((await webhooks())[0]!.enabled, false);
    assert.equal(await row.locator('[data-testid=webhook-toggle]').textContent(), 'Enable');
    await row.locator('[data-testid=webhook-rotate]').click();
    await page.waitForSelector('[data-testid=webhook-secret] code:not(.url)');
    const rotated = (await page.textContent('[data-testid=webhook-secret] code:not(.url)'))!;
    assert.notEqual(rotated, secret);
    assert.equal(rotated, (await findWebhook(dashboard.db, dashboard.workspace.id, hook.id))!.secret);
    await row.locator('[data-testid=webhook-delete]').click();
    await page.waitForSelector('[data-testid=outgoing-webhooks] >> text=No endpoint yet');
    assert.deepEqual(await webhooks(), []);
    assert.equal(await page.locator('[data-testid=delivery-log]').count(), 0);
    assert.equal(await page.locator('[data-testid=webhook-secret]').count(), 0, 'a deleted endpoint\'s secret is no longer shown');
    assert.equal(dialogs.length, 2);
    assert.ok(dialogs.every((d) => d.includes(target)), 'the confirmations name the endpoint');
    const audit = (await listAudit(dashboard.db, dashboard.workspace.id)).map((a) => a.action);
    assert.deepEqual(audit.slice(0, 5), ['webhook.delete', 'webhook.update', 'webhook.update', 'webhook.resend', 'webhook.create']);
    assert.deepEqual(pageProblems(page), ['400 POST /api/v1/webhooks', '409 POST /api/v1/webhook-deliveries/' + failed.id + '/resend']);
  });

  test('Arabic: outgoing webhooks mirrored, URLs left to right, no serious axe violations; hidden from analysts', async () => {
    process.env.SADA_WEBHOOKS_ALLOW_PRIVATE = '1';
    const page = await dashboard.open('ar', '/settings');
    await page.waitForSelector('[data-testid=outgoing-webhooks] h2');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('#settings-outhooks'), 'خطافات الويب الصادرة');
    const target = `${receiver.url}/ar`;
    await page.fill('[data-testid=webhook-new-url]', target);
    await page.click('[data-testid=webhook-add]');
    await page.waitForSelector('[data-testid=webhook-secret] code:not(.url)');
    const hook = (await webhooks()).find((h) => h.url === target);
    assert.ok(hook, 'listed by the API');
    assert.deepEqual(hook!.events, ['response.created', 'response.completed'], 'both events by default');
    await answer('webhook arabic');
    assert.equal(await sendDue(), 2);
    const row = page.locator(`[data-testid=webhooks] tr[data-webhook="${hook!.id}"]`);
    await row.locator('[data-testid=webhook-log]').click();
    await page.waitForSelector('[data-testid=deliveries] tbody tr');
    assert.deepEqual(await cells(page, 'delivery-status'), ['وصل', 'وصل']);
    assert.equal(await page.textContent('[data-testid=deliveries] caption'), 'الأحدث أولًا: إرسالان');

    // Mirrored: the section's heading hugs the right; the URLs stay left to right.
    const section = (await page.locator('[data-testid=outgoing-webhooks]').boundingBox())!;
    const heading = (await page.locator('#settings-outhooks').boundingBox())!;
    assert.ok(section.x + section.width - (heading.x + heading.width) < 40, 'the heading starts at the right');
    for (const selector of ['[data-testid=webhook-url]', '[data-testid=delivery-log] h3 code', '[data-testid=webhook-new-url]', '[data-testid=webhook-secret] code.url']) {
      assert.equal(await page.locator(selector).first().evaluate((el) => getComputedStyle(el).direction), 'ltr', selector);
    }
    assert.equal(await page.locator('[data-testid=deliveries] th').first().evaluate((el) => getComputedStyle(el).direction), 'rtl');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await page.locator('[data-testid=outgoing-webhooks]').screenshot({ path: `${SCREENSHOTS}dashboard-settings-webhooks-ar.png` });

    // An analyst sees no webhooks section (and the API refuses them).
    const membership = [dashboard.workspace.id, 'admin@acme.test'];
    await dashboard.db.query(`UPDATE memberships SET role = 'analyst' WHERE workspace_id = $1 AND user_id = (SELECT id FROM users WHERE email = $2)`, membership);
    try {
      const analyst = await dashboard.open('en', '/settings');
      await analyst.waitForSelector('[data-testid=settings-form]');
      await analyst.waitForSelector('main [role=note]');
      assert.equal(await analyst.locator('[data-testid=outgoing-webhooks]').count(), 0);
      assert.deepEqual(pageProblems(analyst), []);
    } finally {
      await dashboard.db.query(`UPDATE memberships SET role = 'admin' WHERE workspace_id = $1 AND user_id = (SELECT id FROM users WHERE email = $2)`, membership);
    }
  });
});
