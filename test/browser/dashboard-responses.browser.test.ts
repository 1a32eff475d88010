import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface PageJson {
  total?: number;
  responses: Array<{ id: string; comment: string | null; customerId: string | null }>;
  next: string | null;
}
interface TimelineJson {
  customer: { name: string };
  events: Array<{ type: string; id: string }>;
}

const XSS = '<img src=x onerror=alert(1)> <script>document.body.dataset.pwned="1"</script>';
const FORMULA = '=HYPERLINK("http://evil.test/?steal","Click for a refund")';
const ARABIC = 'التوصيل كان متأخرًا جدًا، وخدمة العملاء لم ترد';

describe('dashboard responses page in Chromium', () => {
  let dashboard: DashboardHarness;
  let customer: { id: string; name: string };
  before(async () => {
    dashboard = await startDashboard();
    const w = dashboard.workspace.id;
    // The demo customer with the most tickets and orders gets three answers: hostile markup, a formula, Arabic.
    const [row] = await dashboard.db.query<{ id: string; name: string }>(
      `SELECT c.id, c.name FROM customers c
       WHERE c.workspace_id = $1 AND EXISTS (SELECT 1 FROM tickets t WHERE t.workspace_id = c.workspace_id AND t.customer_id = c.id)
         AND EXISTS (SELECT 1 FROM orders o WHERE o.workspace_id = c.workspace_id AND o.customer_id = c.id)
       ORDER BY c.id LIMIT 1`,
      [w],
    );
    customer = row!;
    for (const [id, comment, language, minute] of [['hostile-xss', XSS, 'en', 3], ['hostile-formula', FORMULA, 'en', 2], ['arabic-comment', ARABIC, 'ar', 1]] as const) {
      await dashboard.db.query(
        `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, touchpoint, survey_id, customer_id, submitted_at)
         VALUES ($1, $2, 'nps', 2, 0, 10, $3, $4, 'support', 'post-support', $5, $6)`,
        [w, id, comment, language, customer.id, new Date(Date.UTC(2026, 9, 31, 20, minute))],
      );
    }
  });
  after(async () => {
    await dashboard?.close();
  });

  const ids = (page: Page) => page.$$eval('[data-testid=responses] tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.id));
  const watchDialogs = (page: Page) => {
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    return dialogs;
  };

  test('English: the count and the rows are the API\'s; hostile markup is text and nothing runs; pages follow the cursor', async () => {
    const page = await dashboard.open('en', '/responses');
    const dialogs = watchDialogs(page);
    const first = await dashboard.api<PageJson>('/api/v1/responses?workspace=acme&limit=50');
    await page.waitForSelector('[data-testid=responses] tbody tr');
    assert.equal(await page.textContent('[data-testid=count]'), `${first.total!.toLocaleString('en')} responses match`);
    assert.deepEqual(await ids(page), first.responses.map((r) => r.id));
    assert.deepEqual(first.responses.slice(0, 3).map((r) => r.id), ['hostile-xss', 'hostile-formula', 'arabic-comment']);
    const hostile = page.locator('tr[data-id=hostile-xss] [data-testid=comment]');
    assert.equal(await hostile.textContent(), XSS, 'shown exactly as typed');
    assert.equal(await hostile.getAttribute('dir'), 'auto');
    assert.equal(await page.locator('[data-testid=responses] img, [data-testid=responses] script').count(), 0, 'no element came out of the comment');
    assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
    assert.equal(await page.locator('tr[data-id=arabic-comment] [data-testid=comment]').getAttribute('dir'), 'auto');

    // Page 2 is the API's page after the cursor; back returns to page 1.
    const second = await dashboard.api<PageJson>(`/api/v1/responses?workspace=acme&limit=50&cursor=${first.next}`);
    await page.getByTestId('next').click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=responses] tbody tr')?.getAttribute('data-id') === id, second.responses[0]!.id);
    assert.deepEqual(await ids(page), second.responses.map((r) => r.id));
    assert.equal(new Set([...first.responses, ...second.responses].map((r) => r.id)).size, 100, 'no row on both pages');
    assert.match(page.url(), /cursor=/);
    await page.getByTestId('previous').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=responses] tbody tr')?.getAttribute('data-id') === 'hostile-xss');

    // Search and the detractor band: the API's count.
    await page.getByTestId('search').fill('onerror');
    await page.getByTestId('search-submit').click();
    await page.waitForURL(/q=onerror/);
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '1 response matches');
    assert.deepEqual(await ids(page), ['hostile-xss']);
    await page.getByTestId('search').fill('');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('band').selectOption('detractors');
    const detractors = await dashboard.api<PageJson>('/api/v1/responses?workspace=acme&kind=nps&score_max=6&limit=50');
    await page.waitForFunction((text) => document.querySelector('[data-testid=count]')?.textContent === text, `${detractors.total!.toLocaleString('en')} responses match`);
    assert.deepEqual(await ids(page), detractors.responses.map((r) => r.id));
    const filtered = await dashboard.api<PageJson>('/api/v1/responses?workspace=acme&kind=nps&score_max=6&language=ar&limit=50');
    await page.getByTestId('filter-language').selectOption('ar');
    await page.waitForFunction((text) => document.querySelector('[data-testid=count]')?.textContent === text, `${filtered.total!.toLocaleString('en')} responses match`);
    assert.equal(dialogs.length, 0, 'no script ran');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-responses-en');
  });

  test('the CSV export of the filtered list neutralises formulas; the JSON export is the API\'s rows', async () => {
    const page = await dashboard.open('en', '/responses?q=evil.test');
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '1 response matches');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines.length, 2, 'the header and the one matching response');
    assert.ok(lines[1]!.includes(`"'=HYPERLINK(""http://evil.test/?steal"",""Click for a refund"")"`), lines[1]);
    assert.ok(!lines[1]!.split(',').some((cell) => /^"?[=+@]/.test(cell)), 'no cell starts a formula');
    // The whole filtered list, not only the page shown: all detractors.
    await page.goto(`${dashboard.server.url}/responses?band=detractors`);
    const detractors = await dashboard.api<PageJson>('/api/v1/responses?workspace=acme&kind=nps&score_max=6&limit=500');
    await page.waitForSelector('[data-testid=responses] tbody tr');
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8').replace(/^\ufeff/, '')) as Array<{ id: string }>;
    assert.equal(exported.length, detractors.total);
    assert.ok(exported.length > 50, 'more than one page');
    assert.deepEqual(exported.slice(0, detractors.responses.length).map((r) => r.id), detractors.responses.map((r) => r.id));
  });

  test('a customer\'s timeline: their responses, tickets and orders in time order, as the API gives them', async () => {
    const page = await dashboard.open('en', '/responses');
    await page.waitForSelector('tr[data-id=hostile-xss] [data-testid=customer]');
    await page.locator('tr[data-id=hostile-xss] [data-testid=customer]').click();
    await page.waitForURL(/customer=/);
    const data = await dashboard.api<TimelineJson>(`/api/v1/customers/${encodeURIComponent(customer.id)}/timeline?workspace=acme`);
    await page.waitForSelector('[data-testid=timeline] .events li');
    assert.equal(await page.textContent('#timeline-title'), `Timeline of ${data.customer.name}`);
    const shown = await page.$$eval('[data-testid=timeline] .events li', (items) => items.map((li) => li.getAttribute('data-testid')));
    assert.deepEqual(shown, data.events.map((e) => `event-${e.type}`));
    for (const type of ['response', 'ticket', 'order']) assert.ok(data.events.some((e) => e.type === type), `the customer has a ${type}`);
    assert.match((await page.locator('[data-testid=timeline] .event-comment').last().textContent())!, /<img src=x onerror=alert\(1\)>/);
    assert.equal(await page.locator('[data-testid=timeline] img').count(), 0);
    await screenshot(page, 'dashboard-responses-timeline-en');
    await page.getByTestId('timeline-close').click();
    await page.waitForSelector('[data-testid=timeline]', { state: 'detached' });
  });

  test('Arabic: right to left, mirrored, an Arabic comment reads right to left, Arabic plural', async () => {
    const page = await dashboard.open('ar', '/responses');
    const dialogs = watchDialogs(page);
    await page.waitForSelector('[data-testid=responses] tbody tr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await assertHugsStart(page, 'main h1', 'rtl', 260);
    const first = await dashboard.api<PageJson>('/api/v1/responses?workspace=acme&limit=50');
    assert.equal(await page.textContent('[data-testid=count]'), `${new Intl.NumberFormat('ar').format(first.total!)} إجابة مطابقة`);
    const arabic = page.locator('tr[data-id=arabic-comment] [data-testid=comment]');
    assert.equal(await arabic.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    const english = page.locator('tr[data-id=hostile-formula] [data-testid=comment]');
    assert.equal(await english.evaluate((el) => getComputedStyle(el).direction), 'ltr', 'a Latin comment keeps its own direction in the Arabic page');
    assert.equal(dialogs.length, 0);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-responses-ar');
  });

  test('Lithuanian: the count takes the Lithuanian plural form', async () => {
    const forms = { one: 'atsakymas', few: 'atsakymai', many: 'atsakymo', other: 'atsakymų' } as const;
    const rules = new Intl.PluralRules('lt');
    for (const query of ['', '?q=onerror', '?band=promoters']) {
      const page = await dashboard.open('lt', `/responses${query}`);
      await page.waitForSelector('[data-testid=count]');
      const api = await dashboard.api<PageJson>(`/api/v1/responses?workspace=acme&limit=50${query === '?q=onerror' ? '&q=onerror' : query ? '&kind=nps&score_min=9' : ''}`);
      const n = api.total!;
      await page.waitForFunction((text) => document.querySelector('[data-testid=count]')?.textContent === text, `Atitinka ${new Intl.NumberFormat('lt').format(n)} ${forms[rules.select(n) as keyof typeof forms]}`);
      if (query === '') await screenshot(page, 'dashboard-responses-lt');
    }
  });
});
