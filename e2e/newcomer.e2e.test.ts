/**
 * What a newcomer meets on a first walk through the app, against a real Synapse with a provisioned
 * org, in Chromium: times in the deployment's zone (Beijing time) on a machine set to UTC, with
 * the zone named; deadlines entered and shown in that zone; every key screen and its error
 * messages in Chinese, the technical detail folded under 详情; a unit admin browsing, searching and
 * picking from the whole subtree it administers.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { provinceIssuer, provinceOrgSpec } from '../testing/org-specs';
import { PASSWORD, webAppForFile } from './app-fixture';
import { saveScreenshot } from './browser';
import { startCircular, targetLevelUnder } from './circular-steps';
import { untranslatedEnglish } from './untranslated';
import { toZonedInput } from '../shared/config/time-zone';

const spec = provinceOrgSpec([
  provinceIssuer(PASSWORD),
  {
    username: 'sheng.admin',
    displayName: '省管理员',
    unit: 'p',
    roles: ['unit_admin'],
    password: PASSWORD,
  },
  { username: 'liming', displayName: '李明', unit: 'c1', password: PASSWORD },
  { username: 'zhaoqiang', displayName: '赵强', unit: 'c2', password: PASSWORD },
]);

const app = webAppForFile({ spec });

/** The day after tomorrow in Beijing, so the deadline is always ahead of the run (never a fixed date that goes stale). */
const deadlineDay = toZonedInput(Date.now() + 2 * 86_400_000, 'Asia/Shanghai').slice(0, 10);

/** Signs in on a machine whose clock is set to `timezoneId`. */
function signIn(username: string, timezoneId = 'UTC'): Promise<Page> {
  return app.signIn(username, { timezoneId });
}

describe('a newcomer walk (web mode, real homeserver)', () => {
  let issuer: Page;

  it('enters and shows a deadline in Beijing time on a machine set to UTC, naming the zone', async () => {
    issuer = await signIn('wangfang', 'UTC');
    // One recipient has signed in (a device to send the key to); the other has not (待密钥).
    await signIn('liming', 'Asia/Shanghai');
    await startCircular(issuer, {
      title: '关于年终工作总结的通知',
      body: '各市：请于截止时间前签收。',
    });
    await issuer.getByTestId('compose-deadline').fill(`${deadlineDay}T18:00`);
    expect(await issuer.getByTestId('time-zone-note').first().textContent()).toBe('（北京时间）');
    await targetLevelUnder(issuer, 'p', 'city');
    await saveScreenshot(issuer, 'time-zone-compose');
    await issuer.getByTestId('compose-send').click();
    await issuer.getByTestId('open-dashboard').click({ timeout: 60_000 });
    const header = issuer.locator('.circ-dash-head');
    await header.getByText(`${deadlineDay} 18:00`, { exact: false }).first().waitFor();
    expect(await header.textContent()).toContain('（北京时间）');
    await saveScreenshot(issuer, 'time-zone-dashboard');
  });

  it('shows the key screens in Chinese, and errors as plain Chinese sentences with a 详情 toggle', async () => {
    const leaks: Record<string, string[]> = {};
    const check = async (screen: string) => {
      const words = await untranslatedEnglish(issuer);
      if (words.length > 0) leaks[screen] = words;
    };
    // 一键催办 says whom it will ping before it does.
    await issuer.getByTestId('remind').click();
    const confirm = issuer.getByTestId('remind-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('提醒 1 名尚未完成的人员');
    expect(await confirm.innerText()).toContain('1 人等待密钥');
    await check('circular dashboard');
    await saveScreenshot(issuer, 'remind-confirm');
    await issuer.getByTestId('remind-confirm-send').click();
    await issuer.getByTestId('dashboard-message').filter({ hasText: '已催办 1 人' }).waitFor();
    await issuer.getByTestId('circ-tab-issued').click();
    await check('issued circulars');
    await issuer.getByTestId('circ-tab-inbox').click();
    await check('circular inbox');

    // Sending an empty draft: every problem in a Chinese sentence, the raw paths folded away.
    await issuer.getByTestId('circ-tab-compose').click();
    await issuer.getByTestId('compose-send').click();
    const errors = issuer.getByTestId('compose-errors');
    await errors.waitFor();
    const visible = await errors.innerText();
    expect(visible).toContain('请至少选择一个发送单位。');
    expect(visible).not.toMatch(/\/targets|must|select at least/);
    await check('compose with errors');
    await saveScreenshot(issuer, 'chinese-errors');
    await errors.locator('summary').first().click();
    expect(await errors.innerText()).toContain('/targets');
    await saveScreenshot(issuer, 'chinese-errors-details');

    await issuer.getByTestId('nav-chat').click();
    await issuer.locator('.room-item').first().click();
    await issuer.getByTestId('composer-input').waitFor();
    await check('chat');
    expect(await issuer.locator('.room-section').allInnerTexts()).toEqual(['单位群组', '通知公告']);
    await saveScreenshot(issuer, 'room-list-sections');
    await issuer.getByTestId('nav-directory').click();
    await check('directory');
    expect(leaks).toEqual({});
  });

  it('lets a province unit admin browse and search its whole subtree, and pick from it', async () => {
    const admin = await signIn('sheng.admin', 'Asia/Shanghai');
    await admin.getByTestId('nav-directory').click();
    const tree = admin.getByTestId('org-tree');
    await tree.getByText('东湖市人民政府').waitFor();
    await tree.getByText('西山市人民政府').waitFor();
    await admin.getByTestId('directory-search').fill('李明');
    await admin.getByTestId('directory-results').getByText('李明').waitFor();
    await saveScreenshot(admin, 'admin-subtree-directory');

    await admin.getByTestId('nav-admin').click();
    await admin.getByTestId('admin-tab-move-user').click();
    const units = await admin
      .locator('#admin-unit-options option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('label') ?? o.textContent ?? ''));
    expect(units.join(' ')).toContain('东湖市人民政府');
    expect(units.join(' ')).toContain('西山市人民政府');
    const people = await admin
      .locator('#admin-people-options option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('label') ?? o.textContent ?? ''));
    expect(people.join(' ')).toContain('赵强');
    await saveScreenshot(admin, 'admin-subtree-forms');
  });
});
