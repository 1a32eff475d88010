import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import type { Database } from '../../src/storage/database.ts';
import { saveSurvey } from '../../src/storage/surveys.ts';
import { ensureWorkspace } from '../../src/storage/workspaces.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium, SCREENSHOTS } from '../support/browser.ts';
import { openTestPGlite } from '../support/databases.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/** The link page in real Chromium: answered by mouse and by keyboard, in three languages. */
describe('survey link page in Chromium', () => {
  let db: Database;
  let server: RunningServer;
  let browser: Browser;
  let workspaceId: number;

  before(async () => {
    db = await openTestPGlite();
    const ws = await ensureWorkspace(db, 'shop');
    workspaceId = ws.id;
    await saveSurvey(db, ws.id, checkoutSurvey({ incentive: { kind: 'code', code: 'THANKS-10', text: { en: 'Your discount for the next order', ar: 'خصمك على الطلب التالي', lt: 'Jūsų nuolaida kitam užsakymui' } } }));
    server = await startServer(db, { port: 0, host: '127.0.0.1', version: 'test' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  const noViolations = async (page: Page, where: string) => {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${where}: ${violations.map((v) => `${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
  };

  for (const [language, dir, followUp, thanks] of [
    ['en', 'ltr', 'What went wrong?', 'Thank you!'],
    ['ar', 'rtl', 'ما الذي حدث بشكل خاطئ؟', 'شكرًا لك!'],
    ['lt', 'ltr', 'Kas nepavyko?', 'Ačiū!'],
  ] as const) {
    test(`${language}: answered with the mouse, mirrored in ${dir}, no axe violations`, async () => {
      const page = await browser.newPage({ viewport: { width: 412, height: 900 }, locale: language });
      await page.goto(`${server.url}/s/shop/checkout?lang=${language}`);
      assert.equal(await page.getAttribute('html', 'dir'), dir);
      // The scale runs in the reading direction: 0 at the start (left in LTR, right in RTL).
      const zero = (await page.locator('.scale label').first().boundingBox())!;
      const ten = (await page.locator('.scale label').last().boundingBox())!;
      assert.ok(dir === 'rtl' ? zero.x > ten.x : zero.x < ten.x, `0 at x=${zero.x}, 10 at x=${ten.x}`);
      assert.ok(ten.width >= 24 && ten.height >= 24, 'targets at least 24×24 px (WCAG 2.2 target size)');
      await noViolations(page, `${language} step 1`);
      await page.screenshot({ path: `${SCREENSHOTS}survey-${language}-step1.png`, fullPage: true });

      await page.locator('.scale label').nth(3).click();
      await Promise.all([page.waitForURL(/\/r\//), page.getByRole('button').first().click()]);
      assert.equal(await page.textContent('label[for="comment-recommend"]'), `${followUp} (${language === 'en' ? 'optional' : language === 'ar' ? 'اختياري' : 'neprivaloma'})`);
      await page.fill('#comment-recommend', `<img src=x onerror="document.body.dataset.pwned=1"> ${language}`);
      await page.locator('input[value="buy"]').check();
      await noViolations(page, `${language} step 2`);
      await page.screenshot({ path: `${SCREENSHOTS}survey-${language}-step2.png`, fullPage: true });
      await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
      assert.equal(await page.textContent('h1'), thanks);
      assert.equal(await page.textContent('.coupon'), 'THANKS-10');
      assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
      await noViolations(page, `${language} thanks`);
      await page.screenshot({ path: `${SCREENSHOTS}survey-${language}-thanks.png`, fullPage: true });
      await page.close();

      const [row] = await db.query<{ score: number; comment: string; answer: string | null }>(
        `SELECT r.score, r.comment FROM responses r WHERE r.workspace_id = $1 AND r.question_id = 'recommend' AND r.language = $2`,
        [workspaceId, language],
      );
      assert.equal(row?.score, 3);
      assert.match(row?.comment ?? '', /^<img src=x/);
    });
  }

  test('ar: answered with the keyboard only', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await page.goto(`${server.url}/s/shop/checkout?lang=ar`);
    // Tab past the language links to the scale, move with the arrow keys, send with Enter.
    const tabTo = async (found: () => boolean) => {
      for (let i = 0; i < 10 && !(await page.evaluate(found)); i++) await page.keyboard.press('Tab');
    };
    await tabTo(() => (document.activeElement as HTMLInputElement | null)?.name === 'q.recommend.score');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'q.recommend.score');
    await page.keyboard.press('Space');
    // In RTL, the left arrow moves toward the higher end (the way the scale reads).
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => (document.querySelector('input[name="q.recommend.score"]:checked') as HTMLInputElement).value), '9');
    const focusRing = await page.evaluate(() => getComputedStyle((document.activeElement as HTMLElement).nextElementSibling!).outlineStyle);
    assert.equal(focusRing, 'solid', 'the focused score shows a focus ring');
    await page.screenshot({ path: `${SCREENSHOTS}survey-ar-keyboard.png` });
    await Promise.all([page.waitForURL(/\/r\//), page.keyboard.press('Enter')]);
    assert.match((await page.textContent('label[for="comment-recommend"]')) ?? '', /ما الذي أعجبك أكثر؟/, 'a promoter is asked what they liked');
    await tabTo(() => document.activeElement?.id === 'comment-recommend');
    await page.keyboard.type('خدمة ممتازة');
    await tabTo(() => (document.activeElement as HTMLButtonElement | null)?.type === 'submit');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(await page.textContent('h1'), 'شكرًا لك!');
    await page.close();
    const [row] = await db.query<{ score: number; comment: string }>(`SELECT score, comment FROM responses WHERE workspace_id = $1 AND comment = 'خدمة ممتازة'`, [workspaceId]);
    assert.equal(row?.score, 9);
  });
});
