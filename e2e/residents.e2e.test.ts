/**
 * Residents joining by invitation, on a phone (390×844, touch) against a real Synapse and the org
 * agent: the village's grid worker makes an invitation, a resident opens its link, registers with
 * the link's token and lands in the residents' rooms, then acknowledges the grid worker's 群众通知;
 * an altered, expired, used-up or revoked invitation gets a clear page naming what is wrong and
 * whom to ask. Every screen must fit the phone and speak Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startOrgHomeserver, type OrgHomeserver } from '../admin/testing/org-homeserver';
import { VILLAGE_CODE, villageUnits } from '../testing/org-specs';
import type { TestHomeserver } from '../homeserver/testing';
import type { OrgSpec } from '../shared/org/spec-types';
import { NEW_PASSWORD, PASSWORD } from './app-fixture';
import { launchBrowser, newUserContext, saveScreenshot } from './browser';
import { sendCircular, startCircular } from './circular-steps';
import { finishFirstSignIn, signInFirstTime } from './first-sign-in';
import { expectPageFilled, expectPhoneFit } from './phone';
import { untranslatedEnglish } from './untranslated';
import { serveBuiltWebApp } from './web-app';

const RESIDENT_PASSWORD = 'Spring-Field-7';
const V = VILLAGE_CODE;
const spec: OrgSpec = {
  version: 1,
  units: villageUnits(),
  users: [
    {
      username: 'cun.zhuren',
      displayName: '陶主任',
      unit: V,
      roles: ['issuer'],
      password: PASSWORD,
    },
    {
      username: 'zhao.zhenhua',
      displayName: '赵振华',
      unit: V,
      roles: ['grid_worker'],
      password: PASSWORD,
    },
  ],
};

let hs: TestHomeserver;
let server: OrgHomeserver | undefined;
let web: { url: string; close(): Promise<void> };
let browser: Browser;
let worker: Page;
/** 孙大妈's phone, signed in once she has joined. */
let resident: Page;

async function phonePage(): Promise<Page> {
  return (await newUserContext(browser, 'zh-CN', { phone: true })).newPage();
}

/** Asserts the screen fits the phone and shows no English, then saves it. */
async function checkScreen(page: Page, name: string): Promise<void> {
  // The join pages stand on the sign-in page's navy background, which fills the screen.
  const signInPage = (await page.locator('.login-page').count()) > 0;
  await expectPhoneFit(page, name);
  for (const width of [360, 430]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 932 });
    await expectPhoneFit(page, `${name} at ${width} px`);
    if (signInPage) await expectPageFilled(page, `${name} at ${width} px`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await untranslatedEnglish(page), name).toEqual([]);
  await saveScreenshot(page, `residents-${name}`);
}

beforeAll(async () => {
  server = await startOrgHomeserver({ homeserver: { bcryptRounds: 4 }, spec, agent: true });
  hs = server.hs;
  web = await serveBuiltWebApp(hs.baseUrl);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
});

/** Opens an invitation link on a new phone and registers through it; resolves to the page. */
async function registerThrough(link: string, name: string, username: string): Promise<Page> {
  const page = await phonePage();
  await page.goto(link);
  await page.getByTestId('join-displayName').fill(name);
  await page.getByTestId('join-username').fill(username);
  await page.getByTestId('join-password').fill(RESIDENT_PASSWORD);
  await page.getByTestId('join-confirm').fill(RESIDENT_PASSWORD);
  await page.getByTestId('join-submit').tap();
  return page;
}

/** Waits for the refusal page and asserts it names the community and whom to ask. */
async function expectRefusal(page: Page, refusal: string, says: string): Promise<void> {
  await page
    .locator(`[data-testid="join-refused"] [data-refusal="${refusal}"]`)
    .waitFor({ timeout: 30_000 });
  const text = await page.getByTestId('join-refused').textContent();
  expect(text).toContain(says);
  expect(text).toContain('桃花村');
  expect(text).toContain('赵振华');
}

/** The grid worker makes an invitation in 通讯录's panel; resolves to its link. */
async function createInviteInApp(uses: string): Promise<string> {
  await worker.getByTestId('nav-directory').tap();
  const panel = worker.getByTestId('invite-panel');
  await panel.waitFor({ timeout: 60_000 });
  const before = await worker.getByTestId('invite-item').count();
  await worker.getByTestId('invite-uses').fill(uses);
  await worker.getByTestId('invite-lifetime').selectOption('168');
  await worker.getByTestId('invite-create').tap();
  await worker.getByTestId('invite-qr').waitFor({ timeout: 60_000 });
  await worker.getByTestId('invite-item').nth(before).waitFor();
  return worker.getByTestId('invite-link').inputValue();
}

