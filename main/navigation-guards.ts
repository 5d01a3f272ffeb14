/**
 * Guards on every web contents: navigation and redirects never leave `app://hongyan`, new windows
 * are never opened (a link meant for one goes to the checked external path), `<webview>` is refused.
 */
import { isAppUrl } from './app-origin';
import type { ElectronSeam, WebContentsLike } from './electron-seam';
import { describeUrlForLog, openExternalChecked } from './external-links';
import type { Logger } from './logger';

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
