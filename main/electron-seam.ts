/**
 * The seam between the main-process modules and Electron. Modules depend only on these small
 * interfaces; `electron-real.ts` adapts the real Electron API to them, and unit tests pass fakes.
 * Only the adapter imports `electron` at runtime (a unit test enforces that).
 *
 * The interfaces are shaped around what Hongyan needs (e.g. `onSecondInstance`) rather than
 * mirroring Electron's event-emitter overloads, so fakes stay small and honest.
 */

/** An event whose default action a listener can cancel. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** A navigation about to happen in some frame of a web contents. */
export interface NavigationEvent extends PreventableEvent {
  url: string;
  isMainFrame: boolean;
}

/** A frame that sent an IPC message. */
export interface FrameLike {
  /** The frame's current URL. */
  url: string;
  /** The parent frame; `null` for a top-level frame. */
  parent: FrameLike | null;
}

/** What the IPC layer knows about a message's sender. */
export interface IpcInvokeEvent {
  /** The frame that sent the message; `null` if it navigated away or was destroyed meanwhile. */
  senderFrame: FrameLike | null;
  /** ID of the web contents that sent the message. */
  senderId: number;
}

/** What the navigation and window-open guards need from a web contents. */
export interface WebContentsLike {
  id: number;
  /** Sends an event to the renderer. */
  send(channel: string, payload: unknown): void;
  /** Installs the handler deciding every `window.open` / target=_blank; Hongyan always denies. */
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  /** Any frame is about to navigate (Electron's `will-frame-navigate`). */
  onWillFrameNavigate(listener: (event: NavigationEvent) => void): void;
  /** A navigation is being redirected server-side (`will-redirect`). */
  onWillRedirect(listener: (event: NavigationEvent) => void): void;
  /** A `<webview>` is about to be attached (`will-attach-webview`). */
  onWillAttachWebview(listener: (event: PreventableEvent) => void): void;
  /** The page started (re)loading. */
  onDidStartLoading(listener: () => void): void;
}

/** Window position and size in screen coordinates. */
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The hardened web preferences every window gets (see `secure-window.ts`). */
export interface HardenedWebPreferences {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  experimentalFeatures: false;
  safeDialogs: true;
  /** DevTools: only in a development run; an installed app cannot open them at all. */
  devTools: boolean;
  /** Absolute path of Hongyan's own preload script. */
  preload: string;
}

/** Options for creating a window. Web preferences can only be the hardened set. */
export interface SecureWindowOptions {
  title: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  backgroundColor: string;
  /** Window icon (Linux/Windows); absent when not found. */
  icon?: string;
  webPreferences: HardenedWebPreferences;
}

/** The window operations Hongyan uses. */
export interface WindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  /** Bounds when neither maximised nor minimised. */
  getNormalBounds(): Rectangle;
  setContentProtection(enabled: boolean): void;
  /** Windows taskbar overlay; `null` clears it. A no-op elsewhere. */
  setOverlayIcon(iconPath: string | null, description: string): void;
  onReadyToShow(listener: () => void): void;
  /** The user or the app asked to close the window; preventing keeps it open. */
  onClose(listener: (event: PreventableEvent) => void): void;
  onClosed(listener: () => void): void;
}

/** A notification about to be shown. */
export interface NotificationLike {
  show(): void;
  onClick(listener: () => void): void;
  onClose(listener: () => void): void;
}

/** What an application-menu entry does: one of Electron's built-in roles. */
export type AppMenuRole =
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'minimize'
  | 'close'
  | 'reload'
  | 'toggleDevTools';

/** An application-menu entry: a role, a separator, or a submenu. */
export type AppMenuItem =
  { role: AppMenuRole } | { type: 'separator' } | { label: string; submenu: AppMenuItem[] };

/** A tray menu entry. */
export type TrayMenuItem = { label: string; click: () => void } | { type: 'separator' };

