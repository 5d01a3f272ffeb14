import { describe, expect, it } from 'vitest';
import { ClientEvent, RoomEvent, SyncState, type MatrixClient, type Room } from 'matrix-js-sdk';
import { createAppStore } from '../store/app-store';
import { bindSession } from './bind-session';

/** Just what `toRoomSummary` reads of a room. */
function fakeRoom(roomId: string, name: string, lastActive: number) {
  const room = {
    roomId,
    name,
    unread: 0,
    lastActive,
    getUnreadNotificationCount: () => room.unread,
    getLastActiveTimestamp: () => room.lastActive,
    hasEncryptionStateEvent: () => true,
    isSpaceRoom: () => false,
    getDMInviter: () => undefined,
    getMyMembership: () => 'join',
    getLiveTimeline: () => ({ getEvents: () => [] }),
    getMember: () => null,
  };
  return room;
}

/** A client that emits like the SDK and answers what the binder asks. */
function fakeClient(rooms: ReturnType<typeof fakeRoom>[]) {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  let syncState: SyncState | null = null;
  const client = {
    on(event: string, listener: Listener) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(listener));
      return client;
    },
    off(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
      return client;
    },
    emit(event: string, ...args: unknown[]) {
      for (const listener of listeners.get(event) ?? []) listener(...args);
    },
    getVisibleRooms: () => rooms,
    getRoom: (id: string) => rooms.find((r) => r.roomId === id) ?? null,
    getAccountData: () => undefined,
    isInitialSyncComplete: () => syncState === SyncState.Prepared,
    sync(state: SyncState) {
      syncState = state;
      client.emit(ClientEvent.Sync, state);
    },
  };
  return { client, asMatrixClient: client as unknown as MatrixClient };
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('bindSession', () => {
  it('loads the list once at Prepared, then writes changed rooms in one update per task', async () => {
    const a = fakeRoom('!a:t', '甲', 1);
    const b = fakeRoom('!b:t', '乙', 2);
    const { client, asMatrixClient } = fakeClient([a, b]);
    const store = createAppStore();
    let changes = 0;
    store.subscribe((s, prev) => {
      if (s.rooms !== prev.rooms) changes++;
    });
    const unbind = bindSession(asMatrixClient, store);

    // While the sync cache loads, per-room events are left to the full read at Prepared.
    client.emit(RoomEvent.Timeline, {}, a as unknown as Room);
    await nextTask();
    expect(changes).toBe(0);
    expect(store.getState().roomsLoaded).toBe(false);

    client.sync(SyncState.Prepared);
    expect(store.getState().roomsLoaded).toBe(true);
    expect(Object.keys(store.getState().rooms).sort()).toEqual(['!a:t', '!b:t']);
    expect(changes).toBe(1);

    a.unread = 2;
    a.lastActive = 5;
    b.unread = 1;
    client.emit(RoomEvent.Timeline, {}, a as unknown as Room);
    client.emit(RoomEvent.Receipt, {}, b as unknown as Room);
    client.emit(RoomEvent.Timeline, {}, a as unknown as Room);
    expect(changes).toBe(1);
    await nextTask();
    expect(changes).toBe(2);
    expect(store.getState().rooms['!a:t']).toMatchObject({ unread: 2, lastActivity: 5 });
    expect(store.getState().rooms['!b:t']?.unread).toBe(1);

    unbind();
  });

  it('reads the list at once when bound to a client that is already prepared', () => {
    const { client, asMatrixClient } = fakeClient([fakeRoom('!a:t', '甲', 1)]);
    client.sync(SyncState.Prepared);
    const store = createAppStore();
    const unbind = bindSession(asMatrixClient, store);
    expect(store.getState().roomsLoaded).toBe(true);
    expect(Object.keys(store.getState().rooms)).toEqual(['!a:t']);
    unbind();
  });
});
