/**
 * The real side of the seam: adapts Electron's API to the small interfaces in `electron-seam.ts`.
 * This is the only main-process module that imports `electron` at runtime, and the only place a
 * `BrowserWindow` is constructed (after {@link assertHardenedWebPreferences}).
 * It holds no logic worth testing beyond that; everything it adapts is unit-tested through fakes.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  type WebContents,
  type WebFrameMain,
} from 'electron';
import type { ElectronSeam, FrameLike, WebContentsLike, WindowLike } from './electron-seam';
import { assertHardenedWebPreferences } from './secure-window';

function wrapFrame(frame: WebFrameMain): FrameLike {
  return { url: frame.url, parent: frame.parent ? wrapFrame(frame.parent) : null };
}

function wrapWebContents(contents: WebContents): WebContentsLike {
  return {
    id: contents.id,
    send: (channel, payload) => contents.send(channel, payload),
    setWindowOpenHandler: (handler) =>
      contents.setWindowOpenHandler((details) => handler({ url: details.url })),
    onWillFrameNavigate: (listener) =>
      contents.on('will-frame-navigate', (event) =>
        listener({
          url: event.url,
          isMainFrame: event.isMainFrame,
          preventDefault: () => event.preventDefault(),
        }),
      ),
    onWillRedirect: (listener) =>
      contents.on('will-redirect', (event) =>
        listener({
          url: event.url,
          isMainFrame: event.isMainFrame,
          preventDefault: () => event.preventDefault(),
        }),
      ),
    onWillAttachWebview: (listener) =>
      contents.on('will-attach-webview', (event) =>
        listener({ preventDefault: () => event.preventDefault() }),
      ),
    onDidStartLoading: (listener) => contents.on('did-start-loading', () => listener()),
  };
}

/** Builds the seam over the real Electron modules. */
export function createRealElectron(): ElectronSeam {
  // Maps our window wrappers back to Electron windows (for parenting dialogs). Local, not global.
  const natives = new WeakMap<WindowLike, BrowserWindow>();

  const wrapWindow = (win: BrowserWindow): WindowLike => {
    const wrapped: WindowLike = {
      webContents: wrapWebContents(win.webContents),
      loadURL: (url) => win.loadURL(url),
      show: () => win.show(),
      hide: () => win.hide(),
      focus: () => win.focus(),
      restore: () => win.restore(),
      maximize: () => win.maximize(),
      isMinimized: () => win.isMinimized(),
      isMaximized: () => win.isMaximized(),
      isDestroyed: () => win.isDestroyed(),
      getNormalBounds: () => win.getNormalBounds(),
      setContentProtection: (enabled) => win.setContentProtection(enabled),
      setOverlayIcon: (iconPath, description) => {
        if (process.platform !== 'win32') return;
        win.setOverlayIcon(iconPath ? nativeImage.createFromPath(iconPath) : null, description);
      },
      onReadyToShow: (listener) => win.once('ready-to-show', () => listener()),
      onClose: (listener) =>
        win.on('close', (event) => listener({ preventDefault: () => event.preventDefault() })),
      onClosed: (listener) => win.on('closed', () => listener()),
    };
    natives.set(wrapped, win);
    return wrapped;
  };

  return {
    app: {
      isPackaged: app.isPackaged,
      getName: () => app.getName(),
      getVersion: () => app.getVersion(),
      getAppPath: () => app.getAppPath(),
      getPath: (name) => app.getPath(name),
      setPath: (name, path) => app.setPath(name, path),
      requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
      onSecondInstance: (listener) => app.on('second-instance', (_event, argv) => listener(argv)),
      onOpenUrl: (listener) =>
        app.on('open-url', (event, url) => {
          event.preventDefault();
          listener(url);
        }),
      onWebContentsCreated: (listener) =>
        app.on('web-contents-created', (_event, contents) => listener(wrapWebContents(contents))),
      onBeforeQuit: (listener) => app.on('before-quit', () => listener()),
      onWindowAllClosed: (listener) => app.on('window-all-closed', () => listener()),
      onActivate: (listener) => app.on('activate', () => listener()),
      whenReady: () => app.whenReady(),
      quit: () => app.quit(),
      setBadgeCount: (count) => app.setBadgeCount(count),
      setAsDefaultProtocolClient: (scheme, path, args) =>
        path === undefined
          ? app.setAsDefaultProtocolClient(scheme)
          : app.setAsDefaultProtocolClient(scheme, path, args),
      getLoginItemSettings: () => ({ openAtLogin: app.getLoginItemSettings().openAtLogin }),
      setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => protocol.registerSchemesAsPrivileged(schemes),
      handle: (scheme, handler) => protocol.handle(scheme, handler),
    },
    // `session.defaultSession` exists only after `ready`, so it is looked up on each call.
    session: {
      setPermissionRequestHandler: (handler) =>
        session.defaultSession.setPermissionRequestHandler(
          (_contents, permission, callback, details) =>
            handler(
              {
                permission,
                requestingUrl: 'requestingUrl' in details ? details.requestingUrl : '',
              },
              callback,
            ),
        ),
      setPermissionCheckHandler: (handler) =>
        session.defaultSession.setPermissionCheckHandler(
          (_contents, permission, requestingOrigin) =>
            handler({ permission, requestingUrl: requestingOrigin }),
        ),
      setDevicePermissionHandler: (handler) =>
        session.defaultSession.setDevicePermissionHandler(() => handler()),
      onWillDownload: (listener) =>
        session.defaultSession.on('will-download', (_event, item) =>
          listener({
            getFilename: () => item.getFilename(),
            setSaveDialogOptions: (options) => item.setSaveDialogOptions(options),
          }),
        ),
    },
    ipcMain: {
      handle: (channel, handler) =>
        ipcMain.handle(channel, (event, request: unknown) =>
          handler(
            {
              senderFrame: event.senderFrame ? wrapFrame(event.senderFrame) : null,
              senderId: event.sender.id,
            },
            request,
          ),
        ),
    },
    shell: { openExternal: (url) => shell.openExternal(url) },
    dialog: {
      showSaveDialog: async (parent, options) => {
        const native = parent ? natives.get(parent) : undefined;
        const result = native
          ? await dialog.showSaveDialog(native, options)
          : await dialog.showSaveDialog(options);
        return result.filePath
          ? { canceled: result.canceled, filePath: result.filePath }
          : { canceled: result.canceled };
      },
    },
    safeStorage: {
      isAsyncEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
      encryptStringAsync: (plainText) => safeStorage.encryptStringAsync(plainText),
      decryptStringAsync: (sealed) => safeStorage.decryptStringAsync(Buffer.from(sealed)),
      getSelectedStorageBackend: () => {
        if (process.platform === 'darwin') return 'keychain';
        if (process.platform === 'win32') return 'dpapi';
        return safeStorage.getSelectedStorageBackend();
      },
    },
    screen: {
      getDisplayWorkAreas: () => screen.getAllDisplays().map((display) => display.workArea),
    },
    createBrowserWindow: (options) => {
      assertHardenedWebPreferences(options.webPreferences, { packaged: app.isPackaged });
      return wrapWindow(new BrowserWindow(options));
    },
    isNotificationSupported: () => Notification.isSupported(),
    createNotification: (options) => {
      const notification = new Notification(options);
      return {
        show: () => notification.show(),
        onClick: (listener) => notification.on('click', () => listener()),
        onClose: (listener) => notification.on('close', () => listener()),
      };
    },
    setApplicationMenu: (items) =>
      Menu.setApplicationMenu(items === null ? null : Menu.buildFromTemplate(items)),
    createTray: (iconPath) => {
      const tray = new Tray(nativeImage.createFromPath(iconPath));
      return {
        setToolTip: (text) => tray.setToolTip(text),
        setImage: (path) => tray.setImage(nativeImage.createFromPath(path)),
        setContextMenu: (items) => tray.setContextMenu(Menu.buildFromTemplate(items)),
        onClick: (listener) => tray.on('click', () => listener()),
        destroy: () => tray.destroy(),
      };
    },
  };
}
