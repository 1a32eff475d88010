import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ar from '../../src/web/app/messages/ar.json' with { type: 'json' };
import lt from '../../src/web/app/messages/lt.json' with { type: 'json' };
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface OverviewJson {
  label: string;
  cards: Array<{ metric: string; current: { value: number | null; n: number; ci: [number, number] | null; change?: { significant: boolean } } | null }>;
}

describe('dashboard overview in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: a card per KPI whose value and n are the API\'s, with interval and change', async () => {
    const page = await dashboard.open('en', '/');
    const data = await dashboard.api<OverviewJson>('/api/v1/overview?workspace=acme');
    assert.equal(data.label, '2026-10', 'opens on the last month with data');
    await page.waitForSelector('[data-testid=kpi-nps] [data-testid=value]');
    assert.match((await page.textContent('[data-testid=overview-period]'))!, /October 2026/);
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    for (const card of data.cards) {
      const box = page.locator(`[data-testid=kpi-${card.metric}]`);
      assert.equal(await box.count(), 1, `a card for ${card.metric}`);
      if (!card.current || card.current.value === null) continue;
      assert.equal(await box.locator('[data-testid=n]').textContent(), `n = ${card.current.n.toLocaleString('en')}`, `${card.metric} shows its n`);
      assert.match((await box.locator('[data-testid=ci]').textContent())!, card.metric === 'volume' ? /^counted, not estimated$/ : /^95% CI .+ to .+$/, `${card.metric} shows its interval`);
    }
    const nps = data.cards.find((c) => c.metric === 'nps')!.current!;
    assert.equal(await page.textContent('[data-testid=kpi-nps] [data-testid=value]'), new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(nps.value!));
    const csat = data.cards.find((c) => c.metric === 'csat')!.current!;
    assert.equal(await page.textContent('[data-testid=kpi-csat] [data-testid=value]'), percent.format(csat.value! / 100));
    assert.match((await page.textContent('[data-testid=kpi-nps] [data-testid=change]'))!, /vs September 2026/);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-overview-en');
  });

  test('the period picker and the segment filter change the numbers, and the URL keeps the view', async () => {
    const page = await dashboard.open('en', '/');
    await page.waitForSelector('[data-testid=kpi-nps] [data-testid=value]');
    await page.selectOption('select >> nth=1', 'quarter').catch(async () => page.getByLabel('Period').selectOption('quarter'));
    await page.waitForFunction(() => document.querySelector('[data-testid=overview-period]')?.textContent?.includes('Q4 2026'));
    assert.match(page.url(), /period=quarter/);
    const quarter = await dashboard.api<OverviewJson>('/api/v1/overview?workspace=acme&period=quarter');
    const nps = quarter.cards.find((c) => c.metric === 'nps')!.current!;
    await page.waitForFunction((n) => document.querySelector('[data-testid=kpi-nps] [data-testid=n]')?.textContent === n, `n = ${nps.n.toLocaleString('en')}`);
    const segments = await page.getByLabel('Segment').locator('option').allTextContents();
    assert.ok(segments.length > 1, 'the segment filter offers the customers\' segments');
    await page.getByLabel('Segment').selectOption({ index: 1 });
    await page.waitForURL(/segment=/);
    const segment = new URL(page.url()).searchParams.get('segment')!;
    const filtered = await dashboard.api<OverviewJson>(`/api/v1/overview?workspace=acme&period=quarter&where=${encodeURIComponent(`segment=${segment}`)}`);
    const filteredNps = filtered.cards.find((c) => c.metric === 'nps')!.current!;
    assert.ok(filteredNps.n < nps.n, 'a segment has fewer answers than all customers');
    await page.waitForFunction((n) => document.querySelector('[data-testid=kpi-nps] [data-testid=n]')?.textContent === n, `n = ${filteredNps.n.toLocaleString('en')}`);
    // The URL restores the same view in a new page.
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForFunction((n) => document.querySelector('[data-testid=kpi-nps] [data-testid=n]')?.textContent === n, `n = ${filteredNps.n.toLocaleString('en')}`);
  });

  test('Arabic: right to left, mirrored layout, Arabic numbers, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/');
    await page.waitForSelector('[data-testid=kpi-nps] [data-testid=value]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'نظرة عامة');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, '.brand', 'rtl', 200);
    const data = await dashboard.api<OverviewJson>('/api/v1/overview?workspace=acme');
    const nps = data.cards.find((c) => c.metric === 'nps')!.current!;
    assert.equal(await page.textContent('[data-testid=kpi-nps] [data-testid=n]'), `ن = ${new Intl.NumberFormat('ar').format(nps.n)}`);
    // The card's tooltip is the metric's definition in Arabic, not the API's English.
    assert.equal(await page.getAttribute('#kpi-nps-title', 'title'), ar['metricDefinition.nps']);
    assert.equal(await page.getAttribute('#kpi-csat-title', 'title'), ar['metricDefinition.csat']);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-overview-ar');
  });

  test('Lithuanian: the language switch is remembered, plurals take Lithuanian forms', async () => {
    const page = await dashboard.open('en', '/');
    await page.getByLabel('Language').selectOption('lt');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Apžvalga');
    assert.equal(await page.getAttribute('html', 'lang'), 'lt');
    const label = await page.locator('[data-testid=kpi-nps] svg.sparkline').getAttribute('aria-label');
    assert.match(label!, /12 laikotarpių$/, 'twelve takes the "many/other" form in Lithuanian');
    assert.equal(await page.getAttribute('#kpi-nps-title', 'title'), lt['metricDefinition.nps'], 'the definition on hover is Lithuanian');
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await page.textContent('main h1'), 'Apžvalga', 'the choice survives a reload');
    await screenshot(page, 'dashboard-overview-lt');
  });

  for (const locale of ['en', 'ar'] as const) {
    test(`${locale}: "why did it change?" opens the explanation of the API, with its chart and table`, async () => {
      const page = await dashboard.open(locale, '/');
      await page.click('[data-testid=kpi-csat] [data-testid=why]');
      await page.waitForSelector('[data-testid=explain-summary]', { timeout: 120_000 });
      assert.match(page.url(), /why=csat/, 'the open panel is part of the shareable view');
      const explanation = await dashboard.api<{ summary: string; contributions: Array<{ group: string }> }>(`/api/v1/explain?workspace=acme&metric=csat&from=2026-09&to=2026-10&lang=${locale}`);
      assert.equal(await page.textContent('[data-testid=explain-summary]'), explanation.summary);
      assert.equal(await page.locator('[data-testid=explain-table] tbody tr').count(), explanation.contributions.length);
      await page.waitForSelector('[data-testid=explain-chart][data-ready=true]');
      assert.deepEqual(await seriousAxeViolations(page), []);
      assert.deepEqual(pageProblems(page), []);
      await page.locator('[data-testid=explain-panel]').screenshot({ path: `${process.cwd()}/test-output/screenshots/dashboard-why-${locale}.png` });
    });
  }

  test('signed out, the dashboard sends the browser to sign in and back', async () => {
    const context = await dashboard.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${dashboard.server.url}/explore?metric=nps`);
    assert.match(page.url(), /\/login\?next=%2Fexplore%3Fmetric%3Dnps$/);
    await context.close();
  });
});
