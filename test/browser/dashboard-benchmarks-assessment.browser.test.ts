import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { QUESTION_KEYS } from '../../src/domain/cx-assessment.ts';
import { benchmarkGap } from '../../src/metrics/benchmark-gap.ts';
import { createBenchmark } from '../../src/storage/benchmarks.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

/**
 * The Benchmarks and Self-assessment pages, and benchmarks on the Overview cards and the Explore
 * trend. The figures are test inputs with example.org sources, not benchmarks.
 */

type Interval = [number, number];
interface Card { metric: string; current: { value: number | null; n: number; ci: Interval | null } | null }
interface Overview { label: string; cards: Card[] }
interface Benchmark { id: number; metric: string; label: string; value: number; margin: number | null; sourceUrl: string }
interface Section { points: number; max: number; percent: number }
interface Assessments { assessments: Array<{ id: number; createdBy: string; answers: Record<string, number>; score: { total: Section; practices: Section; steps: Section } }> }
interface MetricResult { groups: Array<{ key: Record<string, string | null>; value: number | null; n: number; ci: Interval | null }> }

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim();
const catalogue = (locale: string) => JSON.parse(readFileSync(new URL(`../../src/web/app/messages/${locale}.json`, import.meta.url), 'utf8')) as Record<string, string>;

