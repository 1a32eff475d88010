import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, ElementHandle, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import type { Database } from '../../src/storage/database.ts';
import { saveSurvey } from '../../src/storage/surveys.ts';
import { ensureWorkspace, type Workspace } from '../../src/storage/workspaces.ts';
import { launchChromium, SCREENSHOTS } from '../support/browser.ts';
import { openTestPGlite } from '../support/databases.ts';
import { checkoutSurvey } from '../support/surveys.ts';

/**
 * The website widget on a shop's own page, in Chromium: the page is served from another origin
 * than Sada (another port), so loading the script and answering go through CORS as on a real
 * site. The page's own CSS is deliberately loud, to show that it does not reach the card.
 */

const VIEWPORT = { width: 1000, height: 700 };
const HOST_STYLE = 'body{font-family:serif;color:#c00;line-height:3;direction:ltr} button{background:hotpink!important;font-size:30px} *{letter-spacing:3px}';

/** The NPS question alone: score, then the follow-up, and sending it finishes. */
const npsOnly = () => {
  const full = checkoutSurvey();
  return checkoutSurvey({ questions: [full.questions[0]!] });
};

declare global {
  interface Window {
    __sadaRoot?: ShadowRoot;
  }
}

describe('website widget in Chromium', () => {
  let db: Database;
  let server: RunningServer;
  let shop: Server;
  let shopUrl: string;
  let browser: Browser;
  const pages = new Map<string, string>();

  before(async () => {
    db = await openTestPGlite();
    server = await startServer(db, { port: 0, host: '127.0.0.1', version: 'test' });
    shop = createServer((request, response) => {
      const html = pages.get(new URL(request.url ?? '/', 'http://x').pathname);
      response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await server?.close();
    await db?.close();
  });

  let pageCount = 0;
  /** A shop page with the snippet; returns its URL. */
  async function shopPage(workspace: Workspace, attributes: Record<string, string>, { tall = false, csp = '', before = '' } = {}): Promise<string> {
    const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const data = Object.entries({ workspace: workspace.name, survey: 'checkout', ...attributes })
      .map(([name, value]) => ` data-${name}="${escape(value)}"`)
      .join('');
    const path = `/order-${++pageCount}/thanks`;
    pages.set(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">${csp ? `<meta http-equiv="Content-Security-Policy" content="${escape(csp)}">` : ''}<title>Shop</title><style>${HOST_STYLE}</style></head>
<body><h1>Thank you for your order</h1><p>Your parcel is on its way.</p><button>Continue shopping</button>
${tall ? '<div style="height:3000px"></div><p>The end</p>' : ''}${before}
<script src="${server.url}/widget.js"${data} async></script></body></html>`,
    );
    return `${shopUrl}${path}`;
  }

  async function workspaceWith(survey = checkoutSurvey()): Promise<Workspace> {
    const workspace = await ensureWorkspace(db, `shop-${Math.random().toString(36).slice(2, 10)}`);
    await saveSurvey(db, workspace.id, survey);
    return workspace;
  }

  /** A fresh browser (empty localStorage) whose pages hand the widget's closed shadow root to the test. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(() => {
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init: ShadowRootInit) {
        const root = attach.call(this, init);
        if (this.localName === 'sada-widget') window.__sadaRoot = root;
        return root;
      };
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    return page;
  }

  const shown = (page: Page) => page.evaluate(() => document.querySelector('sada-widget') !== null);
  /** An element inside the widget's shadow root. */
  async function inCard(page: Page, selector: string): Promise<ElementHandle<HTMLElement>> {
    const handle = await page.waitForFunction((s) => window.__sadaRoot?.querySelector(s), selector);
    return handle.asElement() as ElementHandle<HTMLElement>;
  }
  const scoreButton = (page: Page, score: number) =>
    page.waitForFunction((s) => [...(window.__sadaRoot?.querySelectorAll<HTMLButtonElement>('.s button') ?? [])].find((b) => b.textContent === String(s)), score).then((h) => h.asElement()!);
  const cardText = (page: Page, selector: string) => page.evaluate((s) => window.__sadaRoot?.querySelector(s)?.textContent ?? null, selector);
  const waitForText = (page: Page, selector: string, text: string) =>
    page.waitForFunction(([s, t]) => window.__sadaRoot?.querySelector(s!)?.textContent === t, [selector, text] as const);
  const focused = (page: Page) => page.evaluate(() => {
    const active = window.__sadaRoot?.activeElement as HTMLElement | null | undefined;
    return active ? `${active.localName}${active.className ? `.${active.className}` : ''}:${active.textContent ?? ''}` : null;
  });

  async function rows(workspace: Workspace) {
    return db.query<{ question_id: string; score: number | null; comment: string | null; answer: string | null; customer_id: string | null; completed: boolean; page: string | null }>(
      `SELECT r.question_id, r.score, r.comment, r.answer, r.customer_id, s.completed_at IS NOT NULL AS completed, s.page
       FROM responses r JOIN submissions s ON s.workspace_id = r.workspace_id AND s.id = r.submission_id
       WHERE r.workspace_id = $1 ORDER BY r.question_id`,
      [workspace.id],
    );
  }

  test('English: hidden until the event, then score, follow-up worded by the score, comment, thanks; identify() without a valid HMAC stays anonymous', async () => {
    const workspace = await workspaceWith(npsOnly());
    const url = await shopPage(workspace, { trigger: 'event:order_completed', lang: 'en' });
    const page = await newPage();
    const calls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/public/responses')) calls.push(`${request.method()} ${JSON.stringify(request.postDataJSON())} ${request.headers()['idempotency-key'] ? 'key' : 'no-key'}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.waitForTimeout(400);
    assert.equal(await shown(page), false, 'nothing before the event');

    await page.evaluate(() => {
      const sada = (window as unknown as { sada: { identify(id: string, hmac: string): void; track(name: string): void } }).sada;
      sada.identify('c-42', 'not-a-real-hmac');
      sada.track('page_viewed'); // another event: still nothing
    });
    await page.waitForTimeout(300);
    assert.equal(await shown(page), false);
    await page.evaluate(() => (window as unknown as { sada: { track(name: string): void } }).sada.track('order_completed'));

    const dialog = await inCard(page, '[role=dialog]');
    await waitForText(page, '#t', 'How likely are you to recommend us to a friend?');
    assert.equal(await page.evaluate(() => document.querySelector('sada-widget')!.shadowRoot), null, 'the shadow root is closed');
    assert.equal(await dialog.getAttribute('aria-labelledby'), 't');
    assert.equal(await dialog.getAttribute('dir'), 'ltr');
    assert.equal(await focused(page), 'div.k:' + (await dialog.textContent()), 'focus moved into the card');
    assert.equal(await cardText(page, '.x'), '×');
    assert.equal(await (await inCard(page, '.x')).getAttribute('aria-label'), 'Close');
    assert.deepEqual(await page.evaluate(() => [...window.__sadaRoot!.querySelectorAll('.e span')].map((s) => s.textContent)), ['Not at all likely', 'Extremely likely']);

    // Bottom-right corner in a left-to-right language, the scale from 0 at the left to 10 at the right.
    const box = (await dialog.boundingBox())!;
    assert.ok(Math.abs(VIEWPORT.width - (box.x + box.width) - 16) <= 1, `right edge 16px from the window's (x=${box.x}, w=${box.width})`);
    assert.ok(Math.abs(VIEWPORT.height - (box.y + box.height) - 16) <= 1, 'bottom edge 16px from the window');
    const zero = (await (await scoreButton(page, 0)).boundingBox())!;
    const ten = (await (await scoreButton(page, 10)).boundingBox())!;
    assert.ok(zero.x < ten.x, '0 at the left of 10');
    // The shop's loud CSS stays outside.
    const style = await page.evaluate(() => {
      const button = window.__sadaRoot!.querySelector('.s button')!;
      const { backgroundColor, fontSize, letterSpacing } = getComputedStyle(button);
      const card = getComputedStyle(window.__sadaRoot!.querySelector('.k')!);
      return { backgroundColor, fontSize, letterSpacing, color: card.color, font: card.fontFamily };
    });
    assert.equal(style.backgroundColor, 'rgb(255, 255, 255)');
    assert.equal(style.fontSize, '14px');
    assert.equal(style.letterSpacing, 'normal');
    assert.equal(style.color, 'rgb(29, 35, 48)');
    assert.doesNotMatch(style.font, /^serif/);
    await page.screenshot({ path: `${SCREENSHOTS}widget-en.png` });

    await (await scoreButton(page, 3)).click();
    await waitForText(page, '#t', 'What went wrong?'); // 3 is a detractor's score
    assert.equal(await focused(page), 'textarea:', 'focus moves to the comment box');
    let stored = await rows(workspace);
    assert.equal(stored.length, 1, 'the score is stored before the comment');
    assert.deepEqual(
      { score: stored[0]!.score, comment: stored[0]!.comment, customer: stored[0]!.customer_id, completed: stored[0]!.completed },
      { score: 3, comment: null, customer: null, completed: false },
    );
    assert.equal(stored[0]!.page, new URL(url).origin + new URL(url).pathname);

    await page.keyboard.type('The parcel came two days late.');
    await page.screenshot({ path: `${SCREENSHOTS}widget-en-followup.png` });
    await (await inCard(page, 'button.g')).click();
    await waitForText(page, '#t', 'Thank you!');
    await page.screenshot({ path: `${SCREENSHOTS}widget-en-thanks.png` });

    stored = await rows(workspace);
    assert.equal(stored.length, 1);
    assert.deepEqual(
      { score: stored[0]!.score, comment: stored[0]!.comment, customer: stored[0]!.customer_id, completed: stored[0]!.completed },
      { score: 3, comment: 'The parcel came two days late.', customer: null, completed: true },
      'one response with score and comment, anonymous although identify() named c-42',
    );
    // The score POSTed first (with one Idempotency-Key and the unsigned identity), the comment PATCHed.
    assert.equal(calls.length, 2, calls.join('\n'));
    assert.match(calls[0]!, /^POST .*"answers":\{"recommend":\{"score":3\}\},"complete":false.*"identity":\{"id":"c-42","hmac":"not-a-real-hmac"\}.* key$/);
    assert.match(calls[1]!, /^PATCH .*"answers":\{"recommend":\{"comment":"The parcel came two days late\."\}\},"complete":true.* no-key$/);

    // Close, and the next visit inside the re-ask interval (30 days) shows nothing.
    await (await inCard(page, '.x')).click();
    assert.equal(await shown(page), false);
    await page.reload();
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.evaluate(() => (window as unknown as { sada: { track(name: string): void } }).sada.track('order_completed'));
    await page.waitForTimeout(500);
    assert.equal(await shown(page), false, 'not asked again within data-days');
    await page.context().close();
  });

  test('Arabic: the card at the bottom-left, the scale reads from the right (0 right of 10), texts from the survey', async () => {
    const workspace = await workspaceWith();
    const page = await newPage();
    await page.goto(await shopPage(workspace, { lang: 'ar', trigger: 'load' }));
    const dialog = await inCard(page, '[role=dialog]');
    await waitForText(page, '#t', 'ما مدى احتمال أن توصي بنا لصديق؟');
    assert.equal(await dialog.getAttribute('dir'), 'rtl');
    assert.equal(await dialog.getAttribute('lang'), 'ar');
    const box = (await dialog.boundingBox())!;
    assert.ok(Math.abs(box.x - 16) <= 1, `left edge 16px from the window's (x=${box.x})`);
    const zero = (await (await scoreButton(page, 0)).boundingBox())!;
    const ten = (await (await scoreButton(page, 10)).boundingBox())!;
    assert.ok(zero.x > ten.x, `0 (x=${zero.x}) is right of 10 (x=${ten.x})`);
    // The low label sits under 0, at the right; the close button at the top-left.
    const ends = await page.evaluate(() => [...window.__sadaRoot!.querySelectorAll('.e span')].map((s) => s.getBoundingClientRect().x));
    assert.ok(ends[0]! > ends[1]!, 'غير محتمل إطلاقًا at the right');
    const close = (await (await inCard(page, '.x')).boundingBox())!;
    assert.ok(close.x < box.x + 40, 'close at the top-left');
    assert.equal(await (await inCard(page, '.x')).getAttribute('aria-label'), 'إغلاق');
    await page.screenshot({ path: `${SCREENSHOTS}widget-ar.png` });

    await (await scoreButton(page, 10)).click();
    await waitForText(page, '#t', 'ما الذي أعجبك أكثر؟');
    assert.equal(await cardText(page, 'button.g'), 'إرسال');
    await page.screenshot({ path: `${SCREENSHOTS}widget-ar-followup.png` });
    await page.context().close();
  });

  test('keyboard: Tab reaches the scores, Enter answers, the follow-up takes focus, Escape closes', async () => {
    const workspace = await workspaceWith();
    const page = await newPage();
    await page.goto(await shopPage(workspace, { trigger: 'load', lang: 'en' }));
    await inCard(page, '.s button');
    assert.match((await focused(page))!, /^div\.k:/);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'button:0');
    for (let i = 0; i < 9; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'button:9');
    await page.keyboard.press('Enter');
    await waitForText(page, '#t', 'What did you like most?');
    assert.equal(await focused(page), 'textarea:');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('sada-widget') === null);
    const stored = await rows(workspace);
    assert.deepEqual(stored.map((r) => [r.question_id, r.score, r.completed]), [['recommend', 9, false]], 'the score stays, unfinished');
    await page.context().close();
  });

  test('the whole survey: score, follow-up, then the choice question, then thanks with the coupon', async () => {
    const workspace = await workspaceWith(checkoutSurvey({ incentive: { kind: 'code', code: 'ACIU-10', text: { en: 'Your discount code', lt: 'Jūsų nuolaidos kodas' } } }));
    const page = await newPage();
    await page.goto(await shopPage(workspace, { trigger: 'load', lang: 'lt' }));
    await (await scoreButton(page, 10)).click();
    await waitForText(page, '#t', 'Kas jums labiausiai patiko?');
    assert.equal(await cardText(page, 'button.g'), 'Siųsti');
    await page.keyboard.type('Greitas pristatymas');
    await (await inCard(page, 'button.g')).click();
    await waitForText(page, '#t', 'Kas jus šiandien atvedė?');
    const choices = await page.evaluate(() => [...window.__sadaRoot!.querySelectorAll('.c button')].map((b) => b.textContent));
    assert.deepEqual(choices, ['Ką nors nusipirkti', 'Tik naršau']);
    await (await inCard(page, '.c button')).click();
    await waitForText(page, '#t', 'Ačiū!');
    assert.equal(await cardText(page, '.p'), 'Jūsų nuolaidos kodas');
    assert.equal(await cardText(page, '.o'), 'ACIU-10');
    await page.screenshot({ path: `${SCREENSHOTS}widget-lt-thanks.png` });
    const stored = await rows(workspace);
    assert.deepEqual(
      stored.map((r) => [r.question_id, r.score, r.comment, r.answer, r.completed]),
      [
        ['reason', null, null, 'buy', true],
        ['recommend', 10, 'Greitas pristatymas', null, true],
      ],
    );
    await page.context().close();
  });

  test('a 429 or a lost connection is retried with the same Idempotency-Key: one response', async () => {
    const workspace = await workspaceWith(npsOnly());
    const page = await newPage();
    const keys: string[] = [];
    await page.route('**/api/v1/public/responses', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']!);
      if (keys.length === 1) return route.abort('connectionreset');
      if (keys.length === 2) return route.fulfill({ status: 429, headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After', 'retry-after': '1' }, json: { error: 'rate_limited' } });
      return route.continue();
    });
    await page.goto(await shopPage(workspace, { trigger: 'load', lang: 'en' }));
    await (await scoreButton(page, 8)).click();
    await waitForText(page, '#t', 'Why?'); // 8 is a passive's score: the middle wording falls back to "Why?"
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 1, 'one key for the display');
    assert.deepEqual((await rows(workspace)).map((r) => r.score), [8]);
    await page.context().close();
  });

  test('exit intent: the pointer leaving through the top of the window', async () => {
    const workspace = await workspaceWith();
    const page = await newPage();
    await page.goto(await shopPage(workspace, { trigger: 'exit' }));
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.mouse.move(500, 400);
    await page.mouse.move(500, 650); // leaving through the bottom is not an exit
    await page.waitForTimeout(300);
    assert.equal(await shown(page), false);
    await page.mouse.move(500, 5);
    await page.mouse.move(500, -20);
    await inCard(page, '[role=dialog]');
    await page.context().close();
  });

  test('a strict Content-Security-Policy on the shop (no inline styles, API allowed) still gets a styled card', async () => {
    const workspace = await workspaceWith(npsOnly());
    const page = await newPage();
    const violations: string[] = [];
    page.on('console', (message) => message.text().includes('Content Security Policy') && violations.push(message.text()));
    const csp = `default-src 'none'; script-src ${server.url}; connect-src ${server.url}; style-src 'self'`;
    await page.goto(await shopPage(workspace, { trigger: 'load', lang: 'en' }, { csp }));
    const dialog = await inCard(page, '[role=dialog]');
    assert.equal(await dialog.evaluate((card) => getComputedStyle(card).position), 'fixed');
    await (await scoreButton(page, 10)).click();
    await waitForText(page, '#t', 'What did you like most?');
    // The only refusal is the shop's own inline <style>.
    assert.ok(violations.every((v) => v.includes('style-src')), violations.join('\n'));
    assert.equal(violations.length, 1, violations.join('\n'));
    await page.context().close();
  });

  test('calls queued before the script loaded are replayed, and push() keeps working after', async () => {
    const workspace = await workspaceWith(npsOnly());
    const page = await newPage();
    const before = `<script>window.sada = window.sada || []; sada.push(['identify', 'c-7', 'x']); sada.push(['track', 'order_completed']);</script>`;
    await page.goto(await shopPage(workspace, { trigger: 'event:order_completed', lang: 'en' }, { before }));
    await inCard(page, '[role=dialog]');
    await (await inCard(page, '.x')).click();
    assert.equal(await shown(page), false);
    await page.evaluate(() => (window as unknown as { sada: { push(call: unknown): void } }).sada.push(['open']));
    await inCard(page, '[role=dialog]');
    await page.context().close();
  });

  test('sampling 0%: never shown, whatever fires; the draw is remembered', async () => {
    const workspace = await workspaceWith();
    const page = await newPage();
    await page.goto(await shopPage(workspace, { trigger: 'load,event:order_completed', sample: '0' }));
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.evaluate(() => (window as unknown as { sada: { track(name: string): void } }).sada.track('order_completed'));
    await page.waitForTimeout(800);
    assert.equal(await shown(page), false);
    const draw = await page.evaluate((name) => localStorage.getItem(`sada:${name}:checkout:draw`), workspace.name);
    assert.ok(draw !== null && Number(draw) >= 0 && Number(draw) < 100);
    await page.context().close();
  });

  test('time on page: shown after the time, not before', async () => {
    const workspace = await workspaceWith();
    const page = await newPage();
    await page.goto(await shopPage(workspace, { trigger: 'time:2' }));
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.waitForTimeout(500);
    assert.equal(await shown(page), false);
    await inCard(page, '[role=dialog]');
    const at = await page.evaluate(() => performance.now());
    assert.ok(at >= 2000, `shown at ${Math.round(at)} ms`);
    await page.context().close();
  });

  test('scroll depth and URL match', async () => {
    const workspace = await workspaceWith();
    const page = await newPage();
    // The URL does not match: scrolling shows nothing.
    await page.goto(await shopPage(workspace, { trigger: 'scroll:50', 'url-match': '/^\\/cart\\//' }, { tall: true }));
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.mouse.wheel(0, 3000);
    await page.waitForTimeout(500);
    assert.equal(await shown(page), false);
    // It matches: nothing at the top, the card once half the page has been seen.
    await page.goto(await shopPage(workspace, { trigger: 'scroll:50', 'url-match': '/thanks' }, { tall: true }));
    await page.waitForFunction(() => typeof (window as { sada?: { track?: unknown } }).sada?.track === 'function');
    await page.waitForTimeout(300);
    assert.equal(await shown(page), false);
    await page.mouse.wheel(0, 3000);
    await inCard(page, '[role=dialog]');
    await page.context().close();
  });
});
