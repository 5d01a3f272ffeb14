import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import { startTestWindowManager } from './testing/test-window-manager';
import { createFakeElectron, type FakeElectron } from './testing/fake-electron';
import {
  acquireSingleInstance,
  isReachable,
  parseWindowState,
  type WindowManager,
} from './window-manager';

let dir: string;
let stateFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hongyan-window-'));
  stateFile = join(dir, 'window-state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(options: { closeToTray?: boolean; contentProtection?: boolean } = {}): {
  electron: FakeElectron;
  manager: WindowManager;
  logger: ReturnType<typeof createMemoryLogger>;
} {
  const electron = createFakeElectron({ baseDir: dir });
  const logger = createMemoryLogger();
  const manager = startTestWindowManager({ electron, logger, dir, ...options });
  return { electron, manager, logger };
}

describe('single instance', () => {
  it('a second launch is handed to the first instance', () => {
    const electron = createFakeElectron({ baseDir: dir });
    const seen: string[][] = [];
    expect(
      acquireSingleInstance({
        electron,
        logger: createMemoryLogger(),
        onSecondInstance: (argv) => seen.push(argv),
      }),
    ).toBe(true);
    electron.emit.secondInstance(['hongyan', 'hongyan://room/!a:b.c']);
    expect(seen).toEqual([['hongyan', 'hongyan://room/!a:b.c']]);
  });

  it('reports when another instance holds the lock', () => {
    const electron = createFakeElectron({ baseDir: dir });
    electron.state.singleInstanceLock = false;
    expect(
      acquireSingleInstance({
        electron,
        logger: createMemoryLogger(),
        onSecondInstance: () => undefined,
      }),
    ).toBe(false);
  });
});

describe('main window', () => {
  it('loads the app over app:// and shows it when ready', () => {
    const { electron, manager } = setup({ contentProtection: true });
    const win = manager.showMainWindow();
    const fakeWin = electron.windows[0];
    expect(fakeWin?.loadedUrl).toBe('app://hongyan/index.html');
    expect(fakeWin?.contentProtection).toBe(true);
    expect(fakeWin?.options.webPreferences.sandbox).toBe(true);
    fakeWin?.readyToShow();
    expect(fakeWin?.shown).toBe(true);
    expect(manager.mainWindow()).toBe(win);
  });

  it('focuses the existing window instead of opening another', () => {
    const { electron, manager } = setup();
    manager.showMainWindow();
    const win = electron.windows[0];
    if (!win) throw new Error('no window');
    win.minimized = true;
    win.focused = false;
    manager.showMainWindow();
    expect(electron.windows).toHaveLength(1);
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
  });

  it('remembers bounds and maximised state across runs', () => {
    const first = setup();
    first.manager.showMainWindow();
    const win = first.electron.windows[0];
    if (!win) throw new Error('no window');
    win.bounds = { x: 50, y: 60, width: 1000, height: 700 };
    win.maximized = true;
    win.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      bounds: { x: 50, y: 60, width: 1000, height: 700 },
      maximized: true,
    });

    const second = setup();
    second.manager.showMainWindow();
    const reopened = second.electron.windows[0];
    expect(reopened?.options).toMatchObject({ x: 50, y: 60, width: 1000, height: 700 });
    reopened?.readyToShow();
    expect(reopened?.maximized).toBe(true);
  });

  it('ignores a broken or off-screen state file', () => {
    writeFileSync(stateFile, '{nope');
    const broken = setup();
    broken.manager.showMainWindow();
    expect(broken.electron.windows[0]?.options).toMatchObject({ width: 1280, height: 800 });
    expect(broken.logger.text()).toContain('window state ignored');

    writeFileSync(
      stateFile,
      JSON.stringify({ bounds: { x: 5000, y: 5000, width: 900, height: 600 }, maximized: false }),
    );
    const offscreen = setup();
    offscreen.manager.showMainWindow();
    expect(offscreen.electron.windows[0]?.options.x).toBeUndefined();
    expect(offscreen.electron.windows[0]?.options.width).toBe(900);
  });

  it('closes for real by default and quits when all windows are gone', () => {
    const { electron, manager } = setup();
    manager.showMainWindow();
    expect(electron.windows[0]?.close()).toBe(false);
    expect(manager.mainWindow()).toBeNull();
    electron.emit.windowAllClosed();
    expect(electron.state.quitCount).toBe(1);
  });

  it('hides to the tray when close-to-tray is on, but still quits cleanly', () => {
    const { electron, manager } = setup({ closeToTray: true });
    manager.showMainWindow();
    const win = electron.windows[0];
    win?.readyToShow();
    expect(win?.close()).toBe(true);
    expect(win?.shown).toBe(false);
    electron.emit.beforeQuit();
    expect(win?.close()).toBe(false);
  });

  it('quit() bypasses close-to-tray', () => {
    const { electron, manager } = setup({ closeToTray: true });
    manager.showMainWindow();
    manager.quit();
    expect(electron.state.quitCount).toBe(1);
    expect(electron.windows[0]?.close()).toBe(false);
  });

  it('reopens the window on activate (macOS dock)', () => {
    const { electron, manager } = setup();
    manager.showMainWindow();
    electron.windows[0]?.close();
    electron.emit.activate();
    expect(electron.windows).toHaveLength(2);
  });
});

describe('window state helpers', () => {
  it('parses only sane states', () => {
    expect(
      parseWindowState({ bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: false }),
    ).not.toBeNull();
    expect(
      parseWindowState({ bounds: { x: 0, y: 0, width: 10, height: 600 }, maximized: false }),
    ).toBeNull();
    expect(
      parseWindowState({ bounds: { x: 'a', y: 0, width: 800, height: 600 }, maximized: false }),
    ).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: 800, height: 600 } })).toBeNull();
    expect(parseWindowState(null)).toBeNull();
  });

  it('checks that the title bar is reachable on some display', () => {
    const displays = [
      { x: 0, y: 0, width: 1920, height: 1080 },
      { x: 1920, y: 0, width: 1280, height: 1024 },
    ];
    expect(isReachable({ x: 100, y: 100, width: 800, height: 600 }, displays)).toBe(true);
    expect(isReachable({ x: 2500, y: 100, width: 800, height: 600 }, displays)).toBe(true);
    expect(isReachable({ x: -790, y: 100, width: 800, height: 600 }, displays)).toBe(false);
    expect(isReachable({ x: 100, y: 1075, width: 800, height: 600 }, displays)).toBe(false);
  });
});
