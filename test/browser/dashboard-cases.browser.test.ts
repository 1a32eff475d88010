import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { CaseMetrics } from '../../src/metrics/cases.ts';
import type { CaseSummary } from '../../src/storage/cases.ts';
import { saveSurvey } from '../../src/storage/surveys.ts';
import { SCREENSHOTS } from '../support/browser.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/**
 * The closed loop in Chromium: a detractor answers through the real public survey link, the case
 * appears in the queue with the answer and the (hostile) comment shown as text, it is assigned,
 * contacted, annotated and resolved with the page's buttons, and the metric cards follow the API.
 * Then in Arabic: mirrored, Arabic digits equal to the API's, axe clean.
 */

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim();
const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1"> the courier never came';

describe('dashboard cases in Chromium', () => {
  let dashboard: DashboardHarness;
  let caseId = 0;
  let overdueId = 0;
  before(async () => {
    dashboard = await startDashboard();
    await saveSurvey(dashboard.db, dashboard.workspace.id, checkoutSurvey());
    // A case from last week, never followed up: overdue, so it leads the queue.
    await dashboard.db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at) VALUES ($1, 'late-one', 'csat', 1, 1, 5, now() - interval '7 days')`, [dashboard.workspace.id]);
    const [late] = await dashboard.db.query<{ id: number }>(
      `INSERT INTO cases (workspace_id, response_id, kind, score, scale_min, scale_max, answered_at, sla_hours, opened_at, due_at)
       VALUES ($1, 'late-one', 'csat', 1, 1, 5, now() - interval '7 days', 48, now() - interval '7 days', now() - interval '5 days') RETURNING id`,
      [dashboard.workspace.id],
    );
    overdueId = late!.id;
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: a detractor answer through the survey link opens a case; assign, contact, note, resolve; the metrics follow', async () => {
    // The customer's side: the public link page, a 3 of 10 and a comment.
    const survey = await dashboard.browser.newPage({ locale: 'en' });
    await survey.goto(`${dashboard.server.url}/s/acme/checkout?lang=en`);
    await survey.locator('.scale label').nth(3).click();
    await Promise.all([survey.waitForURL(/\/r\//), survey.getByRole('button').first().click()]);
    await survey.fill('#comment-recommend', HOSTILE);
    await Promise.all([survey.waitForNavigation(), survey.locator('button[type=submit]').click()]);
    await survey.close();

    const queue = await dashboard.api<{ cases: CaseSummary[]; owners: Array<{ id: number; name: string }> }>('/api/v1/cases?workspace=acme');
    const opened = queue.cases.find((c) => c.answer.comment === HOSTILE);
    assert.ok(opened, 'the answer opened a case');
    assert.deepEqual([opened.answer.kind, opened.answer.score, opened.status, opened.owner], ['nps', 3, 'open', null]);
    caseId = opened.id;
    const before = await dashboard.api<CaseMetrics>('/api/v1/cases/metrics?workspace=acme');

    const page = await dashboard.open('en', '/cases');
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.waitForSelector(`[data-testid=view-${caseId}]`);
    // The demo's follow-up history: unresolved cases from October, overdue, lead the queue; the
    // case from last week follows them, and the new one (due in 48 hours) comes last.
    const rows = page.locator('[data-testid=cases-table] tbody tr');
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-testid^=view-]')!.getAttribute('data-testid')!.slice(5)));
    const expected = (await dashboard.api<{ cases: CaseSummary[] }>('/api/v1/cases?workspace=acme&status=open,contacted')).cases;
    assert.deepEqual(shown, expected.map((c) => String(c.id)), 'the page shows the API\'s queue, in its order');
    assert.ok(expected.length > 3 && expected.every((c, i) => i === 0 || c.dueAt >= expected[i - 1]!.dueAt), 'by due date');
    assert.match((await rows.first().textContent())!, /Overdue/, 'an overdue case leads the queue');
    assert.equal(shown.at(-1), String(caseId), 'the newest, due last');
    const lateRow = page.locator('[data-testid=cases-table] tbody tr', { has: page.locator(`[data-testid=overdue-${overdueId}]`) });
    assert.match((await lateRow.textContent())!, /5 days ago/);
    const row = page.locator('[data-testid=cases-table] tbody tr', { has: page.locator(`[data-testid=view-${caseId}]`) });
    assert.match((await row.textContent())!, /in 48 hours/, "due 48 hours from now, said relatively");
    assert.match((await row.textContent())!, /NPS: 3 on 0–10/);
    assert.match((await row.textContent())!, /Anonymous/);
    await page.click(`[data-testid=view-${caseId}]`);
    await page.waitForSelector('[data-testid=case-view]');
    assert.equal(await text(page, '[data-testid=case-comment]'), HOSTILE, 'the comment is shown as text');
    assert.equal(await page.locator('[data-testid=case-view] img, [data-testid=cases-table] img').count(), 0);

    // Assign to the signed-in admin, mark contacted, add a note, resolve.
    const admin = queue.owners.find((o) => o.name === 'Ada Admin')!;
    await page.selectOption('[data-testid=case-owner]', String(admin.id));
    await page.waitForFunction((id) => (document.querySelector('[data-testid=case-owner]') as HTMLSelectElement | null)?.value === id && !(document.querySelector('[data-testid=case-owner]') as HTMLSelectElement).disabled, String(admin.id));
    await page.click('[data-testid=case-contacted]');
    await page.waitForSelector('[data-testid=case-view][data-status=contacted]');
    assert.equal(await text(page, '[data-testid=case-status]'), 'Contacted');
    await page.fill('[data-testid=case-note-text]', 'Called her; a new delivery is booked for Friday. <b>not bold</b>');
    await page.click('[data-testid=case-note-add]');
    await page.waitForSelector('[data-testid=case-notes] li');
    assert.match((await text(page, '[data-testid=case-notes]'))!, /Called her; a new delivery is booked for Friday\. <b>not bold<\/b>/);
    assert.match((await text(page, '[data-testid=case-notes]'))!, /admin@acme\.test/);
    await page.click('[data-testid=case-resolve]');
    await page.waitForSelector('[data-testid=case-view][data-status=resolved]');
    await page.waitForSelector('[data-testid=case-resolved-at]');

    const detail = await dashboard.api<{ case: CaseSummary & { notes: Array<{ text: string }> } }>(`/api/v1/cases/${caseId}?workspace=acme`);
    assert.equal(detail.case.status, 'resolved');
    assert.equal(detail.case.owner?.id, admin.id);
    assert.ok(detail.case.contactedAt && detail.case.resolvedAt);
    assert.equal(detail.case.notes.length, 1);

    // The cards now count the resolved case: the same n and values as the API.
    const metrics = await dashboard.api<CaseMetrics>('/api/v1/cases/metrics?workspace=acme');
    assert.equal(metrics.timeToClose.n, before.timeToClose.n + 1);
    assert.equal(metrics.withinSla.x, before.withinSla.x + 1);
    await page.waitForFunction((n) => document.querySelector('[data-testid=case-kpi-within-sla] [data-testid=n]')?.textContent === n, `n = ${metrics.withinSla.n}`);
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    assert.equal(await text(page, '[data-testid=case-kpi-within-sla] [data-testid=value]'), percent.format(metrics.withinSla.estimate!));
    assert.equal(await text(page, '[data-testid=case-kpi-time-to-close] [data-testid=n]'), `n = ${metrics.timeToClose.n}`);
    assert.equal(await text(page, '[data-testid=case-kpi-recovery] [data-testid=n]'), `n = ${metrics.recovery.n}`);
    assert.match((await text(page, '[data-testid=case-kpi-time-to-close] [data-testid=note]'))!, new RegExp(`not in the median: ${metrics.timeToClose.censored};`));

    assert.equal(dialogs, 0);
    assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-cases-en');

    // The default view holds unresolved cases only; "All" brings the resolved one back.
    await page.selectOption('[data-testid=filter-status]', 'all');
    await page.waitForURL((url) => url.searchParams.get('status') === 'all');
    await page.waitForSelector(`[data-testid=cases-table] [data-testid=view-${caseId}]`);
  });

  test('Arabic: mirrored, the case and the cards in Arabic, numbers equal to the API\'s, axe clean', async () => {
    assert.ok(caseId > 0, 'the English test opened a case');
    const page = await dashboard.open('ar', `/cases?status=all&id=${caseId}`);
    await page.waitForSelector('[data-testid=case-view][data-status=resolved]');
    await page.waitForSelector('[data-testid=case-kpi-within-sla] [data-testid=n]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    const ar = JSON.parse(readFileSync(new URL('../../src/web/app/messages/ar.json', import.meta.url), 'utf8')) as Record<string, string>;
    assert.equal(await page.textContent('main h1'), ar['page.cases']);
    assert.equal(await text(page, '[data-testid=case-status]'), ar['cases.status.resolved']);
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const metrics = await dashboard.api<CaseMetrics>('/api/v1/cases/metrics?workspace=acme');
    const arabic = new Intl.NumberFormat('ar');
    assert.equal(await text(page, '[data-testid=case-kpi-within-sla] [data-testid=n]'), `ن = ${arabic.format(metrics.withinSla.n)}`);
    assert.equal(await text(page, '[data-testid=case-kpi-within-sla] [data-testid=value]'), new Intl.NumberFormat('ar', { style: 'percent', maximumFractionDigits: 1 }).format(metrics.withinSla.estimate!));
    assert.equal(await text(page, '[data-testid=case-comment]'), HOSTILE);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-cases-ar');
  });

  test('Settings: an admin sets the SLA and the default owner; the next detractor\'s case follows them', async () => {
    const page = await dashboard.open('en', '/settings');
    await page.waitForSelector('[data-testid=case-settings-form]');
    const { owners } = await dashboard.api<{ owners: Array<{ id: number; name: string }> }>('/api/v1/cases?workspace=acme&limit=1');
    const admin = owners.find((o) => o.name === 'Ada Admin')!;
    await page.fill('[data-testid=case-sla-hours]', '24');
    await page.selectOption('[data-testid=case-default-owner]', String(admin.id));
    await page.selectOption('[data-testid=case-rule-csatBottomBox]', '1');
    await page.click('[data-testid=save-case-settings]');
    await page.waitForSelector('[data-testid=case-settings-saved]');
    assert.match((await text(page, '[data-testid=case-settings-saved]'))!, /1 setting changed/);
    const settings = await dashboard.api<{ cases: { slaHours: number; ownerUserId: number; rule: { csatBottomBox: number } } }>('/api/v1/workspace-settings?workspace=acme');
    assert.deepEqual([settings.cases.slaHours, settings.cases.ownerUserId, settings.cases.rule.csatBottomBox], [24, admin.id, 1]);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await page.locator('section[aria-labelledby=settings-cases]').screenshot({ path: `${SCREENSHOTS}dashboard-cases-settings-en.png` });

    const answer = await fetch(`${dashboard.server.url}/api/v1/public/responses`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'cases-settings-0123456789' },
      body: JSON.stringify({ workspace: 'acme', survey: 'checkout', language: 'en', complete: true, answers: { recommend: { score: 1, comment: 'second try' } } }),
    });
    assert.equal(answer.status, 201);
    const queue = await dashboard.api<{ cases: CaseSummary[] }>('/api/v1/cases?workspace=acme&status=open');
    const opened = queue.cases.find((c) => c.answer.comment === 'second try')!;
    assert.equal(opened.owner?.id, admin.id);
    assert.equal(opened.slaHours, 24);
    assert.equal(new Date(opened.dueAt).getTime() - new Date(opened.openedAt).getTime(), 24 * 3600_000);
  });
});
