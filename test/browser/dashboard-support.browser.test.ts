import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatValue } from '../../src/web/app/format.ts';
import '../../src/web/app/catalogues-all.ts';
import { createI18n } from '../../src/web/app/i18n.tsx';
import { SCREENSHOTS } from '../support/browser.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Group {
  key: Record<string, string | null>;
  value: number | null;
  n: number;
  flag?: string | null;
  position?: string | null;
}
interface Result {
  groups: Group[];
  tests?: { fcr: { pooled: number; n: number; chiSquare: { statistic: number | null; significant: boolean } } };
}
interface Distribution {
  n: number;
  buckets: Array<{ from: number; to: number | null; n: number }>;
  summary: { n: number; median: number; p90: number };
}

const en = createI18n('en');
const ar = createI18n('ar');
// The demo's tickets run 2026-03 to 2026-10: the page opens on the last six months.
const RANGE = 'workspace=acme&from=2026-05-01&to=2026-10-31';

const cellTexts = (page: Page, selector: string) => page.locator(selector).allTextContents();

/** Close-ups of the panels, to look at (the full page is too tall to read). */
async function panelShots(page: Page, locale: string) {
  for (const id of ['frt-distribution', 'fcr-trend', 'volume', 'agents', 'consistency']) {
    await page.getByTestId(id).screenshot({ path: `${SCREENSHOTS}dashboard-support-${locale}-${id}.png` });
  }
}

