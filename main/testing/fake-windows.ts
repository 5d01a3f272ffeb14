/**
 * The fake windows, web contents, notifications and tray of {@link createFakeElectron}: each records
 * what the main process did to it and lets a test play the user, the OS or a hostile page.
 */
import type {
  NavigationEvent,
  NotificationLike,
  PreventableEvent,
  Rectangle,
  SecureWindowOptions,
  TrayLike,
  TrayMenuItem,
  WebContentsLike,
  WindowLike,
} from '../electron-seam';

/** A callback a fake keeps and calls when the test plays the event. */
export type Listener<T> = (value: T) => void;

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
