import { describe, expect, it } from 'vitest';
import type { OrgSpec } from '../shared/org/spec-types';
import { webAppForFile } from './app-fixture';
import { expectText, newUserContext, saveScreenshot } from './browser';
import { changePasswordInForm, signInFirstTime, submitSignIn } from './first-sign-in';
import { untranslatedEnglish } from './untranslated';

// Passwords in the app against a real homeserver: an account provisioned with an initial password
// must replace it before its encryption identity exists, and anyone can change theirs in 我的.
const INITIAL = 'Initial-Horse-1';
const CHOSEN = 'Chosen-Horse-22';
const REGISTERED = 'Correct-Horse-1';

const spec: OrgSpec = {
  version: 1,
  units: [{ code: 'p', name: '示范省人民政府办公厅', level: 'province' }],
  users: [{ username: 'zhoujie', displayName: '周杰', unit: 'p', password: INITIAL }],
};

const app = webAppForFile({
  spec,
  seed: async (hs) => {
    await hs.registerUser({ username: 'lina', password: REGISTERED, displayName: '李娜' });
  },
});

/** Whether the homeserver accepts the password for the user (a fresh password login). */
async function passwordWorks(username: string, password: string): Promise<boolean> {
  const res = await fetch(`${app.hs.baseUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username },
      password,
    }),
  });
  return res.ok;
}

/** Whether the account has cross-signing keys on the server (its encryption identity). */
async function hasCrossSigningKeys(userId: string): Promise<boolean> {
  const res = await fetch(`${app.hs.baseUrl}/_matrix/client/v3/keys/query`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${app.hs.admin.accessToken}`,
    },
    body: JSON.stringify({ device_keys: { [userId]: [] } }),
  });
  const body = (await res.json()) as { master_keys?: Record<string, unknown> };
  return body.master_keys?.[userId] !== undefined;
}

describe('passwords (web mode, real homeserver)', () => {
  it('a provisioned account replaces its initial password before its encryption identity is created', async () => {
    const userId = `@zhoujie:${app.hs.serverName}`;
    const page = await (await newUserContext(app.browser, 'zh-CN')).newPage();
    await page.goto(app.url);
    await submitSignIn(page, { username: 'zhoujie', password: INITIAL });
    const form = page.locator('[data-testid="password-form"][data-first-login="true"]');
    await form.waitFor();
    await expectText(form.locator('strong'), '请先设置新密码');
    // Nothing of the encryption identity exists while the initial password is in use.
    expect(await page.getByTestId('recovery-key').count()).toBe(0);
    expect(await hasCrossSigningKeys(userId)).toBe(false);

    const error = page.getByTestId('password-error').locator('.error-note-text');
    await changePasswordInForm(page, {
      current: INITIAL,
      next: CHOSEN,
      confirm: 'Chosen-Horse-23',
    });
    await expectText(error, '两次输入的新密码不一致。');
    await changePasswordInForm(page, { current: INITIAL, next: INITIAL });
    await expectText(error, '新密码不能与当前密码相同。');
    await changePasswordInForm(page, { current: 'Not-The-Password-1', next: CHOSEN });
    await expectText(error, '当前密码不正确。');
    // The server's password policy refuses it; the sentence says the rules, the detail is behind 详情.
    await changePasswordInForm(page, { current: INITIAL, next: 'short1' });
    await expectText(error, '新密码不符合要求：至少 10 个字符，包含大写字母、小写字母和数字。');
    expect(await untranslatedEnglish(page)).toEqual([]);
    await saveScreenshot(page, 'password-first-login');
    expect(await passwordWorks('zhoujie', INITIAL)).toBe(true);

    await changePasswordInForm(page, { current: INITIAL, next: CHOSEN });
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('recovery-key').waitFor({ timeout: 60_000 });
    await page.getByTestId('recovery-key-saved').click();
    expect(await hasCrossSigningKeys(userId)).toBe(true);
    expect(await passwordWorks('zhoujie', INITIAL)).toBe(false);
    expect(await passwordWorks('zhoujie', CHOSEN)).toBe(true);
    await page.context().close();

    // A second device of the same account is not asked again.
    const again = await (await newUserContext(app.browser, 'zh-CN')).newPage();
    await again.goto(app.url);
    await again.getByTestId('login-username').fill('zhoujie');
    await again.getByTestId('login-password').fill(CHOSEN);
    await again.getByTestId('login-submit').click();
    await again.getByTestId('verify-device-panel').waitFor({ timeout: 60_000 });
    expect(await again.getByTestId('password-form').count()).toBe(0);
    await again.context().close();
  });

  it('changes the password in 我的, in the user language, and the session goes on', async () => {
    const page = await signInFirstTime({
      browser: app.browser,
      url: app.url,
      username: 'lina',
      password: REGISTERED,
    });
    // In English this time: the errors speak the user's language.
    await page.locator('.topbar [data-testid="language-switch"]').selectOption('en');
    // On a desk, 我的 opens from the signed-in user in the top bar.
    await page.getByTestId('signed-in-user').click();
    await page.getByTestId('me-change-password').click();
    const form = page.locator('[data-testid="password-form"][data-first-login="false"]');
    await form.waitFor();
    await changePasswordInForm(page, { current: 'Not-The-Password-1', next: 'Lina-New-Pass-9' });
    await expectText(
      page.getByTestId('password-error').locator('.error-note-text'),
      'The current password is wrong.',
    );
    await changePasswordInForm(page, { current: REGISTERED, next: 'Lina-New-Pass-9' });
    await page.getByTestId('password-changed').waitFor();
    expect(await form.count()).toBe(0);
    await saveScreenshot(page, 'password-changed-me');
    expect(await passwordWorks('lina', 'Lina-New-Pass-9')).toBe(true);
    expect(await passwordWorks('lina', REGISTERED)).toBe(false);
    // This device stays signed in.
    await page.getByTestId('nav-chat').click();
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    expect(await page.getByTestId('login-username').count()).toBe(0);
    await page.context().close();
  });
});
