import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAudit } from '../../src/storage/audit.ts';
import { hookSecret } from '../../src/storage/hook-secrets.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

/**
 * The Settings page in Chromium: a CSAT threshold and the time zone changed through the form,
 * kept after a reload, and followed by the metrics (CSAT falls when only 5 of 5 counts; the
 * overview speaks in the new zone); a webhook secret made and shown once; an API key created;
 * the audit log lists the changes. English and Arabic (mirrored), axe, screenshots.
 */

interface MetricJson {
  groups: Array<{ value: number | null; n: number }>;
  timezone: string;
}

describe('dashboard settings page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

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
});
