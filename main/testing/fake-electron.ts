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
  NavigationEvent,
  NotificationLike,
  PermissionQuery,
  PreventableEvent,
  Rectangle,
  SchemePrivileges,
  SecureWindowOptions,
  TrayLike,
  TrayMenuItem,
  WebContentsLike,
  WindowLike,
} from '../electron-seam';

type Listener<T> = (value: T) => void;

function preventable(): { event: PreventableEvent; prevented: () => boolean } {
  let prevented = false;
  return { event: { preventDefault: () => (prevented = true) }, prevented: () => prevented };
}

/** A web contents the test can drive. */
export class FakeWebContents implements WebContentsLike {
  readonly sent: { channel: string; payload: unknown }[] = [];
  private windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  private readonly navigateListeners: Listener<NavigationEvent>[] = [];
  private readonly redirectListeners: Listener<NavigationEvent>[] = [];
  private readonly webviewListeners: Listener<PreventableEvent>[] = [];
  private readonly loadingListeners: (() => void)[] = [];

  constructor(readonly id: number) {}

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  onWillFrameNavigate(listener: Listener<NavigationEvent>): void {
    this.navigateListeners.push(listener);
  }
  onWillRedirect(listener: Listener<NavigationEvent>): void {
    this.redirectListeners.push(listener);
  }
  onWillAttachWebview(listener: Listener<PreventableEvent>): void {
    this.webviewListeners.push(listener);
  }
  onDidStartLoading(listener: () => void): void {
    this.loadingListeners.push(listener);
  }

  /** Plays a navigation; returns true if a guard prevented it. */
  navigate(url: string, isMainFrame = true): boolean {
    return this.fire(this.navigateListeners, url, isMainFrame);
  }
  /** Plays a server redirect; returns true if a guard prevented it. */
  redirect(url: string): boolean {
    return this.fire(this.redirectListeners, url, true);
  }
  /** Plays `window.open(url)`; returns the handler's decision (`allow` if no handler is installed). */
  openWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }
  /** Plays a `<webview>` attachment; returns true if prevented. */
  attachWebview(): boolean {
    const { event, prevented } = preventable();
    for (const l of this.webviewListeners) l(event);
    return prevented();
  }
  startLoading(): void {
    for (const l of this.loadingListeners) l();
  }
  hasGuards(): boolean {
    return (
      this.windowOpenHandler !== null &&
      this.navigateListeners.length > 0 &&
      this.redirectListeners.length > 0
    );
  }

  private fire(listeners: Listener<NavigationEvent>[], url: string, isMainFrame: boolean): boolean {
    let prevented = false;
    for (const l of listeners) l({ url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

/** A window the test can inspect and close. */
export class FakeWindow implements WindowLike {
  shown = false;
  focused = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  loadedUrl: string | null = null;
  contentProtection: boolean | null = null;
  overlay: { iconPath: string | null; description: string } | null = null;
  bounds: Rectangle;
  private readonly readyListeners: (() => void)[] = [];
  private readonly closeListeners: Listener<PreventableEvent>[] = [];
  private readonly closedListeners: (() => void)[] = [];

  constructor(
    readonly options: SecureWindowOptions,
    readonly webContents: FakeWebContents,
  ) {
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width,
      height: options.height,
    };
  }

  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  setContentProtection(enabled: boolean): void {
    this.contentProtection = enabled;
  }
  setOverlayIcon(iconPath: string | null, description: string): void {
    this.overlay = { iconPath, description };
  }
  onReadyToShow(listener: () => void): void {
    this.readyListeners.push(listener);
  }
  onClose(listener: Listener<PreventableEvent>): void {
    this.closeListeners.push(listener);
  }
  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  /** Plays the renderer's first paint. */
  readyToShow(): void {
    for (const l of this.readyListeners) l();
  }
  /** Plays the user closing the window; returns true if it stayed open (prevented). */
  close(): boolean {
    const { event, prevented } = preventable();
    for (const l of this.closeListeners) l(event);
    if (prevented()) return true;
    this.destroyed = true;
    this.shown = false;
    for (const l of this.closedListeners) l();
    return false;
  }
}

/** A notification the test can click. */
export class FakeNotification implements NotificationLike {
  shown = false;
  private readonly clickListeners: (() => void)[] = [];
  private readonly closeListeners: (() => void)[] = [];
  constructor(readonly options: { title: string; body: string; icon?: string }) {}
  show(): void {
    this.shown = true;
  }
  onClick(listener: () => void): void {
    this.clickListeners.push(listener);
  }
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }
  click(): void {
    for (const l of this.clickListeners) l();
  }
}

/** A tray the test can inspect and click. */
export class FakeTray implements TrayLike {
  toolTip = '';
  menu: TrayMenuItem[] = [];
  destroyed = false;
  private readonly clickListeners: (() => void)[] = [];
  constructor(public image: string) {}
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setImage(iconPath: string): void {
    this.image = iconPath;
  }
  setContextMenu(items: TrayMenuItem[]): void {
    this.menu = items;
  }
  onClick(listener: () => void): void {
    this.clickListeners.push(listener);
  }
  destroy(): void {
    this.destroyed = true;
  }
  click(): void {
    for (const l of this.clickListeners) l();
  }
}

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
