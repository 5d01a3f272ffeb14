import { EventType, NotificationCountType, type MatrixClient, type Room } from 'matrix-js-sdk';
import type { RoomSummary } from '../store/rooms-slice';

/** Set of room IDs marked as direct chats in the user's `m.direct` account data. */
export function directRoomIds(client: MatrixClient): Set<string> {
  const content = client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
  return new Set(Object.values(content).flat());
}

/** Converts an SDK Room into the plain summary the store keeps. */
export function toRoomSummary(room: Room, direct: Set<string>): RoomSummary {
  return {
    roomId: room.roomId,
    name: room.name,
    unread: room.getUnreadNotificationCount(NotificationCountType.Total),
    highlights: room.getUnreadNotificationCount(NotificationCountType.Highlight),
    lastActivity: room.getLastActiveTimestamp(),
    encrypted: room.hasEncryptionStateEvent(),
    isSpace: room.isSpaceRoom(),
    isDirect: direct.has(room.roomId),
  };
}
