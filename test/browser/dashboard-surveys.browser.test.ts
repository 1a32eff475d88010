import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { findSurvey } from '../../src/storage/surveys.ts';
import { assertHugsStart, pageProblems, screenshot, seriousAxeViolations, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

interface SurveyList {
  surveys: Array<{ id: string; name: string; status: string; touchpoint: string | null; completed: number; scores: number; access: string | null; editable: boolean }>;
}
interface SurveyDetail {
  survey: { id: string; name: string; touchpoint: string; access: string; languages: string[]; questions: Array<{ id: string; kind: string; text: Record<string, string> }>; limits: { cooldownDays: number; maxResponses?: number } };
  share: { link: string; qr: string | null; embed: string | null; calls: string | null };
}

/** The preview iframe's document: the link page rendered from the draft. */
const preview = (page: Page) => page.frameLocator('[data-testid=preview] iframe');

describe('dashboard surveys page in Chromium', () => {
  let dashboard: DashboardHarness;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('English: the list shows the API\'s surveys with status, touchpoint and answers', async () => {
    const page = await dashboard.open('en', '/surveys');
    const data = await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme');
    assert.ok(data.surveys.length >= 5, 'the demo has a survey per touchpoint');
    await page.waitForSelector('[data-testid=survey-list] tbody tr');
    assert.equal(await page.locator('[data-testid=survey-list] tbody tr').count(), data.surveys.length);
    for (const survey of data.surveys) {
      const row = page.locator(`tr[data-survey="${survey.id}"]`);
      assert.equal(await row.locator('[data-testid=answers]').textContent(), survey.completed.toLocaleString('en'), `${survey.id}: answers`);
      assert.equal(await row.locator('[data-testid=scores]').textContent(), survey.scores.toLocaleString('en'), `${survey.id}: scores`);
      assert.equal(await row.locator('[data-testid=status]').textContent(), survey.status === 'open' ? 'Open' : 'Closed');
      assert.equal(await row.locator('td').nth(1).textContent(), survey.touchpoint ?? '—');
    }
    assert.equal(await page.textContent('[data-testid=survey-list] caption'), `${data.surveys.length} surveys`);
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-surveys-list-en');
  });

  test('English: build a survey, see the schema\'s errors beside their fields, save it, find it in the API, share it', async () => {
    const page = await dashboard.open('en', '/surveys');
    await page.click('[data-testid=new-survey]');
    await page.waitForSelector('[data-testid=survey-name]');
    await page.fill('[data-testid=survey-name]', 'Counter feedback');
    assert.equal(await page.inputValue('[data-testid=survey-id]'), 'counter-feedback', 'the id follows the name');
    await page.getByLabel('Touchpoint').fill('In Store');
    // The template asks NPS in English, Arabic and Lithuanian; make it CSAT on 1–5.
    await page.locator('[data-testid=question-0] [data-testid=question-kind]').selectOption('csat');
    const englishText = page.locator('[data-testid="text-questions.0.text-en"]');
    assert.equal(await englishText.inputValue(), 'How likely are you to recommend us to a friend or colleague?', 'the wording is kept when the kind changes');
    await englishText.fill('How satisfied are you with our shop counter?');
    await page.locator('[data-testid="text-questions.0.text-ar"]').fill('ما مدى رضاك عن خدمة المتجر؟');
    // Lithuanian left empty: flagged as missing, not an error (it falls back to English).
    await page.locator('[data-testid="text-questions.0.text-lt"]').fill('');
    assert.equal(await page.locator('tr[data-path="questions.0.text"] td.missing').count(), 1);
    assert.equal(await page.locator('[data-language=lt] [data-testid=missing-count]').textContent(), '1 text missing');
    // Break two things the schema refuses: no English text, and a pool incentive on a public survey.
    await page.locator('[data-testid="text-questions.0.text-en"]').fill('');
    await page.locator('[data-testid=incentive-kind]').selectOption('pool');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=save-problems]');
    assert.match((await page.textContent('[data-testid=save-problems] strong'))!, /2 problems to fix/);
    assert.equal(await page.textContent('tr[data-path="questions.0.text"] .field-problems'), 'give this text in the default language "en"', 'the problem sits beside its text');
    assert.match((await page.textContent('.field-problems[data-path="incentive.kind"]'))!, /needs "access": "personal"/, 'and beside the incentive');
    assert.equal(await page.getByLabel('Reward for finishing').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await seriousAxeViolations(page), [], 'the error state is accessible too');
    await screenshot(page, 'dashboard-surveys-errors-en');
    assert.equal(await findSurvey(dashboard.db, dashboard.workspace.id, 'counter-feedback', { fresh: true }), undefined, 'nothing stored');

    // Fix both, set the limits, save.
    await page.locator('[data-testid="text-questions.0.text-en"]').fill('How satisfied are you with our shop counter?');
    await page.locator('[data-testid=incentive-kind]').selectOption('');
    await page.getByLabel('Stop after this many answers').fill('250');
    await page.click('[data-testid=save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved.');
    assert.equal(await page.locator('[data-testid=save-problems]').count(), 0);
    assert.match(page.url(), /survey=counter-feedback/);

    const stored = await dashboard.api<SurveyDetail>('/api/v1/surveys/counter-feedback?workspace=acme');
    assert.equal(stored.survey.name, 'Counter feedback');
    assert.equal(stored.survey.touchpoint, 'in-store');
    assert.equal(stored.survey.questions[0]!.kind, 'csat');
    assert.deepEqual(stored.survey.questions[0]!.text, { en: 'How satisfied are you with our shop counter?', ar: 'ما مدى رضاك عن خدمة المتجر؟' });
    assert.equal(stored.survey.limits.maxResponses, 250);
    const list = await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme');
    assert.ok(list.surveys.some((s) => s.id === 'counter-feedback' && s.status === 'open'));

    // The share panel shows what the server serves.
    await page.waitForSelector('[data-testid=share]');
    assert.equal(await page.inputValue('[data-testid=share-link]'), stored.share.link);
    assert.equal(stored.share.link, `${dashboard.server.url}/s/acme/counter-feedback`);
    assert.equal(await page.inputValue('[data-testid=share-embed]'), stored.share.embed);
    assert.equal(stored.share.embed, `<script src="${dashboard.server.url}/widget.js" data-workspace="acme" data-survey="counter-feedback" async></script>`);
    assert.equal(await page.inputValue('[data-testid=share-calls]'), stored.share.calls);
    assert.equal(await page.getAttribute('[data-testid=share-qr]', 'src'), stored.share.qr);
    await page.waitForFunction(() => (document.querySelector('[data-testid=share-qr]') as HTMLImageElement | null)?.naturalWidth! > 0);
    const link = await fetch(stored.share.link);
    assert.equal(link.status, 200, 'the link is the live page');
    assert.match(await link.text(), /How satisfied are you with our shop counter\?/);

    // A live answer shows in the list's counts, as the API counts it.
    const answered = await fetch(`${dashboard.server.url}/api/v1/public/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: 'acme', survey: 'counter-feedback', answers: { [stored.survey.questions[0]!.id]: { score: 4 } }, complete: true }),
    });
    assert.equal(answered.status, 201, await answered.clone().text());
    const listPage = await dashboard.open('en', '/surveys');
    const row = listPage.locator('tr[data-survey="counter-feedback"]');
    await row.waitFor();
    assert.equal(await row.locator('[data-testid=answers]').textContent(), '1');
    assert.equal(await row.locator('[data-testid=scores]').textContent(), '1');
    assert.equal((await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme')).surveys.find((s) => s.id === 'counter-feedback')!.completed, 1);

    // The preview is the link page rendered from the draft: a change shows before it is saved.
    await page.locator('[data-testid="text-questions.0.text-en"]').fill('Unsaved wording?');
    await page.click('[data-testid=preview-lang-en]');
    await preview(page).locator('legend', { hasText: 'Unsaved wording?' }).waitFor();
    assert.equal(await preview(page).locator('html').getAttribute('dir'), 'ltr');
    assert.equal(await preview(page).locator('.scale label').count(), 5, 'CSAT 1–5');
    assert.equal((await dashboard.api<SurveyDetail>('/api/v1/surveys/counter-feedback?workspace=acme')).survey.questions[0]!.text.en, 'How satisfied are you with our shop counter?', 'the preview saved nothing');
    assert.deepEqual(await seriousAxeViolations(page), []);
    // The one failed request is the refused save above (the API's 400).
    const problems = pageProblems(page);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /400/);
    await screenshot(page, 'dashboard-surveys-builder-en');
  });

  test('Arabic: right to left, the preview of the Arabic page runs right to left, share panel matches', async () => {
    const list = await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme');
    const target = list.surveys.find((s) => s.editable && s.access === 'public' && s.id !== 'counter-feedback')!;
    assert.ok(target, 'the demo has a public survey');
    const detail = await dashboard.api<SurveyDetail>(`/api/v1/surveys/${target.id}?workspace=acme`);
    assert.ok(detail.survey.languages.includes('ar'));
    const page = await dashboard.open('ar', `/surveys?survey=${target.id}`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await assertHugsStart(page, '.sidenav', 'rtl');
    await page.waitForSelector('[data-testid=share]');
    assert.equal(await page.textContent('main h1'), detail.survey.name);
    // The preview opens in Arabic (the person's language) and is the real page, mirrored.
    const frame = preview(page);
    await frame.locator('html[dir=rtl]').waitFor();
    assert.equal(await frame.locator('html').getAttribute('lang'), 'ar');
    assert.equal(await frame.locator('legend').first().textContent(), detail.survey.questions[0]!.text.ar);
    const points = frame.locator('.scale label');
    const first = (await points.first().boundingBox())!;
    const last = (await points.last().boundingBox())!;
    assert.ok(first.x > last.x, `the scale starts at the right in Arabic (${first.x} > ${last.x})`);
    assert.equal(await page.locator('[data-testid=preview] iframe').getAttribute('sandbox'), '', 'no script, no form, opaque origin');
    // The Arabic texts are written right to left in the editor too.
    assert.equal(await page.locator('[data-testid="text-questions.0.text-ar"]').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('[data-testid="text-questions.0.text-en"]').getAttribute('dir'), 'ltr');
    // Share panel: the server's link and embed code, left to right inside the Arabic page.
    assert.equal(await page.inputValue('[data-testid=share-link]'), detail.share.link);
    assert.equal(await page.inputValue('[data-testid=share-embed]'), detail.share.embed);
    assert.equal(await page.getAttribute('[data-testid=share-embed]', 'dir'), 'ltr');
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(pageProblems(page), []);
    await screenshot(page, 'dashboard-surveys-builder-ar');

    // Another step of the preview: the thank-you page.
    await page.locator('[data-testid=preview-step]').selectOption('thanks');
    await frame.locator('h1', { hasText: 'شكرًا' }).waitFor();

    const listPage = await dashboard.open('ar', '/surveys');
    await listPage.waitForSelector('[data-testid=survey-list] tbody tr');
    const row = listPage.locator(`tr[data-survey="${target.id}"]`);
    assert.equal(await row.locator('[data-testid=answers]').textContent(), new Intl.NumberFormat('ar').format(target.completed));
    assert.equal(await row.locator('[data-testid=scores]').textContent(), new Intl.NumberFormat('ar').format(target.scores));
    assert.equal(await row.locator('[data-testid=status]').textContent(), target.status === 'open' ? 'مفتوح' : 'مغلق');
    assert.deepEqual(await seriousAxeViolations(listPage), []);
    assert.deepEqual(pageProblems(listPage), []);
    await screenshot(listPage, 'dashboard-surveys-list-ar');
  });

  test('closing from the list closes the survey for respondents', async () => {
    const list = await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme');
    const target = list.surveys.find((s) => s.editable && s.status === 'open' && s.access === 'public')!;
    const page = await dashboard.open('en', '/surveys');
    const row = page.locator(`tr[data-survey="${target.id}"]`);
    await row.getByRole('button', { name: `Close ${target.name}` }).click();
    await row.locator('[data-testid=status]', { hasText: 'Closed' }).waitFor();
    const after = await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme');
    assert.equal(after.surveys.find((s) => s.id === target.id)!.status, 'closed');
    assert.equal((await fetch(`${dashboard.server.url}/s/acme/${target.id}`)).status, 410, 'the link page refuses answers');
    await row.getByRole('button', { name: `Open ${target.name}` }).click();
    await row.locator('[data-testid=status]', { hasText: 'Open' }).waitFor();
    assert.deepEqual(pageProblems(page), []);
  });

  test('Lithuanian: the list\'s count takes the Lithuanian plural form', async () => {
    const page = await dashboard.open('lt', '/surveys');
    const data = await dashboard.api<SurveyList>('/api/v1/surveys?workspace=acme');
    await page.waitForSelector('[data-testid=survey-list] tbody tr');
    const n = data.surveys.length;
    const form = new Intl.PluralRules('lt').select(n);
    const expected = { one: `${n} apklausa`, few: `${n} apklausos`, many: `${n} apklausos`, other: `${n} apklausų` }[form as 'one' | 'few' | 'many' | 'other'];
    assert.equal(await page.textContent('[data-testid=survey-list] caption'), expected);
    await screenshot(page, 'dashboard-surveys-list-lt');
  });
});