/** formatDelta for NPS points, as the dashboard writes it. */
const points = (locale: string, value: number) => {
  const number = new Intl.NumberFormat(locale === 'ar' ? 'ar' : locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
  return catalogue(locale)['delta.points']!.replace('{points}', number);
};
const gapCi = (locale: string, ci: Interval) => catalogue(locale)['ci.range']!.replace('{low}', points(locale, ci[0])).replace('{high}', points(locale, ci[1]));

describe('dashboard benchmarks and self-assessment in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English Benchmarks: add through the form, the gap equals the one computed from the API, a javascript: link refused, hostile text as text, source link safe', async () => {
    const page = await dashboard.open('en', '/benchmarks');
    await page.waitForSelector('[data-testid=empty]');
    assert.match((await text(page, '[data-testid=empty]'))!, /No benchmarks yet/);

    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    // A javascript: link is refused by the server with a message that says why.
    await page.selectOption('[data-testid=field-metric]', 'nps');
    await page.fill('[data-testid=field-label]', '<img src=x onerror=alert(1)>');
    await page.fill('[data-testid=field-value]', '25');
    await page.fill('[data-testid=field-as-of]', '2026-06-30');
    await page.fill('[data-testid=field-source]', 'javascript:alert(1)');
    await page.fill('[data-testid=field-n]', '800');
    await page.fill('[data-testid=field-margin]', '3');
    await page.click('[data-testid=save-benchmark]');
    await page.waitForSelector('[role=alert]');
    assert.match((await text(page, '[role=alert]'))!, /source_url must start with https:\/\/ or http:\/\/, not javascript:/);
    await page.fill('[data-testid=field-source]', 'https://www.example.org/nps-study?wave=2');
    await page.click('[data-testid=save-benchmark]');
    await page.waitForSelector('[data-testid=benchmarks-table] tbody tr');

    const [benchmark] = (await dashboard.api<{ benchmarks: Benchmark[] }>('/api/v1/benchmarks?workspace=acme')).benchmarks;
    assert.deepEqual([benchmark!.metric, benchmark!.value, benchmark!.margin, benchmark!.label], ['nps', 25, 3, '<img src=x onerror=alert(1)>']);
    const overview = await dashboard.api<Overview>('/api/v1/overview?workspace=acme&period=month');
    const own = overview.cards.find((c) => c.metric === 'nps')!.current!;
    const gap = benchmarkGap({ own, benchmark: { value: 25, margin: 3 } })!;
    assert.ok(gap.ci, 'the demo NPS has an interval');
    const row = '[data-testid=benchmarks-table] tbody tr';
    assert.equal(await text(page, `${row} [data-testid=benchmark-value]`), '+25');
    assert.equal(await text(page, `${row} [data-testid=own-value]`), new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(own.value!));
    assert.equal(await text(page, `${row} [data-testid=benchmark-gap]`), points('en', gap.gap));
    assert.equal(await text(page, `${row} [data-testid=benchmark-gap-ci]`), `${gapCi('en', gap.ci!)} · ${catalogue('en')[`gap.${gap.verdict}`]}`);
    const link = page.locator(`${row} [data-testid=benchmark-source]`);
    assert.equal(await link.getAttribute('href'), 'https://www.example.org/nps-study?wave=2');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await link.textContent(), 'example.org');
    assert.equal(await page.locator('main img').count(), 0, 'the hostile label is text');
    assert.match((await text(page, row))!, /<img src=x onerror=alert\(1\)>/);
    assert.match((await text(page, '[data-testid=own-note]'))!, /the one the Overview shows \(October 2026\)/);
    assert.deepEqual(await seriousAxeViolations(page), []);
    await screenshot(page, 'dashboard-benchmarks-en');

    // Edit: the label; then the Overview card and Explore show it.
    await page.click(`[data-testid=edit-${benchmark!.id}]`);
    await page.fill('[data-testid=field-label]', 'Example rival (fictional)');
    await page.click('[data-testid=save-benchmark]');
    await page.waitForFunction(() => document.querySelector('[data-testid=benchmarks-table] tbody')?.textContent?.includes('Example rival (fictional)'));
    assert.equal(dialogs, 0);
    // Failures were the 400 the test provoked; nothing else.
    assert.deepEqual(pageProblems(page).filter((p) => !p.startsWith('400 POST /api/v1/benchmarks')), []);
  });

  test('Overview: the NPS card shows the gap to the benchmark with its interval; Explore draws the line and lists the gap of the last period', async () => {
    const [benchmark] = (await dashboard.api<{ benchmarks: Benchmark[] }>('/api/v1/benchmarks?workspace=acme&metric=nps')).benchmarks;
    const overview = await dashboard.open('en', '/');
    await overview.waitForSelector('[data-testid=kpi-nps] [data-testid=kpi-gap]');
    const data = await dashboard.api<Overview>('/api/v1/overview?workspace=acme&period=month');
    const own = data.cards.find((c) => c.metric === 'nps')!.current!;
    const gap = benchmarkGap({ own, benchmark: { value: benchmark!.value, margin: benchmark!.margin } })!;
    assert.equal(
      await text(overview, '[data-testid=kpi-nps] [data-testid=kpi-gap]'),
      `${points('en', gap.gap)} vs Example rival (fictional) (example.org) (${gapCi('en', gap.ci!)}): ${catalogue('en')[`gap.${gap.verdict}`]}`,
    );
    assert.equal(await overview.locator('[data-testid=kpi-csat] [data-testid=kpi-gap]').count(), 0, 'no benchmark, no gap');
    assert.deepEqual(await seriousAxeViolations(overview), []);
    await screenshot(overview, 'dashboard-overview-benchmark-en');

    const range = 'from=2026-03-01&to=2026-10-31';
    const explore = await dashboard.open('en', `/explore?metric=nps&period=month&${range}`);
    await explore.waitForSelector('[data-testid=trend-chart][data-ready=true]');
    await explore.waitForSelector('[data-testid=explore-benchmarks] tbody tr');
    const trend = await dashboard.api<MetricResult>(`/api/v1/metrics/nps?workspace=acme&${range}&by=month`);
    const last = [...trend.groups].sort((a, b) => a.key.month!.localeCompare(b.key.month!)).filter((g) => g.value !== null).at(-1)!;
    const lastGap = benchmarkGap({ own: last, benchmark: { value: benchmark!.value, margin: benchmark!.margin } })!;
    assert.equal(await text(explore, '[data-testid=explore-benchmarks] [data-testid=benchmark-gap]'), points('en', lastGap.gap));
    assert.equal(await text(explore, '[data-testid=explore-benchmarks] [data-testid=benchmark-gap-ci]'), `${gapCi('en', lastGap.ci!)} · ${catalogue('en')[`gap.${lastGap.verdict}`]}`);
    assert.match((await text(explore, '[data-testid=explore-benchmarks] caption'))!, /last period shown \(October 2026\)/);
    assert.match((await text(explore, 'main'))!, /Dashed horizontal lines: benchmarks for this metric/);
    // The reference line is in the chart: its label names the source.
    // The tooltip of the last month gives that month's gap to the benchmark, with its interval.
    const box = (await explore.locator('[data-testid=trend-chart]').boundingBox())!;
    await explore.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
    await explore.waitForFunction(() => document.querySelector('[data-testid=trend-chart]')?.textContent?.includes('Example rival'));
    const tooltip = (await explore.locator('[data-testid=trend-chart]').textContent())!;
    assert.ok(tooltip.includes(`Example rival (fictional) (example.org): +25 · ${points('en', lastGap.gap)} (${gapCi('en', lastGap.ci!)})`), tooltip);
    await screenshot(explore, 'dashboard-explore-benchmark-en');
    assert.deepEqual(await seriousAxeViolations(explore), []);
    assert.deepEqual(pageProblems(explore), []);
  });

  test('Arabic Benchmarks: mirrored, numbers in Arabic equal to the API\'s, axe clean', async () => {
    await createBenchmark(dashboard.db, dashboard.workspace.id, { metric: 'csat', label: 'قطاع تجريبي (مثال)', kind: 'industry', value: 70, asOf: '2026-05-31', sourceUrl: 'https://example.org/csat' }, 'test');
    const page = await dashboard.open('ar', '/benchmarks');
    await page.waitForSelector('[data-testid=benchmarks-table] tbody tr:nth-child(2)');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await text(page, 'main h1'), catalogue('ar')['page.benchmarks']);
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const overview = await dashboard.api<Overview>('/api/v1/overview?workspace=acme&period=month');
    const own = overview.cards.find((c) => c.metric === 'csat')!.current!;
    const gap = benchmarkGap({ own, benchmark: { value: 70 } })!;
    const csatRow = page.locator('[data-testid=benchmarks-table] tbody tr', { hasText: 'قطاع تجريبي' });
    assert.equal((await csatRow.locator('[data-testid=benchmark-value]').textContent())?.trim(), new Intl.NumberFormat('ar', { style: 'percent', maximumFractionDigits: 1 }).format(0.7));
    assert.equal((await csatRow.locator('[data-testid=benchmark-gap]').textContent())?.trim(), points('ar', gap.gap));
    assert.equal((await csatRow.locator('[data-testid=benchmark-gap-ci]').textContent())?.trim(), `${gapCi('ar', gap.ci!)} · ${catalogue('ar')[`gap.${gap.verdict}`]}`);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-benchmarks-ar');
  });

  test('English Self-assessment: every question required, the score and history equal the API\'s, each practice links to its page', async () => {
    const page = await dashboard.open('en', '/assessment');
    await page.waitForSelector('[data-testid=empty]');
    assert.equal(await page.locator('[data-testid^=question-]').count(), QUESTION_KEYS.length);
    assert.match((await text(page, '[data-testid=question-monthly_satisfaction]'))!, /We measure customer satisfaction every month/);
    assert.equal(await page.getAttribute('[data-testid=question-competitor_quality] [data-testid=feature-benchmarks]', 'href'), '/benchmarks');
    assert.equal(await page.getAttribute('[data-testid=question-retention_incentives] [data-testid=feature-retention]', 'href'), '/retention');
    assert.equal(await page.getAttribute('[data-testid=question-acceptance_of_parts] [data-testid=feature-journey]', 'href'), '/journey');

    // Half answered: the page says how many are left and sends nothing.
    for (const key of QUESTION_KEYS.slice(0, 10)) await page.check(`[data-testid=answer-${key}-2]`);
    await page.click('[data-testid=save-assessment]');
    assert.match((await text(page, '[role=alert]'))!, /Score every question first \(9 left\)/);
    for (const [i, key] of QUESTION_KEYS.entries()) await page.check(`[data-testid=answer-${key}-${i % 5}]`);
    await page.fill('[data-testid=field-note]', 'First review');
    await page.click('[data-testid=save-assessment]');
    await page.waitForSelector('[data-testid=history-table] tbody tr');
    const first = (await dashboard.api<Assessments>('/api/v1/assessments?workspace=acme')).assessments;
    assert.equal(first.length, 1);
    assert.deepEqual(first[0]!.answers, Object.fromEntries(QUESTION_KEYS.map((k, i) => [k, i % 5])));
    const pct = (s: Section) => new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 }).format(s.percent / 100);
    assert.equal(await text(page, '[data-testid=latest-total]'), pct(first[0]!.score.total));
    assert.equal(await text(page, '[data-testid=latest-points]'), `${pct(first[0]!.score.total)} (${first[0]!.score.total.points} of 76 points)`);
    assert.equal(await text(page, '[data-testid=latest-practices]'), pct(first[0]!.score.practices));
    assert.equal(await text(page, '[data-testid=latest-steps]'), pct(first[0]!.score.steps));
    assert.match((await text(page, '[data-testid=saved]'))!, new RegExp(`Saved: ${pct(first[0]!.score.total)}`));

    // A second one, starting from the first's answers: two raised.
    assert.ok(await page.isChecked(`[data-testid=answer-${QUESTION_KEYS[0]}-0]`), 'the form starts from the last answers');
    await page.check(`[data-testid=answer-monthly_satisfaction-4]`);
    await page.check(`[data-testid=answer-outperform_competitors-4]`);
    await page.click('[data-testid=save-assessment]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-table] tbody tr').length === 2);
    const both = (await dashboard.api<Assessments>('/api/v1/assessments?workspace=acme')).assessments;
    const newest = both[1]!;
    assert.deepEqual(
      await page.locator('[data-testid=history-table] [data-testid=history-total]').allTextContents(),
      [newest, both[0]!].map((a) => `${pct(a.score.total)} (${a.score.total.points} of 76 points)`),
    );
    const monthly = await page.locator('[data-testid=by-item-table] tbody tr', { hasText: 'every month' }).locator('td').allTextContents();
    assert.deepEqual(monthly.slice(1), [String(both[0]!.answers.monthly_satisfaction), '4']);
    assert.match((await text(page, '[data-testid=assessment-count]'))!, /^2 assessments so far$/);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-assessment-en');
  });

  test('Arabic Self-assessment: the seed\'s own words, mirrored, Arabic numbers, axe clean', async () => {
    const page = await dashboard.open('ar', '/assessment');
    await page.waitForSelector('[data-testid=history-table] tbody tr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await text(page, 'main h1'), catalogue('ar')['page.assessment']);
    assert.match((await text(page, '[data-testid=question-monthly_satisfaction]'))!, /نقوم بقياس رضا العملاء شهرياً/);
    assert.match((await text(page, '[data-testid=question-satisfaction_meeting]'))!, /لدينا اجتماع دوري لتحليل رضا العميل وأسباب التغيرات فيه/);
    assert.match((await text(page, '[data-testid=questions-step] caption'))!, /كيف نخطط لصناعة تجربة عملاء جيدة/);
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const latest = (await dashboard.api<Assessments>('/api/v1/assessments?workspace=acme')).assessments.at(-1)!;
    assert.equal(await text(page, '[data-testid=latest-total]'), new Intl.NumberFormat('ar', { style: 'percent', maximumFractionDigits: 0 }).format(latest.score.total.percent / 100));
    assert.match((await text(page, '[data-testid=assessment-count]'))!, /تقييمان/);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-assessment-ar');
  });

  test('Lithuanian: the count of assessments takes its plural form', async () => {
    const page = await dashboard.open('lt', '/assessment');
    await page.waitForSelector('[data-testid=assessment-count]');
    assert.equal(await text(page, '[data-testid=assessment-count]'), 'Iki šiol 2 vertinimai');
    assert.match((await text(page, '[data-testid=question-train_internal_staff]'))!, /Reguliariai mokome savo darbuotojus/);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-assessment-lt');
  });

  test('Support and Retention draw their metrics\' benchmarks too: the tooltip of the last month names each with its gap', async () => {
    await createBenchmark(dashboard.db, dashboard.workspace.id, { metric: 'fcr', label: 'FCR rival (fictional)', kind: 'competitor', value: 80, asOf: '2026-06-30', sourceUrl: 'https://example.org/fcr' }, 'test');
    await createBenchmark(dashboard.db, dashboard.workspace.id, { metric: 'churn', label: 'Churn peer (fictional)', kind: 'industry', value: 3, asOf: '2026-06-30', sourceUrl: 'https://example.org/churn' }, 'test');
    for (const [path, chart, label] of [
      ['/support', 'fcr-chart', 'FCR rival (fictional) (example.org)'],
      ['/retention', 'churn-trend', 'Churn peer (fictional) (example.org)'],
    ] as const) {
      const page = await dashboard.open('en', path);
      await page.waitForSelector(`[data-testid=${chart}][data-ready=true]`);
      await page.locator(`[data-testid=${chart}]`).scrollIntoViewIfNeeded();
      // The benchmarks may arrive after the chart is drawn: hover again until the tooltip has them.
      let tooltip = '';
      for (let attempt = 0; attempt < 20 && !tooltip.includes(label); attempt++) {
        const box = (await page.locator(`[data-testid=${chart}]`).boundingBox())!;
        await page.mouse.move(box.x + box.width - 40 - (attempt % 2), box.y + box.height / 2);
        await page.waitForTimeout(250);
        tooltip = (await page.locator(`[data-testid=${chart}]`).textContent()) ?? '';
      }
      assert.ok(tooltip.includes(label), `${path}: ${tooltip}`);
      assert.match((await page.locator(`[data-testid=${chart}]`).textContent())!, new RegExp(`${label.replace(/[()]/g, '\\$&')}: `));
      assert.deepEqual(pageProblems(page), []);
    }
  });
});
