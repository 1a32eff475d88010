import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatValue } from '../../src/web/app/format.ts';
import '../../src/web/app/catalogues-all.ts';
import { createI18n } from '../../src/web/app/i18n.tsx';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Group {
  key: Record<string, string | null>;
  value: number | null;
  n: number;
  ci: [number, number] | null;
}
interface JourneyJson {
  from: string;
  to: string;
  months: string[];
  minN: number;
  steps: Array<{ touchpoint: string; csat: Group | null; ces: Group | null; nps: Group | null }>;
  weakest: { touchpoint: string; metric: string; value: number; separated: boolean; best: { touchpoint: string } } | null;
}

interface DriversJson {
  n: number;
  respondents: number;
  r_squared: number | null;
  drivers: Array<{ name: string; share: number | null; performance: number | null; n: number; quadrant: string }>;
  warnings: Array<{ code: string }>;
}

const en = createI18n('en');
const ar = createI18n('ar');
const BUILT_IN = ['website', 'checkout', 'onboarding', 'support', 'shipping', 'returns', 'renewal', 'cancellation'];

/** The weakest step as the brief defines it, from the API's own numbers: lowest CSAT among steps with n ≥ minN. */
function weakestFromNumbers(data: JourneyJson): string | undefined {
  const ranked = data.steps.filter((s) => s.csat && s.csat.value !== null && s.csat.n >= data.minN);
  if (ranked.length < 2) return undefined;
  return ranked.reduce((low, s) => (s.csat!.value! < low.csat!.value! ? s : low)).touchpoint;
}

