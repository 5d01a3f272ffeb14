/**
 * The main process's start-up, in the order it happens. Every concern is one module with one
 * `setupX()`; nothing registers itself on import. `index.ts` calls {@link startHongyan} with the real
 * Electron seam; tests call it with a fake one.
 */
import { isAbsolute, join } from 'node:path';
import {
  configFileLocations,
  loadDeploymentConfig,
  setupDeploymentConfigIpc,
} from './deployment-config';
import { setupContentProtection, setupContentProtectionIpc } from './content-protection';
import { setupDeepLinks, setupDeepLinksIpc } from './deep-links';
import { setupDownloads, setupDownloadsIpc } from './downloads';
import type { ElectronSeam } from './electron-seam';
import { createIpcRegistry } from './ipc';
import type { Logger } from './logger';
import { setupLoginItem, setupLoginItemIpc } from './login-item';
import { setupNotifications, setupNotificationsIpc } from './notifications';
import { setupAppMenu } from './app-menu';
import { setupPermissions } from './permissions';
import { registerAppScheme, setupAppProtocol } from './protocol';
import { createSecretsStore, plaintextSecretsRequested, setupSecretsIpc } from './secrets-store';
import { setupExternalLinksIpc } from './external-links';
import { setupSecurityGuards } from './navigation-guards';
import { setupTray, setupTrayIpc } from './tray';
import { acquireSingleInstance, setupWindowManager, type WindowManager } from './window-manager';

/** Facts about the process, passed in so tests can choose them. */
export interface Runtime {
  platform: string;
  arch: string;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  versions: Readonly<Record<string, string | undefined>>;
  /** Folder of the built main bundle (`out/main`); the preload and renderer sit beside it. */
  mainDir: string;
  /** `process.resourcesPath` of a packaged app (icons are shipped there). */
  resourcesPath: string;
  execPath: string;
}

/** The flag / variable that points userData at another folder (fresh profiles for tests). */
export const USER_DATA_FLAG = '--hongyan-user-data-dir';
export const USER_DATA_ENV = 'HONGYAN_USER_DATA_DIR';

/** The userData override from the command line or environment, if any and absolute. */
export function userDataOverride(runtime: Pick<Runtime, 'argv' | 'env'>): string | null {
  const prefix = `${USER_DATA_FLAG}=`;
  const fromArgv = runtime.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
  const value = fromArgv ?? runtime.env[USER_DATA_ENV];
  return value && isAbsolute(value) ? value : null;
}

/** What started: handy for tests and for a clean shutdown. */
export interface StartedHongyan {
  windowManager: WindowManager;
}

/**
 * Starts the app. Returns `null` when another instance already runs (this one quits after
 * handing over its command line).
 */
