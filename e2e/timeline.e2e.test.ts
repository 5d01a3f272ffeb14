import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, MsgType, type MatrixClient } from 'matrix-js-sdk';
import type { Browser, Page } from 'playwright-core';
import { startTestHomeserver, type TestHomeserver } from '../homeserver/testing';
import { BENCH_PASSWORD, signInBenchUser, type BenchUser } from '../bench/chat-helpers';
import { launchBrowser, newUserContext, saveScreenshot } from './browser';
import { serveBuiltWebApp } from './web-app';
import {
  createHistoryRoom,
  pageBackOnce,
  rowCounts,
  seedMessages,
  signInFirstTime,
} from './long-timeline';

/**
 * A long encrypted history in the real web app: virtualization keeps the DOM small while the user
 * pages far back and returns. The room holds HISTORY messages (plus the newest one), encrypted
 * by two colleagues' Node clients with the app's Rust crypto. Synapse on the shared two-core
 * machine persists about 30–40 events a second into one room, so 10,000 messages would add five
 * minutes to every test run (more on a busy machine); the 10,000-event scroll figures come from `npm run bench -- timeline`
 * (bench/timeline-scroll.bench.ts), which seeds that many. Here the count is enough for a dozen pages
 * of back-pagination and a history many times longer than what the DOM may hold.
 */
const HISTORY = 600;
/** The most timeline rows the DOM may hold at once: one screen plus the virtualizer's overscan. */
const MAX_RENDERED_ROWS = 80;
const PASSWORD = BENCH_PASSWORD;
const NEWEST = '最新消息：今晚八点前报送汛情 END';
const bodyOf = (i: number) => `历史消息第 ${String(i + 1).padStart(4, '0')} 条`;

let hs: TestHomeserver;
let web: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let roomId = '';
const senders: BenchUser[] = [];

/** Whether the message with `text` lies inside the timeline's visible box. */
async function isInView(p: Page, text: string): Promise<boolean> {
  return p.getByTestId('timeline').evaluate((el, wanted) => {
    const box = el.getBoundingClientRect();
    return [...el.querySelectorAll('[data-testid="message-body"]')].some((m) => {
      if (m.textContent?.trim() !== wanted) return false;
      const r = m.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom && r.height > 0;
    });
  }, text);
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  await hs.registerUser({ username: 'wangqiang', password: PASSWORD, displayName: '王强' });
  await hs.registerUser({ username: 'zhoumin', password: PASSWORD, displayName: '周敏' });
  await hs.registerUser({ username: 'sunli', password: PASSWORD, displayName: '孙丽' });
  web = await serveBuiltWebApp(hs.baseUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const s of senders) await s.manager.stop();
  await browser?.close();
  await web?.close();
  await hs?.dispose();
});

describe('long encrypted timeline (web mode, real homeserver)', () => {
  it('signs the reader in, then two colleagues fill an encrypted room with a long history', async () => {
    const context = await newUserContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(90_000);
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    await page.goto(web.url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await signInFirstTime(page, 'wangqiang', PASSWORD);
    senders.push(
      ...(await Promise.all([signInBenchUser(hs, 'zhoumin'), signInBenchUser(hs, 'sunli')])),
    );
    const [zhou, sun] = senders.map((s) => s.client) as [MatrixClient, MatrixClient];
    roomId = await createHistoryRoom({
      page,
      readerId: `@wangqiang:${hs.serverName}`,
      senders: [zhou, sun],
      name: '汛情值班群',
    });
    // Blocks of 25 from each colleague, so the timeline shows sender groups; each message is
    // encrypted by its sender's client.
    await seedMessages({
      baseUrl: hs.baseUrl,
      roomId,
      senders: [zhou, sun],
      count: HISTORY,
      body: bodyOf,
    });
    await zhou.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Text, body: NEWEST });
    // A restart: the app starts from its sync cache, which keeps only the latest events of a room,
    // so everything older has to come from the server by back-pagination.
    await page.reload();
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
  }, 300_000);

  it('opens at the newest message with only a screenful of rows in the DOM', async () => {
    await page.locator(`li[data-room-id="${roomId}"]`).click();
    await page.locator(`[data-testid="conversation"][data-room-id="${roomId}"]`).waitFor();
    await page.locator('[data-testid="message-body"]', { hasText: NEWEST }).waitFor();
    await expect.poll(() => isInView(page, NEWEST), { timeout: 30_000 }).toBe(true);
    expect(
      await page
        .locator('[data-testid="message"]', { hasText: NEWEST })
        .getAttribute('data-encrypted'),
    ).toBe('true');
    const { rendered } = await rowCounts(page);
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThanOrEqual(MAX_RENDERED_ROWS);
    // Sender names head each colleague's group of messages.
    expect(await page.locator('.timeline-row .sender').count()).toBeGreaterThan(0);
  });

  it('pages back to the start of the history, decrypting as it goes, with the DOM staying small', async () => {
    const timeline = page.getByTestId('timeline');
    let maxRendered = 0;
    let pages = 0;
    while (await pageBackOnce(page)) {
      pages += 1;
      maxRendered = Math.max(maxRendered, (await rowCounts(page)).rendered);
    }
    const { loaded, rendered } = await rowCounts(page);
    maxRendered = Math.max(maxRendered, rendered);
    expect(pages).toBeGreaterThanOrEqual(Math.floor(HISTORY / 50) - 1);
    expect(loaded).toBeGreaterThan(HISTORY);
    expect(maxRendered).toBeLessThanOrEqual(MAX_RENDERED_ROWS);
    expect(await timeline.locator('.timeline-status').textContent()).toBe('会话开始');

    // The first message, under its day's separator, decrypted (no "unable to decrypt" rows).
    await timeline.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.locator('[data-testid="message-body"]', { hasText: bodyOf(0) }).waitFor();
    await expect.poll(() => isInView(page, bodyOf(0)), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('.timeline-row .day-separator').count()).toBeGreaterThan(0);
    expect(await page.locator('.timeline-row .sender').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('undecryptable').count()).toBe(0);
    await saveScreenshot(page, 'chat-timeline-start');
  });

  it('returns to the newest message at the bottom, passing through the middle of the history', async () => {
    const timeline = page.getByTestId('timeline');
    // Half-way first: the rows there are rendered on demand, too.
    await timeline.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await page
      .locator('[data-testid="message-body"]', { hasText: '历史消息第 0' })
      .first()
      .waitFor();
    expect((await rowCounts(page)).rendered).toBeLessThanOrEqual(MAX_RENDERED_ROWS);
    // Rows measured on the way can change the total height, so scroll until the end stays put.
    await expect
      .poll(
        async () => {
          await timeline.evaluate((el) => {
            el.scrollTop = el.scrollHeight;
          });
          return isInView(page, NEWEST);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect((await rowCounts(page)).rendered).toBeLessThanOrEqual(MAX_RENDERED_ROWS);
    await saveScreenshot(page, 'chat-timeline-newest');
  });
});