describe('dashboard journey page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: the touchpoints in journey order with the API\'s CSAT, CES and n, the weakest step marked, links to Explore', async () => {
    const page = await dashboard.open('en', '/journey');
    await page.waitForSelector('[data-testid=journey-flow]');
    const data = await dashboard.api<JourneyJson>('/api/v1/journey?workspace=acme');
    assert.equal(data.from, '2026-08-01', 'the last three months of answers');
    assert.equal(data.to, '2026-10-31');
    assert.match((await page.textContent('[data-testid=journey-range]'))!, /^August 2026 to October 2026/);

    // In journey order, every built-in touchpoint of the demo.
    const order = await page.locator('[data-testid=journey-flow] > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-testid')!.slice(5)));
    assert.deepEqual(order, data.steps.map((s) => s.touchpoint));
    assert.deepEqual(order.filter((t) => BUILT_IN.includes(t)), BUILT_IN.filter((t) => order.includes(t)), 'website → … → cancellation');
    assert.ok(order.length >= 8, `every touchpoint of the demo: ${order.join(', ')}`);

    // Each step's numbers are the API's, which are the metrics API's.
    const csat = await dashboard.api<{ groups: Group[] }>(`/api/v1/metrics/csat?workspace=acme&by=touchpoint&from=${data.from}&to=${data.to}`);
    for (const step of data.steps) {
      const box = page.getByTestId(`step-${step.touchpoint}`);
      const group = csat.groups.find((g) => g.key.touchpoint === step.touchpoint)!;
      assert.deepEqual([step.csat?.value, step.csat?.n], [group.value, group.n], `${step.touchpoint}: the journey API agrees with the metrics API`);
      assert.equal(await box.locator('[data-testid=csat] [data-testid=value]').textContent(), formatValue(en, 'percent', step.csat!.value));
      assert.equal(await box.locator('[data-testid=csat] [data-testid=n]').textContent(), `n = ${step.csat!.n.toLocaleString('en')}`);
      if (step.ces) assert.equal(await box.locator('[data-testid=ces] [data-testid=value]').textContent(), formatValue(en, 'percent', step.ces.value));
      else assert.equal(await box.locator('[data-testid=ces]').textContent(), 'CES not asked here');
      const href = await box.getByTestId('explore-link').getAttribute('href');
      const url = new URL(href!, 'http://x');
      assert.equal(url.pathname, '/explore');
      assert.equal(url.searchParams.get('metric'), 'csat');
      assert.equal(url.searchParams.get('where'), `touchpoint=${step.touchpoint}`);
      assert.match(href!, new RegExp(`where=touchpoint%3D${step.touchpoint}`));
    }

    // The weakest step is the one the API's numbers say, and only it is highlighted.
    const expected = weakestFromNumbers(data);
    assert.ok(expected, 'the demo has steps to compare');
    assert.equal(data.weakest?.touchpoint, expected);
    assert.deepEqual(await page.locator('[data-weakest=true]').evaluateAll((items) => items.map((li) => li.getAttribute('data-testid'))), [`step-${expected}`]);
    assert.equal(await page.getByTestId(`step-${expected}`).getByTestId('weakest-badge').textContent(), 'Weakest step');
    const verdict = (await page.textContent('[data-testid=journey-verdict]'))!;
    assert.ok(verdict.startsWith(data.weakest!.separated ? `${en.t(`touchpoint.${expected}` as 'touchpoint.website')} is the weakest step` : `${en.t(`touchpoint.${expected}` as 'touchpoint.website')} has the lowest CSAT`), verdict);

    // The table behind it, one row per step.
    assert.equal(await page.locator('[data-testid=journey-table] tbody tr').count(), data.steps.length);
    assert.deepEqual(await page.locator('[data-testid=journey-table] tbody tr td:nth-child(5)').allTextContents(), data.steps.map((s) => (s.csat?.n ?? 0).toLocaleString('en')));

    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-journey-en');

    // A step's link opens Explore on that touchpoint.
    await page.getByTestId(`step-${expected}`).getByTestId('explore-link').click();
    await page.waitForURL(/\/explore\?/);
    assert.equal(new URL(page.url()).searchParams.get('where'), `touchpoint=${expected}`);
  });

  test('the range and the segment change the numbers, and the URL keeps the view', async () => {
    const page = await dashboard.open('en', '/journey');
    await page.waitForSelector('[data-testid=journey-flow]');
    await page.getByTestId('from-month').selectOption('2026-03');
    await page.waitForURL(/from=2026-03/);
    const wide = await dashboard.api<JourneyJson>('/api/v1/journey?workspace=acme&from=2026-03-01&to=2026-10-31');
    const website = wide.steps.find((s) => s.touchpoint === 'website')!;
    await page.waitForFunction((text) => document.querySelector('[data-testid=step-website] [data-testid=csat] [data-testid=n]')?.textContent === text, `n = ${website.csat!.n.toLocaleString('en')}`);
    const segments = await page.getByTestId('segment').locator('option').allTextContents();
    assert.ok(segments.length > 1);
    await page.getByTestId('segment').selectOption({ index: 1 });
    await page.waitForURL(/segment=/);
    const segment = new URL(page.url()).searchParams.get('segment')!;
    const filtered = await dashboard.api<JourneyJson>(`/api/v1/journey?workspace=acme&from=2026-03-01&to=2026-10-31&where=${encodeURIComponent(`segment=${segment}`)}`);
    const filteredWebsite = filtered.steps.find((s) => s.touchpoint === 'website')!;
    assert.ok(filteredWebsite.csat!.n < website.csat!.n);
    await page.waitForFunction((text) => document.querySelector('[data-testid=step-website] [data-testid=csat] [data-testid=n]')?.textContent === text, `n = ${filteredWebsite.csat!.n.toLocaleString('en')}`);
    const again = await dashboard.open('en', new URL(page.url()).pathname + new URL(page.url()).search);
    await again.waitForFunction((text) => document.querySelector('[data-testid=step-website] [data-testid=csat] [data-testid=n]')?.textContent === text, `n = ${filteredWebsite.csat!.n.toLocaleString('en')}`);
    const weakest = weakestFromNumbers(filtered);
    assert.equal(await again.locator('[data-weakest=true]').getAttribute('data-testid').catch(() => null), weakest ? `step-${weakest}` : null);
  });

  test('Arabic: the steps run right to left, Arabic numbers, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/journey');
    await page.waitForSelector('[data-testid=journey-flow]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'رحلة العميل');
    await assertHugsStart(page, '.sidenav', 'rtl');
    const first = (await page.getByTestId('step-website').boundingBox())!;
    const second = (await page.getByTestId('step-checkout').boundingBox())!;
    assert.ok(first.x > second.x, `the first step stands right of the second (${first.x} > ${second.x})`);
    const data = await dashboard.api<JourneyJson>('/api/v1/journey?workspace=acme');
    const website = data.steps.find((s) => s.touchpoint === 'website')!;
    assert.equal(await page.textContent('[data-testid=step-website] [data-testid=csat] [data-testid=n]'), `ن = ${new Intl.NumberFormat('ar').format(website.csat!.n)}`);
    assert.equal(await page.textContent('[data-testid=step-website] [data-testid=csat] [data-testid=value]'), formatValue(ar, 'percent', website.csat!.value));
    assert.equal(await page.textContent('[data-testid=step-website] h3'), 'الموقع الإلكتروني');
    assert.equal(await page.locator('[data-weakest=true]').getAttribute('data-testid'), `step-${data.weakest!.touchpoint}`);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-journey-ar');
  });

  for (const [lang, i18n] of [['en', en], ['ar', ar]] as const) {
    test(`Key drivers (${lang}): the API's shares, scores and n in the table, the matrix drawn${lang === 'ar' ? ' from the right' : ''}`, async () => {
      const page = await dashboard.open(lang, '/journey');
      await page.waitForSelector('[data-testid=journey-flow]');
      const journey = await dashboard.api<JourneyJson>('/api/v1/journey?workspace=acme');
      assert.equal(journey.to, '2026-10-31');
      // Six months ending with the journey's last: NPS is asked about twice a year.
      const data = await dashboard.api<DriversJson>(`/api/v1/key-drivers?workspace=acme&outcome=nps&from=2026-05-01&to=${journey.to}`);
      assert.ok(data.drivers.length >= 2, `the demo has touchpoints to compare: ${data.drivers.map((d) => d.name).join(', ')}`);
      await page.waitForSelector('[data-testid=drivers-table] tbody tr');
      const number = (v: number) => new Intl.NumberFormat(lang).format(v);
      assert.match((await page.textContent('[data-testid=drivers-range]'))!, lang === 'en' ? /^NPS answers from May 2026 to October 2026/ : /مايو/);
      const lede = (await page.textContent('[data-testid=drivers-lede]'))!;
      assert.ok(lede.includes(`${lang === 'ar' ? 'ن' : 'n'} = ${number(data.n)}`), lede);
      assert.ok(lede.includes(formatValue(i18n, 'percent', data.r_squared! * 100)), lede);
      const rows = page.locator('[data-testid=drivers-table] tbody tr');
      assert.equal(await rows.count(), data.drivers.length);
      for (const [i, d] of data.drivers.entries()) {
        const cells = await rows.nth(i).locator('td, th').allTextContents();
        assert.deepEqual(
          [cells[0], cells[1], cells[3], cells[5], cells[6]],
          [i18n.t(`touchpoint.${d.name}` as 'touchpoint.website'), formatValue(i18n, 'percent', d.share! * 100), formatValue(i18n, 'percent', d.performance), number(d.n), i18n.t(`drivers.quadrant.${d.quadrant}` as 'drivers.quadrant.fix_first')],
        );
      }
      assert.equal(await page.locator('[data-testid=drivers-warnings] li').count(), data.warnings.length);
      await page.waitForSelector('[data-testid=drivers-chart][data-ready=true]');
      assert.equal(await page.getAttribute('[data-testid=drivers-chart]', 'aria-label'), i18n.t('drivers.chartLabel'));
      assert.deepEqual(await seriousAxeViolations(page), []);
      assert.deepEqual(pageProblems(page), []);
      await page.getByTestId('key-drivers').scrollIntoViewIfNeeded();
      await screenshot(page, `dashboard-journey-drivers-${lang}`);
    });
  }
});
