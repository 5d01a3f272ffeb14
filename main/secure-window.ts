/**
 * Hardened windows (Electron's security checklist): the web preferences every Hongyan window has,
 * the check the Electron adapter runs before every `new BrowserWindow`, and the one factory that
 * creates windows with them and with the guards already attached.
 */
import { isAbsolute } from 'node:path';
import type {
  ElectronSeam,
  HardenedWebPreferences,
  Rectangle,
  SecureWindowOptions,
  WindowLike,
} from './electron-seam';
import type { SecurityGuards } from './navigation-guards';

/** The file name the preload is built to (see electron.vite.config.ts). */
export const PRELOAD_FILE_SUFFIX = '/preload/index.cjs';

/**
 * The web preferences of every Hongyan window. Returned fresh each time so no caller can mutate
 * a shared object. DevTools stay off unless this is a development run (`packaged: false`).
 */
export function hardenedWebPreferences(
  preloadPath: string,
  options: { packaged: boolean } = { packaged: true },
): HardenedWebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    experimentalFeatures: false,
    safeDialogs: true,
    devTools: !options.packaged,
    preload: preloadPath,
  };
}

/**
 * Throws unless `prefs` are exactly the hardened preferences with our own preload, and DevTools off
 * in an installed app (`packaged`, the default). The real Electron adapter calls this before every
 * `new BrowserWindow`, so even a cast cannot weaken a window.
 */
export function assertHardenedWebPreferences(
  prefs: unknown,
  options: { packaged: boolean } = { packaged: true },
): asserts prefs is HardenedWebPreferences {
  if (typeof prefs !== 'object' || prefs === null)
    throw new Error('window refused: web preferences missing');
  const actual = prefs as Record<string, unknown>;
  const preload = actual['preload'];
  if (
    typeof preload !== 'string' ||
    !isAbsolute(preload) ||
    !preload.replaceAll('\\', '/').endsWith(PRELOAD_FILE_SUFFIX)
  ) {
    throw new Error(`window refused: preload must be Hongyan's own ${PRELOAD_FILE_SUFFIX}`);
  }
  const expected = hardenedWebPreferences(preload, options) as unknown as Record<string, unknown>;
  // A development run may still open a window without DevTools.
  if (!options.packaged && actual['devTools'] === false) expected['devTools'] = false;
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const key of keys) {
    if (actual[key] !== expected[key]) {
      throw new Error(`window refused: web preference "${key}" must be ${String(expected[key])}`);
    }
  }
}

/** What the window factory needs besides Electron. */
export interface SecureWindowParams {
  electron: ElectronSeam;
  guards: SecurityGuards;
  preloadPath: string;
  title: string;
  /** Remembered or default bounds; x/y absent means "let the OS place it". */
  bounds: Partial<Rectangle> & { width: number; height: number };
  icon?: string;
}

/** Creates a window with the hardened preferences and guards already attached. The only window factory. */
export function createSecureWindow(params: SecureWindowParams): WindowLike {
  const options: SecureWindowOptions = {
    title: params.title,
    width: params.bounds.width,
    height: params.bounds.height,
    ...(params.bounds.x !== undefined && params.bounds.y !== undefined
      ? { x: params.bounds.x, y: params.bounds.y }
      : {}),
    minWidth: 720,
    minHeight: 480,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#0f2a4a',
    ...(params.icon ? { icon: params.icon } : {}),
    webPreferences: hardenedWebPreferences(params.preloadPath, {
      packaged: params.electron.app.isPackaged,
    }),
  };
  assertHardenedWebPreferences(options.webPreferences, {
    packaged: params.electron.app.isPackaged,
  });
  const win = params.electron.createBrowserWindow(options);
  params.guards.guard(win.webContents);
  return win;
}
