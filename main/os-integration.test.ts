// Notifications, tray and badge, open-at-login and content protection: the small OS-facing modules.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupContentProtection, setupContentProtectionIpc } from './content-protection';
import { createIpcRegistry } from './ipc';
import { linuxAutostartEntry, linuxAutostartPath, setupLoginItem } from './login-item';
import { createMemoryLogger } from './logger';
import { setupNotifications, setupNotificationsIpc } from './notifications';
import { createFakeElectron, type FakeElectron } from './testing/fake-electron';
import { setupTray, setupTrayIpc, trayTooltip } from './tray';
import { startTestWindowManager } from './testing/test-window-manager';
import type { WindowManager } from './window-manager';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hongyan-os-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function withWindowManager(isPackaged = false): { electron: FakeElectron; manager: WindowManager } {
  const electron = createFakeElectron({ baseDir: dir, isPackaged });
  const manager = startTestWindowManager({ electron, logger: createMemoryLogger(), dir });
  return { electron, manager };
}

describe('notifications', () => {
  it('shows a notification and tells the renderer which room was clicked', async () => {
    const { electron, manager } = withWindowManager();
    const logger = createMemoryLogger();
    const notifications = setupNotifications({
      electron,
      logger,
      windowManager: manager,
      showText: () => true,
    });
    setupNotificationsIpc({ registry: createIpcRegistry({ electron, logger }), notifications });
    manager.showMainWindow();
    const win = electron.windows[0];
    if (!win) throw new Error('no window');
    win.focused = false;

    await expect(
      electron.invoke('notifications:show', {
        title: '新通知',
        body: '关于防汛工作的紧急通知',
        roomId: '!notice:gov.cn',
      }),
    ).resolves.toEqual({ shown: true });
    expect(electron.notifications[0]?.shown).toBe(true);
    electron.notifications[0]?.click();
    expect(win.focused).toBe(true);
    expect(win.webContents.sent).toEqual([
      { channel: 'notification:clicked', payload: { roomId: '!notice:gov.cn' } },
    ]);
    expect(logger.text()).not.toContain('防汛');
  });

  it('reopens the window when a notification is clicked after it was closed', () => {
    const { electron, manager } = withWindowManager();
    const notifications = setupNotifications({
      electron,
      logger: createMemoryLogger(),
      windowManager: manager,
      showText: () => true,
    });
    manager.showMainWindow();
    notifications.show({ title: 't', body: 'b', roomId: '!r:h' });
    electron.windows[0]?.close();
    electron.notifications[0]?.click();
    expect(electron.windows).toHaveLength(2);
    expect(electron.windows[1]?.webContents.sent[0]?.channel).toBe('notification:clicked');
  });

  it('leaves the message text out when the deployment hides it, whatever the renderer sends', async () => {
    const { electron, manager } = withWindowManager();
    let showText = true;
    const logger = createMemoryLogger();
    const notifications = setupNotifications({
      electron,
      logger,
      windowManager: manager,
      showText: () => showText,
    });
    setupNotificationsIpc({ registry: createIpcRegistry({ electron, logger }), notifications });
    showText = false;
    await electron.invoke('notifications:show', {
      title: '王芳（综合科）',
      body: '会议改到下午三点，密码 7731',
      roomId: '!r:gov.cn',
    });
    expect(electron.notifications[0]?.options).toEqual(expect.objectContaining({ body: '' }));
    expect(electron.notifications[0]?.options.title).toBe('王芳（综合科）');
  });

  it('reports unsupported notifications instead of failing', () => {
    const { electron, manager } = withWindowManager();
    electron.state.notificationsSupported = false;
    const notifications = setupNotifications({
      electron,
      logger: createMemoryLogger(),
      windowManager: manager,
      showText: () => true,
    });
    expect(notifications.show({ title: 't', body: 'b', roomId: '!r:h' })).toEqual({ shown: false });
  });
});