/** The tray icon. */
export interface TrayLike {
  setToolTip(text: string): void;
  setImage(iconPath: string): void;
  setContextMenu(items: TrayMenuItem[]): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

/** A download the page started (e.g. a link with `download`). */
export interface DownloadItemLike {
  getFilename(): string;
  setSaveDialogOptions(options: { defaultPath: string; title?: string }): void;
}

/** Privileges of a custom scheme (subset of Electron's `Privileges`). */
export interface SchemePrivileges {
  standard: boolean;
  secure: boolean;
  supportFetchAPI: boolean;
  corsEnabled: boolean;
  stream: boolean;
  allowServiceWorkers: boolean;
  bypassCSP: boolean;
  codeCache: boolean;
}

/** Permission request as seen by the handlers. */
export interface PermissionQuery {
  permission: string;
  /** Origin or URL of the requesting page, as Electron reports it. */
  requestingUrl: string;
}

/** The Electron API surface Hongyan's main process uses. */
export interface ElectronSeam {
  app: {
    isPackaged: boolean;
    getName(): string;
    getVersion(): string;
    getAppPath(): string;
    getPath(name: 'userData' | 'downloads' | 'exe' | 'home'): string;
    setPath(name: 'userData', path: string): void;
    requestSingleInstanceLock(): boolean;
    onSecondInstance(listener: (argv: string[]) => void): void;
    /** macOS delivers `hongyan://` links this way. */
    onOpenUrl(listener: (url: string) => void): void;
    onWebContentsCreated(listener: (contents: WebContentsLike) => void): void;
    onBeforeQuit(listener: () => void): void;
    onWindowAllClosed(listener: () => void): void;
    onActivate(listener: () => void): void;
    whenReady(): Promise<void>;
    quit(): void;
    setBadgeCount(count: number): boolean;
    setAsDefaultProtocolClient(scheme: string, path?: string, args?: string[]): boolean;
    getLoginItemSettings(): { openAtLogin: boolean };
    setLoginItemSettings(settings: { openAtLogin: boolean }): void;
  };
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: SchemePrivileges }[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  session: {
    setPermissionRequestHandler(
      handler: (query: PermissionQuery, callback: (granted: boolean) => void) => void,
    ): void;
    setPermissionCheckHandler(handler: (query: PermissionQuery) => boolean): void;
    setDevicePermissionHandler(handler: () => boolean): void;
    onWillDownload(listener: (item: DownloadItemLike) => void): void;
  };
  ipcMain: {
    handle(
      channel: string,
      handler: (event: IpcInvokeEvent, request: unknown) => Promise<unknown>,
    ): void;
  };
  shell: {
    openExternal(url: string): Promise<void>;
  };
  dialog: {
    showSaveDialog(
      parent: WindowLike | null,
      options: { title: string; defaultPath: string },
    ): Promise<{ canceled: boolean; filePath?: string }>;
  };
  safeStorage: {
    isAsyncEncryptionAvailable(): Promise<boolean>;
    encryptStringAsync(plainText: string): Promise<Uint8Array>;
    decryptStringAsync(sealed: Uint8Array): Promise<{ result: string; shouldReEncrypt: boolean }>;
    /** Linux keyring in use; `keychain` / `dpapi` on macOS / Windows. */
    getSelectedStorageBackend(): string;
  };
  screen: {
    /** Work areas of the connected displays (only valid after `ready`). */
    getDisplayWorkAreas(): Rectangle[];
  };
  /** The only way to create a window; called only by `secure-window.ts`. */
  createBrowserWindow(options: SecureWindowOptions): WindowLike;
  isNotificationSupported(): boolean;
  createNotification(options: { title: string; body: string; icon?: string }): NotificationLike;
  createTray(iconPath: string): TrayLike;
  /** Replaces the application menu; `null` removes it (and Electron's default with it). */
  setApplicationMenu(items: AppMenuItem[] | null): void;
}
