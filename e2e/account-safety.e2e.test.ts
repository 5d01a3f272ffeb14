import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, webAppForFile } from './app-fixture';
import { registerColleagues } from './client-api';
import { saveScreenshot, screenshotsOnFailure } from './browser';
import { signInFirstTime } from './first-sign-in';

// What an ordinary user can do to another through links, against a real homeserver and the real
// web renderer in Chromium.
let senderPage: Page;
let readerPage: Page;
let roomId = '';

const app = webAppForFile({
  seed: async (hs) => {
    ({ roomId } = await registerColleagues(
      hs,
      PASSWORD,
      [
        { username: 'wangfang', displayName: '王芳' },
        { username: 'zhaolei', displayName: '赵磊' },
      ],
      '综合科',
    ));
  },
});

screenshotsOnFailure('safety', () => ({ sender: senderPage, reader: readerPage }));

describe('links from another user', () => {
  it('a link dressed as another host shows its real host and asks before opening', async () => {
    senderPage = await signInFirstTime({
      browser: app.browser,
      url: app.url,
      username: 'wangfang',
      password: PASSWORD,
    });
    readerPage = await signInFirstTime({
      browser: app.browser,
      url: app.url,
      username: 'zhaolei',
      password: PASSWORD,
    });
    for (const page of [senderPage, readerPage])
      await page.locator(`[data-room-id="${roomId}"]`).first().click();
    // The attack: Markdown whose text reads as the government portal but whose target is not.
    await senderPage
      .getByTestId('composer-input')
      .fill(
        '请登录 [https://www.gov.cn/login](https://gov.cn.evil.example/login) 核对信息，另见 [附件](ftp://files.evil.example/a.exe)',
      );
    await senderPage.getByTestId('composer-send').click();

    const body = readerPage.locator('[data-testid="message-body"]', { hasText: '核对信息' });
    await body.waitFor();
    // The sanitizer dropped the scheme the opener refuses: the text stays, nothing to click.
    expect(await body.locator('a', { hasText: '附件' }).getAttribute('href')).toBeNull();
    const link = body.locator('a', { hasText: 'www.gov.cn' });
    expect(await link.getAttribute('title')).toBe('https://gov.cn.evil.example/login');

    // Keyboard focus shows the real host as well as the pointer does.
    await link.focus();
    const hint = readerPage.getByTestId('link-destination');
    expect((await hint.textContent())?.trim()).toBe('链接指向：gov.cn.evil.example');
    await saveScreenshot(readerPage, 'safety-link-destination');
    await link.blur();
    await hint.waitFor({ state: 'detached' });
    await link.hover();
    expect((await hint.textContent())?.trim()).toBe('链接指向：gov.cn.evil.example');

    // Clicking asks first; declining opens nothing.
    const opened: string[] = [];
    readerPage.context().on('page', (p) => opened.push(p.url()));
    const question = new Promise<string>((resolve) => {
      readerPage.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      });
    });
    await link.click();
    const message = await question;
    expect(message).toContain('www.gov.cn');
    expect(message).toContain('gov.cn.evil.example');
    // Accepting opens the real destination, in a new context (loopback guard aborts the load).
    const popup = readerPage.context().waitForEvent('page');
    readerPage.once('dialog', (dialog) => void dialog.accept());
    await link.click();
    await popup;
    expect(opened).toHaveLength(1);
  });
});
