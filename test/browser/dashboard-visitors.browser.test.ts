import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface IntentGroup {
  key: Record<string, string | null>;
  n: number;
  count: number;
  share: number;
  conversion: { value: number | null; n: number; count: number };
}
interface IntentJson {
  groups: IntentGroup[];
}

const percent = (locale: string, v: number | null) => (v === null ? '–' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(v / 100));

describe('dashboard visitors page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  /** The conversion table's rows as [intent, visits, share, conversion], in the page's order. */
  const conversionRows = (page: import('playwright-core').Page) =>
    page.$$eval('[data-testid=table-conversion] tbody tr', (rows) =>
      rows.map((row) => [row.querySelector('td bdi')?.textContent, row.querySelector('[data-testid=visits]')?.textContent, row.querySelector('[data-testid=share]')?.textContent, row.querySelector('[data-testid=conversion]')?.textContent]),
    );

  test('English: intent → conversion and the shares by page and source are the API\'s', async () => {
    const page = await dashboard.open('en', '/visitors');
    await page.waitForSelector('[data-testid=table-conversion] tbody tr');
    const data = await dashboard.api<IntentJson>('/api/v1/metrics/intent?workspace=acme');
    const expected = [...data.groups].sort((a, b) => b.count - a.count).map((g) => [g.key.intent, g.count.toLocaleString('en'), percent('en', g.share), percent('en', g.conversion.value)]);
    assert.ok(expected.length >= 3, 'the demo has several intents');
    assert.deepEqual(await conversionRows(page), expected);
    for (const dimension of ['page', 'source'] as const) {
      const byDimension = await dashboard.api<IntentJson>(`/api/v1/metrics/intent?workspace=acme&by=${dimension}`);
      await page.waitForSelector(`[data-testid=table-${dimension}] tbody tr`, { state: 'attached' }); // the table sits in a closed <details>
      assert.equal(await page.locator(`[data-testid=table-${dimension}] tbody tr`).count(), byDimension.groups.length);
      const shares = (await page.locator(`[data-testid=table-${dimension}] [data-testid=share]`).allTextContents()).sort();
      assert.deepEqual(shares, byDimension.groups.map((g) => percent('en', g.share)).sort());
      await page.waitForSelector(`[data-testid=intent-by-${dimension}][data-ready=true]`);
    }
    await page.waitForSelector('[data-testid=intent-conversion][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-visitors-en');
  });

  test('a device filter and dates narrow the numbers to the API\'s, and the URL keeps them', async () => {
    const page = await dashboard.open('en', '/visitors');
    await page.waitForSelector('[data-testid=table-conversion] tbody tr');
    const devices = (await page.getByTestId('filter-device').locator('option').allTextContents()).slice(1);
    assert.ok(devices.length > 0, 'the device filter offers the devices seen');
    await page.getByTestId('filter-device').selectOption(devices[0]!);
    await page.getByTestId('from').fill('2026-08-01');
    await page.waitForURL(/device=.*from=2026-08-01|from=2026-08-01.*device=/);
    const data = await dashboard.api<IntentJson>(`/api/v1/metrics/intent?workspace=acme&from=2026-08-01&where=${encodeURIComponent(`device=${devices[0]}`)}`);
    const all = await dashboard.api<IntentJson>('/api/v1/metrics/intent?workspace=acme');
    assert.ok(data.groups.reduce((s, g) => s + g.count, 0) < all.groups.reduce((s, g) => s + g.count, 0));
    const expected = [...data.groups].sort((a, b) => b.count - a.count).map((g) => [g.key.intent, g.count.toLocaleString('en'), percent('en', g.share), percent('en', g.conversion.value)]);
    await page.waitForFunction((first) => document.querySelector('[data-testid=table-conversion] tbody tr [data-testid=visits]')?.textContent === first, expected[0]![1]);
    assert.deepEqual(await conversionRows(page), expected);
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForSelector('[data-testid=table-conversion] tbody tr');
    await again.waitForFunction((first) => document.querySelector('[data-testid=table-conversion] tbody tr [data-testid=visits]')?.textContent === first, expected[0]![1]);
  });

  test('Arabic: right to left, mirrored, Arabic digits, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/visitors');
    await page.waitForSelector('[data-testid=table-conversion] tbody tr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const data = await dashboard.api<IntentJson>('/api/v1/metrics/intent?workspace=acme');
    const top = [...data.groups].sort((a, b) => b.count - a.count)[0]!;
    assert.equal(await page.locator('[data-testid=table-conversion] tbody tr [data-testid=visits]').first().textContent(), new Intl.NumberFormat('ar').format(top.count));
    assert.equal(await page.locator('[data-testid=table-conversion] tbody tr [data-testid=conversion]').first().textContent(), percent('ar', top.conversion.value));
    await page.waitForSelector('[data-testid=intent-conversion][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-visitors-ar');
  });
});