describe('tray and badge', () => {
  const icons = { normal: '/i/tray.png', unread: '/i/tray-unread.png', overlay: '/i/badge.png' };

  it('shows the unread count on the badge, the tray and the taskbar overlay', async () => {
    const { electron, manager } = withWindowManager();
    const trayAndBadge = setupTray({
      electron,
      logger: createMemoryLogger(),
      windowManager: manager,
      icons,
    });
    setupTrayIpc({
      registry: createIpcRegistry({ electron, logger: createMemoryLogger() }),
      trayAndBadge,
    });
    manager.showMainWindow();
    await electron.invoke('badge:setUnreadCount', { count: 5 });
    const tray = electron.trays[0];
    expect(electron.state.badgeCount).toBe(5);
    expect(tray?.image).toBe(icons.unread);
    expect(tray?.toolTip).toContain('5 条未读');
    expect(electron.windows[0]?.overlay).toEqual({
      iconPath: icons.overlay,
      description: '5 unread',
    });
    await electron.invoke('badge:setUnreadCount', { count: 0 });
    expect(electron.state.badgeCount).toBe(0);
    expect(tray?.image).toBe(icons.normal);
    expect(electron.windows[0]?.overlay?.iconPath).toBeNull();
  });

  it('opens the window from the tray and quits from its menu', () => {
    const { electron, manager } = withWindowManager();
    setupTray({ electron, logger: createMemoryLogger(), windowManager: manager, icons });
    electron.trays[0]?.click();
    expect(electron.windows).toHaveLength(1);
    const quit = electron.trays[0]?.menu.find((i) => 'label' in i && i.label.includes('Quit'));
    if (quit && 'click' in quit) quit.click();
    expect(electron.state.quitCount).toBe(1);
  });

  it('keeps the badge working on a desktop without a tray', () => {
    const { electron, manager } = withWindowManager();
    electron.state.trayFails = true;
    const logger = createMemoryLogger();
    const trayAndBadge = setupTray({ electron, logger, windowManager: manager, icons });
    expect(trayAndBadge.hasTray()).toBe(false);
    trayAndBadge.setUnreadCount(3);
    expect(electron.state.badgeCount).toBe(3);
    expect(logger.text()).toContain('no tray icon');
  });

  it('caps the tooltip count', () => {
    expect(trayTooltip(0)).toBe('鸿雁 Hongyan');
    expect(trayTooltip(12345)).toContain('999+');
  });
});

describe('open at login', () => {
  it('is unsupported in a development run', async () => {
    const { electron } = withWindowManager(false);
    const item = setupLoginItem({
      electron,
      logger: createMemoryLogger(),
      platform: 'linux',
      env: {},
      executable: '/x',
    });
    await expect(item.set(true)).resolves.toEqual({ openAtLogin: false, supported: false });
  });

  it('writes and removes an XDG autostart entry on Linux', async () => {
    const { electron } = withWindowManager(true);
    const env = { XDG_CONFIG_HOME: join(dir, 'xdg') };
    const item = setupLoginItem({
      electron,
      logger: createMemoryLogger(),
      platform: 'linux',
      env,
      executable: '/opt/Hongyan/hongyan',
    });
    await expect(item.get()).resolves.toEqual({ openAtLogin: false, supported: true });
    await expect(item.set(true)).resolves.toEqual({ openAtLogin: true, supported: true });
    const path = linuxAutostartPath(env, '/home/u');
    expect(readFileSync(path, 'utf8')).toContain('Exec="/opt/Hongyan/hongyan"');
    await expect(item.set(false)).resolves.toEqual({ openAtLogin: false, supported: true });
    expect(existsSync(path)).toBe(false);
  });

  it('uses the login-item settings on macOS and Windows', async () => {
    const { electron } = withWindowManager(true);
    const item = setupLoginItem({
      electron,
      logger: createMemoryLogger(),
      platform: 'win32',
      env: {},
      executable: 'C:\\Hongyan.exe',
    });
    await expect(item.set(true)).resolves.toEqual({ openAtLogin: true, supported: true });
    expect(electron.state.loginItemOpenAtLogin).toBe(true);
  });

  it('quotes the executable in the desktop entry', () => {
    expect(linuxAutostartEntry('/home/u/My "Apps"/Hongyan.AppImage')).toContain(
      'Exec="/home/u/My \\"Apps\\"/Hongyan.AppImage"',
    );
    expect(linuxAutostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.config/autostart/hongyan.desktop',
    );
  });
});

describe('content protection', () => {
  it('applies changes unless the administrator enforces the value', async () => {
    const electron = createFakeElectron({ baseDir: dir });
    const applied: boolean[] = [];
    const free = setupContentProtection({
      initial: { enabled: false, enforced: false },
      applyToWindows: (e) => applied.push(e),
      logger: createMemoryLogger(),
    });
    setupContentProtectionIpc({
      registry: createIpcRegistry({ electron, logger: createMemoryLogger() }),
      contentProtection: free,
    });
    await expect(electron.invoke('contentProtection:set', { enabled: true })).resolves.toEqual({
      enabled: true,
      enforced: false,
    });
    await expect(electron.invoke('contentProtection:get', undefined)).resolves.toEqual({
      enabled: true,
      enforced: false,
    });
    expect(applied).toEqual([true]);

    const logger = createMemoryLogger();
    const locked = setupContentProtection({
      initial: { enabled: true, enforced: true },
      applyToWindows: (e) => applied.push(e),
      logger,
    });
    expect(locked.set(false)).toEqual({ enabled: true, enforced: true });
    expect(applied).toEqual([true]);
    expect(logger.text()).toContain('enforced');
  });
});
