import type { MatrixClient } from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import type { Platform } from '../platform/platform';
import type { AppState } from '../store/app-store';
import { bindNotifications, type BindNotificationsParams } from './notifications';
import { directRoomIds } from './room-summary';

/**
 * Binds the running session to the platform's user-facing services: notifications (a click opens
 * the room) and the unread badge. Returns the function that unbinds them all.
 */
export function bindPlatformUi(params: {
  client: MatrixClient;
  platform: Platform;
  store: StoreApi<AppState>;
  describe: BindNotificationsParams['describe'];
}): () => void {
  const { client, platform, store, describe } = params;
  const unbinders = [
    bindNotifications({
      client,
      platform,
      isDirect: (roomId) => directRoomIds(client).has(roomId),
      activeRoomId: () => store.getState().activeRoomId,
      describe,
    }),
    platform.onNotificationClick((roomId) => {
      store.getState().setActiveView('chat');
      store.getState().setActiveRoom(roomId);
    }),
    store.subscribe((s, prev) => {
      if (s.rooms === prev.rooms) return;
      const total = Object.values(s.rooms).reduce(
        (n, r) => n + (s.mutedRooms[r.roomId] ? 0 : r.unread),
        0,
      );
      void platform.setBadgeCount(total).catch(() => undefined);
    }),
  ];
  return () => unbinders.forEach((unbind) => unbind());
}
