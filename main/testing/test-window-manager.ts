/** The window manager as start.ts wires it, on a fake Electron, for the main-process unit tests. */
import { join } from 'node:path';
import type { ElectronSeam } from '../electron-seam';
import type { Logger } from '../logger';
import { setupSecurityGuards } from '../navigation-guards';
import { setupWindowManager, type WindowManager } from '../window-manager';

/** The preload path the test windows are given (never loaded: the windows are fakes). */
export const TEST_PRELOAD = '/app/out/preload/index.cjs';

/**
 * Sets the window manager up with the app's security guards and its state file in `dir`; the
 * tray and content-protection settings are fixed for the test (off unless given).
 */
export function startTestWindowManager(opts: {
  electron: ElectronSeam;
  logger: Logger;
  dir: string;
  closeToTray?: boolean;
  contentProtection?: boolean;
}): WindowManager {
  const { electron, logger } = opts;
  return setupWindowManager({
    electron,
    guards: setupSecurityGuards({ electron, logger }),
    logger,
    preloadPath: TEST_PRELOAD,
    stateFile: join(opts.dir, 'window-state.json'),
    closeToTray: () => opts.closeToTray ?? false,
    contentProtection: () => opts.contentProtection ?? false,
  });
}
