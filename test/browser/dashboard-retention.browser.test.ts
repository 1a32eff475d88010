import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Group {
  key: Record<string, string>;
  value: number | null;
  n: number;
  ci: [number, number] | null;
}
interface RetentionJson {
  window: { months: number; lastMonth: string };
  churn: { basis: string; groups: Group[] };
  retention: { groups: Group[] };
  repeatPurchase: { groups: Group[] };
  repeatPurchaseWindow: { groups: Group[] };
  cohorts: { groups: Group[] };
}
interface AtRiskJson {
  counts: { any: number; overdue: number; detractor: number; matching: number };
  customers: Array<{ id: string; name: string | null; reasons: string[]; overdueDays: number | null }>;
}

const percent = (locale: string) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

async function loaded(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=cohort-heatmap][data-ready=true]');
  await page.waitForSelector('[data-testid=churn-trend][data-ready=true]');
  await page.waitForSelector('[data-testid=at-risk-table] tbody tr');
}

describe('dashboard retention page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: KPIs, cohorts, trends and the at-risk list show the API\'s numbers', async () => {
    const page = await dashboard.open('en', '/retention');
    await loaded(page);
    const data = await dashboard.api<RetentionJson>('/api/v1/retention?workspace=acme&months=12');
    assert.equal(data.window.lastMonth, '2026-10');
    assert.match((await page.textContent('[data-testid=retention-window]'))!, /12 months to October 2026/);
    // The KPI cards: the window's last month.
    for (const [metric, result] of [['churn', data.churn], ['retention', data.retention], ['repeat_purchase_rate', data.repeatPurchase]] as const) {
      const current = result.groups.find((g) => g.key.month === '2026-10')!;
      assert.equal(await page.textContent(`[data-testid=kpi-${metric}] [data-testid=value]`), percent('en').format(current.value! / 100), `${metric} value`);
      assert.equal(await page.textContent(`[data-testid=kpi-${metric}] [data-testid=n]`), `n = ${current.n.toLocaleString('en')}`, `${metric} n`);
    }
    // The cohort table: one row per cohort, its size and month-0..k shares.
    const cohorts = [...new Set(data.cohorts.groups.map((g) => g.key.cohort))].sort();
    const rows = page.locator('[data-testid=cohort-table] tbody tr');
    assert.equal(await rows.count(), cohorts.length);
    const first = data.cohorts.groups.filter((g) => g.key.cohort === cohorts[0]);
    const cells = await rows.first().locator('td').allTextContents();
    assert.equal(cells[1], first[0]!.n.toLocaleString('en'), 'cohort size');
    for (const g of first) assert.equal(cells[2 + Number(g.key.months_since)], percent('en').format(g.value! / 100), `month ${g.key.months_since}`);
    // Repeat purchases over the window.
    const whole = data.repeatPurchaseWindow.groups[0]!;
    assert.match((await page.textContent('[data-testid=repeat-window]'))!, new RegExp(`${percent('en').format(whole.value! / 100).replace('.', '\\.')} of ${whole.n.toLocaleString('en')} buyers`));
    // Customers at risk.
    const risk = await dashboard.api<AtRiskJson>('/api/v1/customers/at-risk?workspace=acme&limit=1000');
    assert.ok(risk.counts.overdue > 0 && risk.counts.detractor > 0, 'the demo has both kinds');
    assert.match((await page.textContent('[data-testid=at-risk-summary]'))!, new RegExp(`${risk.counts.any.toLocaleString('en')} customers are at risk — ${risk.counts.overdue.toLocaleString('en')} overdue, ${risk.counts.detractor.toLocaleString('en')} recent detractors`));
    const riskRows = page.locator('[data-testid=at-risk-table] tbody tr');
    assert.equal(await riskRows.count(), risk.customers.length);
    const firstRisk = await riskRows.first().locator('td').allTextContents();
    assert.equal(firstRisk[1], risk.customers[0]!.id);
    const overdue = risk.customers.findIndex((c) => c.overdueDays !== null && c.overdueDays > 1);
    const overdueCells = await riskRows.nth(overdue).locator('td').allTextContents();
    assert.equal(overdueCells[7], `${risk.customers[overdue]!.overdueDays!.toLocaleString('en')} days`);
    assert.match((await page.textContent('[data-testid=winback]'))!, /discount or free delivery/);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-retention-en');
  });

  test('the reason filter and the window change the list and the numbers, and the URL keeps them', async () => {
    const page = await dashboard.open('en', '/retention');
    await loaded(page);
    await page.getByTestId('reason').selectOption('detractor');
    await page.waitForURL(/reason=detractor/);
    const detractors = await dashboard.api<AtRiskJson>('/api/v1/customers/at-risk?workspace=acme&limit=1000&reason=detractor');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=at-risk-table] tbody tr').length === n, detractors.customers.length);
    const reasons = await page.locator('[data-testid=at-risk-table] tbody tr td:nth-child(10)').allTextContents();
    assert.ok(reasons.every((r) => r.includes('Recent detractor')), 'every row is a detractor');
    await page.getByTestId('window').selectOption('6');
    await page.waitForURL(/months=6/);
    const six = await dashboard.api<RetentionJson>('/api/v1/retention?workspace=acme&months=6');
    const sixCohorts = new Set(six.cohorts.groups.map((g) => g.key.cohort)).size;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=cohort-table] tbody tr').length === n, sixCohorts);
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForSelector('[data-testid=at-risk-table] tbody tr');
    assert.equal(await again.getByTestId('reason').inputValue(), 'detractor');
    assert.equal(await again.getByTestId('window').inputValue(), '6');
  });

  test('Arabic: right to left, mirrored, Arabic digits, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/retention');
    await loaded(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'الاحتفاظ بالعملاء');
    await assertHugsStart(page, '.sidenav', 'rtl');
    // Tables read from the right: the first column stands right of the second.
    const headers = page.locator('[data-testid=at-risk-table] thead th');
    const [firstBox, secondBox] = [await headers.nth(0).boundingBox(), await headers.nth(1).boundingBox()];
    assert.ok(firstBox!.x > secondBox!.x, 'the first column is on the right');
    const data = await dashboard.api<RetentionJson>('/api/v1/retention?workspace=acme&months=12');
    const churn = data.churn.groups.find((g) => g.key.month === '2026-10')!;
    assert.equal(await page.textContent('[data-testid=kpi-churn] [data-testid=n]'), `ن = ${new Intl.NumberFormat('ar').format(churn.n)}`);
    assert.equal(await page.textContent('[data-testid=kpi-churn] [data-testid=value]'), percent('ar').format(churn.value! / 100));
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-retention-ar');
  });

  test('Lithuanian: months and days take their plural forms', async () => {
    const page = await dashboard.open('lt', '/retention');
    await loaded(page);
    const windows = await page.getByTestId('window').locator('option').allTextContents();
    assert.deepEqual(windows, ['3 mėnesiai', '6 mėnesiai', '12 mėnesių', '24 mėnesiai']);
    const days = await page.locator('[data-testid=at-risk-table] tbody tr td:nth-child(8)').allTextContents();
    const forms = days.filter((d) => d !== '–');
    assert.ok(forms.length > 0);
    for (const text of forms) {
      const n = Number(text.replace(/\D/g, ''));
      const expected = n % 10 === 1 && n % 100 !== 11 ? 'diena' : n % 10 >= 2 && (n % 100 < 11 || n % 100 > 19) ? 'dienos' : 'dienų';
      assert.ok(text.endsWith(expected), `${text} ends with ${expected}`);
    }
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-retention-lt');
  });
});
