/**
 * OS notifications for new messages and circulars. A click brings the window forward and tells
 * the renderer which room to open (`notification:clicked`). Titles and bodies are message content,
 * so they are never logged.
 */
import type { ElectronSeam, NotificationLike } from './electron-seam';
import { sendEvent, type IpcRegistry } from './ipc';
import type { Logger } from './logger';
import type { WindowManager } from './window-manager';

/** Shows notifications. */
export interface Notifications {
  show(params: { title: string; body: string; roomId: string }): { shown: boolean };
}

/**
 * Creates the notifier. `iconPath` is the app icon shown beside the text, if present. When
 * `showText()` is false (the deployment's `notificationText`), the body is dropped here, whatever
 * the renderer sent: the title says who wrote and where, the lock screen never shows the message.
 */
export function setupNotifications(params: {
  electron: ElectronSeam;
  logger: Logger;
  windowManager: WindowManager;
  iconPath?: string;
  showText: () => boolean;
}): Notifications {
  const { electron, logger, windowManager } = params;
  // Electron drops click handlers of notifications that were garbage-collected; keep them alive
  // until they are clicked or dismissed.
  const live = new Set<NotificationLike>();

  return {
    show({ title, body, roomId }) {
      if (!electron.isNotificationSupported()) return { shown: false };
      const notification = electron.createNotification({
        title,
        body: params.showText() ? body : '',
        ...(params.iconPath ? { icon: params.iconPath } : {}),
      });
      live.add(notification);
      notification.onClick(() => {
        live.delete(notification);
        const win = windowManager.showMainWindow();
        sendEvent(win.webContents, 'notification:clicked', { roomId });
      });
      notification.onClose(() => live.delete(notification));
      try {
        notification.show();
      } catch (error) {
        live.delete(notification);
        logger.warn(`notification could not be shown: ${(error as Error).message}`);
        return { shown: false };
      }
      return { shown: true };
    },
  };
}

/** Registers `notifications:show`. */
export function setupNotificationsIpc(params: {
  registry: IpcRegistry;
  notifications: Notifications;
}): void {
  params.registry.handle('notifications:show', (request) => params.notifications.show(request));
}
