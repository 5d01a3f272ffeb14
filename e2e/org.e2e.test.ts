/**
 * The organisation in the app, against a real Synapse with a provisioned org and the org agent:
 * the org tree with unread counts, the directory's pinyin search, and a unit admin adding a user
 * from the app who then signs in.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seg, SynapseClient } from '../admin/synapse-client';
import type { OrgSpec } from '../shared/org/spec-types';
import { PASSWORD, webAppForFile } from './app-fixture';
import { expectText, newUserContext, saveScreenshot } from './browser';
import { submitSignIn } from './first-sign-in';

const spec: OrgSpec = {
  version: 1,
  units: [
    { code: 'p', name: '示范省', level: 'province' },
    { code: 'c', name: '东湖市', level: 'city', parent: 'p' },
    {
      code: 'ka',
      name: '青山县',
      level: 'county',
      parent: 'c',
      rooms: { departments: [{ slug: 'office', name: '办公室' }] },
    },
    { code: 'kb', name: '绿水县', level: 'county', parent: 'c' },
  ],
  users: [
    {
      username: 'wangfang',
      displayName: '王芳',
      unit: 'c',
      roles: ['issuer'],
      position: '办公室主任',
      password: PASSWORD,
    },
    {
      username: 'liming',
      displayName: '李明',
      unit: 'ka',
      roles: ['unit_admin'],
      position: '县长',
      password: PASSWORD,
    },
    {
      username: 'zhangwei',
      displayName: '张伟',
      unit: 'ka',
      roles: ['member'],
      position: '科员',
      password: PASSWORD,
    },
    {
      username: 'zhaoli',
      displayName: '赵丽',
      unit: 'ka',
      roles: ['issuer'],
      position: '综合科科长',
      password: PASSWORD,
    },
  ],
};

let noticeRoomId: string;

const app = webAppForFile({
  spec,
  agent: true,
  seed: async (hs) => {
    const admin = new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken });
    const alias = `#hy.ka.notice:${hs.serverName}`;
    noticeRoomId = (
      await admin.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${seg(alias)}`)
    ).room_id;
  },
});

/** Signs in with a password, up to the room list (no first-sign-in steps). */
async function signIn(username: string, password: string): Promise<Page> {
  const page = await (await newUserContext(app.browser, 'zh-CN')).newPage();
  await page.goto(app.url);
  await submitSignIn(page, { username, password });
  return page;
}

describe('organisation in the app (web mode, real homeserver)', () => {
  it('shows the org tree with unread counts rolled up, and the directory finds people by pinyin initials', async () => {
    // 王芳, an issuer of the city, reaches down into the counties' Spaces and notice rooms.
    const page = await app.signIn('wangfang');
    // 赵丽 posts in 青山县's notice room from her own app (encrypted): unread for 王芳.
    const zhao = await app.signIn('zhaoli');
    await zhao.locator(`[data-room-id="${noticeRoomId}"]`).first().click();
    await zhao.getByTestId('composer-input').fill('请各科室今天下班前报送材料。');
    await zhao.getByTestId('composer-send').click();
    await zhao.locator('[data-testid="message-body"]', { hasText: '报送材料' }).waitFor();
    await zhao.context().close();

    await page.getByTestId('nav-directory').click();
    await page.getByTestId('org-tree').waitFor();
    // The county's unread message counts for the county and for the city above it.
    await expectText(page.getByTestId('org-unread-ka'), '1');
    await expectText(page.getByTestId('org-unread-c'), '1');
    expect(await page.getByTestId('org-unread-kb').count()).toBe(0);
    await expectText(page.getByTestId('unit-heading'), '东湖市');
    await page.getByTestId('org-node-ka').click();
    await expectText(page.getByTestId('unit-heading'), '东湖市 › 青山县');
    await page.getByTestId('unit-people').getByText('张伟').waitFor();
    await saveScreenshot(page, 'org-tree');

    await page.getByTestId('directory-search').fill('zw');
    const results = page.getByTestId('directory-results');
    await results.getByText('张伟').waitFor();
    const first = results.getByTestId('person-row').first();
    expect(await first.textContent()).toContain('科员');
    expect(await first.textContent()).toContain('东湖市 › 青山县');
    await saveScreenshot(page, 'org-directory');

    // "Message" opens an encrypted direct chat with the person.
    await first.getByRole('button', { name: '发消息' }).click();
    await page.getByTestId('conversation').waitFor();
    await page.getByTestId('room-encrypted').waitFor();
    await page.context().close();
  });

  it('lets a unit admin add a user, who can then sign in', async () => {
    const page = await app.signIn('liming');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-form-create-user').waitFor();
    await page.getByTestId('admin-no-agent').waitFor({ state: 'detached' });
    await page.getByTestId('admin-username').fill('chenjing');
    await page.getByTestId('admin-displayName').fill('陈静');
    await page.getByTestId('admin-unitCode').fill('ka');
    await page.getByTestId('admin-position').fill('科员');
    await page.getByTestId('admin-submit').click();
    const password = (await page.getByTestId('admin-initial-password').textContent()) ?? '';
    expect(password).toMatch(/^\S{16}$/);
    await page
      .locator('[data-testid="admin-request"][data-status="ok"]')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.locator('[data-testid="admin-initial-password-box"][data-status="ok"]').waitFor();

    // A unit outside the admin's subtree: the org agent refuses, and the app says why, in Chinese.
    await page.getByTestId('admin-username').fill('outsider');
    await page.getByTestId('admin-displayName').fill('越权');
    await page.getByTestId('admin-unitCode').fill('kb');
    await page.getByTestId('admin-submit').click();
    const refused = page.locator('[data-testid="admin-request"][data-status="error"]');
    await refused
      .getByTestId('admin-request-message')
      .filter({ hasText: '超出您的管理范围' })
      .waitFor();
    // The password shown for the refused account is marked void.
    await page.locator('[data-testid="admin-initial-password-box"][data-status="error"]').waitFor();
    await saveScreenshot(page, 'org-admin');

    const newcomer = await signIn('chenjing', password);
    await newcomer.getByTestId('signed-in-user').waitFor();
    expect(await newcomer.getByTestId('signed-in-user').textContent()).toContain(
      `@chenjing:${app.hs.serverName}`,
    );
    // The account the agent created has the admin's initial password: the app asks for a new one.
    await newcomer.locator('[data-testid="password-form"][data-first-login="true"]').waitFor();
    await newcomer.context().close();
  });
});
