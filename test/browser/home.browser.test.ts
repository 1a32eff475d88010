import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import type { Database } from '../../src/storage/database.ts';
import { ensureWorkspace } from '../../src/storage/workspaces.ts';
import { launchChromium, SCREENSHOTS } from '../support/browser.ts';
import { openTestPGlite } from '../support/databases.ts';

describe('start page in Chromium', () => {
  let db: Database;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    db = await openTestPGlite();
    for (const name of ['north', 'south', 'east']) await ensureWorkspace(db, name);
    server = await startServer(db, { port: 0, host: '127.0.0.1', version: 'test' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  for (const [locale, dir, title, workspaces] of [
    ['en', 'ltr', 'Sada is running', '3 workspaces'],
    ['ar', 'rtl', 'صدى يعمل', `${new Intl.NumberFormat('ar').format(3)} مساحات عمل`],
    ['lt', 'ltr', 'Sada veikia', '3 darbo sritys'],
  ] as const) {
    test(`${locale}: text, direction and layout`, async () => {
      const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
      await page.goto(`${server.url}/?lang=${locale}`);
      assert.equal(await page.getAttribute('html', 'dir'), dir);
      assert.equal(await page.textContent('main h2'), title);
      assert.equal(await page.textContent('[data-testid=workspaces]'), workspaces);
      // In Arabic the heading starts at the right edge; in English and Lithuanian at the left.
      const box = (await page.locator('header h1').boundingBox())!;
      if (dir === 'rtl') assert.ok(box.x + box.width > 900 - 60, `Arabic heading hugs the right edge (x=${box.x}, w=${box.width})`);
      else assert.ok(box.x < 60, `heading hugs the left edge (x=${box.x})`);
      await page.screenshot({ path: `${SCREENSHOTS}home-${locale}.png` });
      // The choice is remembered for the next visit.
      await page.goto(server.url);
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      await page.close();
    });
  }
});
