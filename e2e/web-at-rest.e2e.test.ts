import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHomeserver, type TestHomeserver, type TestUser } from '../homeserver/testing';
import { launchBrowser, launchProfile, newUserContext, saveScreenshot } from './browser';
import { serveBuiltWebApp } from './web-app';

let hs: TestHomeserver;
let web: { url: string; close(): Promise<void> };
let browser: Browser;
let user: TestUser;
let tmp: string;

const PASSPHRASE = '解锁口令-Correct-7';

beforeAll(async () => {
  hs = await startTestHomeserver();
  user = await hs.registerUser({ username: 'wangfang', password: 'Correct-Horse-2' });
  web = await serveBuiltWebApp(hs.baseUrl);
  browser = await launchBrowser();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hongyan-profile-'));
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await hs?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function signIn(page: Page, keeping: 'device' | 'passphrase' | 'session'): Promise<void> {
  await page.goto(web.url);
  await page.getByTestId('login-username').fill('wangfang');
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId(`login-keeping-${keeping}`).check();
  if (keeping === 'passphrase') {
    await page.getByTestId('login-passphrase').fill(PASSPHRASE);
    await page.getByTestId('login-passphrase-confirm').fill(PASSPHRASE);
  }
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
}

/** Names of the app's IndexedDB databases in the page's origin. */
function appDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await indexedDB.databases())
      .map((d) => d.name ?? '')
      .filter((name) => name.includes('hongyan-'))
      .sort(),
  );
}

/** Everything the vault database holds, flattened to text, and whether any entry is a key. */
function vaultContents(page: Page): Promise<{ text: string; hasKey: boolean }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('hongyan-secrets', 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error('no vault'));
    });
    const values = await new Promise<unknown[]>((resolve) => {
      const req = db.transaction('kv').objectStore('kv').getAll();
      req.onsuccess = () => resolve(req.result);
    });
    db.close();
    const text = JSON.stringify(values, (_k, v: unknown) =>
      v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : v,
    );
    return { text, hasKey: values.some((v) => v instanceof CryptoKey) };
  });
}

/** Deletes the browser's device on the server, as an admin or the user's other session would. */
async function deleteWebDevices(): Promise<void> {
  const auth = { Authorization: `Bearer ${hs.admin.accessToken}` };
  const base = `${hs.baseUrl}/_synapse/admin/v2/users/${encodeURIComponent(user.userId)}/devices`;
  const { devices } = (await (await fetch(base, { headers: auth })).json()) as {
    devices: Array<{ device_id: string; display_name?: string }>;
  };
  for (const d of devices.filter((x) => x.device_id !== user.deviceId)) {
    const res = await fetch(`${base}/${encodeURIComponent(d.device_id)}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(res.status).toBe(200);
  }
}

describe('web mode at rest (real homeserver, Chromium profiles on disk)', () => {
  it('a copied profile yields no token and no session without the passphrase', async () => {
    const original = path.join(tmp, 'original');
    const profile = await launchProfile(original);
    await signIn(await profile.newPage(), 'passphrase');
    await profile.close();

    // The attacker copies the profile's files and opens them in their own browser.
    const stolen = path.join(tmp, 'stolen');
    await cp(original, stolen, { recursive: true });
    const attacker = await launchProfile(stolen);
    const page = await attacker.newPage();
    await page.goto(web.url);
    await page.getByTestId('unlock-form').waitFor();
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
    const vault = await vaultContents(page);
    expect(vault.hasKey).toBe(false);
    expect(vault.text).not.toContain('syt_');
    expect(vault.text).not.toContain('syr_');
    expect(vault.text).not.toContain(user.userId);
    await saveScreenshot(page, 'web-unlock-screen');

    await page.getByTestId('unlock-passphrase').fill('a guessed passphrase');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('unlock-error').waitFor();
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
    await attacker.close();

    // The user, with the passphrase, resumes the session in the original profile.
    const again = await launchProfile(original);
    const own = await again.newPage();
    await own.goto(web.url);
    await own.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await own.getByTestId('unlock-submit').click();
    await own.getByTestId('signed-in-user').waitFor();
    expect(await appDatabases(own)).toContainEqual(
      expect.stringMatching(/^matrix-js-sdk:hongyan-sync:/),
    );

    // A forced sign-out (the device deleted on the server) removes the sync cache and crypto store.
    await deleteWebDevices();
    await own.getByTestId('login-form').waitFor();
    await expect
      .poll(() => appDatabases(own), { timeout: 30_000 })
      .not.toContainEqual(expect.stringMatching(/hongyan-(sync|crypto)/));
    await expect
      .poll(() => appDatabases(own), { timeout: 30_000 })
      .not.toContain('hongyan-secrets');
    await again.close();
  });

  it('不保存登录 keeps nothing: a reload signs out and no store is left', async () => {
    const page = await (await newUserContext(browser)).newPage();
    await signIn(page, 'session');
    expect(await appDatabases(page)).not.toContainEqual(
      expect.stringMatching(/hongyan-(sync|crypto)/),
    );
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
    await page.context().close();
  });

  it('a forced sign-out clears the sync cache with the device key too', async () => {
    const page = await (await newUserContext(browser)).newPage();
    await signIn(page, 'device');
    expect(await appDatabases(page)).toContainEqual(
      expect.stringMatching(/^matrix-js-sdk:hongyan-sync:/),
    );
    await deleteWebDevices();
    await page.getByTestId('login-form').waitFor();
    await expect
      .poll(() => appDatabases(page), { timeout: 30_000 })
      .not.toContainEqual(expect.stringMatching(/hongyan-(sync|crypto)/));
    await page.context().close();
  });
});
