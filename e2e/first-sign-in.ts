import type { Browser, Page } from 'playwright-core';
import { newUserContext } from './browser';

/** Options of {@link signInFirstTime}. */
export interface FirstSignInOptions {
  browser: Browser;
  /** The served web app. */
  url: string;
  username: string;
  password: string;
  /**
   * The account was created with an initial password (provisioning, the demo seed, the org agent):
   * the app must ask for a new one before it creates the encryption identity, and this one is set.
   * Without it, the recovery key must come without that question.
   */
  newPassword?: string;
  locale?: string;
  /** The machine's time zone as the page sees it. */
  timezoneId?: string;
  /** On an emulated phone (390×844, touch): the buttons are tapped. */
  phone?: boolean;
}

/**
 * Signs a user in for the first time in a fresh profile: the room list loads, an initial password
 * is replaced when the account has one, and the recovery key a first sign-in shows once is
 * acknowledged.
 */
export async function signInFirstTime(opts: FirstSignInOptions): Promise<Page> {
  const context = await newUserContext(opts.browser, opts.locale ?? 'zh-CN', {
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    ...(opts.phone ? { phone: true } : {}),
  });
  const page = await context.newPage();
  await page.goto(opts.url);
  await submitSignIn(page, opts);
  await finishFirstSignIn(page, opts);
  return page;
}

/** Fills the open login screen, submits it and waits until the room list has loaded. */
export async function submitSignIn(
  page: Page,
  opts: { username: string; password: string; phone?: boolean },
): Promise<void> {
  await page.getByTestId('login-username').fill(opts.username);
  await page.getByTestId('login-password').fill(opts.password);
  await press(page, 'login-submit', opts.phone);
  await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
}

/**
 * After the first sign-in's room list: replaces the initial password when `newPassword` is given
 * (the app must ask for it first: the recovery key must not come before), then acknowledges the
 * recovery key.
 */
export async function finishFirstSignIn(
  page: Page,
  opts: { password: string; newPassword?: string; phone?: boolean },
): Promise<void> {
  const form = page.locator('[data-testid="password-form"][data-first-login="true"]');
  const recoveryKey = page.getByTestId('recovery-key');
  await form.or(recoveryKey).first().waitFor({ timeout: 60_000 });
  const asked = await form.isVisible();
  if (asked && opts.newPassword === undefined)
    throw new Error(
      'the app asks to replace an initial password, which this account should not have',
    );
  if (!asked && opts.newPassword !== undefined)
    throw new Error('the recovery key came before the app asked to replace the initial password');
  if (opts.newPassword !== undefined) {
    await changePasswordInForm(page, {
      current: opts.password,
      next: opts.newPassword,
      phone: opts.phone,
    });
    await form.waitFor({ state: 'detached' });
  }
  await recoveryKey.waitFor({ timeout: 60_000 });
  await press(page, 'recovery-key-saved', opts.phone);
}

/** Fills the open password form (current, new twice) and submits it. */
export async function changePasswordInForm(
  page: Page,
  opts: { current: string; next: string; confirm?: string; phone?: boolean | undefined },
): Promise<void> {
  await page.getByTestId('password-current').fill(opts.current);
  await page.getByTestId('password-next').fill(opts.next);
  await page.getByTestId('password-confirm').fill(opts.confirm ?? opts.next);
  await press(page, 'password-submit', opts.phone);
}

function press(page: Page, testId: string, phone: boolean | undefined): Promise<void> {
  return phone ? page.getByTestId(testId).tap() : page.getByTestId(testId).click();
}
