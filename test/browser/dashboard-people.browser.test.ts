import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface Group {
  key: Record<string, string | null>;
  value: number | null;
  n: number;
  suppressed?: boolean;
}
interface PeopleJson {
  minAnswers: number;
  teams: Array<{ id: string; name: string | null }>;
  esat: { groups: Group[] };
  enps: { groups: Group[] };
  csat: { groups: Group[] };
  esatByTeam: { groups: Group[] };
  enpsByTeam: { groups: Group[] };
  csatByTeam: { groups: Group[] };
  npsByTeam: { groups: Group[] };
}

describe('dashboard people page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: each team\'s ESAT, eNPS and customers\' CSAT with n are the API\'s; small teams hidden with a note', async () => {
    const page = await dashboard.open('en', '/people');
    const data = await dashboard.api<PeopleJson>('/api/v1/people?workspace=acme&period=quarter');
    await page.waitForSelector('[data-testid=people-teams] tbody tr');
    assert.match((await page.textContent('[data-testid=confidentiality]'))!, /fewer than 5 answers/);
    const percent = (v: number) => new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 }).format(v / 100);
    const nps = (v: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(v);
    const expected = (metric: string, group: Group | undefined) =>
      !group ? '–' : group.suppressed ? `hidden (n = ${group.n} < 5)` : metric === 'enps' || metric === 'nps' ? nps(group.value!) : percent(group.value!);
    const name = (id: string | null) => (id === null ? 'No team' : data.teams.find((t) => t.id === id)?.name ?? id);

    // The by-team table: every team that has a number, every number and n equal to the API's.
    const rows = page.locator('[data-testid=people-teams] tbody tr');
    // Answers of no team (customers no agent served) are not on the page.
    const teams = [...new Set([...data.esatByTeam.groups, ...data.enpsByTeam.groups, ...data.csatByTeam.groups].map((g) => g.key.team ?? null))].filter((team) => team !== null);
    assert.equal(await rows.count(), teams.length);
    let hidden = 0;
    let shown = 0;
    for (const team of teams) {
      const row = rows.filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${name(team).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
      assert.equal(await row.count(), 1, `one row for ${name(team)}`);
      for (const metric of ['esat', 'enps', 'csat'] as const) {
        const group = data[`${metric}ByTeam`].groups.find((g) => (g.key.team ?? null) === team);
        assert.equal(await row.locator(`[data-testid=cell-${metric}]`).textContent(), expected(metric, group), `${metric} of ${name(team)}`);
        assert.equal(await row.locator(`[data-testid=n-${metric}]`).textContent(), group ? group.n.toLocaleString('en') : '–');
        if (group?.suppressed) hidden++;
        else if (group && metric !== 'csat') shown++;
      }
    }
    assert.ok(shown > 0, 'some employee scores are shown');
    // The quarter × team table: hidden cells say so, shown ones match.
    const periodRows = page.locator('[data-testid=people-periods] tbody tr');
    const keys = new Set([...data.esat.groups, ...data.enps.groups, ...data.csat.groups].filter((g) => g.key.team !== null).map((g) => `${g.key.quarter}|${g.key.team}`));
    assert.equal(await periodRows.count(), keys.size);
    const texts = await page.locator('[data-testid=people-periods] [data-testid=cell-esat]').allTextContents();
    const esatHidden = data.esat.groups.filter((g) => g.suppressed && g.key.team !== null).length;
    assert.ok(esatHidden > 0, 'the demo has small teams in some quarters');
    assert.equal(texts.filter((t) => t.startsWith('hidden (n = ')).length, esatHidden);
    // NPS answers of the demo name no agent: the page says why there is no NPS by team.
    assert.equal(data.npsByTeam.groups.every((g) => g.key.team === null), true);
    assert.match((await page.textContent('[data-testid=nps-note]'))!, /do not name the agent/);
    await page.waitForSelector('[data-testid=people-trend][data-ready=true]');
    await page.waitForSelector('[data-testid=people-compare][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-people-en');
    await page.locator('[data-testid=people-trend]').screenshot({ path: 'test-output/screenshots/dashboard-people-trend-en.png' });
    await page.locator('[data-testid=people-compare]').screenshot({ path: 'test-output/screenshots/dashboard-people-compare-en.png' });
  });

  test('the team and metric pickers change the view and the URL keeps it', async () => {
    const page = await dashboard.open('en', '/people');
    await page.waitForSelector('[data-testid=people-teams] tbody tr');
    await page.getByTestId('metric').selectOption('enps');
    await page.getByTestId('team').selectOption('support-ar');
    await page.waitForURL(/team=support-ar/);
    assert.match(page.url(), /metric=enps/);
    assert.equal(await page.locator('main h2').first().textContent(), 'Employee NPS (eNPS) by team');
    const data = await dashboard.api<PeopleJson>('/api/v1/people?workspace=acme&period=quarter');
    const rows = new Set([...data.esat.groups, ...data.enps.groups, ...data.csat.groups].filter((g) => g.key.team === 'support-ar').map((g) => g.key.quarter));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=people-periods] tbody tr').length === n, rows.size).catch(async (error) => {
      throw new Error(`${await page.locator('[data-testid=people-periods] tbody tr').count()} rows, expected ${rows.size}: ${error}`);
    });
    assert.equal(await page.locator('[data-testid=people-teams] tbody tr').count(), 1);
    await page.getByTestId('period').selectOption('month');
    await page.waitForURL(/period=month/);
    const monthly = await dashboard.api<PeopleJson>('/api/v1/people?workspace=acme&period=month');
    const months = new Set([...monthly.esat.groups, ...monthly.enps.groups, ...monthly.csat.groups].filter((g) => g.key.team === 'support-ar').map((g) => g.key.month));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=people-periods] tbody tr').length === n, months.size, { timeout: 90_000 }).catch(async (error) => {
      throw new Error(`${await page.locator('[data-testid=people-periods] tbody tr').count()} rows, expected ${months.size}: ${error}`);
    });
  });

  test('Arabic: right to left, mirrored, Arabic digits, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/people');
    await page.waitForSelector('[data-testid=people-teams] tbody tr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('main h1'), 'الموظفون');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const data = await dashboard.api<PeopleJson>('/api/v1/people?workspace=acme&period=quarter');
    const hidden = data.esatByTeam.groups.find((g) => g.suppressed);
    if (hidden) {
      const ar = new Intl.NumberFormat('ar');
      const texts = await page.locator('[data-testid=people-teams] [data-testid=cell-esat]').allTextContents();
      assert.ok(texts.includes(`مخفي (ن = ${ar.format(hidden.n)} < ${ar.format(5)})`), texts.join(' | '));
    }
    await page.waitForSelector('[data-testid=people-compare][data-ready=true]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-people-ar');
    await page.locator('[data-testid=people-compare]').screenshot({ path: 'test-output/screenshots/dashboard-people-compare-ar.png' });
  });
});
