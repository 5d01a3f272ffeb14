/**
 * Timeline benchmark: a room with 10,000 messages in the real web app in Chromium. The history is
 * seeded server-side (bare `PUT /send`, encrypted by the two senders' Rust crypto clients), the
 * reader restarts the app and pages back through all of it the way a user does (scrolling to the
 * top), then a scripted scroll runs one step per animation frame while `requestAnimationFrame`
 * timestamps are recorded. Figures: frame interval median and p95 and the share of dropped frames
 * (an interval over 1.5 frames of the empty-page baseline), next to two baselines measured in the
 * same browser in the same run: an empty page (the frame clock alone) and a static page with the
 * same number of plain rows, not virtualized (the browser's own cost of scrolling that much
 * content). Also: rows in the DOM against rows loaded, and the time to page in the whole history
 * against bare `/messages` requests for the same pages.
 *
 * Run alone with `npx tsx bench/timeline-scroll.bench.ts` (HONGYAN_BENCH_TIMELINE_EVENTS=2000 for a
 * quick look).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import type { MatrixClient } from 'matrix-js-sdk';
import type { Page } from 'playwright-core';
import { startTestHomeserver, type TestHomeserver } from '../homeserver/testing';
import { serveWebApp } from '../scripts/web-server';
import { launchBrowser, newUserContext } from '../e2e/browser';
import {
  createHistoryRoom,
  pageBackOnce,
  rowCounts,
  seedMessages,
  signInFirstTime,
} from '../e2e/long-timeline';
import { BENCH_PASSWORD, percentile, signInBenchUser, type BenchUser } from './chat-helpers';

/** Options of {@link runTimelineScrollBench}. */
export interface TimelineScrollBenchOptions {
  log: (line: string) => void;
  /** Messages in the room. Default 10,000. */
  events?: number;
}

/** Frame statistics of one scripted scroll. */
export interface FrameStats {
  frames: number;
  medianMs: number;
  p95Ms: number;
  /** Share of intervals longer than 1.5 frames of the empty page's median interval. */
  dropped: number;
}

/** One scroll run: how far each frame moves and for how many frames (down, then back up). */
interface ScrollPlan {
  label: string;
  pxPerFrame: number;
  frames: number;
}

const PLANS: ScrollPlan[] = [
  { label: 'wheel-like, 100 px/frame', pxPerFrame: 100, frames: 300 },
  { label: 'fling, 800 px/frame', pxPerFrame: 800, frames: 300 },
];

/**
 * Runs `plan` on the scroll container matched by `selector`: `frames * 2` steps of `pxPerFrame`,
 * one per animation frame, down from the current position and turning back at either end, so
 * every frame scrolls whatever the content's height. Returns the frame intervals.
 */
async function scriptedScroll(page: Page, selector: string, plan: ScrollPlan): Promise<number[]> {
  return page.evaluate(
    ({ selector, pxPerFrame, frames }) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector<HTMLElement>(selector);
        const stamps: number[] = [];
        let direction = 1;
        const step = (t: number) => {
          stamps.push(t);
          const n = stamps.length;
          if (el) {
            if (el.scrollTop + el.clientHeight + pxPerFrame >= el.scrollHeight) direction = -1;
            else if (el.scrollTop - pxPerFrame <= 0) direction = 1;
            el.scrollTop += direction * pxPerFrame;
          }
          if (n < frames * 2 + 1) requestAnimationFrame(step);
          else resolve(stamps.slice(1).map((s, i) => s - (stamps[i] ?? s)));
        };
        requestAnimationFrame(step);
      }),
    { selector, pxPerFrame: plan.pxPerFrame, frames: plan.frames },
  );
}

function stats(intervals: number[], frameMs: number): FrameStats {
  return {
    frames: intervals.length,
    medianMs: percentile(intervals, 50),
    p95Ms: percentile(intervals, 95),
    dropped: intervals.filter((i) => i > frameMs * 1.5).length / intervals.length,
  };
}

const fmt = (s: FrameStats) =>
  `p50 ${s.medianMs.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms, dropped ${(s.dropped * 100).toFixed(1)}%`;

/** A static page with `rows` plain rows of about the timeline's height, not virtualized. */
function staticPage(rows: number): string {
  const row = (i: number) =>
    `<div class="r"><b>同事 ${i % 2 ? '甲' : '乙'}</b><p>历史消息第 ${i + 1} 条</p></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body{margin:0} #list{height:100vh;overflow-y:auto} .r{height:56px;padding:4px 16px;border-bottom:1px solid #eee}
    p{margin:2px 0}</style></head><body><div id="list">${Array.from({ length: rows }, (_, i) => row(i)).join('')}</div></body></html>`;
}

