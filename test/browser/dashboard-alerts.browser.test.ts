import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { evaluateWorkspace } from '../../src/jobs/evaluate-alerts.ts';
import { createRule } from '../../src/storage/alerts.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface AlertJson {
  id: number;
  ruleName: string;
  period: string | null;
  figure: { value?: number; n?: number; ci?: [number, number]; score?: number; comment?: string; theme?: string; share?: number; previous?: { share: number } };
  suppressed: boolean;
}

const cells = async (page: Page, table: string) =>
  page.$$eval(`[data-testid=${table}] tbody tr`, (rows) => rows.map((row) => [...row.querySelectorAll('td, th')].map((cell) => cell.textContent?.trim() ?? '')));

describe('dashboard alerts in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: add a rule with the form, see what fired with the API\'s value, n and interval; hostile comments are text; disable', async () => {
    const page = await dashboard.open('en', '/alerts');
    await page.waitForSelector('[data-testid=empty]');
    await page.fill('[data-testid=field-name]', 'CSAT under 99%');
    await page.selectOption('[data-testid=field-kind]', 'threshold');
    await page.selectOption('[data-testid=field-metric]', 'csat');
    await page.selectOption('[data-testid=field-period]', 'month');
    await page.fill('[data-testid=field-level]', '99');
    await page.fill('[data-testid=field-email]', 'cx@acme.test');
    await page.click('[data-testid=save-rule]');
    await page.waitForSelector('[data-testid=rules-table] tbody tr');
    const rules = await dashboard.api<{ rules: Array<{ id: number; name: string; params: { below: number } }> }>('/api/v1/alert-rules?workspace=acme');
    assert.deepEqual(rules.rules.map((r) => [r.name, r.params.below]), [['CSAT under 99%', 99]]);
    assert.deepEqual((await cells(page, 'rules-table'))[0]!.slice(0, 4), ['CSAT under 99%', 'CSAT below 99%', 'E-mail: cx@acme.test', 'On']);

    // An answer rule and a hostile detractor, then the evaluation the schedule would run at the demo's end.
    await createRule(dashboard.db, dashboard.workspace.id, { name: 'Detractors', definition: { kind: 'response', params: { questionKind: 'nps', maxScore: 6 } }, channels: [], cooldownMinutes: 60, enabled: true }, 'test');
    await dashboard.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, submitted_at) VALUES ($1, 'alert-hostile', 'nps', 1, 0, 10, $2, '2026-10-28T10:00:00Z')`,
      [dashboard.workspace.id, '<img src=x onerror="alert(1)"> never again'],
    );
    await evaluateWorkspace(dashboard.db, dashboard.workspace, { at: new Date('2026-10-28T12:00:00Z') });
    const { alerts } = await dashboard.api<{ alerts: AlertJson[] }>('/api/v1/alerts?workspace=acme');
    const threshold = alerts.find((a) => a.ruleName === 'CSAT under 99%' && a.period === '2026-10')!;
    assert.ok(threshold, JSON.stringify(alerts.map((a) => [a.ruleName, a.period])));
    const metric = await dashboard.api<{ groups: Array<{ value: number; n: number; ci: [number, number] }> }>('/api/v1/metrics/csat?workspace=acme&by=month&from=2026-10-01&to=2026-10-31');
    assert.equal(threshold.figure.value, metric.groups[0]!.value);
    assert.equal(threshold.figure.n, metric.groups[0]!.n);

    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.reload();
    await page.waitForSelector('[data-testid=history-table] tbody tr');
    const rows = await cells(page, 'history-table');
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    const shown = rows.find((r) => r[1] === 'CSAT under 99%' && r[2] === '2026-10')!;
    assert.equal(shown[3], percent.format(threshold.figure.value! / 100));
    assert.equal(shown[4], threshold.figure.n!.toLocaleString('en'));
    assert.match(shown[5]!, new RegExp(`${percent.format(threshold.figure.ci![0] / 100).replace('.', '\\.')}.*${percent.format(threshold.figure.ci![1] / 100).replace('.', '\\.')}`));
    assert.equal(shown[7], 'E-mail: waiting', 'the period in progress is sent');
    assert.equal(rows.find((r) => r[1] === 'CSAT under 99%' && r[2] === '2026-09')?.[7], 'Held back (cool-down)', 'the period before, firing in the same evaluation, waits out the cool-down');
    assert.match(rows.find((r) => r[1] === 'Detractors')![3]!, /^An anonymous respondent gave 1$/);
    const hostile = rows.find((r) => r[1] === 'Detractors')!;
    assert.equal(hostile[6], '<img src=x onerror="alert(1)"> never again', 'the comment is shown as text');
    assert.equal(await page.$('[data-testid=history-table] img'), null);
    assert.equal(dialogs, 0);
    assert.deepEqual(await seriousAxeViolations(page), []);
    await screenshot(page, 'dashboard-alerts-en');

    // Disable: the API and the table agree.
    await page.click(`[data-testid=toggle-rule-${rules.rules[0]!.id}]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=rules-table] tbody tr')?.textContent?.includes('Off'));
    const after = await dashboard.api<{ rules: Array<{ id: number; enabled: boolean }> }>('/api/v1/alert-rules?workspace=acme');
    assert.equal(after.rules.find((r) => r.id === rules.rules[0]!.id)!.enabled, false);
    assert.deepEqual(pageProblems(page), []);
  });

  test('Arabic: mirrored, Arabic numbers, the same figures', async () => {
    const page = await dashboard.open('ar', '/alerts');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.waitForSelector('[data-testid=history-table] tbody tr');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    assert.equal((await page.textContent('main h1'))?.trim(), 'التنبيهات');
    const { alerts } = await dashboard.api<{ alerts: AlertJson[] }>('/api/v1/alerts?workspace=acme');
    const threshold = alerts.find((a) => a.ruleName === 'CSAT under 99%')!;
    const rows = await cells(page, 'history-table');
    const shown = rows.find((r) => r[1] === 'CSAT under 99%')!;
    assert.equal(shown[3], new Intl.NumberFormat('ar', { style: 'percent', maximumFractionDigits: 1 }).format(threshold.figure.value! / 100));
    assert.equal(shown[4], new Intl.NumberFormat('ar').format(threshold.figure.n!));
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-alerts-ar');
  });

  test('A theme spikes: the form takes a phrase; the firing shows its share now and before, n and interval, in English and Arabic', async () => {
    const page = await dashboard.open('en', '/alerts');
    await page.waitForSelector('[data-testid=rules-table] tbody tr');
    await page.fill('[data-testid=field-name]', 'Late deliveries');
    await page.selectOption('[data-testid=field-kind]', 'theme');
    assert.equal(await page.$('[data-testid=field-level]'), null, 'a theme rule has no level');
    await page.selectOption('[data-testid=field-period]', 'month');
    await page.fill('[data-testid=field-phrase]', 'late delivery');
    await page.click('[data-testid=save-rule]');
    await page.waitForFunction(() => document.querySelector('[data-testid=rules-table]')?.textContent?.includes('Late deliveries'));
    const { rules } = await dashboard.api<{ rules: Array<{ name: string; kind: string; params: Record<string, unknown> }> }>('/api/v1/alert-rules?workspace=acme');
    assert.deepEqual(rules.find((r) => r.name === 'Late deliveries'), { ...rules.find((r) => r.name === 'Late deliveries'), kind: 'theme', params: { period: 'month', phrase: 'late delivery', minMentions: 10, minN: 30 } });
    assert.deepEqual((await cells(page, 'rules-table')).find((r) => r[0] === 'Late deliveries')!.slice(1, 2), ['“\u2068late delivery\u2069” rises significantly in comments']);

    // 150 October comments about late deliveries, then the evaluation.
    const params: unknown[] = [dashboard.workspace.id];
    const rows: string[] = [];
    for (let i = 0; i < 150; i++) {
      params.push(`theme-late-${i}`, `Late delivery again, order ${i}`, `2026-10-${String(1 + (i % 27)).padStart(2, '0')}T09:00:00Z`);
      rows.push(`($1, $${params.length - 2}, 'csat', 2, 1, 5, $${params.length - 1}, 'en', $${params.length}::timestamptz)`);
    }
    await dashboard.db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at) VALUES ${rows.join(', ')}`, params);
    await evaluateWorkspace(dashboard.db, dashboard.workspace, { at: new Date('2026-10-28T12:00:00Z') });
    const { alerts } = await dashboard.api<{ alerts: AlertJson[] }>('/api/v1/alerts?workspace=acme');
    const fired = alerts.filter((a) => a.ruleName === 'Late deliveries');
    assert.deepEqual(fired.map((a) => a.period), ['2026-10'], JSON.stringify(fired.map((a) => a.figure)));
    const figure = fired[0]!.figure;
    assert.ok(figure.share! > figure.previous!.share);

    for (const locale of ['en', 'ar'] as const) {
      const view = locale === 'en' ? page : await dashboard.open('ar', '/alerts');
      if (locale === 'en') await page.reload();
      await view.waitForSelector('[data-testid=history-table] tbody tr');
      const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
      const shown = (await cells(view, 'history-table')).find((r) => r[1] === 'Late deliveries')!;
      const text = locale === 'en' ? `“\u2068late delivery\u2069”: ${percent.format(figure.share! / 100)} of comments (was ${percent.format(figure.previous!.share / 100)})` : `«\u2068late delivery\u2069»: ${percent.format(figure.share! / 100)} من التعليقات (كانت ${percent.format(figure.previous!.share / 100)})`;
      assert.equal(shown[3], text);
      assert.equal(shown[4], new Intl.NumberFormat(locale).format(figure.n!));
      assert.ok(shown[5]!.includes(percent.format(figure.ci![0] / 100)) && shown[5]!.includes(percent.format(figure.ci![1] / 100)), shown[5]);
      assert.deepEqual(await seriousAxeViolations(view), []);
      assert.deepEqual(pageProblems(view), []);
      if (locale === 'ar') {
        assert.equal(await view.getAttribute('html', 'dir'), 'rtl');
        await view.selectOption('[data-testid=field-kind]', 'theme');
        await view.waitForSelector('[data-testid=field-phrase]');
      }
      await screenshot(view, `dashboard-alerts-theme-${locale}`);
    }
  });
});
