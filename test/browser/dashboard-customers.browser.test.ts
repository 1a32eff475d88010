import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Cell {
  value: number | null;
  n: number;
  ci: [number, number] | null;
}
interface ProfileJson {
  currency: string;
  minRankedN: number;
  basis: string;
  rows: Array<{ value: string | null; customers: number; measures: Record<string, Cell | undefined> }>;
  unavailable: Record<string, string>;
}

/** The table's CSAT column (rank, value, customers, then value / n / CI per measure). */
const CSAT_COLUMN = 3;
const NPS_COLUMN = 6;

async function loaded(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=ranking-chart][data-ready=true]');
  await page.waitForSelector('[data-testid=profile-table] tbody tr');
}

async function tableRows(page: Page): Promise<string[][]> {
  return page.locator('[data-testid=profile-table] tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

describe('dashboard customers (ideal-customer profile) page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: segments ranked by CSAT; every number is the API\'s, small groups are not ranked', async () => {
    const page = await dashboard.open('en', '/customers');
    await loaded(page);
    const data = await dashboard.api<ProfileJson>('/api/v1/customers/profile?workspace=acme&attribute=segment&months=12');
    assert.equal(data.basis, 'subscriptions');
    assert.deepEqual(data.unavailable, {}, 'every measure breaks down by segment');
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    const rows = await tableRows(page);
    assert.equal(rows.length, data.rows.length);
    for (const row of data.rows) {
      const shown = rows.find((cells) => cells[1] === (row.value ?? 'Not stated'))!;
      assert.ok(shown, `a row for ${row.value}`);
      assert.equal(shown[2], row.customers.toLocaleString('en'));
      const csat = row.measures.csat;
      if (csat?.value != null) {
        assert.equal(shown[CSAT_COLUMN], percent.format(csat.value / 100), `${row.value} CSAT`);
        assert.equal(shown[CSAT_COLUMN + 1], csat.n.toLocaleString('en'), `${row.value} CSAT n`);
      }
      const nps = row.measures.nps;
      if (nps?.value != null) assert.equal(shown[NPS_COLUMN], new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(nps.value));
    }
    // The best: the highest CSAT among groups with n ≥ 30, ranked 1.
    const ranked = data.rows.filter((r) => r.measures.csat?.value != null && r.measures.csat.n >= data.minRankedN).sort((a, b) => b.measures.csat!.value! - a.measures.csat!.value!);
    assert.equal(rows[0]![0], '1');
    assert.equal(rows[0]![1], ranked[0]!.value ?? 'Not stated');
    assert.match((await page.textContent('[data-testid=best]'))!, new RegExp(`^Best: ${ranked[0]!.value ?? 'Not stated'} \\(CSAT`));
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-customers-en');
  });

  test('the attribute picker and ranking measure change the view; groups with n < 30 say so; the URL keeps it', async () => {
    const page = await dashboard.open('en', '/customers');
    await loaded(page);
    await page.getByTestId('attribute').selectOption('customer.country');
    await page.waitForURL(/attribute=customer\.country/);
    await page.getByTestId('measure').selectOption('revenue_per_customer');
    await page.waitForURL(/measure=revenue_per_customer/);
    const data = await dashboard.api<ProfileJson>('/api/v1/customers/profile?workspace=acme&attribute=customer.country&months=12');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=profile-table] tbody tr').length === n, data.rows.length);
    const rows = await tableRows(page);
    // Revenue in the commonest currency: only its countries have a value; the rest are unranked.
    const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const withRevenue = data.rows.filter((r) => r.measures.revenue_per_customer?.value != null);
    assert.ok(withRevenue.length > 0);
    for (const row of withRevenue) {
      const shown = rows.find((cells) => cells[1] === row.value)!;
      assert.equal(shown[15], money.format(row.measures.revenue_per_customer!.value!), `${row.value} revenue`);
      if (row.measures.revenue_per_customer!.n < data.minRankedN) assert.match(shown[0]!, /too few to rank \(n < 30\)/);
      else assert.match(shown[0]!, /^\d+$/);
    }
    assert.equal(await page.getByTestId('currency').inputValue(), data.currency);
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await loaded(again);
    assert.equal(await again.getByTestId('attribute').inputValue(), 'customer.country');
    assert.equal(await again.getByTestId('measure').inputValue(), 'revenue_per_customer');
    await screenshot(again, 'dashboard-customers-country-revenue-en');
  });

  test('Arabic: right to left, mirrored, Arabic digits, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/customers?attribute=customer.age_band');
    await loaded(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'العملاء');
    await assertHugsStart(page, '.sidenav', 'rtl');
    const headers = page.locator('[data-testid=profile-table] thead th');
    assert.ok((await headers.nth(0).boundingBox())!.x > (await headers.nth(1).boundingBox())!.x, 'the first column is on the right');
    const data = await dashboard.api<ProfileJson>('/api/v1/customers/profile?workspace=acme&attribute=customer.age_band&months=12');
    const rows = await tableRows(page);
    const top = data.rows[0]!;
    const shown = rows.find((cells) => cells[1] === (top.value ?? 'غير مذكور'))!;
    assert.equal(shown[2], new Intl.NumberFormat('ar').format(top.customers));
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-customers-ar');
  });

  test('Lithuanian: the window picker\'s months take their plural forms', async () => {
    const page = await dashboard.open('lt', '/customers');
    await loaded(page);
    const windows = await page.locator('select').filter({ has: page.locator('option[value="24"]') }).locator('option').allTextContents();
    assert.deepEqual(windows, ['3 mėnesiai', '6 mėnesiai', '12 mėnesių', '24 mėnesiai']);
    assert.match((await page.textContent('[data-testid=customers-window]'))!, /12 mėnesių/);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-customers-lt');
  });
});