describe('residents join by invitation on a phone', () => {
  let link = '';

  it('the grid worker creates an invitation in 通讯录: a QR code, a link to copy, the list', async () => {
    worker = await signInFirstTime({
      browser,
      url: web.url,
      username: 'zhao.zhenhua',
      password: PASSWORD,
      newPassword: NEW_PASSWORD,
      phone: true,
    });
    link = await createInviteInApp('5');
    expect(new URL(link).hash).toMatch(/^#join\?u=/);
    const item = worker.getByTestId('invite-item').first();
    expect(await item.getAttribute('data-status')).toBe('active');
    expect(await item.getByTestId('invite-joined').textContent()).toBe('已加入 0 / 5 人');
    await worker.getByTestId('invite-panel').scrollIntoViewIfNeeded();
    await checkScreen(worker, 'invite-panel');
  });

  it('shows the community from the link, registers the resident and places them in its rooms', async () => {
    const page = await phonePage();
    await page.goto(link);
    await page.getByTestId('join-page').waitFor();
    expect(await page.getByTestId('join-unit').textContent()).toBe('加入桃花村');
    expect(await page.getByTestId('join-page').textContent()).toContain('赵振华');
    expect(await page.getByTestId('join-policy').textContent()).toContain('至少 10 个字符');
    await checkScreen(page, 'join');

    await page.getByTestId('join-displayName').fill('孙大妈');
    await page.getByTestId('join-username').fill('sun.dama');
    await page.getByTestId('join-password').fill('short');
    await page.getByTestId('join-confirm').fill('short');
    await page.getByTestId('join-submit').tap();
    await page.locator('[data-testid="join-error"][data-problem="tooWeak"]').waitFor();

    await page.getByTestId('join-password').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-confirm').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-submit').tap();
    await page.getByTestId('join-joined').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('join-joined').textContent()).toContain('已加入桃花村');
    await checkScreen(page, 'joined');
    await page.getByTestId('join-enter').tap();
    // The token leaves the address bar with the join page.
    expect(new URL(page.url()).hash).toBe('');
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    await finishFirstSignIn(page, { password: RESIDENT_PASSWORD, phone: true });
    await page.getByTestId('nav-chat').tap();
    await page
      .locator('.room-item')
      .filter({ hasText: '群众群' })
      .first()
      .waitFor({ timeout: 60_000 });
    const rooms = await page.locator('.room-item').allTextContents();
    expect(rooms.join('|')).toContain('群众通知');
    expect(rooms.join('|')).not.toContain('工作群');
    resident = page;
    // The grid worker's list counts the resident.
    await worker
      .getByTestId('invite-joined')
      .filter({ hasText: '已加入 1 / 5 人' })
      .waitFor({ timeout: 30_000 });
  });

  it("the grid worker's 群众通知 reaches the resident trusted, who acknowledges it on the phone", async () => {
    const title = '关于周六开展村居环境整治的通知';
    await startCircular(worker, {
      title,
      body: '各位村民：\n\n本周六上午集中清理房前屋后，请签收。',
    });
    // A grid worker may send to the village's residents only: the picker offers nothing else.
    await worker.getByTestId('target-add').tap();
    await sendCircular(worker, 1);

    await resident.getByTestId('nav-circulars').tap();
    const item = resident.getByTestId('inbox-item').filter({ hasText: title });
    await item.waitFor({ timeout: 60_000 });
    expect(await resident.getByTestId('invalid-circular').count()).toBe(0);
    // The resident cannot read the staff directory: the sender is named from the notice room's
    // member event and the community the circular is trusted for, not shown as a Matrix ID.
    expect(await item.getByTestId('circular-sent-by').textContent()).toContain('赵振华 · 桃花村');
    expect(await item.textContent()).not.toContain('@zhao.zhenhua');
    await checkScreen(resident, 'notice-inbox');
    await item.tap();
    const sentBy = resident.getByTestId('circular-view').getByTestId('circular-sent-by');
    expect(await sentBy.textContent()).toContain('赵振华 · 桃花村');
    expect(await resident.getByTestId('circular-view').textContent()).not.toContain('@zhao');
    await resident.getByTestId('ack-note').fill('收到，周六参加。');
    await checkScreen(resident, 'notice');
    await resident.getByTestId('ack-button').tap();
    await resident.getByTestId('ack-done').waitFor();
    await resident.goBack();
    await resident
      .locator('[data-testid="inbox-item"][data-status="acknowledged"]')
      .filter({ hasText: title })
      .waitFor();
  });

  it("in the residents' chat the resident sees the grid worker's name, never a Matrix ID", async () => {
    const text = '周六上午八点在村委会门口集合。';
    const chatRoom = (page: Page) =>
      page.locator('.room-item').filter({ hasText: '群众群' }).first();
    await worker.getByTestId('nav-chat').tap();
    await chatRoom(worker).tap();
    await worker.getByTestId('composer-input').fill(text);
    await worker.getByTestId('composer-send').tap();
    await worker.getByTestId('conversation').getByText(text).waitFor({ timeout: 30_000 });
    await worker.getByTestId('phone-back').tap();

    await resident.getByTestId('nav-chat').tap();
    // The room list's preview names the sender too.
    await chatRoom(resident).filter({ hasText: text }).waitFor({ timeout: 30_000 });
    expect(await chatRoom(resident).textContent()).toContain('赵振华');
    await chatRoom(resident).tap();
    const message = resident.getByTestId('message').filter({ hasText: text });
    await message.waitFor({ timeout: 30_000 });
    expect(await message.locator('.sender').textContent()).toBe('赵振华');
    expect(await resident.getByTestId('conversation').textContent()).not.toContain('@zhao');
    // The room's opening (set up by the system, staff and residents joining) is one folded line
    // above the message, naming people, not IDs.
    const opening = resident.getByTestId('notice-run');
    expect(await opening.count()).toBe(1);
    expect(await opening.textContent()).toContain('系统');
    expect(await opening.textContent()).not.toContain('@');
    await checkScreen(resident, 'chat');
    // Residents may not invite (the server refuses it): the room's menu offers no 邀请.
    await resident.getByTestId('conversation-more').tap();
    await resident.getByRole('menu').getByTestId('leave').waitFor();
    expect(await resident.getByTestId('invite').count()).toBe(0);
    await resident.keyboard.press('Escape');
    await resident.context().close();
  });

  it('refuses an altered link on sight', async () => {
    const page = await phonePage();
    await page.goto(link.replace(encodeURIComponent('桃花村'), encodeURIComponent('杏花村')));
    await page.locator('[data-testid="join-refused"] [data-refusal="altered"]').waitFor();
    await checkScreen(page, 'altered');
    await page.context().close();
  });

  it('an expired invitation gets a clear page saying so and whom to ask', async () => {
    const page = await phonePage();
    // The resident opens the seven-day link eight days later.
    await page.clock.setFixedTime(Date.now() + 8 * 86_400_000);
    await page.goto(link);
    await expectRefusal(page, 'expired', '已过期');
    expect(await page.getByTestId('join-refused-unit').textContent()).toBe('桃花村的群众邀请');
    expect(await page.getByTestId('join-refused-sign-in').count()).toBe(0);
    await checkScreen(page, 'expired');
    await page.context().close();
  });

  it('a used-up invitation: the last place is taken, the next resident gets a clear page', async () => {
    const full = await createInviteInApp('1');
    const first = await registerThrough(full, '周大爷', 'zhou.daye');
    await first.getByTestId('join-joined').waitFor({ timeout: 60_000 });
    await first.context().close();
    await worker.locator('[data-testid="invite-item"][data-status="used-up"]').waitFor();
    const page = await registerThrough(full, '吴阿姨', 'wu.ayi');
    await expectRefusal(page, 'tokenRefused', '名额已满');
    // The same page as for an expired link: the community's invitation, what is wrong (not
    // "expired": that was ruled out on sight), whom to ask, and sign-in for an existing account.
    expect(await page.getByTestId('join-refused-unit').textContent()).toBe('桃花村的群众邀请');
    expect(await page.getByTestId('join-refused').textContent()).not.toContain('已过期');
    expect(await page.getByTestId('join-refused-ask').textContent()).toBe(
      '请联系赵振华（桃花村）获取新的邀请链接。',
    );
    await checkScreen(page, 'used-up');
    // 周大爷, placed through this link, signs in with it again and gets in without a second place.
    await page.getByTestId('join-refused-sign-in').tap();
    await page.getByTestId('join-username').fill('zhou.daye');
    await page.getByTestId('join-password').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-submit').tap();
    await page.getByTestId('join-joined').waitFor({ timeout: 60_000 });
    await page.context().close();
  });

  it('a revoked invitation gets a clear page naming the community and whom to ask', async () => {
    const revoked = await createInviteInApp('3');
    worker.once('dialog', (dialog) => void dialog.accept());
    await worker.getByTestId('invite-revoke').first().tap();
    await worker.locator('[data-testid="invite-item"][data-status="revoked"]').waitFor();
    const page = await registerThrough(revoked, '钱大爷', 'qian.daye');
    await expectRefusal(page, 'tokenRefused', '已被撤销');
    await checkScreen(page, 'refused');
    await page.context().close();
  });
});
