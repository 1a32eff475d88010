import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAnnotation } from '../../src/storage/annotations.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Impact {
  metric: string;
  days: number;
  before: { from: string; to: string; value: number | null; n: number; ci: [number, number] | null };
  after: { from: string; to: string; value: number | null; n: number; ci: [number, number] | null };
  change: { delta: number; ci: [number, number] | null; pValue: number | null; significant: boolean; smallSample: boolean } | null;
}

const text = async (page: Page, testId: string) => (await page.textContent(`[data-testid=${testId}]`))?.trim();

describe('dashboard annotations in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: add, compare before/after (the API\'s numbers), change the window, edit, hostile text shown as text, delete', async () => {
    const page = await dashboard.open('en', '/annotations');
    await page.waitForSelector('[data-testid=empty]');
    assert.match((await page.textContent('[data-testid=empty]'))!, /No annotations yet/);

    await page.fill('[data-testid=field-day]', '2026-09-15');
    await page.fill('[data-testid=field-text]', 'New returns policy');
    await page.selectOption('[data-testid=field-category]', 'redesign');
    await page.fill('[data-testid=field-note]', 'Free returns for 60 days');
    await page.click('[data-testid=save-annotation]');
    await page.waitForSelector('[data-testid=annotations-table] tbody tr');
    await page.waitForURL(/id=\d+/);
    const id = new URL(page.url()).searchParams.get('id')!;
    await page.waitForSelector('[data-testid=impact-table] tbody tr');

    const impact = await dashboard.api<Impact>(`/api/v1/annotations/${id}/impact?workspace=acme`);
    assert.equal(impact.metric, 'nps');
    assert.equal(impact.days, 30);
    assert.ok(impact.before.n > 30 && impact.after.n > 30, 'the demo has answers on both sides');
    const nps = new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
    const points = new Intl.NumberFormat('en', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
    assert.equal(await text(page, 'impact-before-value'), nps.format(impact.before.value!));
    assert.equal(await text(page, 'impact-after-value'), nps.format(impact.after.value!));
    assert.equal(await text(page, 'impact-before-n'), impact.before.n.toLocaleString('en'));
    assert.equal(await text(page, 'impact-after-n'), impact.after.n.toLocaleString('en'));
    assert.equal(await text(page, 'impact-difference-value'), `${points.format(impact.change!.delta)} pts`);
    assert.equal(await text(page, 'impact-difference-ci'), `95% CI ${points.format(impact.change!.ci![0])} pts to ${points.format(impact.change!.ci![1])} pts`);
    assert.match((await text(page, 'impact-verdict'))!, impact.change!.significant ? /^significant/ : /not significant|too few/);
    assert.match((await text(page, 'impact-summary'))!, /in the 30 days before/);
    await page.waitForSelector('[data-testid=impact-chart][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    await screenshot(page, 'dashboard-annotations-en');

    // A shorter window and another metric: the URL keeps them, the numbers follow the API.
    await page.fill('[data-testid=impact-days]', '14');
    await page.press('[data-testid=impact-days]', 'Enter');
    await page.selectOption('[data-testid=impact-metric]', 'csat');
    await page.waitForURL((url) => url.searchParams.get('days') === '14' && url.searchParams.get('metric') === 'csat');
    const csat = await dashboard.api<Impact>(`/api/v1/annotations/${id}/impact?workspace=acme&metric=csat&days=14`);
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    await page.waitForFunction((n) => document.querySelector('[data-testid=impact-before-n]')?.textContent === n, csat.before.n.toLocaleString('en'));
    assert.equal(await text(page, 'impact-before-value'), percent.format(csat.before.value! / 100));
    assert.equal(await text(page, 'impact-after-value'), percent.format(csat.after.value! / 100));

    // Edit.
    await page.click(`[data-testid=edit-${id}]`);
    await page.fill('[data-testid=field-text]', 'Returns policy: free for 60 days');
    await page.click('[data-testid=save-annotation]');
    await page.waitForFunction(() => document.querySelector('[data-testid=annotations-table] tbody')?.textContent?.includes('Returns policy: free for 60 days'));

    // Hostile text is only text.
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const hostile = '<img src=x onerror=alert(1)>';
    await page.fill('[data-testid=field-day]', '2026-08-01');
    await page.fill('[data-testid=field-text]', hostile);
    await page.click('[data-testid=save-annotation]');
    await page.waitForFunction((h) => document.querySelector('[data-testid=annotations-table] tbody')?.textContent?.includes(h), hostile);
    assert.equal(await page.locator('[data-testid=annotations-table] img').count(), 0);
    assert.equal(dialogs, 0);

    // Delete takes a second click.
    const hostileId = new URL(page.url()).searchParams.get('id')!;
    await page.click(`[data-testid=delete-${hostileId}]`);
    assert.equal(await page.locator('[data-testid=annotations-table] tbody tr').count(), 2, 'the first click only asks');
    await page.click(`[data-testid=confirm-delete-${hostileId}]`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=annotations-table] tbody tr').length === 1);
    const list = await dashboard.api<{ annotations: Array<{ text: string }> }>('/api/v1/annotations?workspace=acme');
    assert.deepEqual(list.annotations.map((a) => a.text), ['Returns policy: free for 60 days']);
    assert.deepEqual(pageProblems(page), []);
  });

  test('the annotation appears on the Explore trend of its period', async () => {
    const page = await dashboard.open('en', '/explore?metric=nps&period=month&from=2026-03-01&to=2026-10-31');
    await page.waitForSelector('[data-testid=trend-chart][data-ready=true]');
    assert.match((await page.textContent('main'))!, /Dashed lines mark the workspace's annotations/);
  });

  test('Arabic: mirrored, Arabic numbers equal to the API\'s, no serious axe violations', async () => {
    const annotation = await createAnnotation(dashboard.db, dashboard.workspace.id, { day: '2026-07-01', text: 'تدريب فريق الدعم', category: 'training', metric: 'csat' }, 'test');
    const page = await dashboard.open('ar', `/annotations?id=${annotation.id}`);
    await page.waitForSelector('[data-testid=impact-table] tbody tr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    const ar = JSON.parse(readFileSync(new URL('../../src/web/app/messages/ar.json', import.meta.url), 'utf8')) as Record<string, string>;
    assert.equal(await page.textContent('main h1'), ar['page.annotations']);
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const impact = await dashboard.api<Impact>(`/api/v1/annotations/${annotation.id}/impact?workspace=acme`);
    assert.equal(impact.metric, 'csat', 'the annotation\'s own metric');
    const arabic = new Intl.NumberFormat('ar');
    assert.equal(await text(page, 'impact-before-n'), arabic.format(impact.before.n));
    assert.equal(await text(page, 'impact-after-n'), arabic.format(impact.after.n));
    assert.equal(await text(page, 'impact-after-value'), new Intl.NumberFormat('ar', { style: 'percent', maximumFractionDigits: 1 }).format(impact.after.value! / 100));
    await page.waitForSelector('[data-testid=impact-chart][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-annotations-ar');
  });

  test('Lithuanian: the days take their plural forms', async () => {
    const annotation = await createAnnotation(dashboard.db, dashboard.workspace.id, { day: '2026-06-10', text: 'Kainų pokytis', category: 'price' }, 'test');
    const page = await dashboard.open('lt', `/annotations?id=${annotation.id}`);
    await page.waitForSelector('[data-testid=impact-summary]');
    assert.match((await text(page, 'impact-summary'))!, /per 30 dienų prieš/);
    const again = await dashboard.open('lt', `/annotations?id=${annotation.id}&days=21`);
    await again.waitForSelector('[data-testid=impact-summary]');
    assert.match((await text(again, 'impact-summary'))!, /per 21 dieną prieš/);
    const few = await dashboard.open('lt', `/annotations?id=${annotation.id}&days=3`);
    await few.waitForSelector('[data-testid=impact-table] caption');
    assert.match((await few.textContent('[data-testid=impact-table] caption'))!, /3 dienos prieš ir po/);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-annotations-lt');
  });

  test('a viewer reads and compares but has no form', async () => {
    await dashboard.db.query(`UPDATE memberships SET role = 'viewer' WHERE workspace_id = $1`, [dashboard.workspace.id]);
    try {
      const page = await dashboard.open('en', '/annotations');
      await page.waitForSelector('[data-testid=annotations-table] tbody tr');
      assert.equal(await page.locator('[data-testid=annotation-form]').count(), 0);
      assert.match((await text(page, 'read-only'))!, /role here is viewer/);
      assert.equal(await page.locator('[data-testid^=edit-]').count(), 0);
      assert.ok((await page.locator('[data-testid^=compare-]').count()) > 0);
    } finally {
      await dashboard.db.query(`UPDATE memberships SET role = 'admin' WHERE workspace_id = $1`, [dashboard.workspace.id]);
    }
  });
});
