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
  setRooms(rooms: RoomSummary[]): void;
  upsertRoom(room: RoomSummary): void;
  removeRoom(roomId: string): void;
  clearRooms(): void;
}

export const createRoomsSlice: StateCreator<AppState, [], [], RoomsSlice> = (set) => ({
  rooms: {},
  roomsLoaded: false,
  setRooms: (list) =>
    set({ rooms: Object.fromEntries(list.map((r) => [r.roomId, r])), roomsLoaded: true }),
  upsertRoom: (room) => set((s) => ({ rooms: { ...s.rooms, [room.roomId]: room } })),
  removeRoom: (roomId) =>
    set((s) => {
      const { [roomId]: _removed, ...rest } = s.rooms;
      return { rooms: rest };
    }),
  clearRooms: () => set({ rooms: {}, roomsLoaded: false }),
});

/** Rooms for the chat list: no spaces, most recent activity first. */
export function selectChatRooms(state: Pick<RoomsSlice, 'rooms'>): RoomSummary[] {
  return Object.values(state.rooms)
    .filter((r) => !r.isSpace)
    .sort((a, b) => b.lastActivity - a.lastActivity || a.name.localeCompare(b.name, 'zh-CN'));
}