export async function startHongyan(params: {
  electron: ElectronSeam;
  runtime: Runtime;
  createLogger: (scope: string) => Logger;
}): Promise<StartedHongyan | null> {
  const { electron, runtime, createLogger } = params;
  const log = createLogger('start');

  // 1. Before anything reads userData (the single-instance lock is keyed by it). Test switches
  // exist for test machines running the unpacked app; an installed app ignores them, so nobody
  // can point it at another profile or unsealed secrets with a shortcut's command line.
  const packaged = electron.app.isPackaged;
  const userData = userDataOverride(runtime);
  const plaintextSecrets = plaintextSecretsRequested(runtime.argv, runtime.env);
  if (packaged && (userData || plaintextSecrets))
    log.warn('test switches (user-data dir, plaintext secrets) are ignored in an installed app');
  if (userData && !packaged) electron.app.setPath('userData', userData);
  setupAppMenu({ electron, platform: runtime.platform, packaged });

  // 2. Before `ready`: the privileged scheme, deep-link hooks, single instance, guards, config.
  registerAppScheme(electron);
  const deepLinks = setupDeepLinks({
    electron,
    logger: createLogger('deep-links'),
    argv: runtime.argv,
    registerWithOs: electron.app.isPackaged,
  });
  if (
    !acquireSingleInstance({
      electron,
      logger: log,
      onSecondInstance: (argv) => deepLinks.handleSecondLaunch(argv),
    })
  ) {
    electron.app.quit();
    return null;
  }
  const guards = setupSecurityGuards({ electron, logger: createLogger('security') });
  const config = loadDeploymentConfig({
    locations: configFileLocations({
      platform: runtime.platform,
      env: runtime.env,
      exePath: electron.app.getPath('exe'),
      userDataPath: electron.app.getPath('userData'),
    }),
    argv: runtime.argv,
    logger: createLogger('config'),
  });

  await electron.app.whenReady();

  // 3. The session: permissions, the app:// protocol, downloads.
  setupPermissions({ electron, logger: createLogger('permissions') });
  setupAppProtocol({
    electron,
    root: join(runtime.mainDir, '..', 'renderer'),
    getConnectOrigins: () => config.connectOrigins(),
    logger: createLogger('protocol'),
  });
  const downloads = setupDownloads({
    electron,
    logger: createLogger('downloads'),
    downloadsPath: () => electron.app.getPath('downloads'),
  });

  // 4. Stores and OS integration.
  const secrets = await createSecretsStore({
    electron,
    filePath: join(electron.app.getPath('userData'), 'secrets.json'),
    platform: runtime.platform,
    plaintextMode: plaintextSecrets && !packaged,
    logger: createLogger('secrets'),
  });
  const settings = config.snapshot().settings;
  // Packaged: electron-builder copies build/icons and build/tray into resources (extraResources).
  const resourceDir = electron.app.isPackaged
    ? runtime.resourcesPath
    : join(electron.app.getAppPath(), 'build');
  const iconDir = join(resourceDir, 'icons');
  const trayDir = join(resourceDir, 'tray');
  const contentProtection = setupContentProtection({
    initial: {
      enabled: settings.contentProtection.value,
      enforced: settings.contentProtection.enforced,
    },
    applyToWindows: (enabled) => windowManager.mainWindow()?.setContentProtection(enabled),
    logger: createLogger('content-protection'),
  });
  const windowManager = setupWindowManager({
    electron,
    guards,
    logger: createLogger('window'),
    preloadPath: join(runtime.mainDir, '..', 'preload', 'index.cjs'),
    iconPath: join(iconDir, '512x512.png'),
    stateFile: join(electron.app.getPath('userData'), 'window-state.json'),
    closeToTray: () => config.snapshot().settings.closeToTray.value && trayAndBadge.hasTray(),
    contentProtection: () => contentProtection.state().enabled,
  });
  const trayAndBadge = setupTray({
    electron,
    logger: createLogger('tray'),
    windowManager,
    icons: {
      normal: join(trayDir, 'tray.png'),
      unread: join(trayDir, 'tray-unread.png'),
      overlay: join(trayDir, 'badge-overlay.png'),
    },
  });
  const notifications = setupNotifications({
    electron,
    logger: createLogger('notifications'),
    windowManager,
    iconPath: join(iconDir, '256x256.png'),
    showText: () => config.snapshot().settings.notificationText.value,
  });
  const loginItem = setupLoginItem({
    electron,
    logger: createLogger('login-item'),
    platform: runtime.platform,
    env: runtime.env,
    executable: runtime.env['APPIMAGE'] ?? runtime.execPath,
  });

  // 5. IPC: every contract channel, registered before the renderer can load.
  const registry = createIpcRegistry({ electron, logger: createLogger('ipc') });
  setupDeploymentConfigIpc({ registry, config });
  setupSecretsIpc({ registry, store: secrets });
  setupNotificationsIpc({ registry, notifications });
  setupTrayIpc({ registry, trayAndBadge });
  setupExternalLinksIpc({ registry, electron, logger: createLogger('links') });
  setupDownloadsIpc({ registry, downloads, mainWindow: () => windowManager.mainWindow() });
  setupContentProtectionIpc({ registry, contentProtection });
  setupLoginItemIpc({ registry, loginItem });
  setupDeepLinksIpc({ registry, router: deepLinks });
  const missing = registry.missingChannels();
  if (missing.length > 0) throw new Error(`IPC channels without a handler: ${missing.join(', ')}`);

  // 6. The window.
  deepLinks.attachWindowManager(windowManager);
  windowManager.showMainWindow();
  return { windowManager };
}
