import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startTestHomeserver } from '../homeserver/testing';
import { electronSmoke, findElectronBinary } from './electron-smoke.spec';

// The desktop app itself, driven through Playwright's _electron. Electron's binary cannot be
// downloaded on every machine (CI installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1); there the test
// says so and is skipped, and the web-mode e2e tests cover the same renderer in Chromium.
describe('desktop app (Electron)', () => {
  it('launches, signs in to the real homeserver, shows the room list and raises a notification', async (ctx) => {
    const binary = findElectronBinary();
    if ('missing' in binary) {
      console.warn(`SKIPPED desktop smoke test: ${binary.missing}`);
      ctx.skip();
      return;
    }
    const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
    expect(build.status, 'electron-vite build').toBe(0);
    const hs = await startTestHomeserver();
    try {
      const user = await hs.registerUser({ username: 'desktop', password: 'Desktop-Smoke-1' });
      const result = await electronSmoke({
        homeserverUrl: hs.baseUrl,
        username: 'desktop',
        password: user.password,
        log: (line) => console.log(`[electron] ${line}`),
      });
      if ('skipped' in result) {
        console.warn(`SKIPPED desktop smoke test: ${result.skipped}`);
        ctx.skip();
        return;
      }
      expect(result.ok).toBe(true);
    } finally {
      await hs.dispose();
    }
  });
});
