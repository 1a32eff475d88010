import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAnnotation } from '../../src/storage/annotations.ts';
import ar from '../../src/web/app/messages/ar.json' with { type: 'json' };
import lt from '../../src/web/app/messages/lt.json' with { type: 'json' };
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Group {
  key: Record<string, string | null>;
  value: number | null;
  n: number;
  ci: [number, number] | null;
  change?: { delta: number; significant: boolean };
}
interface Result {
  definition: string;
  groups: Group[];
}
interface Catalogue {
  latest: string;
  metrics: Array<{ name: string; breakdowns: string[] }>;
}

const cells = (page: Page, table: string, testId: string) => page.locator(`[data-testid=${table}] tbody [data-testid=${testId}]`).allTextContents();

describe('dashboard explore in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
    await createAnnotation(dashboard.db, dashboard.workspace.id, { day: '2026-09-15', text: 'Agents trained on returns', category: 'training' }, 'test');
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: the overview\'s link opens NPS by month; every value and n is the API\'s; definition and annotations shown', async () => {
    const page = await dashboard.open('en', '/explore?metric=nps&by=&period=month');
    await page.waitForSelector('[data-testid=trend-table] tbody tr');
    const catalogue = await dashboard.api<Catalogue>('/api/v1/metrics?workspace=acme');
    assert.equal(catalogue.latest.slice(0, 7), '2026-10');
    const from = await page.inputValue('[data-testid=from]');
    const to = await page.inputValue('[data-testid=to]');
    assert.equal(to, catalogue.latest, 'the range ends on the last day with data');
    assert.equal(from, '2025-11-01', 'twelve months back by default');
    const api = await dashboard.api<Result>(`/api/v1/metrics/nps?workspace=acme&by=month&from=${from}&to=${to}`);
    const nps = new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
    assert.ok(api.groups.length >= 6, 'several months of demo answers');
    assert.deepEqual(await cells(page, 'trend-table', 'value'), api.groups.map((g) => nps.format(g.value!)));
    assert.deepEqual(await cells(page, 'trend-table', 'n'), api.groups.map((g) => g.n.toLocaleString('en')));
    const rows = page.locator('[data-testid=trend-table] tbody tr');
    assert.match((await rows.last().textContent())!, /October 2026/);
    const lastChange = api.groups.at(-1)!.change!;
    assert.match((await rows.last().textContent())!, lastChange.significant ? /significant \(p = / : /not significant|too few/);
    const total = await dashboard.api<Result>(`/api/v1/metrics/nps?workspace=acme&from=${from}&to=${to}`);
    assert.deepEqual(await cells(page, 'groups-table', 'value'), [nps.format(total.groups[0]!.value!)]);
    assert.deepEqual(await cells(page, 'groups-table', 'n'), [total.groups[0]!.n.toLocaleString('en')]);
    assert.equal(await page.textContent('[data-testid=definition]'), total.definition);
    assert.equal(await page.getAttribute('[data-testid=definition]', 'lang'), 'en');
    assert.match((await page.textContent('main'))!, /Dashed lines mark the workspace's annotations/);
    await page.waitForSelector('[data-testid=trend-chart][data-ready=true]');
    await page.waitForSelector('[data-testid=groups-chart][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-explore-en');
  });

  test('a breakdown and a filter: the groups are the API\'s, the URL restores the view, CSV and PNG download', async () => {
    const overview = await dashboard.api<{ segments: string[] }>('/api/v1/overview?workspace=acme');
    const segment = overview.segments[0]!;
    const path = `/explore?metric=csat&period=quarter&by=channel&from=2026-03-01&to=2026-10-31&where=${encodeURIComponent(`segment=${segment}`)}`;
    const page = await dashboard.open('en', path);
    await page.waitForSelector('[data-testid=groups-table] tbody tr');
    const api = await dashboard.api<Result>(`/api/v1/metrics/csat?workspace=acme&by=channel&from=2026-03-01&to=2026-10-31&where=${encodeURIComponent(`segment=${segment}`)}`);
    const all = await dashboard.api<Result>('/api/v1/metrics/csat?workspace=acme&by=channel&from=2026-03-01&to=2026-10-31');
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    const byN = [...api.groups].sort((a, b) => b.n - a.n);
    assert.ok(byN.length >= 2, 'CSAT comes from several channels');
    assert.deepEqual(await cells(page, 'groups-table', 'value'), byN.map((g) => percent.format(g.value! / 100)));
    assert.deepEqual(await cells(page, 'groups-table', 'n'), byN.map((g) => g.n.toLocaleString('en')));
    assert.ok(byN[0]!.n < Math.max(...all.groups.map((g) => g.n)), 'the segment filter narrowed the answers');
    assert.match((await page.textContent('[data-testid=filters]'))!, new RegExp(`Segment = ${segment}`));
    const quarters = await dashboard.api<Result>(`/api/v1/metrics/csat?workspace=acme&by=quarter,channel&from=2026-03-01&to=2026-10-31&where=${encodeURIComponent(`segment=${segment}`)}`);
    assert.equal(await page.locator('[data-testid=trend-table] tbody tr').count(), quarters.groups.length, 'one table row per channel and quarter');

    // The same URL in a fresh page shows the same numbers.
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForSelector('[data-testid=groups-table] tbody tr');
    assert.deepEqual(await cells(again, 'groups-table', 'n'), byN.map((g) => g.n.toLocaleString('en')));

    // The shared link carries the whole view.
    await page.click('[data-testid=copy-link]');
    const link = new URL(await page.inputValue('[data-testid=share-link]'));
    assert.deepEqual(
      ['metric', 'period', 'by', 'from', 'to'].map((k) => link.searchParams.get(k)),
      ['csat', 'quarter', 'channel', '2026-03-01', '2026-10-31'],
    );
    assert.deepEqual(link.searchParams.getAll('where'), [`segment=${segment}`]);

    // CSV of every number, PNG of the chart.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=trend-table-csv]')]);
    assert.equal(csv.suggestedFilename(), 'csat-by-channel-by-quarter.csv');
    const text = readFileSync((await csv.path())!, 'utf8');
    assert.match(text.split('\r\n')[0]!, /^\uFEFF?Channel,Period,Value,n,95% CI low,95% CI high,Change vs the period before/);
    assert.equal(text.trim().split('\r\n').length, quarters.groups.length + 1);
    await page.waitForSelector('[data-testid=trend-chart][data-ready=true]');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=trend-png]')]);
    assert.equal(png.suggestedFilename(), 'csat-by-channel-trend.png');
    assert.deepEqual([...readFileSync((await png.path())!).subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');

    // Controls change the URL: another breakdown, drilling into a group, removing the filter.
    await page.selectOption('[data-testid=breakdown-picker]', 'touchpoint');
    await page.waitForURL(/by=touchpoint/);
    await page.waitForSelector('[data-testid=groups-table] tbody tr button');
    await page.locator('[data-testid=groups-table] tbody tr button').first().click();
    await page.waitForURL((url) => url.searchParams.getAll('where').some((w) => w.startsWith('touchpoint=')) && !url.searchParams.has('by'));
    await page.getByRole('button', { name: new RegExp(`Remove the filter Segment = ${segment}`) }).click();
    await page.waitForURL((url) => !url.searchParams.getAll('where').some((w) => w.startsWith('segment=')));
    await page.selectOption('[data-testid=filter-on]', 'channel');
    await page.fill('[data-testid=filter-value]', 'email');
    await page.click('[data-testid=add-filter]');
    await page.waitForURL((url) => url.searchParams.getAll('where').includes('channel=email'));
    assert.deepEqual(pageProblems(page), []);
  });

  test('every metric of the catalogue opens without an error', async () => {
    const catalogue = await dashboard.api<Catalogue>('/api/v1/metrics?workspace=acme');
    // One month keeps the slowest metrics (business-hours FRT from the raw rows) quick on a busy machine.
    const page = await dashboard.open('en', '/explore?metric=nps&period=week&from=2026-10-01&to=2026-10-31');
    await page.waitForSelector('[data-testid=groups-table] tbody tr');
    for (const metric of catalogue.metrics.map((m) => m.name)) {
      await page.selectOption('[data-testid=metric-picker]', metric);
      await page.waitForURL(new RegExp(`metric=${metric}(&|$)`));
      await page.waitForFunction(() => !document.querySelector('main [role=status]') || document.querySelector('[data-testid=no-trend], [data-testid=groups-table], [data-testid=empty]'));
      await page.waitForSelector('[data-testid=groups-table], [data-testid=no-trend], [data-testid=empty], [role=alert]');
      assert.equal(await page.locator('main [role=alert]').count(), 0, `${metric}: ${await page.locator('main [role=alert]').first().textContent().catch(() => '')}`);
    }
    assert.deepEqual(pageProblems(page), []);
  });

  test('Arabic: right to left, mirrored layout, Arabic numbers equal to the API\'s, the definition in Arabic, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/explore?metric=csat&period=month&by=channel&from=2026-03-01&to=2026-10-31');
    await page.waitForSelector('[data-testid=groups-table] tbody tr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'استكشاف');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const api = await dashboard.api<Result>('/api/v1/metrics/csat?workspace=acme&by=channel&from=2026-03-01&to=2026-10-31');
    const byN = [...api.groups].sort((a, b) => b.n - a.n);
    assert.ok(byN.length >= 2);
    const arabic = new Intl.NumberFormat('ar');
    assert.deepEqual(await cells(page, 'groups-table', 'n'), byN.map((g) => arabic.format(g.n)));
    assert.deepEqual(await cells(page, 'groups-table', 'value'), byN.map((g) => new Intl.NumberFormat('ar', { style: 'percent', maximumFractionDigits: 1 }).format(g.value! / 100)));
    // The API's definition is English; the page shows the Arabic one, right to left.
    const definition = page.locator('[data-testid=definition]');
    assert.equal(await definition.textContent(), ar['metricDefinition.csat']);
    assert.notEqual(await definition.textContent(), api.definition);
    assert.match((await definition.textContent())!, /^CSAT = عدد إجابات الرضا/);
    assert.equal(await definition.getAttribute('lang'), 'ar');
    assert.equal(await definition.getAttribute('dir'), 'rtl');
    await page.waitForSelector('[data-testid=trend-chart][data-ready=true]');
    await page.waitForSelector('[data-testid=groups-chart][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-explore-ar');
  });

  test('Lithuanian: the definition is the Lithuanian one, not the API\'s English', async () => {
    const page = await dashboard.open('lt', '/explore?metric=fcr&period=month&from=2026-10-01&to=2026-10-31');
    await page.waitForSelector('[data-testid=groups-table] tbody tr');
    const api = await dashboard.api<Result>('/api/v1/metrics/fcr?workspace=acme&from=2026-10-01&to=2026-10-31');
    const definition = page.locator('[data-testid=definition]');
    assert.equal(await definition.textContent(), lt['metricDefinition.fcr']);
    assert.notEqual(await definition.textContent(), api.definition);
    assert.match((await definition.textContent())!, /^Per vieną kontaktą išspręstos/);
    assert.equal(await definition.getAttribute('lang'), 'lt');
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-explore-lt');
  });
});
