import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface ThemesJson {
  comments: number;
  themes: Array<{ label: string; phrase: string; search: string; name: string | null; pinned: boolean; volume: number; share: number; score_impact: { delta: number | null; ci: [number, number] | null; n_theme: number; n_rest: number } | null }>;
}
interface QualityJson {
  languages: Array<{ language: string; evaluated: boolean; test?: number; learned?: { accuracy: number; macro_f1: number } }>;
}

const en = (x: number, options: Intl.NumberFormatOptions = {}) => new Intl.NumberFormat('en', options).format(x);
const pts = (x: number) => `\u2066${en(x, { maximumFractionDigits: 1, signDisplay: 'exceptZero' })}\u2069 pts`;

/**
 * The Themes panel of the Responses page on the demo workspace: what it shows is the API's (themes,
 * volumes, impact with CI and n, the sentiment quality per language); a rename and a pin made in
 * the page persist after a reload and are what the API then answers; clicking a theme searches the
 * list for it; in Arabic the panel is mirrored. No serious axe violation, no console error.
 */
describe('dashboard themes panel in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: themes, volumes, impact and quality are the API\'s; rename and pin persist; a click filters', async () => {
    const page = await dashboard.open('en', '/responses');
    const api = await dashboard.api<ThemesJson>('/api/v1/text/themes?workspace=acme');
    assert.ok(api.themes.length >= 3, `the demo has themes: ${api.themes.length}`);
    await page.waitForSelector('[data-testid=theme]');
    // the first 10, then all of them
    assert.equal(await page.locator('[data-testid=theme]').count(), Math.min(10, api.themes.length));
    if (api.themes.length > 10) {
      assert.equal(await page.getByTestId('themes-all').textContent(), `Show all ${api.themes.length} themes`);
      await page.getByTestId('themes-all').click();
    }
    const rows = page.locator('[data-testid=theme]');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.phrase)), api.themes.map((th) => th.phrase));
    assert.deepEqual(await page.locator('[data-testid=theme-label]').allTextContents(), api.themes.map((th) => th.label));
    assert.equal(await page.locator('[data-testid=theme-label]').first().getAttribute('dir'), 'auto');
    assert.deepEqual(await page.locator('[data-testid=theme-volume]').allTextContents(), api.themes.map((th) => `${en(th.volume)} (${en(th.share, { style: 'percent', maximumFractionDigits: 1 })})`));
    const impacts = api.themes.map((th) => (th.score_impact?.delta == null ? 'no scored comments on one side' : `${pts(th.score_impact.delta)}${th.score_impact.ci ? `95% CI ${pts(th.score_impact.ci[0])} to ${pts(th.score_impact.ci[1])}` : 'no interval (too few)'} · n = ${en(th.score_impact.n_theme)} vs ${en(th.score_impact.n_rest)}`));
    assert.deepEqual(await page.locator('[data-testid=theme-impact]').allTextContents(), impacts);
    assert.equal(await page.locator('[data-testid=themes] svg.sparkline').count(), api.themes.length);

    // Sentiment quality per language, as the API measures it.
    const quality = await dashboard.api<QualityJson>('/api/v1/text/sentiment-quality?workspace=acme');
    const shown = await page.locator('[data-testid=quality-language]').allTextContents();
    assert.equal(shown.length, quality.languages.length);
    const evaluated = quality.languages.filter((l) => l.evaluated);
    assert.ok(evaluated.length > 0, 'the demo has enough scored comments in a language');
    for (const l of evaluated) {
      const line = shown[quality.languages.indexOf(l)]!;
      assert.ok(line.includes(`accuracy ${en(l.learned!.accuracy, { style: 'percent', maximumFractionDigits: 1 })}, macro-F1 ${en(l.learned!.macro_f1, { style: 'percent', maximumFractionDigits: 1 })} (n = ${en(l.test!)}`), line);
    }

    // Rename the last theme and pin it: it comes first, named; after a reload too, and the API agrees.
    const target = api.themes.at(-1)!;
    const row = page.locator(`[data-testid=theme][data-phrase="${target.phrase}"]`);
    await row.getByTestId('rename').click();
    await row.getByTestId('rename-input').fill('Our <b>named</b> theme');
    await row.getByTestId('rename-save').click();
    await page.waitForFunction((phrase) => document.querySelector(`[data-testid=theme][data-phrase="${phrase}"] [data-testid=theme-label]`)?.textContent === 'Our <b>named</b> theme', target.phrase);
    await page.locator(`[data-testid=theme][data-phrase="${target.phrase}"]`).getByTestId('pin').click();
    await page.waitForFunction((phrase) => document.querySelector('[data-testid=theme]')?.getAttribute('data-phrase') === phrase, target.phrase);
    await page.reload();
    await page.waitForSelector('[data-testid=theme]');
    const first = page.locator('[data-testid=theme]').first();
    assert.equal(await first.getAttribute('data-phrase'), target.phrase);
    assert.equal(await first.getByTestId('theme-label').textContent(), 'Our <b>named</b> theme');
    assert.equal(await first.getByTestId('theme-pinned').textContent(), 'Pinned');
    assert.equal(await first.getByTestId('pin').textContent(), 'Unpin');
    assert.equal(await page.locator('[data-testid=themes] b').count(), 0, 'the name is text');
    if (api.themes.length > 10) await page.getByTestId('themes-all').click();
    const after = await dashboard.api<ThemesJson>('/api/v1/text/themes?workspace=acme');
    assert.deepEqual([after.themes[0]!.phrase, after.themes[0]!.name, after.themes[0]!.pinned, after.themes[0]!.volume], [target.phrase, 'Our <b>named</b> theme', true, target.volume]);
    assert.deepEqual(await page.locator('[data-testid=theme-label]').allTextContents(), after.themes.map((th) => th.label));
    assert.deepEqual(await page.locator('[data-testid=theme-volume]').allTextContents(), after.themes.map((th) => `${en(th.volume)} (${en(th.share, { style: 'percent', maximumFractionDigits: 1 })})`));
    await screenshot(page, 'dashboard-themes-en');

    // Clicking a theme searches the list for it: the API's count for that search.
    const pick = after.themes[1]!;
    await page.locator(`[data-testid=theme][data-phrase="${pick.phrase}"]`).getByTestId('theme-pick').click();
    await page.waitForURL((url) => url.searchParams.get('q') === pick.search);
    const matching = await dashboard.api<{ total: number }>(`/api/v1/responses?workspace=acme&limit=50&q=${encodeURIComponent(pick.search)}`);
    assert.ok(matching.total >= 1);
    await page.waitForFunction((text) => document.querySelector('[data-testid=count]')?.textContent === text, `${en(matching.total)} ${matching.total === 1 ? 'response matches' : 'responses match'}`);
    assert.equal(await page.getByTestId('search').inputValue(), pick.search);
    // the panel follows the filter: its themes are now those of the matching comments
    const narrowed = await dashboard.api<ThemesJson>(`/api/v1/text/themes?workspace=acme&q=${encodeURIComponent(pick.search)}`);
    await page.waitForFunction((text) => document.querySelector('[data-testid=themes] p.muted')?.textContent?.startsWith(text) ?? false, `From ${en(narrowed.comments)} comment`);

    // Unpin and forget the name again (the page's own buttons), as the API then says.
    await page.goto(`${dashboard.server.url}/responses`);
    await page.waitForSelector('[data-testid=theme]');
    const pinned = page.locator(`[data-testid=theme][data-phrase="${target.phrase}"]`);
    await pinned.getByTestId('rename').click();
    await pinned.getByTestId('rename-reset').click();
    await page.waitForFunction((phrase) => document.querySelector(`[data-testid=theme][data-phrase="${phrase}"] [data-testid=theme-label]`)?.textContent === phrase, target.phrase);
    await page.locator(`[data-testid=theme][data-phrase="${target.phrase}"]`).getByTestId('pin').click();
    await page.waitForFunction((phrase) => document.querySelector('[data-testid=theme]')?.getAttribute('data-phrase') !== phrase, target.phrase);
    const reset = await dashboard.api<ThemesJson>('/api/v1/text/themes?workspace=acme');
    assert.deepEqual(reset.themes.map((th) => [th.phrase, th.pinned, th.name]), api.themes.map((th) => [th.phrase, false, null]));

    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
  });

  test('Arabic: the panel is mirrored, phrases keep their own direction; Arabic numbers; no serious axe violation', async () => {
    const page = await dashboard.open('ar', '/responses');
    await page.waitForSelector('[data-testid=theme]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await assertHugsStart(page, '.sidenav', 'rtl');
    // mirrored: the theme column is the rightmost, the impact column left of the volume; the title's text starts at the right
    const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
    const [theme, volumeCol, impact] = [await box('.themes-table th:nth-child(1)'), await box('.themes-table th:nth-child(2)'), await box('.themes-table th:nth-child(4)')];
    assert.ok(theme.x > volumeCol.x && volumeCol.x > impact.x, `columns run right to left: ${theme.x} > ${volumeCol.x} > ${impact.x}`);
    const panel = await box('[data-testid=themes]');
    const titleRight = await page.locator('#themes-title').evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().right;
    });
    assert.ok(panel.x + panel.width - titleRight < 40, `the title hugs the panel's right edge (${titleRight} vs ${panel.x + panel.width})`);
    assert.equal(await page.locator('#themes-title').textContent(), 'المواضيع في هذه التعليقات');
    assert.equal(await page.locator('[data-testid=theme-label]').first().getAttribute('dir'), 'auto');
    const api = await dashboard.api<ThemesJson>('/api/v1/text/themes?workspace=acme');
    const volume = await page.evaluate((v) => new Intl.NumberFormat('ar').format(v), api.themes[0]!.volume);
    assert.ok((await page.locator('[data-testid=theme-volume]').first().textContent())!.startsWith(volume), 'numbers in the page’s locale');
    const delta = (await page.locator('[data-testid=theme-delta]').first().textContent())!;
    assert.match(delta, /^\u2066[+\-−][\d٠-٩]/, `the signed number is isolated left-to-right, its sign in front and no bidi mark inside: ${JSON.stringify(delta)}`);
    await page.waitForSelector('[data-testid=quality-language]');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-themes-ar');
  });
});
