/**
 * Circulars in the app, issuer and recipient in two browser profiles against a real Synapse with a
 * provisioned org: compose with an encrypted attachment and send; the recipient reads, downloads
 * the attachment and acknowledges with a note; the issuer's open dashboard updates without a
 * reload; the exported CSV and XLSX hold the same rows.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { provinceIssuer, provinceOrgSpec } from '../testing/org-specs';
import { PASSWORD, webAppForFile } from './app-fixture';
import { expectText, saveScreenshot } from './browser';
import { sendCircular, startCircular, targetLevelUnder } from './circular-steps';

const spec = provinceOrgSpec([
  { ...provinceIssuer(PASSWORD), position: '秘书处处长' },
  {
    username: 'liming',
    displayName: '李明',
    unit: 'c1',
    position: '办公室主任',
    password: PASSWORD,
  },
  {
    username: 'zhaoqiang',
    displayName: '赵强',
    unit: 'c2',
    position: '科员',
    password: PASSWORD,
  },
]);
const TITLE = '关于做好汛期安全防范工作的通知';
const ATTACHMENT = {
  name: '防汛工作方案.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('防汛工作方案（试行）\n一、总体要求……\n'.repeat(20)),
};
const NOTE = '已收到，按要求落实。';

const app = webAppForFile({ spec });

describe('circulars (web mode, real homeserver, two browser profiles)', () => {
  let issuer: Page;
  let recipient: Page;

  it('issues a circular with an encrypted attachment to every city, counting recipients first', async () => {
    issuer = await app.signIn('wangfang');
    recipient = await app.signIn('liming');
    await startCircular(issuer, {
      title: TITLE,
      body: '各市人民政府：\n\n入汛以来，我省降雨偏多。现就做好汛期安全防范工作通知如下。\n\n请于三日内签收并报送落实情况。',
    });
    await issuer.getByTestId('compose-docnumber').fill('示府办〔2026〕15号');
    await issuer.getByTestId('compose-urgency').selectOption('urgent');
    await targetLevelUnder(issuer, 'p', 'city');
    await expectText(issuer.getByTestId('compose-counts'), '将发送至 2 个单位，共 2 名接收人');
    await issuer.getByTestId('compose-file').setInputFiles(ATTACHMENT);
    await issuer.getByTestId('compose-attachment').filter({ hasText: ATTACHMENT.name }).waitFor();
    await saveScreenshot(issuer, 'circular-compose');
    await sendCircular(issuer, 2);
    await issuer.getByTestId('open-dashboard').click();
    // 李明 has signed in and can decrypt: 未读. 赵强 has never signed in, so no device of his
    // could receive the key at the send: 待密钥, counted apart from 未读.
    await expectText(issuer.getByTestId('stat-unread').locator('.circ-stat-value'), '1');
    await expectText(issuer.getByTestId('stat-awaiting-key').locator('.circ-stat-value'), '1');
  });

  it('the recipient reads, downloads the attachment and acknowledges; the open dashboard follows live', async () => {
    await recipient.getByTestId('nav-circulars').click();
    const item = recipient.getByTestId('inbox-item').filter({ hasText: TITLE });
    await item.waitFor({ timeout: 60_000 });
    expect(await item.getAttribute('data-status')).toBe('unread');
    expect(await item.textContent()).toContain('加急');
    expect(await item.getByTestId('inbox-deadline').textContent()).toMatch(/^剩余 /);
    await saveScreenshot(recipient, 'circular-inbox');
    await item.click();
    await expectText(recipient.getByTestId('circular-title'), TITLE);
    await recipient.getByTestId('no-forward').waitFor();
    const [download] = await Promise.all([
      recipient.waitForEvent('download'),
      recipient.getByTestId('attachment-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(ATTACHMENT.name);
    expect((await readFile(await download.path())).equals(ATTACHMENT.buffer)).toBe(true);

    // Opening sent a public read receipt: the issuer's dashboard shows it without a reload.
    await expectText(issuer.getByTestId('stat-read').locator('.circ-stat-value'), '1');
    await saveScreenshot(recipient, 'circular-view');
    await recipient.getByTestId('ack-note').fill(NOTE);
    await recipient.getByTestId('ack-button').click();
    await recipient.getByTestId('ack-done').waitFor();

    await expectText(issuer.getByTestId('stat-acknowledged').locator('.circ-stat-value'), '1');
    const row = issuer.locator('[data-testid="recipient-row"][data-status="acknowledged"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('李明');
    expect(await row.textContent()).toContain(NOTE);
    await saveScreenshot(issuer, 'circular-dashboard');
  });

  it('exports the report as CSV and XLSX with the same rows', async () => {
    const [csvDownload] = await Promise.all([
      issuer.waitForEvent('download'),
      issuer.getByTestId('export-csv').click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/^签收情况-示府办〔2026〕15号-\d{8}\.csv$/);
    const csv = (await readFile(await csvDownload.path())).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    const header = lines.findIndex((l) => l.startsWith('单位,姓名,账号'));
    expect(header).toBeGreaterThan(0);
    const rows = lines
      .slice(header + 1)
      .filter((l) => l.length > 0)
      .map((l) => l.split(','));
    expect(rows).toHaveLength(2);
    const li = rows.find((r) => r[1] === '李明');
    expect(li?.slice(0, 5)).toEqual(['东湖市人民政府', '李明', 'liming', '办公室主任', '已签收']);
    expect(li?.[7]).toBe(NOTE);
    expect(rows.find((r) => r[1] === '赵强')?.[4]).toBe('待密钥');

    const [xlsxDownload] = await Promise.all([
      issuer.waitForEvent('download'),
      issuer.getByTestId('export-xlsx').click(),
    ]);
    expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    const xlsxBytes = await readFile(await xlsxDownload.path());
    await workbook.xlsx.load(
      xlsxBytes.buffer.slice(
        xlsxBytes.byteOffset,
        xlsxBytes.byteOffset + xlsxBytes.byteLength,
      ) as ArrayBuffer,
    );
    const sheet = workbook.worksheets[0];
    const values: string[][] = [];
    sheet?.eachRow((r) =>
      values.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
    );
    const xHeader = values.findIndex((r) => r[0] === '单位' && r[1] === '姓名');
    const xRows = values.slice(xHeader + 1);
    expect(xRows.map((r) => r.slice(0, 5))).toEqual(rows.map((r) => r.slice(0, 5)));
    expect(xRows.find((r) => r[1] === '李明')?.[7]).toBe(NOTE);
  });
});
