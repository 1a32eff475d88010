import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download); CI installs the package. */
export const CHROMIUM = process.env.SADA_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
  });
}

/** Screenshots land here so a person can look at them after the run. */
export const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname;
mkdirSync(SCREENSHOTS, { recursive: true });
