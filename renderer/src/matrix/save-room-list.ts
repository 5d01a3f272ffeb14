import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { RoomListCache } from './room-list-cache';

/** At most one save of the room list per this interval: a sync can change many rooms at once. */
const ROOM_LIST_SAVE_INTERVAL_MS = 1000;

/**
 * Saves the live room list to the device's sealed cache shortly after it changes (at most once per
 * {@link ROOM_LIST_SAVE_INTERVAL_MS}). Returns the function that stops it.
 */
export function saveRoomListOnChange(store: StoreApi<AppState>, cache: RoomListCache): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.rooms === prev.rooms || !s.roomsLoaded || s.roomsFromCache || timer) return;
    timer = setTimeout(() => {
      timer = null;
      const { rooms, roomsLoaded, roomsFromCache } = store.getState();
      if (!roomsLoaded || roomsFromCache) return;
      cache
        .save(Object.values(rooms))
        .catch((err: Error) => console.warn(`[session] room list not saved: ${err.message}`));
    }, ROOM_LIST_SAVE_INTERVAL_MS);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
