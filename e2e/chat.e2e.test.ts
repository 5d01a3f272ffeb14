import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { TestUser } from '../homeserver/testing';
import { PASSWORD, webAppForFile } from './app-fixture';
import { registerColleagues } from './client-api';
import { newUserContext, saveScreenshot, screenshotsOnFailure } from './browser';
import { submitSignIn } from './first-sign-in';

// Two users in two browser profiles chat through the real web renderer and a real Synapse.
let li: TestUser;
let pageA: Page;
let pageB: Page;
let dmRoomId: string;
let recoveryKeyA = '';
const requests: string[] = [];

/** HTML and script injection attempts; each would set window.__pwned or fetch from evil.example. */
const PAYLOADS = [
  '<script>window.__pwned=1</script>脚本',
  '<img src=x onerror="window.__pwned=1">图片错误',
  '<img src="https://evil.example/track.png">远程图片',
  '<a href="javascript:window.__pwned=1">点我</a>',
  '<iframe src="https://evil.example/frame"></iframe>内嵌框架',
  '<svg onload="window.__pwned=1"><circle r="5"/></svg>矢量图',
  '<p style="background:url(https://evil.example/css.png)">样式背景</p>',
  '<style>body{background:url(https://evil.example/style.png)}</style>样式表',
  '<details open ontoggle="window.__pwned=1"><summary>展开</summary>详情</details>',
  '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">插件',
  '<form action="https://evil.example/"><button>提交</button></form>表单',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
  '[链接](javascript:window.__pwned=1)',
  '![远程](https://evil.example/md.png)',
];

