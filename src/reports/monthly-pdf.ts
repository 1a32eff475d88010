import { chromium, type Browser } from 'playwright-core';

/**
 * HTML → PDF through headless Chromium (Debian's /usr/bin/chromium, or SADA_CHROMIUM), driven by
 * playwright-core (no browser download). Chromium shapes Arabic and lays out right-to-left text
 * the way the page says, so the PDF reads like the HTML. The page is loaded with every network
 * request refused: the report is self-contained, and a comment's markup could never fetch
 * anything even if escaping failed.
 */

export const CHROMIUM_PATH = () => process.env.SADA_CHROMIUM ?? '/usr/bin/chromium';

export class PdfUnavailable extends Error {}

async function launch(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH(),
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
    });
  } catch (error) {
    throw new PdfUnavailable(`PDF needs Chromium at ${CHROMIUM_PATH()} (Debian: apt-get install chromium; or set SADA_CHROMIUM): ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Prints a whole HTML document to an A4 PDF (backgrounds kept, the page's own @page margins). */
export async function htmlToPdf(html: string): Promise<Buffer> {
  const browser = await launch();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
