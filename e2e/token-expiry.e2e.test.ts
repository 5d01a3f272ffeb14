import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHomeserver, type TestHomeserver, type TestUser } from '../homeserver/testing';
import { launchProfile } from './browser';
import { serveBuiltWebApp } from './web-app';

// The app's access tokens live 5 s on this homeserver, so they expire while the test watches.
let hs: TestHomeserver;
let web: { url: string; close(): Promise<void> };
let user: TestUser;
let tmp: string;

beforeAll(async () => {
  hs = await startTestHomeserver({ accessTokenLifetime: '5s' });
  user = await hs.registerUser({ username: 'zhouxin', password: 'Correct-Horse-3' });
  web = await serveBuiltWebApp(hs.baseUrl);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hongyan-profile-'));
}, 180_000);

afterAll(async () => {
  await web?.close();
  await hs?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The next token renewal the page makes, with when the new access token expires. */
async function nextRenewal(page: Page): Promise<{ status: number; expiresAt: number }> {
  const res: Response = await page.waitForResponse((r) => r.url().endsWith('/refresh'), {
    timeout: 90_000,
  });
  const body = (await res.json().catch(() => ({}))) as { expires_in_ms?: number };
  return { status: res.status(), expiresAt: Date.now() + (body.expires_in_ms ?? 0) };
}

/** The next sync the server answers, i.e. the session is still accepted. */
function nextSync(page: Page): Promise<Response> {
  return page.waitForResponse((r) => r.url().includes('/sync') && r.status() === 200, {
    timeout: 90_000,
  });
}

describe('expiring access tokens in the web app (real homeserver, Chromium profile on disk)', () => {
  it('stays signed in past expiry, and a restart after the saved token expired resumes', async () => {
    const profileDir = path.join(tmp, 'profile');
    const first = await launchProfile(profileDir);
    const page = await first.newPage();
    page.setDefaultTimeout(90_000);
    await page.goto(web.url);
    await page.getByTestId('login-username').fill('zhouxin');
    await page.getByTestId('login-password').fill(user.password);
    await page.getByTestId('login-keeping-device').check();
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();

    // The token expires while the app syncs: it renews it and the server accepts the session.
    const renewed = await nextRenewal(page);
    expect(renewed.status).toBe(200);
    await nextSync(page);
    expect(await page.getByTestId('signed-in-user').count()).toBe(1);
    await first.close();

    // The app is closed until the token it saved has expired too (the only wait: the expiry).
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, renewed.expiresAt - Date.now())),
    );

    // On the next start the app resumes from the saved session, renews the token and syncs.
    const again = await launchProfile(profileDir);
    const own = await again.newPage();
    own.setDefaultTimeout(90_000);
    const renewal = nextRenewal(own);
    const sync = nextSync(own);
    await own.goto(web.url);
    expect((await renewal).status).toBe(200);
    await sync;
    await own.getByTestId('signed-in-user').waitFor();
    expect(await own.getByTestId('login-form').count()).toBe(0);
    await again.close();
  }, 300_000);
});
