import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../shared/ipc/contract';
import { createMemoryLogger, type MemoryLogger } from './logger';
import { startHongyan, userDataOverride, type Runtime } from './start';
import { createFakeElectron, type FakeElectron } from './testing/fake-electron';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hongyan-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runtime(argv: string[] = ['hongyan'], env: Record<string, string> = {}): Runtime {
  return {
    platform: 'linux',
    arch: 'x64',
    argv,
    env,
    versions: { electron: '45.4.1', chrome: '142.0.0.0' },
    mainDir: join(dir, 'app', 'out', 'main'),
    resourcesPath: join(dir, 'resources'),
    execPath: join(dir, 'opt', 'Hongyan', 'hongyan'),
  };
}

async function start(
  rt: Runtime = runtime(),
  opts: { packaged?: boolean } = {},
): Promise<{
  electron: FakeElectron;
  logger: MemoryLogger;
  started: Awaited<ReturnType<typeof startHongyan>>;
}> {
  const electron = createFakeElectron({ baseDir: dir, isPackaged: opts.packaged ?? false });
  const logger = createMemoryLogger();
  const started = await startHongyan({ electron, runtime: rt, createLogger: () => logger });
  return { electron, logger, started };
}

describe('start-up', () => {
  it('registers the scheme before ready, every contract channel, and opens one hardened window on app://', async () => {
    const { electron, started } = await start();
    expect(started).not.toBeNull();
    expect(electron.privilegedSchemes.map((s) => s.scheme)).toEqual(['app']);
    expect([...electron.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(electron.protocolHandlers.has('app')).toBe(true);
    expect(electron.state.permissionRequest).not.toBeNull();
    expect(electron.state.permissionCheck).not.toBeNull();
    expect(electron.windows).toHaveLength(1);
    const win = electron.windows[0];
    expect(win?.loadedUrl).toBe('app://hongyan/index.html');
    expect(win?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(win?.options.webPreferences.preload).toBe(
      join(dir, 'app', 'out', 'preload', 'index.cjs'),
    );
    expect(win?.webContents.hasGuards()).toBe(true);
  });

  it('answers the renderer on the main channels', async () => {
    const { electron } = await start(
      runtime([
        'hongyan',
        '--hongyan-plaintext-secrets',
        '--hongyan-homeserver=http://127.0.0.1:8008',
      ]),
    );
    await expect(electron.invoke('secrets:backend', undefined)).resolves.toMatchObject({
      backend: 'plaintext',
    });
    await expect(electron.invoke('config:get', undefined)).resolves.toMatchObject({
      settings: { homeserverUrl: { value: 'http://127.0.0.1:8008', enforced: false } },
    });
    const csp = (
      await electron.protocolHandlers.get('app')?.(new Request('app://hongyan/'))
    )?.headers.get('content-security-policy');
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8008");
  });

  it('shows config problems to the user and keeps running', async () => {
    const etc = join(dir, 'userData');
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'config.json'), '{"watermark": "yes"}');
    const { electron, started } = await start();
    expect(started).not.toBeNull();
    const snapshot = (await electron.invoke('config:get', undefined)) as {
      problems: { message: string }[];
    };
    expect(snapshot.problems[0]?.message).toContain('"watermark" must be true or false');
  });

  it('quits when another instance is running, after handing over', async () => {
    const electron = createFakeElectron({ baseDir: dir });
    electron.state.singleInstanceLock = false;
    const started = await startHongyan({
      electron,
      runtime: runtime(),
      createLogger: () => createMemoryLogger(),
    });
    expect(started).toBeNull();
    expect(electron.state.quitCount).toBe(1);
    expect(electron.windows).toHaveLength(0);
  });

  it('honours a userData override for fresh profiles', async () => {
    const profile = join(dir, 'profile');
    const { electron } = await start(runtime(['hongyan', `--hongyan-user-data-dir=${profile}`]));
    expect(electron.paths['userData']).toBe(profile);
    expect(
      userDataOverride({ argv: [], env: { HONGYAN_USER_DATA_DIR: 'relative/path' } }),
    ).toBeNull();
    expect(userDataOverride({ argv: [], env: { HONGYAN_USER_DATA_DIR: '/abs' } })).toBe('/abs');
  });

  it('an installed app ignores the test switches and keeps DevTools and the default menu away', async () => {
    const profile = join(dir, 'profile');
    const switches = [
      'hongyan',
      `--hongyan-user-data-dir=${profile}`,
      '--hongyan-plaintext-secrets',
    ];
    const { electron, logger } = await start(
      runtime(switches, { HONGYAN_PLAINTEXT_SECRETS: '1' }),
      {
        packaged: true,
      },
    );
    expect(electron.paths['userData']).toBe(join(dir, 'userData'));
    await expect(electron.invoke('secrets:backend', undefined)).resolves.not.toMatchObject({
      backend: 'plaintext',
    });
    expect(logger.text()).toContain('test switches');
    expect(electron.windows[0]?.options.webPreferences.devTools).toBe(false);
    // Linux and Windows: no menu bar at all, so none of Electron's Reload or DevTools entries.
    expect(electron.state.applicationMenu).toBeNull();

    // The same switches still work for a development run, which also gets DevTools.
    const dev = await start(runtime(switches));
    expect(dev.electron.paths['userData']).toBe(profile);
    expect(dev.electron.windows[0]?.options.webPreferences.devTools).toBe(true);
    expect(JSON.stringify(dev.electron.state.applicationMenu)).toContain('toggleDevTools');
  });

  it('leaves no channel without a renderer caller: the settings writer is gone', async () => {
    const { electron } = await start();
    for (const channel of ['config:setHomeserver', 'app:info'])
      expect(electron.ipcHandlers.has(channel), channel).toBe(false);
  });

  it('delivers a launch deep link once the renderer asks', async () => {
    const { electron } = await start(runtime(['hongyan', 'hongyan://room/!r:gov.cn']));
    await expect(electron.invoke('deepLinks:takePending', undefined)).resolves.toEqual([
      { kind: 'room', roomId: '!r:gov.cn' },
    ]);
  });
});
