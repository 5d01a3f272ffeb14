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
import { whenPrepared } from './when-prepared';
import type { AppState } from '../store/app-store';
import type { ConnectionState } from '../store/session-slice';
import type { RoomSummary } from '../store/rooms-slice';
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
 *
 * Until the client is prepared (the sync cache or the first sync has been processed) room events
 * are not mirrored one by one: the SDK emits several per room while it loads hundreds of rooms, and
 * each would copy the room map and re-render the list. The whole list is read once, at
 * `SyncState.Prepared`. After that, changed rooms are collected and written in one store update
 * per task, since a sync or a back-paginated page touches many rooms (or one room many times).
 */
export function bindSession(client: MatrixClient, store: StoreApi<AppState>): () => void {
  let prepared = false;
  const refreshAll = () => {
    prepared = true;
    pending.clear();
    const direct = directRoomIds(client);
    store.getState().setRooms(client.getVisibleRooms().map((r) => toRoomSummary(r, direct)));
  };

  const pending = new Set<string>();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    flushTimer = null;
    if (pending.size === 0) return;
    const direct = directRoomIds(client);
    const changed: RoomSummary[] = [];
    const removed: string[] = [];
    for (const roomId of pending) {
      const room = client.getRoom(roomId);
      const membership = room?.getMyMembership();
      if (room && (membership === 'join' || membership === 'invite'))
        changed.push(toRoomSummary(room, direct));
      else removed.push(roomId);
    }
    pending.clear();
    store.getState().updateRooms(changed, removed);
  };
  const refreshRoom = (roomId: string | undefined) => {
    if (!roomId || !prepared) return;
    pending.add(roomId);
    flushTimer ??= setTimeout(flush, 0);
  };

  const onSync = (state: SyncState) => store.getState().setConnection(connectionFromSync(state));
  const onTimeline = (_e: unknown, room: Room | undefined) => refreshRoom(room?.roomId);
  const onRoomChange = (room: Room) => refreshRoom(room.roomId);
  // Unread counts change with our own receipts; the client re-emits those with their room.
  const onReceipt = (_e: unknown, room: Room) => refreshRoom(room.roomId);
  const onState = (event: { getRoomId(): string | undefined }) => refreshRoom(event.getRoomId());
  // In encrypted rooms the SDK counts unread messages itself, once each event is decrypted (its own
  // listener runs first, being registered at construction), so counts change after the timeline event.
  const onDecrypted = (event: MatrixEvent) => refreshRoom(event.getRoomId());

  const unsubscribe = unsubscribeAll([
    listen(client, ClientEvent.Sync, onSync),
    listen(client, ClientEvent.Room, onRoomChange),
    listen(client, RoomEvent.Timeline, onTimeline),
    listen(client, RoomEvent.Name, onRoomChange),
    listen(client, RoomEvent.MyMembership, onRoomChange),
    listen(client, RoomEvent.Receipt, onReceipt),
    listen(client, RoomStateEvent.Events, onState),
    listen(client, MatrixEventEvent.Decrypted, onDecrypted),
    whenPrepared(client, refreshAll),
  ]);
  return () => {
    unsubscribe();
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    pending.clear();
  };
}
