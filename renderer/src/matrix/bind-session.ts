import {
  ClientEvent,
  MatrixEventEvent,
  RoomEvent,
  RoomStateEvent,
  SyncState,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import { listen, unsubscribeAll } from './listen';
import type { AppState } from '../store/app-store';
import type { ConnectionState } from '../store/session-slice';
import { directRoomIds, toRoomSummary } from './room-summary';

/** Maps the SDK's sync states onto the three states the user sees. */
export function connectionFromSync(state: SyncState): ConnectionState {
  switch (state) {
    case SyncState.Prepared:
    case SyncState.Syncing:
      return 'online';
    case SyncState.Error:
    case SyncState.Reconnecting:
      return 'offline';
    default:
      return 'syncing';
  }
}

/**
 * Subscribes to the client's sync and room events and mirrors them into the store as plain data.
 * Returns the function that removes every listener it added.
 */
export function bindSession(client: MatrixClient, store: StoreApi<AppState>): () => void {
  const refreshAll = () => {
    const direct = directRoomIds(client);
    store.getState().setRooms(client.getVisibleRooms().map((r) => toRoomSummary(r, direct)));
  };
  const refreshRoom = (room: Room | undefined) => {
    if (!room) return;
    const membership = room.getMyMembership();
    if (membership !== 'join' && membership !== 'invite') {
      store.getState().removeRoom(room.roomId);
      return;
    }
    store.getState().upsertRoom(toRoomSummary(room, directRoomIds(client)));
  };
  const onSync = (state: SyncState) => {
    store.getState().setConnection(connectionFromSync(state));
    if (state === SyncState.Prepared) refreshAll();
  };
  const onTimeline = (_e: unknown, room: Room | undefined) => refreshRoom(room);
  const onRoomChange = (room: Room) => refreshRoom(room);
  // Unread counts change with our own receipts; the client re-emits those with their room.
  const onReceipt = (_e: unknown, room: Room) => refreshRoom(room);
  const onState = (event: { getRoomId(): string | undefined }) =>
    refreshRoom(client.getRoom(event.getRoomId()) ?? undefined);
  // In encrypted rooms the SDK counts unread messages itself, once each event is decrypted (its own
  // listener runs first, being registered at construction), so counts change after the timeline event.
  // Coalesced per tick: a back-paginated page decrypts many events at once.
  const decryptedIn = new Set<string>();
  const onDecrypted = (event: MatrixEvent) => {
    const roomId = event.getRoomId();
    if (!roomId) return;
    if (decryptedIn.size === 0)
      queueMicrotask(() => {
        for (const id of decryptedIn) refreshRoom(client.getRoom(id) ?? undefined);
        decryptedIn.clear();
      });
    decryptedIn.add(roomId);
  };

  return unsubscribeAll([
    listen(client, ClientEvent.Sync, onSync),
    listen(client, ClientEvent.Room, onRoomChange),
    listen(client, RoomEvent.Timeline, onTimeline),
    listen(client, RoomEvent.Name, onRoomChange),
    listen(client, RoomEvent.MyMembership, onRoomChange),
    listen(client, RoomEvent.Receipt, onReceipt),
    listen(client, RoomStateEvent.Events, onState),
    listen(client, MatrixEventEvent.Decrypted, onDecrypted),
  ]);
}
