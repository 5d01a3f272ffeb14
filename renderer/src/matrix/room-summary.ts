import { EventType, NotificationCountType, type MatrixClient, type Room } from 'matrix-js-sdk';
import type { RoomSummary } from '../store/rooms-slice';
import { markdownToPlainText } from '../../../shared/text/plain-text';
import { stripBidi } from '../../../shared/text/bidi';

/** Set of room IDs marked as direct chats in the user's `m.direct` account data. */
export function directRoomIds(client: MatrixClient): Set<string> {
  const content =
    client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
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
    isDirect: direct.has(room.roomId) || room.getDMInviter() !== undefined,
    invited: room.getMyMembership() === 'invite',
    ...previewOf(room),
  };
}

/** How many events back the preview looks for a readable message. */
const PREVIEW_LOOKBACK = 20;

/** The latest decrypted text message of a room, shortened, for the room list. */
function previewOf(room: Room): { preview?: RoomSummary['preview'] } {
  const events = room.getLiveTimeline().getEvents();
  for (let i = events.length - 1; i >= Math.max(0, events.length - PREVIEW_LOOKBACK); i--) {
    const e = events[i];
    if (
      !e ||
      e.getType() !== EventType.RoomMessage ||
      e.isRedacted() ||
      e.isDecryptionFailure() ||
      e.isRelation('m.replace')
    )
      continue;
    const body = e.getContent()['body'];
    if (typeof body !== 'string') continue;
    const sender = e.getSender() ?? '';
    return {
      preview: {
        senderName: room.getMember(sender)?.name ?? sender,
        body: stripBidi(markdownToPlainText(body.slice(0, 400))).slice(0, 80),
      },
    };
  }
  return {};
}
