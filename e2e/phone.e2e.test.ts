/**
 * 掌上办公: the web app on a phone (390×844, touch) against a real Synapse. An issuer sends a
 * circular with an attachment from their phone; the phone user signs in, finds it under 通知, reads
 * it, downloads the attachment and acknowledges with a note, goes back with the phone's back button;
 * the issuer follows the acknowledgment on the dashboard; the user chats in the unit's work room,
 * looks up a colleague in 通讯录 and signs out under 我的. Every screen must fit the width (360 to
 * 430 px for the dashboard) and keep touch targets at least 44 px.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { provinceIssuer, provinceOrgSpec } from '../testing/org-specs';
import { PASSWORD, webAppForFile } from './app-fixture';
import { expectText, newUserContext, saveScreenshot } from './browser';
import { sendCircular, startCircular } from './circular-steps';
import { expectPageFilled, expectPhoneFit, MIN_TOUCH } from './phone';

const spec = provinceOrgSpec(
  [
    provinceIssuer(PASSWORD),
    {
      username: 'liming',
      displayName: '李明',
      unit: 'c1',
      position: '办公室主任',
      password: PASSWORD,
    },
    { username: 'chenjing', displayName: '陈静', unit: 'c1', position: '科员', password: PASSWORD },
  ],
  1,
);
const TITLE = '关于开展防汛应急演练的通知';
const ATTACHMENT = {
  name: '演练方案.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('防汛应急演练方案\n'.repeat(30)),
};

const app = webAppForFile({ spec });

describe('phone-width web app (390×844, touch)', () => {
  let phone: Page;
  let issuer: Page;

  it('signs in on a phone: the login screen fits, the tab bar sits at the foot', async () => {
    const login = await (await newUserContext(app.browser, 'zh-CN', { phone: true })).newPage();
    await login.goto(app.url);
    await login.getByTestId('login-username').waitFor();
    // The navy page fills the screen on small and large phones alike, with nothing to scroll sideways.
    for (const [width, height] of [
      [360, 740],
      [390, 844],
      [430, 932],
    ] as const) {
      await login.setViewportSize({ width, height });
      await expectPhoneFit(login, `login at ${width}×${height}`);
      await expectPageFilled(login, `login at ${width}×${height}`);
      await saveScreenshot(login, `phone-login-${width}`);
    }
    await login.context().close();
    phone = await app.signIn('liming', { phone: true });
    const tabs = phone.getByTestId('app-nav');
    expect(await tabs.isVisible()).toBe(true);
    const bar = await tabs.boundingBox();
    expect(Math.round((bar?.y ?? 0) + (bar?.height ?? 0))).toBe(844);
    expect(bar?.width).toBe(390);
  });

  it('an issuer sends a circular with an attachment to the city from a phone', async () => {
    issuer = await app.signIn('wangfang', { phone: true });
    await startCircular(issuer, {
      title: TITLE,
      body: '各单位：\n\n请于本周五前完成防汛应急演练并签收。',
    });
    await issuer.getByTestId('target-unit').selectOption('c1');
    await issuer.getByTestId('target-add').click();
    await issuer.getByTestId('compose-file').setInputFiles(ATTACHMENT);
    await issuer.getByTestId('compose-attachment').filter({ hasText: ATTACHMENT.name }).waitFor();
    await sendCircular(issuer, 1);
  });

  it('reads, downloads and acknowledges the circular under 通知, back button to the inbox', async () => {
    await phone.getByTestId('nav-circulars').tap();
    const item = phone.getByTestId('inbox-item').filter({ hasText: TITLE });
    await item.waitFor({ timeout: 60_000 });
    await expectPhoneFit(phone, 'inbox');
    await saveScreenshot(phone, 'phone-inbox');

    await item.tap();
    await expectText(phone.getByTestId('circular-title'), TITLE);
    await phone.getByTestId('phone-back').waitFor();
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      phone.getByTestId('attachment-download').tap(),
    ]);
    expect(download.suggestedFilename()).toBe(ATTACHMENT.name);
    expect((await readFile(await download.path())).equals(ATTACHMENT.buffer)).toBe(true);
    await phone.getByTestId('ack-note').fill('收到，周四组织演练。');
    await expectPhoneFit(phone, 'circular');
    await saveScreenshot(phone, 'phone-circular');
    await phone.getByTestId('ack-button').tap();
    await phone.getByTestId('ack-done').waitFor();

    // The phone's back button (browser history) returns to the inbox, where it is now acknowledged.
    await phone.goBack();
    await phone.getByTestId('inbox-item').filter({ hasText: TITLE }).waitFor();
    expect(
      await phone.getByTestId('inbox-item').filter({ hasText: TITLE }).getAttribute('data-status'),
    ).toBe('acknowledged');
    expect(await phone.getByTestId('phone-back').count()).toBe(0);
  });

  it("the issuer's dashboard fits phones from 360 to 430 px: no sideways scrolling, 44 px targets", async () => {
    await issuer.getByTestId('open-dashboard').tap();
    await expectText(issuer.getByTestId('stat-acknowledged').locator('.circ-stat-value'), '1');
    const row = issuer.locator('[data-testid="recipient-row"][data-status="acknowledged"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('李明');
    expect(await row.textContent()).toContain('收到，周四组织演练。');
    for (const [width, height] of [
      [390, 844],
      [360, 800],
      [430, 932],
    ] as const) {
      await issuer.setViewportSize({ width, height });
      await expectPhoneFit(issuer, `dashboard at ${width} px`);
      // The chart and the per-person rows stay inside the screen, not just inside a scroller.
      for (const part of ['dashboard-chart', 'unit-table', 'recipient-row']) {
        const box = await issuer.getByTestId(part).first().boundingBox();
        expect(box, part).not.toBeNull();
        expect((box?.x ?? 0) + (box?.width ?? 0), `${part} at ${width} px`).toBeLessThanOrEqual(
          width,
        );
      }
      await saveScreenshot(issuer, `phone-dashboard-${width}`);
    }
    await issuer.setViewportSize({ width: 390, height: 844 });
    await issuer.context().close();
  });

  it('chats in the unit work room, then goes back to the list with the back arrow', async () => {
    await phone.getByTestId('nav-chat').tap();
    const room = phone.locator('.room-item').filter({ hasText: '东湖市人民政府 工作群' });
    await room.first().waitFor({ timeout: 60_000 });
    await expectPhoneFit(phone, 'room list');
    await saveScreenshot(phone, 'phone-rooms');
    await room.first().tap();
    await phone.getByTestId('conversation').waitFor();
    // On a phone the conversation takes the whole width: the room list is out of the way.
    expect(await phone.getByTestId('room-list').isVisible()).toBe(false);
    // The desktop hint (Enter, Shift+Enter, Markdown) would not fit two lines and means nothing here.
    expect(await phone.getByTestId('composer-input').getAttribute('placeholder')).toBe('输入消息');
    await phone.getByTestId('composer-input').fill('演练方案已收到，明天上午碰头。');
    await phone.getByTestId('composer-send').tap();
    await phone
      .getByTestId('conversation')
      .getByText('演练方案已收到，明天上午碰头。')
      .waitFor({ timeout: 30_000 });
    await expectPhoneFit(phone, 'conversation');
    await saveScreenshot(phone, 'phone-conversation');
    // The room's actions sit behind 更多, so the title row stays one row of 44 px controls.
    const head = await phone.locator('.conversation-head').boundingBox();
    expect(head?.height ?? 0).toBeLessThan(2 * MIN_TOUCH);
    await phone.getByTestId('conversation-more').tap();
    const menu = phone.getByRole('menu');
    await menu.waitFor();
    for (const action of ['设备', '免打扰', '退出会话'])
      expect(await menu.innerText()).toContain(action);
    await expectPhoneFit(phone, 'conversation menu');
    await saveScreenshot(phone, 'phone-conversation-menu');
    await phone.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await phone.getByTestId('phone-back').tap();
    await phone.getByTestId('room-list').waitFor();
    expect(await phone.getByTestId('conversation').count()).toBe(0);
  });

  it('looks up a colleague in 通讯录; 360 and 430 px wide screens fit too', async () => {
    await phone.getByTestId('nav-directory').tap();
    await phone.getByTestId('unit-people').getByText('陈静').waitFor({ timeout: 30_000 });
    await expectPhoneFit(phone, 'directory');
    await saveScreenshot(phone, 'phone-directory');
    // The narrowest and widest common phones: the same screens still fit.
    for (const width of [360, 430]) {
      await phone.setViewportSize({ width, height: 800 });
      await expectPhoneFit(phone, `directory at ${width} px`);
      await phone.getByTestId('nav-circulars').tap();
      await phone.getByTestId('inbox-item').filter({ hasText: TITLE }).waitFor();
      await expectPhoneFit(phone, `inbox at ${width} px`);
      await phone.getByTestId('nav-directory').tap();
    }
    await phone.setViewportSize({ width: 390, height: 844 });
  });

  it('installs as an app; a reload without network shows the last sealed state and says offline', async () => {
    const manifest = await phone.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link
        ? ((await (await fetch(link.href)).json()) as { name: string; icons: unknown[] })
        : null;
    });
    expect(manifest?.name).toBe('鸿雁 · 掌上办公');
    expect(manifest?.icons.length).toBeGreaterThan(0);
    // The service worker has the shell cached once it is active.
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await phone.context().setOffline(true);
    try {
      await phone.reload();
      await phone
        .getByTestId('connection-state')
        .filter({ hasText: '连接中断' })
        .waitFor({ timeout: 60_000 });
      // The room list comes from the sealed room-list cache while the server is out of reach.
      await phone.getByTestId('nav-chat').tap();
      await phone.locator('.room-item').filter({ hasText: '东湖市人民政府 工作群' }).waitFor();
      await saveScreenshot(phone, 'phone-offline');
      // Only the app shell is cached: no homeserver response, decrypted or not, is in it.
      const cached = await phone.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys())
          for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
        return urls;
      });
      const origin = new URL(app.url).origin;
      expect(cached.length).toBeGreaterThan(0);
      expect(cached.filter((u) => !u.startsWith(origin))).toEqual([]);
      expect(cached.filter((u) => u.includes('/_matrix/'))).toEqual([]);
    } finally {
      await phone.context().setOffline(false);
    }
    await phone
      .getByTestId('connection-state')
      .filter({ hasText: '已连接' })
      .waitFor({ timeout: 60_000 });
  });

  it('signs out under 我的', async () => {
    await phone.getByTestId('nav-me').tap();
    await phone.getByTestId('me-view').waitFor();
    await expectPhoneFit(phone, 'me');
    await saveScreenshot(phone, 'phone-me');
    await phone.getByTestId('me-logout').tap();
    await phone.getByTestId('login-username').waitFor();
  });
});
