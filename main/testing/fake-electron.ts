/**
 * An in-memory {@link ElectronSeam} for unit tests. It records what the modules asked Electron to do
 * and lets a test play the OS, the user or a hostile page (navigate, open windows, send IPC).
 */
import type {
  AppMenuItem,
  DownloadItemLike,
  ElectronSeam,
  FrameLike,
  IpcInvokeEvent,
  PermissionQuery,
  Rectangle,
  SchemePrivileges,
  WebContentsLike,
  WindowLike,
} from '../electron-seam';
import {
  FakeNotification,
  FakeTray,
  FakeWebContents,
  FakeWindow,
  type Listener,
} from './fake-windows';

/** Settings of the fake safeStorage. */
export interface FakeSafeStorageOptions {
  available: boolean;
  /** What `getSelectedStorageBackend` reports. */
  backend: string;
  /** Ask callers to re-seal on every decrypt (a rotated key). */
  shouldReEncrypt?: boolean;
}

const SEAL_PREFIX = 'fake-sealed:';

type IpcHandler = (event: IpcInvokeEvent, request: unknown) => Promise<unknown>;

/** The fake seam with everything it recorded. */
export interface FakeElectron extends ElectronSeam {
  readonly windows: FakeWindow[];
  readonly notifications: FakeNotification[];
  readonly trays: FakeTray[];
  readonly openedExternal: string[];
  readonly privilegedSchemes: { scheme: string; privileges: SchemePrivileges }[];
  readonly protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  readonly ipcHandlers: Map<string, IpcHandler>;
  readonly paths: Record<string, string>;
  readonly state: {
    ready: boolean;
    quitCount: number;
    badgeCount: number;
    loginItemOpenAtLogin: boolean;
    defaultProtocolClients: string[];
    singleInstanceLock: boolean;
    notificationsSupported: boolean;
    trayFails: boolean;
    saveDialogResult: { canceled: boolean; filePath?: string };
    saveDialogRequests: { parent: WindowLike | null; title: string; defaultPath: string }[];
    displays: Rectangle[];
    safeStorage: FakeSafeStorageOptions;
    permissionRequest:
      ((query: PermissionQuery, callback: (granted: boolean) => void) => void) | null;
    permissionCheck: ((query: PermissionQuery) => boolean) | null;
    devicePermission: (() => boolean) | null;
    /** The application menu last set (`undefined`: never set, Electron's default stays). */
    applicationMenu: AppMenuItem[] | null | undefined;
  };
  readonly emit: {
    secondInstance(argv: string[]): void;
    openUrl(url: string): void;
    webContentsCreated(contents: FakeWebContents): void;
    beforeQuit(): void;
    windowAllClosed(): void;
    activate(): void;
    willDownload(item: DownloadItemLike): void;
  };
  /** Sends an IPC request as a frame at `url` (top-level unless `parentUrl` is given). */
  invoke(
    channel: string,
    request: unknown,
    sender?: { url: string; parentUrl?: string } | null,
  ): Promise<unknown>;
  newWebContents(): FakeWebContents;
}

