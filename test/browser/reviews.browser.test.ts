import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { respond } from '../../src/http/respond.ts';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import type { Database } from '../../src/storage/database.ts';
import { findSurvey, saveSurvey } from '../../src/storage/surveys.ts';
import { ensureWorkspace } from '../../src/storage/workspaces.ts';
import { axeViolations } from '../support/axe.ts';
import { launchChromium, SCREENSHOTS } from '../support/browser.ts';
import { openTestPGlite } from '../support/databases.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/** The review feed page in Chromium: comments in their own direction, hostile text inert. */
describe('review feed page in Chromium', () => {
  let db: Database;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    db = await openTestPGlite();
    const workspace = await ensureWorkspace(db, 'reviews');
    await saveSurvey(db, workspace.id, checkoutSurvey({ reviewConsent: { text: { en: 'Publish my comment' } } }));
    const survey = (await findSurvey(db, workspace.id, 'checkout'))!.survey;
    for (const [comment, language] of [
      ['Fast delivery, lovely packaging <img src=x onerror="document.body.dataset.pwned=1">', 'en'],
      ['خدمة ممتازة وتوصيل سريع', 'ar'],
    ] as const) {
      const result = await respond(db, { workspace, survey, token: undefined, channel: 'web', complete: true, reviewConsent: true, language, answers: { recommend: { score: 10, comment } } });
      assert.ok(result.ok);
    }
    server = await startServer(db, { port: 0, host: '127.0.0.1', version: 'test' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  for (const [ui, dir, title] of [
    ['en', 'ltr', 'What our customers say'],
    ['ar', 'rtl', 'ماذا يقول عملاؤنا'],
  ] as const) {
    test(`${ui}: the page reads ${dir}, each comment in its own direction, nothing executes`, async () => {
      const page = await browser.newPage({ viewport: { width: 600, height: 500 } });
      await page.goto(`${server.url}/api/v1/public/reviews?workspace=reviews&format=html&ui=${ui}`);
      assert.equal(await page.getAttribute('html', 'dir'), dir);
      assert.equal(await page.textContent('h1'), title);
      assert.equal(await page.locator('blockquote').count(), 2);
      assert.equal(await page.getAttribute('blockquote[lang="ar"]', 'dir'), 'rtl');
      assert.match((await page.textContent('blockquote[lang="en"]')) ?? '', /<img src=x onerror=/, 'the markup is shown as text');
      assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
      const violations = await axeViolations(page);
      assert.deepEqual(violations.map((v) => v.id), []);
      await page.screenshot({ path: `${SCREENSHOTS}reviews-${ui}.png` });
      await page.close();
    });
  }
});
