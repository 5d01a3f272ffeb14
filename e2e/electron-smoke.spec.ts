/**
 * Desktop smoke test: launches the built Electron app with Playwright's `_electron`, signs in to a
 * real homeserver, waits for the room list, and checks that a notification request from the
 * renderer reaches the OS notification API in the main process.
 *
 * It runs only where Electron's binary exists (it cannot be downloaded on CI machines) and a display
 * is available; otherwise it returns `{ skipped: reason }` and says why. Build first:
 * `npx electron-vite build`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import type { HongyanBridge } from '../shared/ipc/contract';
import { findElectronBinary } from '../scripts/electron-binary';

/** What the smoke test needs from the caller. */
export interface ElectronSmokeParams {
  /** Base URL of a running homeserver, e.g. `http://127.0.0.1:8008`. */
  homeserverUrl: string;
  username: string;
  password: string;
  /** Progress lines (never given the password). */
  log: (line: string) => void;
  /** Project root holding `out/`; defaults to the current directory. */
  appDir?: string;
  /** How long each step may take. */
  stepTimeoutMs?: number;
}

/** Result: skipped with a reason, or passed. Failures throw. */
export type ElectronSmokeResult = { skipped: string } | { ok: true };

export { findElectronBinary };

/** Runs the smoke test; see the module comment. */
export async function electronSmoke(params: ElectronSmokeParams): Promise<ElectronSmokeResult> {
  const { homeserverUrl, username, password, log } = params;
  const appDir = resolve(params.appDir ?? process.cwd());
  const timeout = params.stepTimeoutMs ?? 120_000;

  const binary = findElectronBinary();
  if ('missing' in binary) {
    const reason = `desktop smoke test skipped: ${binary.missing}`;
    log(reason);
    return { skipped: reason };
  }
  if (
    !existsSync(join(appDir, 'out', 'main', 'index.js')) ||
    !existsSync(join(appDir, 'out', 'preload', 'index.cjs'))
  ) {
    const reason = `desktop smoke test skipped: ${appDir}/out is not built (run npx electron-vite build)`;
    log(reason);
    return { skipped: reason };
  }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    const reason = 'desktop smoke test skipped: no display (run it under xvfb-run)';
    log(reason);
    return { skipped: reason };
  }

  // A fresh profile per run, and plaintext secrets because test machines have no keyring.
  const profile = mkdtempSync(join(tmpdir(), 'hongyan-electron-smoke-'));
  const args = [
    appDir,
    `--hongyan-user-data-dir=${profile}`,
    `--hongyan-homeserver=${homeserverUrl}`,
    '--hongyan-plaintext-secrets',
  ];
  // Chromium's setuid sandbox refuses to run as root; only then is it turned off, for this test.
  if (process.getuid?.() === 0) {
    log('running as root: launching Electron with --no-sandbox');
    args.push('--no-sandbox');
  }

  let app: ElectronApplication | null = null;
  try {
    log(`launching ${binary.path}`);
    app = await _electron.launch({ executablePath: binary.path, args, timeout });
    const page = await app.firstWindow({ timeout });
    page.setDefaultTimeout(timeout);
    if (!page.url().startsWith('app://hongyan/'))
      throw new Error(`window loaded ${page.url()}, expected app://hongyan/`);
    const hasBridge = await page.evaluate(
      () => typeof (window as { hongyan?: unknown }).hongyan === 'object',
    );
    if (!hasBridge) throw new Error('window.hongyan (the preload bridge) is missing');
    const leaksNode = await page.evaluate(
      () => typeof (globalThis as { require?: unknown }).require !== 'undefined',
    );
    if (leaksNode) throw new Error('the renderer can reach require(): Node integration is on');

    log('signing in');
    await page.getByTestId('login-username').waitFor();
    await page.getByTestId('login-homeserver').fill(homeserverUrl);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('room-list').waitFor();
    log('room list visible');

    // Record notifications in the main process, then ask for one through the bridge like the app does.
    await app.evaluate(({ Notification }) => {
      // A headless display may have no notification daemon; the IPC path is what is under test.
      Notification.isSupported = () => true;
      const shown: string[] = [];
      (globalThis as { __hongyanShown?: string[] }).__hongyanShown = shown;
      const original = Notification.prototype.show;
      Notification.prototype.show = function show(this: Electron.Notification) {
        shown.push(this.title);
        return original.call(this);
      };
    });
    await page.evaluate(async () => {
      const bridge = (window as unknown as { hongyan: HongyanBridge }).hongyan;
      await bridge.invoke('notifications:show', {
        title: 'hongyan-smoke',
        body: 'smoke test',
        roomId: '!smoke:localhost',
      });
    });
    const shown = await app.evaluate(
      () => (globalThis as { __hongyanShown?: string[] }).__hongyanShown ?? [],
    );
    if (!shown.includes('hongyan-smoke'))
      throw new Error(`notification did not reach the main process (saw ${JSON.stringify(shown)})`);
    log('notification reached the main process');
    return { ok: true };
  } finally {
    await app?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}
