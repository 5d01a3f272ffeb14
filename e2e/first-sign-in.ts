import type { Browser, Page } from 'playwright-core';
import { newUserContext } from './browser';

/** Options of {@link signInFirstTime}. */
export interface FirstSignInOptions {
  browser: Browser;
  /** The served web app. */
  url: string;
  username: string;
  password: string;
  locale?: string;
  /** The machine's time zone as the page sees it. */
  timezoneId?: string;
  /** On an emulated phone (390×844, touch): the buttons are tapped. */
  phone?: boolean;
}

/**
 * Signs a user in for the first time in a fresh profile: the room list loads, and the recovery key
 * a first sign-in shows once is acknowledged.
 */
export async function signInFirstTime(opts: FirstSignInOptions): Promise<Page> {
  const context = await newUserContext(opts.browser, opts.locale ?? 'zh-CN', {
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    ...(opts.phone ? { phone: true } : {}),
  });
  const page = await context.newPage();
  await page.goto(opts.url);
  await page.getByTestId('login-username').fill(opts.username);
  await page.getByTestId('login-password').fill(opts.password);
  const press = (testId: string) =>
    opts.phone ? page.getByTestId(testId).tap() : page.getByTestId(testId).click();
  await press('login-submit');
  await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
  await page.getByTestId('recovery-key').waitFor({ timeout: 60_000 });
  await press('recovery-key-saved');
  return page;
}