describe('dashboard support page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: distributions, trends, volume, agents and the funnel plot show the API\'s numbers', async () => {
    const page = await dashboard.open('en', '/support');
    await page.waitForSelector('[data-testid=frt-median]');
    assert.match((await page.textContent('[data-testid=support-range]'))!, /^May 2026 to October 2026/);

    // Distributions: median, p90, n and every bucket's count are the endpoint's, which are the metric's.
    for (const [id, measure] of [['frt', 'frt'], ['resolution', 'resolution_time']] as const) {
      const api = await dashboard.api<Distribution>(`/api/v1/support/distribution?measure=${measure}&${RANGE}`);
      const metric = await dashboard.api<Result>(`/api/v1/metrics/${measure}?${RANGE}`);
      assert.equal(api.summary.n, metric.groups[0]!.n);
      assert.equal(api.n, api.summary.n, 'every measured ticket is in a bucket');
      assert.equal(await page.textContent(`[data-testid=${id}-median]`), `Median ${formatValue(en, 'seconds', api.summary.median)}`);
      assert.equal(await page.textContent(`[data-testid=${id}-p90]`), `90th percentile ${formatValue(en, 'seconds', api.summary.p90)}`);
      assert.equal(await page.textContent(`[data-testid=${id}-n]`), `n = ${api.summary.n.toLocaleString('en')}`);
      await page.locator(`[data-testid=${id}-distribution] summary`).click();
      const counts = await cellTexts(page, `[data-testid=${id}-table] tbody tr td:nth-child(4)`);
      assert.deepEqual(counts, api.buckets.map((b) => b.n.toLocaleString('en')), `${id}: the table's counts are the buckets'`);
      assert.ok(api.buckets.length >= 5, `${id}: a histogram of several buckets`);
      const marks = await cellTexts(page, `[data-testid=${id}-table] tbody tr td:nth-child(5)`);
      const medianRow = api.buckets.findIndex((b) => api.summary.median >= b.from && (b.to === null || api.summary.median < b.to));
      assert.match(marks[medianRow]!, /median/, 'the median is marked in its bucket');
      await page.waitForSelector(`[data-testid=${id}-chart][data-ready=true]`);
    }

    // FCR, AHT and cost per resolution by month: the table behind each trend.
    for (const [id, metric, unit] of [['fcr', 'fcr', 'percent'], ['aht', 'aht', 'seconds'], ['cost', 'cost_per_resolution', 'money']] as const) {
      const api = await dashboard.api<Result>(`/api/v1/metrics/${metric}?${RANGE}&by=month`);
      await page.locator(`[data-testid=${id}-trend] summary`).click();
      const values = await cellTexts(page, `[data-testid=${id}-table] tbody tr td:nth-child(2)`);
      const ns = await cellTexts(page, `[data-testid=${id}-table] tbody tr td:nth-child(5)`);
      assert.equal(api.groups.length, 6, `${metric}: six months`);
      assert.deepEqual(values, api.groups.map((g) => formatValue(en, unit, g.value)), `${metric} values`);
      assert.deepEqual(ns, api.groups.map((g) => g.n.toLocaleString('en')), `${metric} n`);
    }

    // Volume by channel: one column per channel, one row per month.
    const volume = await dashboard.api<Result>(`/api/v1/metrics/volume?${RANGE}&by=month,channel`);
    const email = volume.groups.find((g) => g.key.month === '2026-10' && g.key.channel === 'email')!;
    const headers = await cellTexts(page, '[data-testid=volume-table] thead th');
    const emailColumn = headers.indexOf('E-mail') + 1;
    assert.ok(emailColumn > 1, `an E-mail column in ${headers.join(', ')}`);
    assert.equal(await page.textContent(`[data-testid=volume-table] tbody tr:last-child td:nth-child(${emailColumn})`), String(email.n));

    // The agent table: tickets, FCR, CSAT of the agent with the most tickets, by name.
    const [tickets, fcr, csat, names] = await Promise.all([
      dashboard.api<Result>(`/api/v1/metrics/volume?${RANGE}&by=agent`),
      dashboard.api<Result>(`/api/v1/metrics/fcr?${RANGE}&by=agent`),
      dashboard.api<Result>(`/api/v1/metrics/csat?${RANGE}&by=agent`),
      dashboard.api<{ agents: Array<{ id: string; name: string }> }>('/api/v1/support/agents?workspace=acme'),
    ]);
    const busiest = tickets.groups.filter((g) => g.key.agent !== null).sort((a, b) => b.n - a.n)[0]!;
    const id = busiest.key.agent!;
    const row = page.locator('[data-testid=agents-table] tbody tr').first();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], names.agents.find((a) => a.id === id)!.name, 'the busiest agent first, by name');
    assert.equal(cells[1], id);
    assert.equal(cells[3], busiest.n.toLocaleString('en'));
    const agentFcr = fcr.groups.find((g) => g.key.agent === id)!;
    assert.equal(cells[6], formatValue(en, 'percent', agentFcr.value));
    assert.equal(cells[7], agentFcr.n.toLocaleString('en'));
    const agentCsat = csat.groups.find((g) => g.key.agent === id);
    assert.equal(cells[11], (agentCsat?.n ?? 0).toLocaleString('en'));

    // The funnel plot: pooled rate, and exactly the agents the API flags, named.
    const consistency = await dashboard.api<Result>(`/api/v1/metrics/consistency?${RANGE}`);
    assert.match((await page.textContent('[data-testid=consistency-pooled]'))!, new RegExp(`^Pooled first contact resolution: ${formatValue(en, 'percent', consistency.tests!.fcr.pooled).replace('.', '\\.')} of ${consistency.tests!.fcr.n.toLocaleString('en')} tickets`));
    const flagged = consistency.groups.filter((g) => g.flag).map((g) => g.key.agent!);
    const listed = await page.locator('[data-testid=consistency-outliers] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-agent')));
    assert.deepEqual(listed.sort(), flagged.sort(), 'the agents outside the limits, and only they, are named');
    const outliers = await page.textContent('[data-testid=consistency-outliers]');
    if (flagged.length === 0) assert.match(outliers!, /^Every agent is inside the 95% limits/);
    for (const agent of flagged) assert.ok(outliers!.includes(names.agents.find((a) => a.id === agent)?.name ?? agent), `${agent} named`);
    const chi = consistency.tests!.fcr.chiSquare;
    assert.match((await page.textContent('[data-testid=chi-fcr]'))!, chi.significant ? /differ by more than chance explains \(χ² = [\d.,]+, df = \d+, p = / : /differ no more than chance explains/);
    assert.ok((await page.locator('[data-testid=kruskal-wallis] li').count()) > 0, 'Kruskal–Wallis per category in words');
    await page.waitForSelector('[data-testid=consistency-chart][data-ready=true]');

    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-support-en');
    await panelShots(page, 'en');
  });

  test('the channel filter, the business-hours clock and the range change the numbers, and the URL keeps the view', async () => {
    const page = await dashboard.open('en', '/support');
    await page.waitForSelector('[data-testid=frt-median]');
    await page.getByTestId('channel').selectOption('chat');
    await page.waitForURL(/channel=chat/);
    const chat = await dashboard.api<Distribution>(`/api/v1/support/distribution?measure=frt&${RANGE}&where=channel%3Dchat`);
    const all = await dashboard.api<Distribution>(`/api/v1/support/distribution?measure=frt&${RANGE}`);
    assert.ok(chat.summary.n < all.summary.n);
    await page.waitForFunction((text) => document.querySelector('[data-testid=frt-n]')?.textContent === text, `n = ${chat.summary.n.toLocaleString('en')}`);
    await page.getByTestId('frt-clock').selectOption('frt_business');
    await page.waitForURL(/frt=frt_business/);
    const business = await dashboard.api<Distribution>(`/api/v1/support/distribution?measure=frt_business&${RANGE}&where=channel%3Dchat`);
    await page.waitForFunction((text) => document.querySelector('[data-testid=frt-median]')?.textContent === text, `Median ${formatValue(en, 'seconds', business.summary.median)}`);
    await page.getByTestId('from-month').selectOption('2026-10');
    await page.waitForURL(/from=2026-10/);
    const october = await dashboard.api<Distribution>('/api/v1/support/distribution?measure=resolution_time&workspace=acme&from=2026-10-01&to=2026-10-31&where=channel%3Dchat');
    await page.waitForFunction((text) => document.querySelector('[data-testid=resolution-n]')?.textContent === text, `n = ${october.summary.n.toLocaleString('en')}`);
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForFunction((text) => document.querySelector('[data-testid=resolution-n]')?.textContent === text, `n = ${october.summary.n.toLocaleString('en')}`);
    assert.equal(await again.getByTestId('channel').inputValue(), 'chat');
  });

  test('agents outside the funnel\'s limits are named, with what the API says of them', async () => {
    // E-mail tickets of March to May 2026: the demo's new tier-2 agent stands below the limits there.
    const page = await dashboard.open('en', '/support?from=2026-03&to=2026-05&channel=email');
    await page.waitForSelector('[data-testid=consistency-chart][data-ready=true]');
    const api = await dashboard.api<Result>('/api/v1/metrics/consistency?workspace=acme&from=2026-03-01&to=2026-05-31&where=channel%3Demail');
    const names = await dashboard.api<{ agents: Array<{ id: string; name: string }> }>('/api/v1/support/agents?workspace=acme');
    const flagged = api.groups.filter((g) => g.flag);
    assert.ok(flagged.length > 0, 'an agent outside the limits in this view');
    const items = page.locator('[data-testid=consistency-outliers] li');
    assert.equal(await items.count(), flagged.length);
    for (const group of flagged) {
      const item = page.locator(`[data-testid=consistency-outliers] li[data-agent="${group.key.agent}"]`);
      const text = (await item.textContent())!;
      assert.ok(text.startsWith(names.agents.find((a) => a.id === group.key.agent)!.name), text);
      const side = String(group.position).startsWith('above') ? 'more' : 'less';
      assert.match(text, group.flag === 'alarm' ? new RegExp(`resolves far ${side} at first contact`) : new RegExp(`is ${side === 'more' ? 'above' : 'below'} the 95% limits`));
      assert.ok(text.includes(`${formatValue(en, 'percent', group.value)}, n = ${group.n}`), text);
    }
    const positions = await page.locator('[data-testid=consistency-table] tbody tr td:nth-child(7)').allTextContents();
    assert.equal(positions.filter((p) => !p.startsWith('Inside')).length, flagged.length);
    await page.getByTestId('consistency').screenshot({ path: `${SCREENSHOTS}dashboard-support-en-outliers.png` });
  });

  test('Arabic: right to left, mirrored, Arabic numbers, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/support');
    await page.waitForSelector('[data-testid=frt-median]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'الدعم');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, '[data-testid=frt-distribution]', 'rtl', 260);
    const api = await dashboard.api<Distribution>(`/api/v1/support/distribution?measure=frt&${RANGE}`);
    assert.equal(await page.textContent('[data-testid=frt-n]'), `ن = ${new Intl.NumberFormat('ar').format(api.summary.n)}`);
    assert.equal(await page.textContent('[data-testid=frt-median]'), `الوسيط ${formatValue(ar, 'seconds', api.summary.median)}`);
    await page.waitForSelector('[data-testid=consistency-chart][data-ready=true]');
    await page.waitForSelector('[data-testid=agents-table]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-support-ar');
    await panelShots(page, 'ar');
  });

  test('Lithuanian: plurals take Lithuanian forms', async () => {
    const page = await dashboard.open('lt', '/support');
    await page.waitForSelector('[data-testid=consistency-pooled]');
    const consistency = await dashboard.api<Result>(`/api/v1/metrics/consistency?${RANGE}`);
    const agents = consistency.groups.filter((g) => g.n > 0 && g.value !== null).length;
    const form = agents % 10 === 1 && agents % 100 !== 11 ? 'agentas' : agents % 10 >= 2 && agents % 10 <= 9 && (agents % 100 < 11 || agents % 100 > 19) ? 'agentai' : 'agentų';
    assert.match((await page.textContent('[data-testid=consistency-pooled]'))!, new RegExp(`palyginta ${agents} ${form}\\.$`));
    await screenshot(page, 'dashboard-support-lt');
  });
});