/** Creates a fresh fake; `paths.userData` etc. point into `baseDir`. */
export function createFakeElectron(options: {
  baseDir: string;
  isPackaged?: boolean;
}): FakeElectron {
  let nextId = 1;
  const listeners = {
    secondInstance: [] as Listener<string[]>[],
    openUrl: [] as Listener<string>[],
    webContentsCreated: [] as Listener<WebContentsLike>[],
    beforeQuit: [] as (() => void)[],
    windowAllClosed: [] as (() => void)[],
    activate: [] as (() => void)[],
    willDownload: [] as Listener<DownloadItemLike>[],
  };
  const paths: Record<string, string> = {
    userData: `${options.baseDir}/userData`,
    downloads: `${options.baseDir}/Downloads`,
    exe: `${options.baseDir}/opt/Hongyan/hongyan`,
    home: `${options.baseDir}/home`,
  };
  const state: FakeElectron['state'] = {
    ready: false,
    quitCount: 0,
    badgeCount: 0,
    loginItemOpenAtLogin: false,
    defaultProtocolClients: [],
    singleInstanceLock: true,
    notificationsSupported: true,
    trayFails: false,
    saveDialogResult: { canceled: true },
    saveDialogRequests: [],
    displays: [{ x: 0, y: 0, width: 1920, height: 1080 }],
    safeStorage: { available: true, backend: 'gnome_libsecret' },
    permissionRequest: null,
    permissionCheck: null,
    devicePermission: null,
    applicationMenu: undefined,
  };
  const windows: FakeWindow[] = [];
  const notifications: FakeNotification[] = [];
  const trays: FakeTray[] = [];
  const openedExternal: string[] = [];
  const privilegedSchemes: FakeElectron['privilegedSchemes'] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const ipcHandlers = new Map<string, IpcHandler>();
  const newWebContents = (): FakeWebContents => new FakeWebContents(nextId++);

  const fake: FakeElectron = {
    windows,
    notifications,
    trays,
    openedExternal,
    privilegedSchemes,
    protocolHandlers,
    ipcHandlers,
    paths,
    state,
    app: {
      isPackaged: options.isPackaged ?? false,
      getName: () => 'Hongyan',
      getVersion: () => '0.1.0',
      getAppPath: () => `${options.baseDir}/app`,
      getPath: (name) => paths[name] ?? `${options.baseDir}/${name}`,
      setPath: (name, path) => {
        paths[name] = path;
      },
      requestSingleInstanceLock: () => state.singleInstanceLock,
      onSecondInstance: (l) => listeners.secondInstance.push(l),
      onOpenUrl: (l) => listeners.openUrl.push(l),
      onWebContentsCreated: (l) => listeners.webContentsCreated.push(l),
      onBeforeQuit: (l) => listeners.beforeQuit.push(l),
      onWindowAllClosed: (l) => listeners.windowAllClosed.push(l),
      onActivate: (l) => listeners.activate.push(l),
      whenReady: async () => {
        state.ready = true;
      },
      quit: () => {
        state.quitCount += 1;
      },
      setBadgeCount: (count) => {
        state.badgeCount = count;
        return true;
      },
      setAsDefaultProtocolClient: (scheme) => {
        state.defaultProtocolClients.push(scheme);
        return true;
      },
      getLoginItemSettings: () => ({ openAtLogin: state.loginItemOpenAtLogin }),
      setLoginItemSettings: ({ openAtLogin }) => {
        state.loginItemOpenAtLogin = openAtLogin;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => {
        if (state.ready) throw new Error('registerSchemesAsPrivileged must be called before ready');
        privilegedSchemes.push(...schemes);
      },
      handle: (scheme, handler) => {
        protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      setPermissionRequestHandler: (h) => {
        state.permissionRequest = h;
      },
      setPermissionCheckHandler: (h) => {
        state.permissionCheck = h;
      },
      setDevicePermissionHandler: (h) => {
        state.devicePermission = h;
      },
      onWillDownload: (l) => listeners.willDownload.push(l),
    },
    ipcMain: {
      handle: (channel, handler) => {
        if (ipcHandlers.has(channel))
          throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, handler);
      },
    },
    shell: {
      openExternal: async (url) => {
        openedExternal.push(url);
      },
    },
    dialog: {
      showSaveDialog: async (parent, opts) => {
        state.saveDialogRequests.push({ parent, ...opts });
        return { ...state.saveDialogResult };
      },
    },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => state.safeStorage.available,
      encryptStringAsync: async (plainText) => {
        if (!state.safeStorage.available) throw new Error('encryption is not available');
        return new TextEncoder().encode(
          SEAL_PREFIX + Buffer.from(plainText, 'utf8').toString('hex'),
        );
      },
      decryptStringAsync: async (sealed) => {
        const text = new TextDecoder().decode(sealed);
        if (!state.safeStorage.available || !text.startsWith(SEAL_PREFIX))
          throw new Error('Error while decrypting the ciphertext');
        return {
          result: Buffer.from(text.slice(SEAL_PREFIX.length), 'hex').toString('utf8'),
          shouldReEncrypt: state.safeStorage.shouldReEncrypt ?? false,
        };
      },
      getSelectedStorageBackend: () => state.safeStorage.backend,
    },
    screen: { getDisplayWorkAreas: () => state.displays.map((d) => ({ ...d })) },
    createBrowserWindow: (opts) => {
      const contents = newWebContents();
      const win = new FakeWindow(opts, contents);
      windows.push(win);
      // Electron emits web-contents-created for every window's contents.
      for (const l of listeners.webContentsCreated) l(contents);
      return win;
    },
    isNotificationSupported: () => state.notificationsSupported,
    createNotification: (opts) => {
      const n = new FakeNotification(opts);
      notifications.push(n);
      return n;
    },
    setApplicationMenu: (items) => {
      state.applicationMenu = items;
    },
    createTray: (iconPath) => {
      if (state.trayFails) throw new Error('no status notifier host');
      const tray = new FakeTray(iconPath);
      trays.push(tray);
      return tray;
    },
    emit: {
      secondInstance: (argv) => listeners.secondInstance.forEach((l) => l(argv)),
      openUrl: (url) => listeners.openUrl.forEach((l) => l(url)),
      webContentsCreated: (contents) => listeners.webContentsCreated.forEach((l) => l(contents)),
      beforeQuit: () => listeners.beforeQuit.forEach((l) => l()),
      windowAllClosed: () => listeners.windowAllClosed.forEach((l) => l()),
      activate: () => listeners.activate.forEach((l) => l()),
      willDownload: (item) => listeners.willDownload.forEach((l) => l(item)),
    },
    invoke: async (channel, request, sender = { url: 'app://hongyan/index.html' }) => {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      let senderFrame: FrameLike | null = null;
      if (sender) {
        const parent: FrameLike | null = sender.parentUrl
          ? { url: sender.parentUrl, parent: null }
          : null;
        senderFrame = { url: sender.url, parent };
      }
      return handler({ senderFrame, senderId: 1 }, request);
    },
    newWebContents,
  };
  return fake;
}
