import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { parsePlace, syncHistory, type HistoryHost } from './history-sync';

/** A browser history in memory: entries, the current index, and popstate on back(). */
function fakeHistory() {
  const entries: unknown[] = [null];
  let index = 0;
  const listeners = new Set<(e: PopStateEvent) => void>();
  const host: HistoryHost = {
    history: {
      get state() {
        return entries[index];
      },
      pushState(state: unknown) {
        entries.splice(index + 1);
        entries.push(state);
        index += 1;
      },
      replaceState(state: unknown) {
        entries[index] = state;
      },
    },
    addEventListener: (_t, fn) => listeners.add(fn),
    removeEventListener: (_t, fn) => listeners.delete(fn),
  };
  const back = () => {
    index -= 1;
    for (const fn of listeners) fn({ state: entries[index] } as PopStateEvent);
  };
  return { host, back, length: () => entries.length };
}

describe('history sync', () => {
  it('pushes each move and going back restores the previous place', () => {
    const store = createAppStore();
    const h = fakeHistory();
    syncHistory(store, h.host);
    store.getState().setActiveView('circulars');
    store.getState().setCircularsPanel({ kind: 'view', roomId: '!r:hs', eventId: '$e' });
    expect(h.length()).toBe(3);

    h.back();
    expect(store.getState().circularsPanel).toEqual({ kind: 'inbox' });
    expect(store.getState().activeView).toBe('circulars');
    // Applying a remembered place does not push another entry.
    expect(h.length()).toBe(3);
    h.back();
    expect(store.getState().activeView).toBe('chat');
  });

  it('a conversation goes back to the room list', () => {
    const store = createAppStore();
    const h = fakeHistory();
    syncHistory(store, h.host);
    store.getState().setActiveRoom('!room:hs');
    h.back();
    expect(store.getState().activeRoomId).toBeNull();
  });

  it('ignores history entries that are not ours or are malformed', () => {
    expect(parsePlace(null)).toBeNull();
    expect(parsePlace({ other: 1 })).toBeNull();
    expect(
      parsePlace({ hongyanNav: { view: 'evil', panel: { kind: 'inbox' }, roomId: null } }),
    ).toBeNull();
    expect(
      parsePlace({
        hongyanNav: { view: 'circulars', panel: { kind: 'view', roomId: 5 }, roomId: null },
      }),
    ).toBeNull();
    expect(
      parsePlace({ hongyanNav: { view: 'chat', panel: { kind: 'inbox' }, roomId: '!a:hs' } }),
    ).toEqual({ view: 'chat', panel: { kind: 'inbox' }, roomId: '!a:hs' });
  });

  it('stops syncing when disposed', () => {
    const store = createAppStore();
    const h = fakeHistory();
    const stop = syncHistory(store, h.host);
    stop();
    store.getState().setActiveView('directory');
    expect(h.length()).toBe(1);
  });
});
