import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../src/accounts/password.ts';
import { runDemo } from '../../src/demo/run.ts';
import { startServer, type RunningServer } from '../../src/http/server.ts';
import { addMembership, createSession, createUser } from '../../src/storage/accounts.ts';
import type { Database } from '../../src/storage/database.ts';
import { findWorkspace, type Workspace } from '../../src/storage/workspaces.ts';
import { axeViolations } from './axe.ts';
import { launchChromium, SCREENSHOTS } from './browser.ts';
import { openTestPGlite } from './databases.ts';

/**
 * A dashboard to test in Chromium: an embedded database holding a small demo company (the
 * `sada demo` generator with fewer answers and months: every page has real data), an admin who
 * is signed in, the real server, and Debian's Chromium.
 */

export const DEMO_WORKSPACE = 'acme';
/** The demo's last month of history: pages open on it by default. */
export const DEMO_END_MONTH = '2026-10';

export interface DashboardHarness {
  db: Database;
  server: RunningServer;
  browser: Browser;
  workspace: Workspace;
  /** A signed-in page in that language, at that path of the dashboard, loaded. */
  open(locale: 'en' | 'ar' | 'lt', path: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** GETs the API as the signed-in admin (to compare what a page shows with the numbers). */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

export async function startDashboard({ demo = true }: { demo?: boolean } = {}): Promise<DashboardHarness> {
  const db = await openTestPGlite();
  if (demo) {
    await runDemo(db, { seed: 7, workspace: DEMO_WORKSPACE, responses: 6000, months: 8, endMonth: DEMO_END_MONTH, reportDir: mkdtempSync(join(tmpdir(), 'sada-dashboard-')) });
  } else {
    await db.query(`INSERT INTO workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING`, [DEMO_WORKSPACE]);
  }
  const workspace = (await findWorkspace(db, DEMO_WORKSPACE))!;
  const user = await createUser(db, { email: 'admin@acme.test', name: 'Ada Admin', passwordHash: await hashPassword('correct horse battery') });
  await addMembership(db, workspace.id, user.id, 'admin');
  const server = await startServer(db, { port: 0, host: '127.0.0.1', version: 'test', defaultWorkspace: DEMO_WORKSPACE });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  const signedInCookies = async (locale: string) => {
    const { token } = await createSession(db, user.id);
    return [
      { name: 'sada_session', value: token, url: server.url },
      { name: 'sada_lang', value: locale, url: server.url },
    ];
  };

  return {
    db,
    server,
    browser,
    workspace,
    async open(locale, path, viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport, locale: locale === 'ar' ? 'ar-EG' : locale });
      contexts.push(context);
      await context.addCookies(await signedInCookies(locale));
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && problems.push(message.text()));
      page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`));
      (page as Page & { problems?: string[] }).problems = problems;
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector('main h1');
      return page;
    },
    async api<T>(path: string): Promise<T> {
      const { token } = await createSession(db, user.id);
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: `sada_session=${token}` } });
      assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
      return (await response.json()) as T;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
      await server?.close();
      await db?.close();
    },
  };
}

/** Errors the page logged or threw (a CSP refusal, a failed request, an exception). */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

/** Serious or critical axe-core violations, as readable lines (the assertion's message). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const violations = await axeViolations(page);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** In Arabic the element hugs the right edge of the viewport; otherwise the left. */
export async function assertHugsStart(page: Page, selector: string, dir: 'ltr' | 'rtl', slack = 80): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is on the page`);
  const width = page.viewportSize()!.width;
  if (dir === 'rtl') assert.ok(box.x + box.width > width - slack, `${selector} hugs the right edge in Arabic (x=${box.x}, w=${box.width})`);
  else assert.ok(box.x < slack, `${selector} hugs the left edge (x=${box.x})`);
}