/** Bare `/messages` back through the room, 50 events a page: the server's share of paging in. */
async function bareBackPagination(hs: TestHomeserver, token: string, roomId: string) {
  let from: string | undefined;
  let pages = 0;
  const started = performance.now();
  for (;;) {
    const q = new URLSearchParams({ dir: 'b', limit: '50', ...(from ? { from } : {}) });
    const res = await fetch(
      `${hs.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${q}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const body = (await res.json()) as { end?: string; chunk: unknown[] };
    pages += 1;
    if (!body.end || body.chunk.length === 0) break;
    from = body.end;
  }
  return { pages, ms: performance.now() - started };
}

/** Seeds the room, loads it all in the app, and logs the scroll figures beside their baselines. */
export async function runTimelineScrollBench(opts: TimelineScrollBenchOptions) {
  const { log } = opts;
  const events = opts.events ?? Number(process.env.HONGYAN_BENCH_TIMELINE_EVENTS ?? 10_000);
  // A build of its own, so a test run using dist/web at the same time is not disturbed.
  const outDir = join(process.cwd(), 'dist', 'web-bench');
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn', build: { outDir } });
  const hs = await startTestHomeserver();
  const senders: BenchUser[] = [];
  const browser = await launchBrowser();
  let web: { url: string; close(): Promise<void> } | null = null;
  try {
    const reader = await hs.registerUser({ username: 'reader', password: BENCH_PASSWORD });
    for (const name of ['sender1', 'sender2'])
      await hs.registerUser({ username: name, password: BENCH_PASSWORD });
    web = await serveWebApp({
      root: outDir,
      port: 0,
      config: { defaultHomeserverUrl: hs.baseUrl },
    });
    const context = await newUserContext(browser);
    // tsx compiles the functions this file hands to the page with a `__name` helper for their
    // names; the page has no such helper, so give it one that does nothing.
    await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    let page = await context.newPage();
    page.setDefaultTimeout(300_000);
    await page.goto(web.url, { waitUntil: 'domcontentloaded' });
    await signInFirstTime(page, 'reader', BENCH_PASSWORD);
    for (const name of ['sender1', 'sender2']) senders.push(await signInBenchUser(hs, name));
    const clients: MatrixClient[] = senders.map((s) => s.client);
    const roomId = await createHistoryRoom({
      page,
      readerId: reader.userId,
      senders: clients,
      name: '长历史',
    });

    // The app quits while the history is written (it would otherwise sync and decrypt all of it
    // as it arrives, competing with the server); the room keys wait for it as to-device messages.
    await page.close();
    const seedStart = performance.now();
    await seedMessages({
      baseUrl: hs.baseUrl,
      roomId,
      senders: clients,
      count: events,
      body: (i) => `历史消息第 ${i + 1} 条：今日汛情平稳，各单位按时报送。`,
      onProgress: (n) => n % 2000 === 0 && log(`seeded ${n} of ${events}…`),
    });
    log(
      `seeded ${events} encrypted messages in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`,
    );

    // Restart the app: the sync cache holds only the latest events, the rest comes by pagination.
    page = await context.newPage();
    page.setDefaultTimeout(300_000);
    await page.goto(web.url, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    await page.locator(`li[data-room-id="${roomId}"]`).click();
    await page.locator('[data-testid="timeline"][data-loaded="true"]').waitFor();
    const pageMs: number[] = [];
    let maxRendered = 0;
    const loadStart = performance.now();
    for (;;) {
      const t = performance.now();
      if (!(await pageBackOnce(page))) break;
      pageMs.push(performance.now() - t);
      maxRendered = Math.max(maxRendered, (await rowCounts(page)).rendered);
    }
    const loadMs = performance.now() - loadStart;
    const bare = await bareBackPagination(hs, reader.accessToken, roomId);
    const { loaded } = await rowCounts(page);
    log(
      `paging in the whole history through the app: ${(loadMs / 1000).toFixed(1)} s, ${pageMs.length} pages, p50 ${percentile(pageMs, 50).toFixed(0)} ms/page, p95 ${percentile(pageMs, 95).toFixed(0)} ms (baseline bare /messages: ${(bare.ms / 1000).toFixed(1)} s for ${bare.pages} pages)`,
    );

    // Baselines in the same browser: the frame clock alone, then a static page of as many rows.
    const base = await context.newPage();
    await base.setContent('<!doctype html><html><body><div id="list"></div></body></html>');
    const empty = await scriptedScroll(base, '#list', {
      label: 'empty',
      pxPerFrame: 0,
      frames: 150,
    });
    const frameMs = percentile(empty, 50);
    log(`empty page (frame clock): ${fmt(stats(empty, frameMs))}`);
    await base.setContent(staticPage(loaded));

    for (const plan of PLANS) {
      await page.getByTestId('timeline').evaluate((el) => {
        el.scrollTop = el.scrollHeight / 3;
      });
      // Headless Chromium runs animation frames only in the tab in front.
      await page.bringToFront();
      let rendered = 0;
      const sample = setInterval(() => {
        void rowCounts(page).then(
          (c) => (rendered = Math.max(rendered, c.rendered)),
          () => undefined,
        );
      }, 200);
      const app = stats(await scriptedScroll(page, '[data-testid="timeline"]', plan), frameMs);
      clearInterval(sample);
      maxRendered = Math.max(maxRendered, rendered);
      await base.bringToFront();
      await base.evaluate(() => {
        const el = document.querySelector('#list');
        if (el) el.scrollTop = el.scrollHeight / 3;
      });
      const plain = stats(await scriptedScroll(base, '#list', plan), frameMs);
      log(
        `scroll ${plan.label}, ${app.frames} frames: timeline ${fmt(app)} | static ${loaded}-row page ${fmt(plain)}`,
      );
    }
    log(`DOM rows: at most ${maxRendered} rendered of ${loaded} loaded`);
    await context.close();
    return { events, loaded, maxRendered, loadMs };
  } finally {
    for (const s of senders) await s.manager.stop();
    await browser.close();
    await web?.close();
    await hs.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runTimelineScrollBench({ log: (l) => console.log(l) });
}
