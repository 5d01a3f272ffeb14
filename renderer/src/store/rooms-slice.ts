import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/** Plain summary of one joined room, as the room list shows it. */
export interface RoomSummary {
  roomId: string;
  name: string;
  /** Unread notification count (server-side push counts). */
  unread: number;
  /** Unread highlight (mention) count. */
  highlights: number;
  /** Timestamp of the latest event, for sorting by activity. */
  lastActivity: number;
  encrypted: boolean;
  isSpace: boolean;
  isDirect: boolean;
  /** True while the user is invited but has not joined yet. */
  invited?: boolean;
  /** The latest readable message, for the room list (absent until it is decrypted). */
  preview?: { senderName: string; body: string };
}

/** Joined rooms as plain data, replaced wholesale on change (never mutated). */
export interface RoomsSlice {
  rooms: Record<string, RoomSummary>;
  roomsLoaded: boolean;
  /**
   * True while the list shown is the sealed copy saved by the last session on this device: the
   * client is still starting, and its rooms are not there yet.
   */
  roomsFromCache: boolean;
  setRooms(rooms: RoomSummary[]): void;
  /** Shows the last session's saved list, unless the live one is already there. */
  showCachedRooms(rooms: RoomSummary[]): void;
  /** Replaces the summaries of `changed` rooms and drops `removed` ones, in one update. */
  updateRooms(changed: readonly RoomSummary[], removed: readonly string[]): void;
  clearRooms(): void;
}

export const createRoomsSlice: StateCreator<AppState, [], [], RoomsSlice> = (set) => ({
  rooms: {},
  roomsLoaded: false,
  roomsFromCache: false,
  showCachedRooms: (list) =>
    set((s) =>
      s.roomsLoaded
        ? s
        : {
            rooms: Object.fromEntries(list.map((r) => [r.roomId, r])),
            roomsLoaded: true,
            roomsFromCache: true,
          },
    ),
  setRooms: (list) =>
    set((s) => ({
      // An unchanged room keeps its summary object, so the list row showing it does not re-render.
      rooms: Object.fromEntries(
        list.map((r) => {
          const before = s.rooms[r.roomId];
          return [r.roomId, before && sameSummary(before, r) ? before : r];
        }),
      ),
      roomsLoaded: true,
      roomsFromCache: false,
    })),
  updateRooms: (changed, removed) =>
    set((s) => {
      const updates = changed.filter((r) => {
        const before = s.rooms[r.roomId];
        return !before || !sameSummary(before, r);
      });
      const removals = removed.filter((id) => id in s.rooms);
      // Nothing the list shows changed (a receipt, a member update): no new state, no re-render.
      if (updates.length === 0 && removals.length === 0) return s;
      const rooms = { ...s.rooms };
      for (const room of updates) rooms[room.roomId] = room;
      for (const roomId of removals) delete rooms[roomId];
      return { rooms };
    }),
  clearRooms: () => set({ rooms: {}, roomsLoaded: false, roomsFromCache: false }),
});

/** Whether two summaries of a room show the same thing. */
function sameSummary(a: RoomSummary, b: RoomSummary): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof RoomSummary)[]);
  for (const k of keys) {
    if (k === 'preview') {
      if (a.preview?.senderName !== b.preview?.senderName || a.preview?.body !== b.preview?.body)
        return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

/** Orders names the way a Chinese reader expects; one collator, not one per comparison. */
const nameOrder = new Intl.Collator('zh-CN');

/** The sorted chat list of each room map: selectors run on every store change, sorting only on a new map. */
const chatRoomsOf = new WeakMap<Record<string, RoomSummary>, RoomSummary[]>();

/** Rooms for the chat list: no spaces, most recent activity first. Do not mutate the result (shared). */
export function selectChatRooms(state: Pick<RoomsSlice, 'rooms'>): RoomSummary[] {
  let list = chatRoomsOf.get(state.rooms);
  if (!list) {
    list = Object.values(state.rooms)
      .filter((r) => !r.isSpace)
      .sort((a, b) => b.lastActivity - a.lastActivity || nameOrder.compare(a.name, b.name));
    chatRoomsOf.set(state.rooms, list);
  }
  return list;
}
