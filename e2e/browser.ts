import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

/** Debian's Chromium; Playwright cannot download its own browsers on these machines. */
export const CHROMIUM_PATH = process.env.HONGYAN_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium from reaching outside the machine on its own. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where e2e screenshots are saved as test artifacts. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Device emulation of a common phone (the width of most current handsets). */
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** Launches headless Chromium for a test file. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * A fresh browser profile (context) for one user, which may only talk to loopback:
 * every request to another host is aborted, so a test can never leak to, or depend on, the outside.
 */
export async function newUserContext(
  browser: Browser,
  locale = 'zh-CN',
  opts: {
    /**
     * Leave out the loopback guard, for benchmarks of a returning user: Playwright turns the HTTP
     * cache off in a context that intercepts requests, so every load would fetch and compile the
     * app again. Tests keep the guard.
     */
    withHttpCache?: boolean;
    /** The machine's time zone as the page sees it (default: this machine's). */
    timezoneId?: string;
    /** A phone: 390×844 CSS pixels, touch, mobile viewport meta honoured. */
    phone?: boolean;
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale,
    ...(opts.phone ? PHONE : { viewport: { width: 1280, height: 800 } }),
    acceptDownloads: true,
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  if (opts.withHttpCache) return context;
  await allowLoopbackOnly(context);
  return context;
}

/** Aborts every request of the context to a host other than loopback. */
async function allowLoopbackOnly(context: BrowserContext): Promise<void> {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const loopback =
      url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (loopback || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    return route.abort('blockedbyclient');
  });
}

/**
 * A browser profile kept on disk in `userDataDir` (its own Chromium process), for tests that copy
 * a profile as an attacker with access to the user's files would. Loopback only, like
 * {@link newUserContext}.
 */
export async function launchProfile(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
  });
  await allowLoopbackOnly(context);
  return context;
}

/** Saves a full-page screenshot under test-results/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * After each failed test of the file, saves a screenshot of each page `pages()` names (those not
 * opened yet are skipped) as `<prefix>-failed-<test>-<name>`.
 */
export function screenshotsOnFailure(
  prefix: string,
  pages: () => Record<string, Page | undefined>,
): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const test = ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 40);
    for (const [name, page] of Object.entries(pages()))
      if (page)
        await saveScreenshot(page, `${prefix}-failed-${test}-${name}`).catch(() => undefined);
  });
}

/** Waits until the locator shows exactly `text` (trimmed), then asserts it. */
export async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
  expect((await locator.first().textContent())?.trim()).toBe(text);
}
