/**
 * The security baseline in one place (Electron's security checklist):
 * - the hardened web preferences and the one factory that creates windows with them;
 * - navigation and redirect guards (nothing leaves `app://hongyan`);
 * - the window-open guard (always denied; a safe link goes to the checked external path);
 * - `<webview>` attachment refused;
 * - the allow-list for external links ({@link checkExternalUrl}) and the only call to `shell.openExternal`.
 */
import { isAbsolute } from 'node:path';
import { isAppUrl } from './app-origin';
import type {
  ElectronSeam,
  HardenedWebPreferences,
  Rectangle,
  SecureWindowOptions,
  WebContentsLike,
  WindowLike,
} from './electron-seam';
import type { IpcRegistry } from './ipc';
import type { Logger } from './logger';

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

/** Result of {@link checkExternalUrl}: the normalised URL to open, or why it was refused. */
export type ExternalUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
// mailto parameters mail clients are known to honour safely; `attach=` and friends can leak local files.
const MAILTO_PARAMS = new Set(['to', 'cc', 'bcc', 'subject', 'body']);
const MAX_EXTERNAL_URL = 8192;

/**
 * Decides whether a link may leave the app. Only http(s) and mailto; parsed by the WHATWG URL parser
 * (so Unicode hosts become punycode and `\`, tabs and newlines are normalised the way a browser would),
 * no credentials, and the normalised form is what gets opened.
 */
export function checkExternalUrl(raw: unknown): ExternalUrlCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'link is not a string' };
  if (raw.length > MAX_EXTERNAL_URL) return { ok: false, reason: 'link is too long' };
  // The URL parser would silently strip these; a link that needs them is not one a person typed.
  // eslint-disable-next-line no-control-regex -- control characters are refused on purpose
  if (/[\u0000-\u001f\u007f]/.test(raw))
    return { ok: false, reason: 'link contains control characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'link is not an absolute URL' };
  }
  if (!EXTERNAL_SCHEMES.has(url.protocol)) {
    return {
      ok: false,
      reason: `scheme "${url.protocol}" is not allowed (only http, https, mailto)`,
    };
  }
  if (url.protocol === 'mailto:') {
    for (const key of url.searchParams.keys()) {
      if (!MAILTO_PARAMS.has(key.toLowerCase()))
        return { ok: false, reason: `mailto parameter "${key}" is not allowed` };
    }
    if (url.pathname.length === 0 && !url.searchParams.has('to'))
      return { ok: false, reason: 'mailto link has no address' };
    return { ok: true, url: url.href };
  }
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'link carries credentials' };
  if (url.hostname === '') return { ok: false, reason: 'link has no host' };
  return { ok: true, url: url.href };
}

/** Describes a URL for logs without its path, query or fragment (which may carry tokens). */
export function describeUrlForLog(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'app:')
      return `${url.protocol}//${url.host}`;
    return `${url.protocol} link`;
  } catch {
    return 'unparseable URL';
  }
}

/** Opens a link externally if {@link checkExternalUrl} allows it. The only caller of `shell.openExternal`. */
export async function openExternalChecked(params: {
  electron: ElectronSeam;
  logger: Logger;
  url: unknown;
}): Promise<ExternalUrlCheck> {
  const check = checkExternalUrl(params.url);
  if (!check.ok) {
    params.logger.warn(`external link refused: ${check.reason}`);
    return check;
  }
  try {
    await params.electron.shell.openExternal(check.url);
  } catch (error) {
    params.logger.warn(
      `external link to ${describeUrlForLog(check.url)} could not be opened: ${(error as Error).message}`,
    );
    return { ok: false, reason: 'the system could not open the link' };
  }
  return check;
}

/** Attaches the navigation, redirect, window-open and webview guards to a web contents. */
export interface SecurityGuards {
  /** Idempotent: guarding the same web contents twice installs the guards once. */
  guard(contents: WebContentsLike): void;
}

/**
 * Installs the guards on every web contents the app ever creates (`web-contents-created`), so a
 * window, devtools or anything else gets them without having to remember.
 */
export function setupSecurityGuards(params: {
  electron: ElectronSeam;
  logger: Logger;
}): SecurityGuards {
  const { electron, logger } = params;
  const guarded = new Set<number>();

  const guard = (contents: WebContentsLike): void => {
    if (guarded.has(contents.id)) return;
    guarded.add(contents.id);

    contents.onWillFrameNavigate((event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      logger.warn(
        `navigation to ${describeUrlForLog(event.url)} denied (main frame: ${event.isMainFrame})`,
      );
    });
    contents.onWillRedirect((event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      logger.warn(`redirect to ${describeUrlForLog(event.url)} denied`);
    });
    contents.setWindowOpenHandler(({ url }) => {
      // New windows are never created. A link the page meant to open in a new window goes through
      // the checked external path instead, so `target="_blank"` links in messages still work.
      void openExternalChecked({ electron, logger, url });
      return { action: 'deny' };
    });
    contents.onWillAttachWebview((event) => {
      event.preventDefault();
      logger.warn('<webview> attachment denied');
    });
  };

  electron.app.onWebContentsCreated(guard);
  return { guard };
}

/** Registers `links:openExternal`, the renderer's checked path to the browser and mail client. */
export function setupExternalLinksIpc(params: {
  registry: IpcRegistry;
  electron: ElectronSeam;
  logger: Logger;
}): void {
  params.registry.handle('links:openExternal', async ({ url }) => {
    const result = await openExternalChecked({
      electron: params.electron,
      logger: params.logger,
      url,
    });
    return result.ok
      ? { opened: true as const }
      : { opened: false as const, reason: result.reason };
  });
}
