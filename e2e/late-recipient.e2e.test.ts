/**
 * A recipient who first signs in after a circular was sent, in Chromium against a real Synapse with
 * a provisioned org: the account exists but has no device when the issuer sends; on the first
 * sign-in the circular is listed in 收文箱 as delivered and waiting for its key (never an empty
 * inbox), opens by itself once an issuer device grants the key, is read and acknowledged, and the
 * issuer's dashboard counts the acknowledgment (待密钥 kept apart from 未读 until then). The notice
 * room's timeline says the same instead of the generic advice for undecryptable messages.
 *
 * The issuer's only device is offline while the recipient signs in, so the waiting state holds
 * until it comes back (a grant needs an issuer device or the custodian online); it then answers
 * the request the server kept for it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { provinceIssuer, provinceOrgSpec } from '../testing/org-specs';
import { PASSWORD, webAppForFile } from './app-fixture';
import { expectText, saveScreenshot } from './browser';
import { sendCircular, startCircular, targetLevelUnder } from './circular-steps';

const spec = provinceOrgSpec([
  provinceIssuer(PASSWORD),
  { username: 'liming', displayName: '李明', unit: 'c1', password: PASSWORD },
  { username: 'zhaoqiang', displayName: '赵强', unit: 'c2', password: PASSWORD },
]);
const TITLE = '关于做好年末安全生产检查的通知';

const app = webAppForFile({ spec });

describe('a recipient whose first sign-in comes after the circular (web mode, real homeserver)', () => {
  let issuer: Page;
  let late: Page;

  it('sends to recipients who have never signed in; the dashboard shows them as 待密钥, not 未读', async () => {
    issuer = await app.signIn('wangfang');
    await startCircular(issuer, {
      title: TITLE,
      body: '各市人民政府：\n\n请于本周内完成自查并签收。',
    });
    await targetLevelUnder(issuer, 'p', 'city');
    await expectText(issuer.getByTestId('compose-counts'), '将发送至 2 个单位，共 2 名接收人');
    await sendCircular(issuer, 2);
    await issuer.getByTestId('open-dashboard').click();
    await expectText(issuer.getByTestId('stat-awaiting-key').locator('.circ-stat-value'), '2');
    await expectText(issuer.getByTestId('stat-unread').locator('.circ-stat-value'), '0');
  });

  it('lists the circular on the first sign-in as delivered and waiting for its key', async () => {
    await issuer.context().setOffline(true);
    late = await app.signIn('liming');
    await late.getByTestId('nav-circulars').click();
    const waiting = late.getByTestId('inbox-awaiting-key');
    await waiting.waitFor({ timeout: 60_000 });
    const text = await waiting.innerText();
    expect(text).toContain('已送达，等待密钥');
    expect(text).toContain('通知公文（内容尚未解密）');
    expect(text).toContain('东湖市人民政府 通知公告');
    expect(text).toContain('获取后将自动打开');
    expect(await late.getByText('暂无通知公文').count()).toBe(0);
    await saveScreenshot(late, 'late-recipient-waiting');

    // The notice room says the same, instead of advice a first device cannot follow.
    await late.getByTestId('nav-chat').click();
    await late.locator('.room-item').filter({ hasText: '东湖市人民政府 通知公告' }).click();
    const row = late.locator('[data-testid="undecryptable"][data-awaiting-key="waiting"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('已送达，等待密钥（将自动打开）');
    expect(await row.innerText()).not.toContain('恢复密钥');
    await saveScreenshot(late, 'late-recipient-waiting-chat');
    await late.getByTestId('nav-circulars').click();
  });

  it('opens by itself once the issuer is back, is read and acknowledged, and counted by the issuer', async () => {
    await issuer.context().setOffline(false);
    const item = late.getByTestId('inbox-item').filter({ hasText: TITLE });
    await item.waitFor({ timeout: 90_000 });
    expect(await late.getByTestId('inbox-awaiting-key').count()).toBe(0);
    expect(await item.getAttribute('data-status')).toBe('unread');
    await item.click();
    await expectText(late.getByTestId('circular-title'), TITLE);
    await late.getByTestId('ack-button').click();
    // Shown at once, then confirmed once the server has accepted the ack.
    await late.getByTestId('ack-done').filter({ hasText: '已于' }).waitFor({ timeout: 60_000 });
    await saveScreenshot(late, 'late-recipient-opened');

    const acked = issuer.getByTestId('stat-acknowledged').locator('.circ-stat-value');
    await acked.filter({ hasText: '1' }).waitFor({ timeout: 90_000 });
    await expectText(acked, '1');
    // The other recipient has still never signed in: waiting for the key, still not 未读.
    await expectText(issuer.getByTestId('stat-awaiting-key').locator('.circ-stat-value'), '1');
    const row = issuer.locator('[data-testid="recipient-row"][data-status="acknowledged"]');
    expect(await row.innerText()).toContain('李明');
    await saveScreenshot(issuer, 'late-recipient-dashboard');
  });
});
