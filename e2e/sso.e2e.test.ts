/**
 * Single sign-on in Chromium: the 统一身份认证登录 button takes the user through the identity
 * platform's login page and back into the app, signed in with encryption set up.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSsoSubject } from '../admin/sso-links';
import { SynapseClient } from '../admin/synapse-client';
import { startIdp, type IdpAccount, type RunningIdp } from '../homeserver/identity/oidc-provider';
import { OIDC_AUTH_PROVIDER } from '../homeserver/identity/synapse-identity';
import { findFreePort } from '../homeserver/process-utils';
import { startTestHomeserver, type TestHomeserver } from '../homeserver/testing';
import { serveWebApp } from '../scripts/web-server';
import { launchBrowser, newUserContext, saveScreenshot } from './browser';

const CLIENT = { clientId: 'hongyan', clientSecret: randomBytes(24).toString('hex') };
const LIMING: IdpAccount = {
  subject: 'hl-1001',
  username: 'liming',
  displayName: '李明',
  password: 'idp-pass-liming',
};

let idp: RunningIdp;
let hs: TestHomeserver;
let web: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  idp = await startIdp({ accounts: [LIMING] });
  const webPort = await findFreePort('127.0.0.1');
  const appUrl = `http://127.0.0.1:${webPort}/`;
  hs = await startTestHomeserver({
    oidc: { ...CLIENT, issuer: idp.issuer, appRedirectUrls: [appUrl] },
  });
  idp.registerClient({ ...CLIENT, redirectUris: [`${hs.baseUrl}/_synapse/client/oidc/callback`] });
  const user = await hs.registerUser({ username: LIMING.username, displayName: '李明' });
  await linkSsoSubject(new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken }), {
    userId: user.userId,
    authProvider: OIDC_AUTH_PROVIDER,
    subject: LIMING.subject,
  });
  web = await serveWebApp({
    root: join(process.cwd(), 'dist', 'web'),
    port: webPort,
    config: { defaultHomeserverUrl: hs.baseUrl },
    identityProviderOrigin: idp.issuer,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await hs?.dispose();
  await idp?.stop();
});

async function openLogin(): Promise<Page> {
  const page = await (await newUserContext(browser)).newPage();
  await page.goto(web.url);
  await page.getByTestId('login-sso').waitFor();
  return page;
}

describe('统一身份认证 single sign-on (web mode)', () => {
  it('signs in through the identity platform and reaches the room list with encryption set up', async () => {
    const page = await openLogin();
    expect(await page.getByTestId('login-sso').textContent()).toBe('统一身份认证登录');
    await saveScreenshot(page, 'sso-login-screen');
    await page.getByTestId('login-sso').click();

    // The identity platform's own page, on its own origin.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="username"]').fill(LIMING.username);
    await page.locator('input[name="password"]').fill(LIMING.password);
    await saveScreenshot(page, 'sso-identity-platform');
    await page.locator('button[type="submit"]').click();

    await page.getByTestId('signed-in-user').waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toContain(
      `@${LIMING.username}:${hs.serverName}`,
    );
    // The login token left the address bar at once.
    expect(page.url()).not.toContain('loginToken');
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    // A first sign-in sets up cross-signing, secret storage and key backup, and shows the key once.
    await page.getByTestId('recovery-key').waitFor();
    await saveScreenshot(page, 'sso-signed-in');
    await page.context().close();
  });

  it('tells the user when the identity platform is unreachable', async () => {
    const page = await openLogin();
    const issuerPort = Number(new URL(idp.issuer).port);
    await idp.stop();
    try {
      await page.getByTestId('login-sso').click();
      const error = page.getByTestId('login-error');
      await error.waitFor();
      expect(await error.getAttribute('data-error-kind')).toBe('ssoUnreachable');
      expect(await error.textContent()).toContain('统一身份认证平台暂时无法访问');
      expect(new URL(page.url()).origin).toBe(new URL(web.url).origin);
      await saveScreenshot(page, 'sso-unreachable');
    } finally {
      idp = await startIdp({ accounts: [LIMING], port: issuerPort });
      idp.registerClient({
        ...CLIENT,
        redirectUris: [`${hs.baseUrl}/_synapse/client/oidc/callback`],
      });
      await page.context().close();
    }
  });
});
