import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deepLinkFromArgv, setupDeepLinks, setupDeepLinksIpc } from './deep-links';
import { createIpcRegistry } from './ipc';
import { createMemoryLogger } from './logger';
import { createFakeElectron } from './testing/fake-electron';
import { startTestWindowManager } from './testing/test-window-manager';
import { acquireSingleInstance, type WindowManager } from './window-manager';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hongyan-deeplinks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(
  argv: string[] = [],
  registerWithOs = false,
): {
  electron: ReturnType<typeof createFakeElectron>;
  logger: ReturnType<typeof createMemoryLogger>;
  router: ReturnType<typeof setupDeepLinks>;
  attach: () => WindowManager;
} {
  const electron = createFakeElectron({ baseDir: dir });
  const logger = createMemoryLogger();
  const router = setupDeepLinks({ electron, logger, argv, registerWithOs });
  // As start.ts wires it: a second launch goes to the router.
  acquireSingleInstance({
    electron,
    logger,
    onSecondInstance: (secondArgv) => router.handleSecondLaunch(secondArgv),
  });
  setupDeepLinksIpc({ registry: createIpcRegistry({ electron, logger }), router });
  const attach = (): WindowManager => {
    const manager = startTestWindowManager({ electron, logger, dir });
    router.attachWindowManager(manager);
    manager.showMainWindow();
    return manager;
  };
  return { electron, logger, router, attach };
}

describe('deep links', () => {
  it('finds the link among command-line arguments', () => {
    expect(
      deepLinkFromArgv(['/opt/Hongyan/hongyan', '--no-sandbox', 'hongyan://room/!a:b.c']),
    ).toBe('hongyan://room/!a:b.c');
    expect(deepLinkFromArgv(['/opt/Hongyan/hongyan'])).toBeNull();
  });

  it('queues the launch link until the renderer listens, then sends later links as events', async () => {
    const { electron, attach } = setup([
      'hongyan',
      'hongyan://sso-callback?loginToken=syl_TOKEN_1',
    ]);
    attach();
    await expect(electron.invoke('deepLinks:takePending', undefined)).resolves.toEqual([
      { kind: 'sso-callback', loginToken: 'syl_TOKEN_1' },
    ]);
    await expect(electron.invoke('deepLinks:takePending', undefined)).resolves.toEqual([]);

    electron.emit.secondInstance(['hongyan', 'hongyan://circular/!r:gov.cn/$evt']);
    expect(electron.windows[0]?.webContents.sent).toEqual([
      {
        channel: 'deep-link:opened',
        payload: { kind: 'circular', roomId: '!r:gov.cn', eventId: '$evt' },
      },
    ]);
  });

  it('queues again while the renderer reloads', async () => {
    const { electron, attach } = setup();
    attach();
    await electron.invoke('deepLinks:takePending', undefined);
    electron.windows[0]?.webContents.startLoading();
    electron.emit.openUrl('hongyan://room/!r:gov.cn');
    expect(electron.windows[0]?.webContents.sent).toEqual([]);
    await expect(electron.invoke('deepLinks:takePending', undefined)).resolves.toEqual([
      { kind: 'room', roomId: '!r:gov.cn' },
    ]);
  });

  it('a second launch without a link just focuses the window', () => {
    const { electron, attach } = setup();
    attach();
    const win = electron.windows[0];
    if (!win) throw new Error('no window');
    win.focused = false;
    electron.emit.secondInstance(['hongyan']);
    expect(win.focused).toBe(true);
    expect(electron.windows).toHaveLength(1);
  });

  it('drops a malformed link with a log line that never includes the token, and keeps running', async () => {
    const { electron, logger, attach } = setup([
      'hongyan',
      'hongyan://sso-callback?loginToken=SECRET123&redirect=https://evil',
    ]);
    attach();
    electron.emit.openUrl('hongyan://room/../../etc/passwd');
    electron.emit.openUrl('javascript:alert(1)');
    await expect(electron.invoke('deepLinks:takePending', undefined)).resolves.toEqual([]);
    expect(logger.text()).toContain('deep link refused');
    expect(logger.text()).not.toContain('SECRET123');
    electron.emit.openUrl('hongyan://room/!ok:gov.cn');
    expect(electron.windows[0]?.webContents.sent).toHaveLength(1);
  });

  it('never logs a valid token either', () => {
    const { logger } = setup(['hongyan', 'hongyan://sso-callback?loginToken=syl_SECRET_9']);
    expect(logger.text()).toContain('deep link received: sso-callback');
    expect(logger.text()).not.toContain('SECRET');
  });

  it('registers the scheme with the OS only when asked (installed app)', () => {
    expect(setup([], false).electron.state.defaultProtocolClients).toEqual([]);
    expect(setup([], true).electron.state.defaultProtocolClients).toEqual(['hongyan']);
  });
});
