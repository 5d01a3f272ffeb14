/**
 * The main window's life: single instance (a second launch focuses the first and hands over its
 * command line, e.g. a deep link), remembered bounds (`window-state.json` in userData), optional
 * close-to-tray, and a clean quit.
 */
import { APP_ENTRY_URL } from './app-origin';
import type { ElectronSeam, Rectangle, WindowLike } from './electron-seam';
import { readJsonFileSync, writeJsonFileAtomicSync } from './json-file';
import type { Logger } from './logger';
import { createSecureWindow } from './secure-window';
import type { SecurityGuards } from './navigation-guards';

/** Size of a first-run window. */
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;

/** What is remembered about the window between runs. */
export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Validates a stored window state; anything odd gives `null` (first-run placement). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const v = raw as Record<string, unknown>;
  const b = v['bounds'] as Record<string, unknown> | undefined;
  if (typeof b !== 'object' || b === null || typeof v['maximized'] !== 'boolean') return null;
  const { x, y, width, height } = b;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(width) || !isFiniteNumber(height))
    return null;
  if (width < 200 || height < 150 || width > 20000 || height > 20000) return null;
  return { bounds: { x, y, width, height }, maximized: v['maximized'] };
}

/** True when enough of the window (its title bar area) is on one of the displays to grab it. */
export function isReachable(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  const grab = {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: Math.min(bounds.height, 40),
  };
  return workAreas.some((area) => {
    const overlapX = Math.min(grab.x + grab.width, area.x + area.width) - Math.max(grab.x, area.x);
    const overlapY =
      Math.min(grab.y + grab.height, area.y + area.height) - Math.max(grab.y, area.y);
    return overlapX >= 100 && overlapY >= 20;
  });
}

/** Runs the single-instance lock. Returns false when another instance owns it (this one must quit). */
export function acquireSingleInstance(params: {
  electron: ElectronSeam;
  logger: Logger;
  onSecondInstance: (argv: string[]) => void;
}): boolean {
  if (!params.electron.app.requestSingleInstanceLock()) {
    params.logger.info('another instance is running; handing over and quitting');
    return false;
  }
  params.electron.app.onSecondInstance((argv) => params.onSecondInstance(argv));
  return true;
}

/** The window manager's operations. */
export interface WindowManager {
  /** The main window, or null before it is created or after it closed. */
  mainWindow(): WindowLike | null;
  /** Creates the main window if needed, then shows, restores and focuses it. */
  showMainWindow(): WindowLike;
  /** Registers a listener for each main window created (e.g. to follow its reloads). */
  onWindowCreated(listener: (win: WindowLike) => void): void;
  /** Quits for real, even with close-to-tray on. */
  quit(): void;
}

/** What the window manager needs. */
export interface WindowManagerParams {
  electron: ElectronSeam;
  guards: SecurityGuards;
  logger: Logger;
  preloadPath: string;
  /** Window icon for Linux/Windows, if present. */
  iconPath?: string;
  /** `window-state.json` in userData. */
  stateFile: string;
  /** Read when the user closes the window. */
  closeToTray: () => boolean;
  /** Read when the window is created. */
  contentProtection: () => boolean;
}

/** Sets up the window manager and the app-level window events. Call after the app is ready. */
export function setupWindowManager(params: WindowManagerParams): WindowManager {
  const { electron, logger, stateFile } = params;
  let main: WindowLike | null = null;
  let quitting = false;
  const createdListeners: ((win: WindowLike) => void)[] = [];

  // Off-screen positions are dropped (size kept) so the OS places the window somewhere reachable.
  const loadState = (): {
    bounds: Partial<Rectangle> & { width: number; height: number };
    maximized: boolean;
  } | null => {
    const read = readJsonFileSync(stateFile);
    if (read.kind === 'error') logger.warn(`window state ignored: ${read.message}`);
    if (read.kind !== 'ok') return null;
    const state = parseWindowState(read.value);
    if (!state) {
      logger.warn(`window state ignored: ${stateFile} has unexpected values`);
      return null;
    }
    if (!isReachable(state.bounds, electron.screen.getDisplayWorkAreas())) {
      logger.info('remembered window position is off-screen; using the default');
      return {
        bounds: { width: state.bounds.width, height: state.bounds.height },
        maximized: state.maximized,
      };
    }
    return state;
  };

  const saveState = (win: WindowLike): void => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeJsonFileAtomicSync(stateFile, state);
    } catch (error) {
      logger.warn(`window state not saved: ${(error as Error).message}`);
    }
  };

  const create = (): WindowLike => {
    const state = loadState();
    const win = createSecureWindow({
      electron,
      guards: params.guards,
      preloadPath: params.preloadPath,
      title: 'Hongyan 鸿雁',
      bounds: state?.bounds ?? { ...DEFAULT_WINDOW_SIZE },
      ...(params.iconPath ? { icon: params.iconPath } : {}),
    });
    win.setContentProtection(params.contentProtection());
    win.onReadyToShow(() => {
      if (state?.maximized) win.maximize();
      win.show();
    });
    win.onClose((event) => {
      saveState(win);
      if (!quitting && params.closeToTray()) {
        event.preventDefault();
        win.hide();
      }
    });
    win.onClosed(() => {
      if (main === win) main = null;
    });
    main = win;
    for (const listener of createdListeners) listener(win);
    win.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
      logger.error(`renderer failed to load: ${(error as Error).message}`);
    });
    return win;
  };

  const showMainWindow = (): WindowLike => {
    const win = main && !main.isDestroyed() ? main : create();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  };

  electron.app.onBeforeQuit(() => {
    quitting = true;
  });
  electron.app.onWindowAllClosed(() => electron.app.quit());
  // macOS: clicking the dock icon with no window open.
  electron.app.onActivate(() => showMainWindow());

  return {
    mainWindow: () => (main && !main.isDestroyed() ? main : null),
    showMainWindow,
    onWindowCreated: (listener) => createdListeners.push(listener),
    quit: () => {
      quitting = true;
      electron.app.quit();
    },
  };
}