/** A small valid PNG (solid blue square), made here so the test needs no fixture files. */
function makePng(size = 64): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.alloc(size * 3, Buffer.from([0x1f, 0x4e, 0x8c])),
  ]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function openApp(): Promise<Page> {
  const context = await newUserContext(app.browser);
  context.on('request', (req) => requests.push(req.url()));
  const page = await context.newPage();
  // The machine is shared by parallel builds; crypto set-up and first syncs can be slow there.
  page.setDefaultTimeout(90_000);
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  await page.goto(app.url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
  return page;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByTestId('login-username').waitFor();
  await submitSignIn(page, { username, password: PASSWORD });
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
}

const app = webAppForFile({
  seed: async (hs) => {
    // Colleagues share their unit's room (provisioning does this); the directory lists people who share a room.
    ({ member: li } = await registerColleagues(
      hs,
      PASSWORD,
      [
        { username: 'zhangwei', displayName: '张伟' },
        { username: 'lina', displayName: '李娜' },
      ],
      '办公室工作群',
    ));
  },
});

// A failed step leaves both users' screens behind for diagnosis.
screenshotsOnFailure('chat', () => ({ a: pageA, b: pageB }));

describe('chat (web mode, two users, real homeserver)', () => {
  it('signs both users in and shows each the recovery key of their new encryption setup', async () => {
    pageA = await openApp();
    pageB = await openApp();
    await signIn(pageA, 'zhangwei');
    await signIn(pageB, 'lina');
    for (const page of [pageA, pageB]) {
      const key = page.getByTestId('recovery-key');
      await key.waitFor({ timeout: 60_000 });
      expect((await key.textContent())?.trim()).toMatch(/^E[sS]\w\w( \w{4}){11}$/);
      if (page === pageA) {
        recoveryKeyA = (await key.textContent())?.trim() ?? '';
        await saveScreenshot(page, 'chat-recovery-key');
      }
      await page.getByTestId('recovery-key-saved').click();
    }
    // The kit's homeserver encrypts every room, so no room is listed as unencrypted.
    await pageA.locator('[data-room-id]', { hasText: '办公室工作群' }).waitFor();
    expect(await pageA.getByTestId('unencrypted-room').count()).toBe(0);
  });

  it('starts an encrypted DM from the directory and exchanges messages both ways', async () => {
    await pageA.getByTestId('new-dm').click();
    await pageA.getByTestId('user-search').fill('李娜');
    await pageA.locator(`[data-testid="user-result"][data-user-id="${li.userId}"]`).click();
    await pageA.getByTestId('room-encrypted').waitFor();
    dmRoomId = (await pageA.getByTestId('conversation').getAttribute('data-room-id')) ?? '';
    expect(dmRoomId).toMatch(/^!/);

    await pageB.locator(`[data-room-id="${dmRoomId}"]`).first().click();
    await pageB.getByTestId('accept-invite').click();
    await pageB.getByTestId('room-encrypted').waitFor();

    await send(pageA, '李娜你好，**下午三点**开会。');
    const onB = pageB.locator('[data-testid="message-body"]', { hasText: '开会' });
    await onB.waitFor();
    expect(await onB.locator('strong').textContent()).toBe('下午三点');
    expect(
      await pageB
        .locator('[data-testid="message"]', { hasText: '开会' })
        .getAttribute('data-encrypted'),
    ).toBe('true');

    await send(pageB, '收到，准时参加。');
    await pageA.locator('[data-testid="message-body"]', { hasText: '准时参加' }).waitFor();
  });

  it('sends an image encrypted; the other side decrypts and shows it', async () => {
    await pageA
      .getByTestId('file-input')
      .setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: makePng() });
    const img = pageB.getByTestId('attachment-image');
    await img.waitFor({ timeout: 60_000 });
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    const natural = await img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
    expect(natural).toBe(64);
    await pageA.getByTestId('attachment-image').waitFor();
    await pageA.locator('[data-testid="outbox-item"]').first().waitFor({ state: 'detached' });
    await saveScreenshot(pageA, 'chat-conversation');

    // Li looks at another room; the DM's entry in her room list shows the new message.
    await pageB.locator('[data-room-id]', { hasText: '办公室工作群' }).first().click();
    await send(pageA, '照片请查收');
    await pageB.locator(`li[data-room-id="${dmRoomId}"]`, { hasText: '照片请查收' }).waitFor();
    await saveScreenshot(pageB, 'chat-room-list');
    await pageB.locator(`li[data-room-id="${dmRoomId}"]`).click();
  });

  it('edits, reacts to and deletes messages, seen on the other side', async () => {
    await send(pageA, '初稿：周五报送');
    const draft = pageA.locator('[data-testid="message"]', { hasText: '初稿：周五报送' });
    await draft.waitFor();
    const eventId = await draft.getAttribute('data-event-id');
    const mineOnA = pageA.locator(`[data-testid="message"][data-event-id="${eventId}"]`);
    await mineOnA.hover();
    await mineOnA.getByRole('button', { name: '编辑' }).click();
    await pageA.getByTestId('composer-input').fill('定稿：周四报送');
    await pageA.getByTestId('composer-send').click();
    const editedOnB = pageB.locator('[data-testid="message"]', { hasText: '定稿：周四报送' });
    await editedOnB.waitFor();
    expect(await editedOnB.textContent()).toContain('（已编辑）');

    await editedOnB.hover();
    await editedOnB.getByRole('button', { name: '收到' }).click();
    await mineOnA.locator('.reaction', { hasText: '收到 1' }).waitFor();

    await mineOnA.hover();
    pageA.once('dialog', (d) => void d.accept());
    await mineOnA.getByRole('button', { name: '撤回' }).click();
    await pageB
      .locator('[data-testid="message"]', { hasText: '消息已撤回' })
      .waitFor({ timeout: 20_000 });
    expect(
      await pageB.locator('[data-testid="message"]', { hasText: '定稿：周四报送' }).count(),
    ).toBe(0);
  });

  it('creates an encrypted group room and invites a colleague', async () => {
    await pageA.getByTestId('new-room').click();
    await pageA.getByTestId('room-name').fill('防汛工作组');
    await pageA.getByTestId('room-invites').fill(li.userId);
    await pageA.getByTestId('room-create').click();
    await pageA.getByTestId('dialog-room').waitFor({ state: 'detached' });
    await expect
      .poll(() => pageA.getByTestId('conversation-title').textContent(), { timeout: 60_000 })
      .toBe('防汛工作组');
    await pageA.getByTestId('room-encrypted').waitFor();
    const invited = pageB.locator('li[data-room-id]', { hasText: '防汛工作组' });
    await invited.click();
    await pageB.getByTestId('accept-invite').click();
    await pageB.getByTestId('room-encrypted').waitFor();
    await send(pageB, '已加入工作组');
    await pageA.locator('[data-testid="message-body"]', { hasText: '已加入工作组' }).waitFor();
    await pageA.locator(`li[data-room-id="${dmRoomId}"]`).click();
    await pageB.locator(`li[data-room-id="${dmRoomId}"]`).click();
  });

  it('runs no injected script and loads nothing remote from hostile message HTML', async () => {
    for (const page of [pageA, pageB]) {
      await page.locator(`li[data-room-id="${dmRoomId}"]`).click();
      await page.locator(`[data-testid="conversation"][data-room-id="${dmRoomId}"]`).waitFor();
    }
    for (const payload of PAYLOADS) await send(pageA, payload);
    await send(pageA, '注入测试结束');
    // Every payload has arrived and been rendered on both sides (messages go out in order).
    for (const page of [pageA, pageB]) {
      await page
        .locator('[data-testid="message"]', { hasText: '注入测试结束' })
        .waitFor({ timeout: 60_000 });
    }
    // Let any deferred handler (onerror, ontoggle, onload) fire before checking.
    for (const page of [pageA, pageB]) {
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
      );
      expect(
        await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
      ).toBeUndefined();
      // Only the sanitized message HTML is checked: the app's own icons are SVG.
      expect(
        await page
          .locator(
            '.message-html :is(script, iframe, svg, math, object, embed, form, style, img[src])',
          )
          .count(),
      ).toBe(0);
      expect(
        await page
          .locator(
            '.message-html :is([style], [onerror], [onload], [ontoggle], a[href^="javascript"])',
          )
          .count(),
      ).toBe(0);
    }
    const allowed = [new URL(app.hs.baseUrl).origin, new URL(app.url).origin];
    const unexpected = requests.filter(
      (u) =>
        !u.startsWith('blob:') && !u.startsWith('data:') && !allowed.some((o) => u.startsWith(o)),
    );
    expect(unexpected).toEqual([]);
  });

  it('queues a message and a photo while the server is down, shows them pending, and delivers each once when it returns', async () => {
    const photo = '断网时的照片.png';
    await app.hs.stop();
    try {
      await pageA.getByTestId('connection-state').filter({ hasText: '连接中断' }).waitFor();
      await send(pageA, '断网期间写的消息');
      await pageA
        .getByTestId('file-input')
        .setInputFiles({ name: photo, mimeType: 'image/png', buffer: makePng(32) });
      await pageA
        .locator('[data-testid="outbox-item"][data-status="pending"]', {
          hasText: '断网期间写的消息',
        })
        .waitFor();
      // The photo waits in the queue with the text instead of failing to upload.
      await pageA
        .locator('[data-testid="outbox-item"][data-status="pending"][data-attachment="waiting"]', {
          hasText: photo,
        })
        .waitFor();
    } finally {
      await app.hs.start();
    }
    await pageA.locator('[data-testid="outbox-item"]').first().waitFor({ state: 'detached' });
    const onB = pageB.locator('[data-testid="message"]', { hasText: '断网期间写的消息' });
    await onB.waitFor();
    const photoOnB = pageB.locator(`[data-testid="attachment"][data-name="${photo}"]`);
    const img = photoOnB.getByTestId('attachment-image');
    await img.waitFor({ timeout: 60_000 });
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(32);
    await pageA.getByTestId('connection-state').filter({ hasText: '已连接' }).waitFor();
    expect(await onB.count()).toBe(1);
    expect(await photoOnB.count()).toBe(1);
  });

  it('a new device unlocks old messages with the recovery key', async () => {
    const pageC = await openApp();
    try {
      await signIn(pageC, 'zhangwei');
      await pageC.getByTestId('verify-device-panel').waitFor();
      await pageC.locator(`li[data-room-id="${dmRoomId}"]`).click();
      // Before: the history exists but this device has no keys for it.
      await pageC.getByTestId('undecryptable').first().waitFor();
      await pageC.getByTestId('recovery-input').fill(recoveryKeyA);
      await pageC.getByTestId('recovery-submit').click();
      await pageC.getByTestId('verify-device-panel').waitFor({ state: 'detached' });
      // After: the same events decrypt in place from the key backup.
      await pageC.locator('[data-testid="message-body"]', { hasText: '准时参加' }).waitFor();
      await saveScreenshot(pageC, 'chat-new-device-restored');
    } finally {
      await pageC.context().close();
    }
  });

  it('restores the session on reload without the password, and logout forgets it', async () => {
    await pageA.reload();
    await pageA.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    await pageA.locator(`[data-room-id="${dmRoomId}"]`).first().waitFor();
    await pageA.locator(`[data-room-id="${dmRoomId}"]`).first().click();
    // History decrypts from the local crypto store after the restart.
    await pageA.locator('[data-testid="message-body"]', { hasText: '准时参加' }).waitFor();

    await pageA.getByTestId('logout').click();
    await pageA.getByTestId('login-username').waitFor();
    // Crypto store, sync cache, outbox and the sealed session with its key are gone.
    // (The login screen shows at once; the deletion finishes in the background.)
    const hongyanDbs = () =>
      pageA.evaluate(async () =>
        (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.includes('hongyan')),
      );
    await expect.poll(hongyanDbs, { timeout: 30_000 }).toEqual([]);
    await pageA.reload();
    await pageA.getByTestId('login-username').waitFor();
  });
});
