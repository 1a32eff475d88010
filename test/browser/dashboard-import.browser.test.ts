import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';
import { formatPath } from '../support/formats.ts';

/**
 * The Import page in Chromium: a real file (read from ../shared, never copied here) uploaded
 * through the page, its bad rows shown with line, column and reason by a dry run that stores
 * nothing, committed, the counts on the page equal to the API's answer, and the same file
 * committed again changing nothing. English and Arabic (mirrored), axe, screenshots.
 */

const DATASETS = process.env.SADA_DATASETS_DIR || fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const DETE = join(DATASETS, 'employee-exit-qld', 'dete_survey.csv');
const DETE_MAPPING = fileURLToPath(new URL('../../examples/employee-exit-qld/dete-esat-supervision.mapping.json', import.meta.url));

interface SummaryJson {
  dryRun: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  firstRejects: Array<{ line: number; column: string; reason: string }>;
}

/** The counts the page shows, by name. */
async function shownCounts(page: Page, testId: string): Promise<Record<string, number>> {
  const items = page.locator(`[data-testid=${testId}] [data-count]`);
  const out: Record<string, number> = {};
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    out[(await item.getAttribute('data-count'))!] = Number(await item.locator('dd').getAttribute('data-value'));
  }
  return out;
}

describe('dashboard import page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });
  const stored = async (survey: string) =>
    Number((await dashboard.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1 AND survey_id = $2', [dashboard.workspace.id, survey]))[0]!.n);

  test('English: a real exit survey, mapped by hand then as JSON; the dry run shows each bad row and stores nothing; commit; again changes nothing', async () => {
    const page = await dashboard.open('en', '/import');
    assert.equal(await page.textContent('main h1'), 'Import');
    await page.setInputFiles('[data-testid=import-file]', DETE);
    await page.waitForSelector('[data-testid=upload-info]');
    assert.match((await page.textContent('[data-testid=upload-info]'))!, /^dete_survey\.csv: .+, CSV, 56 columns\.$/);
    assert.equal(await page.locator('[data-testid=raw-preview] tbody tr').count(), 8, 'the first rows as read');

    // By hand: ESAT from the supervisor item, the cease date as MM/YYYY.
    await page.selectOption('[data-testid=source-kind]', 'value');
    await page.selectOption('[data-testid=value-kind]', 'esat');
    await page.selectOption('[data-testid=source-score]', 'column:Performance of supervisor');
    await page.selectOption('[data-testid=source-submitted_at]', 'column:Cease Date');
    await page.selectOption('[data-testid=format-submitted_at]', 'mm/yyyy');
    await page.click('[data-testid=preview]');
    await page.waitForSelector('[data-testid=mapped-preview]');
    const firstBad = page.locator('[data-testid=mapped-preview] tr.row-bad').first();
    assert.match((await firstBad.textContent())!, /score Performance of supervisor \(column \d+\): "A" is not a number/, 'each field reads as Sada would store it, or says why not');

    // The documented mapping (examples/), as JSON: agree/disagree codes translated to 1–5.
    await page.check('[data-testid=mode-json]');
    await page.fill('[data-testid=mapping-json]', readFileSync(DETE_MAPPING, 'utf8'));
    const dryResponse = page.waitForResponse((r) => r.url().includes('/dry-run') && r.request().method() === 'POST');
    await page.click('[data-testid=dry-run]');
    const dry = (await (await dryResponse).json()) as SummaryJson;
    await page.waitForSelector('[data-testid=dry-run-result]');
    assert.equal(dry.dryRun, true);
    assert.ok(dry.rejected > 0 && dry.inserted > 0, `some rows are bad, most are good (${dry.rejected} rejected)`);
    assert.equal(await stored('dete-exit-survey'), 0, 'the dry run stored nothing');
    assert.deepEqual(await shownCounts(page, 'dry-counts'), { rows: dry.rows, inserted: dry.inserted, updated: dry.updated, unchanged: dry.unchanged, rejected: dry.rejected });
    const firstReject = page.locator('[data-testid=rejects] tbody tr').first();
    const cells = await firstReject.locator('td').allTextContents();
    assert.equal(cells[0], String(dry.firstRejects[0]!.line), 'the line');
    assert.equal(cells[1], dry.firstRejects[0]!.column, 'the column');
    assert.equal(cells[4], dry.firstRejects[0]!.reason, 'the reason');
    assert.match(cells[1]!, /\(column \d+\)$/);
    assert.equal(await page.locator('[data-testid=rejects] tbody tr').count(), Math.min(dry.rejected, 100));
    assert.deepEqual(await seriousAxeViolations(page), []);
    await screenshot(page, 'dashboard-import-en-dry-run');

    const commitResponse = page.waitForResponse((r) => r.url().includes('/commit'));
    await page.click('[data-testid=commit]');
    const committed = (await (await commitResponse).json()) as SummaryJson;
    await page.waitForSelector('[data-testid=commit-result]');
    assert.deepEqual([committed.inserted, committed.rejected], [dry.inserted, dry.rejected], 'the commit did what the dry run said');
    assert.deepEqual(await shownCounts(page, 'commit-counts'), { rows: committed.rows, inserted: committed.inserted, updated: committed.updated, unchanged: committed.unchanged, rejected: committed.rejected });
    assert.equal(await stored('dete-exit-survey'), committed.inserted);

    const againResponse = page.waitForResponse((r) => r.url().includes('/commit'));
    await page.click('[data-testid=commit]');
    const again = (await (await againResponse).json()) as SummaryJson;
    await page.waitForSelector('[data-testid=unchanged-note]');
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, committed.inserted]);
    assert.equal((await shownCounts(page, 'commit-counts')).unchanged, committed.inserted);
    assert.equal(await stored('dete-exit-survey'), committed.inserted, 'nothing new');
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-import-en-committed');
  });

  test('Arabic: a Shopify export is recognised, its preset offered and imported; mirrored, no serious axe violations', async () => {
    const page = await dashboard.open('ar', '/import');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await page.setInputFiles('[data-testid=import-file]', formatPath('shopify-orders.csv'));
    await page.waitForSelector('[data-testid=upload-info]');
    const preset = page.locator('[data-testid="mode-shopify:orders"]');
    assert.equal(await preset.isChecked(), true, 'the detected preset is chosen');
    assert.equal(await page.inputValue('[data-testid=import-kind]'), 'orders', 'and with it the kind');
    const dryResponse = page.waitForResponse((r) => r.url().includes('/dry-run'));
    await page.click('[data-testid=dry-run]');
    const dry = (await (await dryResponse).json()) as SummaryJson;
    await page.waitForSelector('[data-testid=dry-run-result]');
    assert.equal((await page.textContent('[data-testid=dry-counts] [data-count=inserted] dd'))!, new Intl.NumberFormat('ar').format(dry.inserted), 'Arabic digits');
    const commitResponse = page.waitForResponse((r) => r.url().includes('/commit'));
    await page.click('[data-testid=commit]');
    const committed = (await (await commitResponse).json()) as SummaryJson;
    await page.waitForSelector('[data-testid=commit-result]');
    assert.equal(committed.inserted, dry.inserted);
    assert.deepEqual(await shownCounts(page, 'commit-counts'), { rows: committed.rows, inserted: committed.inserted, updated: committed.updated, unchanged: committed.unchanged, rejected: committed.rejected });
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-import-ar');
  });
});
