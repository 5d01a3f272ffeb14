import { EventType, Preset, Visibility, type MatrixClient } from 'matrix-js-sdk';

/** The encryption state every room the app creates starts with (Megolm, the only algorithm in use). */
export const ENCRYPTION_STATE = {
  type: EventType.RoomEncryption,
  state_key: '',
  content: { algorithm: 'm.megolm.v1.aes-sha2' },
} as const;

/** Parameters of {@link createGroupRoom}. */
export interface CreateGroupRoomParams {
  client: MatrixClient;
  name: string;
  /** Matrix IDs invited at creation. */
  invite?: string[];
  topic?: string;
}

/**
 * Creates a private, invite-only group room that is encrypted from its first event: the encryption
 * state is in `initial_state`, so there is never a moment where a message could go out in the clear.
 */
export async function createGroupRoom(params: CreateGroupRoomParams): Promise<string> {
  const name = params.name.trim();
  if (!name) throw new Error('room name is empty');
  const { room_id } = await params.client.createRoom({
    name,
    ...(params.topic ? { topic: params.topic } : {}),
    visibility: Visibility.Private,
    preset: Preset.PrivateChat,
    invite: params.invite ?? [],
    initial_state: [ENCRYPTION_STATE],
  });
  return room_id;
}

/**
 * Opens the encrypted direct chat with `userId`: reuses a joined DM listed in `m.direct`, else creates
 * one (trusted-private preset, encrypted from the start) and records it in `m.direct`.
 */
export async function openDirectChat(client: MatrixClient, userId: string): Promise<string> {
  const me = client.getSafeUserId();
  if (userId === me) throw new Error('cannot start a direct chat with yourself');
  const direct =
    client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
  const existing = (direct[userId] ?? []).find(
    (id) => client.getRoom(id)?.getMyMembership() === 'join',
  );
  if (existing) return existing;
  const { room_id } = await client.createRoom({
    is_direct: true,
    invite: [userId],
    preset: Preset.TrustedPrivateChat,
    visibility: Visibility.Private,
    initial_state: [ENCRYPTION_STATE],
  });
  // Re-read: account data may have changed while the room was being created.
  const latest =
    client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
  await client.setAccountData(EventType.Direct, {
    ...latest,
    [userId]: [...(latest[userId] ?? []), room_id],
  });
  return room_id;
}

/**
 * Accepts an invite. For a DM invite (`is_direct` on our membership event) the room is also added
 * to `m.direct`, so both sides list it as a direct chat.
 */
export async function acceptInvite(client: MatrixClient, roomId: string): Promise<void> {
  // Read the invite before joining: afterwards our membership event is the join, without `is_direct`.
  const inviteEvent = client.getRoom(roomId)?.getMember(client.getSafeUserId())?.events.member;
  const isDirect = inviteEvent?.getContent<{ is_direct?: boolean }>().is_direct === true;
  const inviter = inviteEvent?.getSender();
  await client.joinRoom(roomId);
  if (!isDirect || !inviter) return;
  const direct =
    client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
  if ((direct[inviter] ?? []).includes(roomId)) return;
  await client.setAccountData(EventType.Direct, {
    ...direct,
    [inviter]: [...(direct[inviter] ?? []), roomId],
  });
}

/** Leaves a room and forgets it, so it disappears from the room list. */
export async function leaveRoom(client: MatrixClient, roomId: string): Promise<void> {
  await client.leave(roomId);
  await client.forget(roomId).catch(() => undefined);
}
