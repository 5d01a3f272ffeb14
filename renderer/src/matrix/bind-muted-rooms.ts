import { ClientEvent, EventType, type MatrixClient } from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import { listen, unsubscribeAll } from './listen';
import { isRoomMuted } from './notifications';

/**
 * Keeps `mutedRooms` in the store current: the rooms whose push rules mute them, re-read when the
 * account's push rules change (a mute from this or another device arrives through sync) and when
 * rooms come or go. Returns the function that stops it.
 */
export function bindMutedRooms(client: MatrixClient, store: StoreApi<AppState>): () => void {
  let last = '';
  const refresh = () => {
    const ids = Object.keys(store.getState().rooms).filter((id) => isRoomMuted(client, id));
    // Only a change is written: the room list re-renders on every write.
    const key = ids.join('\n');
    if (key === last) return;
    last = key;
    store.getState().setMutedRooms(ids);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.rooms !== prev.rooms) refresh();
  });
  const unlisten = listen(client, ClientEvent.AccountData, (event) => {
    if (event.getType() === (EventType.PushRules as string)) refresh();
  });
  refresh();
  return unsubscribeAll([unsubscribe, unlisten]);
}
