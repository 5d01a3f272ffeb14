import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { selectChatRooms } from './rooms-slice';
import { roomSummary as room } from './testing/room-summary';

describe('rooms slice', () => {
  it('shows the saved list until the live one comes, and never over the live one', () => {
    const store = createAppStore();
    store.getState().showCachedRooms([room({ roomId: '!old:t', name: '上次的群' })]);
    expect(store.getState()).toMatchObject({ roomsLoaded: true, roomsFromCache: true });
    expect(Object.keys(store.getState().rooms)).toEqual(['!old:t']);

    store.getState().setRooms([room({ roomId: '!live:t' })]);
    expect(store.getState()).toMatchObject({ roomsLoaded: true, roomsFromCache: false });
    expect(Object.keys(store.getState().rooms)).toEqual(['!live:t']);

    // A saved list read late (a slow disk) must not replace the live one.
    store.getState().showCachedRooms([room({ roomId: '!old:t' })]);
    expect(Object.keys(store.getState().rooms)).toEqual(['!live:t']);
    expect(store.getState().roomsFromCache).toBe(false);

    store.getState().clearRooms();
    expect(store.getState()).toMatchObject({ roomsLoaded: false, roomsFromCache: false });
  });

  it('keeps the summary object of a room that did not change when the whole list is set again', () => {
    const store = createAppStore();
    store.getState().setRooms([room({ roomId: '!a:t' }), room({ roomId: '!b:t', unread: 1 })]);
    const before = store.getState().rooms;
    store
      .getState()
      .setRooms([
        room({ roomId: '!a:t', preview: undefined }),
        room({ roomId: '!b:t', unread: 2 }),
      ]);
    const after = store.getState().rooms;
    expect(after['!a:t']).toBe(before['!a:t']);
    expect(after['!b:t']).not.toBe(before['!b:t']);
    expect(after['!b:t']?.unread).toBe(2);
  });

  it('updates and removes rooms in one change, and makes none when nothing shown changed', () => {
    const store = createAppStore();
    store.getState().setRooms([room({ roomId: '!a:t' }), room({ roomId: '!b:t' })]);
    let changes = 0;
    store.subscribe(() => changes++);
    store
      .getState()
      .updateRooms(
        [room({ roomId: '!a:t', preview: { senderName: '王芳', body: '好' } })],
        ['!b:t'],
      );
    expect(changes).toBe(1);
    expect(Object.keys(store.getState().rooms)).toEqual(['!a:t']);
    store
      .getState()
      .updateRooms(
        [room({ roomId: '!a:t', preview: { senderName: '王芳', body: '好' } })],
        ['!x:t'],
      );
    expect(changes).toBe(1);
  });

  it('sorts the chat list once per room map, newest activity first, then by name', () => {
    const store = createAppStore();
    store
      .getState()
      .setRooms([
        room({ roomId: '!old:t', name: '乙', lastActivity: 1 }),
        room({ roomId: '!space:t', isSpace: true, lastActivity: 9 }),
        room({ roomId: '!tie2:t', name: '乙', lastActivity: 5 }),
        room({ roomId: '!tie1:t', name: '甲', lastActivity: 5 }),
      ]);
    const list = selectChatRooms(store.getState());
    expect(list.map((r) => r.roomId)).toEqual(['!tie1:t', '!tie2:t', '!old:t']);
    store.getState().setConnection('online');
    expect(selectChatRooms(store.getState())).toBe(list);
  });
});
