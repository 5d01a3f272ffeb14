import {
  EventType,
  MatrixEventEvent,
  PushRuleKind,
  RoomEvent,
  type IPushRule,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from 'matrix-js-sdk';
import type { Platform } from '../platform/platform';
import { listen, unsubscribeAll } from './listen';

/** True when the user muted the room with a room-specific push rule without a notify action. */
export function isRoomMuted(client: MatrixClient, roomId: string): boolean {
  const rule = client.pushRules?.global.room?.find((r: IPushRule) => r.rule_id === roomId);
  return !!rule && rule.enabled !== false && !rule.actions.includes('notify' as never);
}

/** Mutes or unmutes a room for this account (all devices): a room rule with no actions. */
export async function setRoomMuted(
  client: MatrixClient,
  roomId: string,
  muted: boolean,
): Promise<void> {
  if (muted) {
    await client.addPushRule('global', PushRuleKind.RoomSpecific, roomId, { actions: [] });
  } else if (client.pushRules?.global.room?.some((r) => r.rule_id === roomId)) {
    await client.deletePushRule('global', PushRuleKind.RoomSpecific, roomId);
  }
  // Refresh the client's copy so isRoomMuted answers at once.
  client.pushRules = await client.getPushRules();
}

/** The facts about one new event that decide whether it notifies. */
export interface NotificationFacts {
  /** Room muted by the user (push rule without actions). */
  muted: boolean;
  /** The room is open in a visible window. */
  openAndVisible: boolean;
  isDirect: boolean;
  /** The push rules say notify. */
  notify: boolean;
  /** The push rules say highlight (a mention of the user, a keyword). */
  highlight: boolean;
}

/**
 * Whether a new message notifies: never in a muted room or the room being read; in a direct chat
 * whenever the push rules notify; elsewhere only for highlights (mentions), so busy group rooms
 * do not flood the desktop.
 */
export function shouldNotify(f: NotificationFacts): boolean {
  if (f.muted || f.openAndVisible || !f.notify) return false;
  return f.isDirect || f.highlight;
}

/** Parameters of {@link bindNotifications}. */
export interface BindNotificationsParams {
  client: MatrixClient;
  platform: Platform;
  isDirect(roomId: string): boolean;
  /** The room the user is looking at (no notification for it while the window is visible). */
  activeRoomId(): string | null;
  /** Localised notification text. */
  describe(params: { senderName: string; roomName: string; body: string; isDirect: boolean }): {
    title: string;
    body: string;
  };
}

/**
 * Shows a desktop notification for new messages in direct chats and for mentions (highlights),
 * unless the room is muted or already open in a visible window. Encrypted messages are considered
 * once they are decrypted, so the push rules see their real content.
 */
export function bindNotifications(params: BindNotificationsParams): () => void {
  const { client, platform } = params;
  const startedAt = Date.now();
  const seen = new Set<string>();
  const consider = (event: MatrixEvent) => {
    const id = event.getId();
    const roomId = event.getRoomId();
    if (!id || !roomId || seen.has(id) || event.isBeingDecrypted() || event.isDecryptionFailure())
      return;
    if (event.getType() !== EventType.RoomMessage || event.getSender() === client.getUserId())
      return;
    if (event.getTs() < startedAt - 5_000 || event.isRedacted()) return;
    if (event.isRelation('m.replace')) return;
    seen.add(id);
    const visible = typeof document === 'undefined' || document.visibilityState === 'visible';
    const actions = client.getPushActionsForEvent(event);
    const isDirect = params.isDirect(roomId);
    const notify = shouldNotify({
      muted: isRoomMuted(client, roomId),
      openAndVisible: visible && params.activeRoomId() === roomId,
      isDirect,
      notify: !!actions?.notify,
      highlight: !!actions?.tweaks?.highlight,
    });
    if (!notify) return;
    const room = client.getRoom(roomId);
    const text = params.describe({
      senderName: room?.getMember(event.getSender() ?? '')?.name ?? event.getSender() ?? '',
      roomName: room?.name ?? '',
      body: String(event.getContent()['body'] ?? ''),
      isDirect,
    });
    void platform.notify({ ...text, roomId }).catch(() => undefined);
  };
  const onTimeline = (
    event: MatrixEvent,
    _room: Room | undefined,
    toStart: boolean | undefined,
  ) => {
    if (!toStart && !event.isEncrypted()) consider(event);
  };
  return unsubscribeAll([
    listen(client, RoomEvent.Timeline, onTimeline),
    listen(client, MatrixEventEvent.Decrypted, consider),
  ]);
}
