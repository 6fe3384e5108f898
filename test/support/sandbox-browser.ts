// A real browser on the sandbox page: Debian's Chromium driven by
// playwright-core (no browser download), and a screenshot under
// test/artifacts/ whenever a journey fails.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_DIR } from './spawn-cli.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(PROJECT_DIR, 'test', 'artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs one journey on a fresh page; on failure, saves what the page showed and rethrows. */
export async function journey(browser: Browser, url: string, name: string, steps: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Well inside the test's own timeout, so a stuck step fails here, with a screenshot.
  page.setDefaultTimeout(25_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]');
    await steps(page);
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
  } catch (error) {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
}
