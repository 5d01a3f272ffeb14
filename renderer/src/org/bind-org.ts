import {
  ClientEvent,
  RoomEvent,
  RoomStateEvent,
  type MatrixClient,
  type MatrixEvent,
} from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import type { OrgView } from '../../../shared/org/org-view';
import { listen, unsubscribeAll } from '../matrix/listen';
import { whenPrepared } from '../matrix/when-prepared';
import { ORG_STATE_TYPES, readOrgView } from '../matrix/org-state';
import type { AppState } from '../store/app-store';

/**
 * Display names of the people the org view lists, from their member events in the unit Spaces
 * (where the directory's people are members), else from any room the client knows them from.
 */
export function readOrgNames(client: MatrixClient, org: OrgView): Record<string, string> {
  const names: Record<string, string> = {};
  for (const m of org.members) {
    if (names[m.userId]) continue;
    const spaceId = org.roomsByUnit[m.unitCode]?.spaceId;
    const member = spaceId ? client.getRoom(spaceId)?.getMember(m.userId) : null;
    const name = member?.rawDisplayName || client.getUser(m.userId)?.displayName;
    if (name && name !== m.userId) names[m.userId] = name;
  }
  return names;
}

/** Spaces whose member lists were requested, per client, so each is asked for once per session. */
const requestedSpaces = new WeakMap<MatrixClient, Set<string>>();

/**
 * Members of Spaces are loaded lazily (the client syncs with lazy-loaded members), and nobody posts
 * in a Space, so the directory asks for each Space's member list once, when it is first shown (not
 * at start-up, where a user in many units would delay the room list). The `m.room.member` events
 * that arrive make {@link bindOrg} rebuild the names.
 */
export function loadSpaceMembers(client: MatrixClient, org: OrgView): void {
  let requested = requestedSpaces.get(client);
  if (!requested) {
    requested = new Set();
    requestedSpaces.set(client, requested);
  }
  for (const rooms of Object.values(org.roomsByUnit)) {
    const id = rooms.spaceId;
    if (!id || requested.has(id)) continue;
    const room = client.getRoom(id);
    if (!room) continue;
    requested.add(id);
    room.loadMembersIfNeeded().catch(() => requested.delete(id));
  }
}

/**
 * Keeps the store's org view current: rebuilt after the first sync, whenever a unit, unit-room or
 * membership state event arrives, and whenever the user's own membership of any room changes
 * (coalesced to one rebuild per tick, since a sync brings many at once).
 * Until the client is prepared, events only wait for the rebuild at `SyncState.Prepared`: while the
 * sync cache loads, rooms arrive one per tick, and a rebuild per room reads every room (quadratic).
 * Returns the function that removes its listeners.
 */
export function bindOrg(client: MatrixClient, store: StoreApi<AppState>): () => void {
  let scheduled = false;
  let prepared = client.isInitialSyncComplete();
  const rebuild = () => {
    if (scheduled || !prepared) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      const org = readOrgView(client);
      store.getState().setOrg(org, readOrgNames(client, org));
    });
  };
  const onState = (event: MatrixEvent) => {
    const type = event.getType();
    if ((ORG_STATE_TYPES as readonly string[]).includes(type)) rebuild();
    // A name change or a newcomer in a unit Space changes what the directory shows.
    else if (type === 'm.room.member' && client.getRoom(event.getRoomId())?.isSpaceRoom())
      rebuild();
  };
  const onRoom = () => rebuild();
  // Member lists loaded on demand (loadSpaceMembers) arrive as member updates, not state events.
  const onMembers = (event: MatrixEvent) => {
    if (client.getRoom(event.getRoomId())?.isSpaceRoom()) rebuild();
  };
  const unsubscribe = unsubscribeAll([
    listen(client, RoomStateEvent.Events, onState),
    listen(client, RoomStateEvent.Members, onMembers),
    listen(client, ClientEvent.Room, onRoom),
    // The view reads joined rooms only, and a room's state can arrive (and be read) before the
    // user's membership turns to join: a resident placed in the residents' notice room, which is no
    // Space, would otherwise miss it until some unrelated org event, and distrust its circulars.
    listen(client, RoomEvent.MyMembership, onRoom),
    listen(client, ClientEvent.DeleteRoom, onRoom),
    whenPrepared(client, () => {
      prepared = true;
      rebuild();
    }),
  ]);
  return unsubscribe;
}
