/**
 * The tray icon and the unread badge (tray icon and tooltip, macOS dock / Linux launcher count,
 * Windows taskbar overlay). A desktop without a tray (some Linux sessions) only loses the tray; the
 * badge still works where the OS has one.
 */
import type { ElectronSeam, TrayLike } from './electron-seam';
import type { IpcRegistry } from './ipc';
import type { Logger } from './logger';
import type { WindowManager } from './window-manager';

/** Icon files used by the tray and the badge. */
export interface TrayIcons {
  normal: string;
  unread: string;
  /** Small dot for the Windows taskbar overlay. */
  overlay: string;
}

/** Tray and badge operations. */
export interface TrayAndBadge {
  /** True when a tray icon exists (close-to-tray needs one, or the window could not come back). */
  hasTray(): boolean;
  setUnreadCount(count: number): void;
}

/** Tooltip for an unread count. */
export function trayTooltip(count: number): string {
  if (count <= 0) return '鸿雁 Hongyan';
  return `鸿雁 Hongyan — ${count > 999 ? '999+' : count} 条未读`;
}

/** Creates the tray (if the desktop has one) and the badge. Call after the app is ready. */
export function setupTray(params: {
  electron: ElectronSeam;
  logger: Logger;
  windowManager: WindowManager;
  icons: TrayIcons;
}): TrayAndBadge {
  const { electron, logger, windowManager, icons } = params;
  let tray: TrayLike | null = null;
  try {
    tray = electron.createTray(icons.normal);
    tray.setToolTip(trayTooltip(0));
    tray.setContextMenu([
      { label: '打开鸿雁 Open Hongyan', click: () => windowManager.showMainWindow() },
      { type: 'separator' },
      { label: '退出 Quit', click: () => windowManager.quit() },
    ]);
    tray.onClick(() => windowManager.showMainWindow());
  } catch (error) {
    logger.warn(`no tray icon on this desktop: ${(error as Error).message}`);
    tray = null;
  }

  let lastCount = 0;
  return {
    hasTray: () => tray !== null,
    setUnreadCount(count) {
      if (count === lastCount) return;
      lastCount = count;
      electron.app.setBadgeCount(count);
      tray?.setImage(count > 0 ? icons.unread : icons.normal);
      tray?.setToolTip(trayTooltip(count));
      windowManager
        .mainWindow()
        ?.setOverlayIcon(count > 0 ? icons.overlay : null, count > 0 ? `${count} unread` : '');
    },
  };
}

/** Registers `badge:setUnreadCount`. */
export function setupTrayIpc(params: { registry: IpcRegistry; trayAndBadge: TrayAndBadge }): void {
  params.registry.handle('badge:setUnreadCount', ({ count }) =>
    params.trayAndBadge.setUnreadCount(count),
  );
}
