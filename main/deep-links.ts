/**
 * `hongyan://` deep links from the OS: on the first launch's command line, from a second launch
 * (Windows, Linux) or through `open-url` (macOS). Each link is parsed strictly (shared/ipc/deep-link.ts);
 * a malformed one is logged (never with its token) and dropped. Valid links are queued until the
 * renderer says it is listening (`deepLinks:takePending`), then sent as `deep-link:opened` events.
 */
import {
  DEEP_LINK_SCHEME,
  looksLikeDeepLink,
  parseDeepLink,
  type DeepLink,
} from '../shared/ipc/deep-link';
import type { ElectronSeam } from './electron-seam';
import { sendEvent, type IpcRegistry } from './ipc';
import type { Logger } from './logger';
import type { WindowManager } from './window-manager';

/** Links kept while nobody listens; older ones are dropped beyond this. */
export const MAX_PENDING_LINKS = 8;

/** The deep link among command-line arguments, if any (the OS passes it as one argument). */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => looksLikeDeepLink(arg)) ?? null;
}

/** Routes links to the renderer. */
export interface DeepLinkRouter {
  /** Parses a raw link from the OS and routes it; malformed links are logged and dropped. */
  handleRaw(raw: string): void;
  /** A second launch: route its deep link if it has one, and bring the window forward either way. */
  handleSecondLaunch(argv: readonly string[]): void;
  /** Called after the window manager exists (links may arrive before the app is ready). */
  attachWindowManager(windowManager: WindowManager): void;
  /** Returns and clears the queue; from now on links go straight to the renderer. */
  takePending(): DeepLink[];
}

/**
 * Creates the router and registers the OS hooks that must exist before `ready` (macOS `open-url`)
 * and the scheme itself. Handles a link on this launch's own command line.
 */
export function setupDeepLinks(params: {
  electron: ElectronSeam;
  logger: Logger;
  argv: readonly string[];
  /** Register the scheme with the OS only for an installed app; a dev run would hijack it. */
  registerWithOs: boolean;
}): DeepLinkRouter {
  const { electron, logger } = params;
  let pending: DeepLink[] = [];
  let rendererListening = false;
  let windowManager: WindowManager | null = null;

  const deliver = (link: DeepLink): void => {
    const win = windowManager?.mainWindow() ?? null;
    if (rendererListening && win) {
      sendEvent(win.webContents, 'deep-link:opened', link);
    } else {
      pending = [...pending, link].slice(-MAX_PENDING_LINKS);
    }
    windowManager?.showMainWindow();
  };

  const router: DeepLinkRouter = {
    handleRaw(raw) {
      const parsed = parseDeepLink(raw);
      if (!parsed.ok) {
        logger.warn(`deep link refused: ${parsed.reason}`);
        return;
      }
      logger.info(`deep link received: ${parsed.link.kind}`);
      deliver(parsed.link);
    },
    handleSecondLaunch(argv) {
      const raw = deepLinkFromArgv(argv);
      if (raw) router.handleRaw(raw);
      windowManager?.showMainWindow();
    },
    attachWindowManager(manager) {
      windowManager = manager;
      // A reload or a new window means a new renderer that has not subscribed yet.
      manager.onWindowCreated((win) => {
        rendererListening = false;
        win.webContents.onDidStartLoading(() => {
          rendererListening = false;
        });
      });
    },
    takePending() {
      rendererListening = true;
      const links = pending;
      pending = [];
      return links;
    },
  };

  if (params.registerWithOs && !electron.app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)) {
    logger.warn(`could not register the ${DEEP_LINK_SCHEME}:// scheme with the OS`);
  }
  electron.app.onOpenUrl((url) => router.handleRaw(url));
  const initial = deepLinkFromArgv(params.argv);
  if (initial) router.handleRaw(initial);
  return router;
}

/** Registers `deepLinks:takePending`. */
export function setupDeepLinksIpc(params: { registry: IpcRegistry; router: DeepLinkRouter }): void {
  params.registry.handle('deepLinks:takePending', () => params.router.takePending());
}
