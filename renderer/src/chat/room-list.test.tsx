// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createAppI18n } from '../app-i18n';
import { createAppStore } from '../store/app-store';
import type { RoomSummary } from '../store/rooms-slice';
import { StoreProvider } from '../store/store-context';
import { RoomList } from './room-list';
import { roomSummary as room } from '../store/testing/room-summary';

afterEach(cleanup);

async function renderList(rooms: RoomSummary[]) {
  const store = createAppStore();
  store.getState().setRooms(rooms);
  const i18n = await createAppI18n('zh-CN');
  const onNew = vi.fn();
  render(
    <I18nextProvider i18n={i18n}>
      <StoreProvider store={store}>
        <RoomList onNew={onNew} />
      </StoreProvider>
    </I18nextProvider>,
  );
  return { store, onNew };
}

describe('RoomList', () => {
  it('sorts by activity, flags unencrypted rooms and mentions, and opens a room on click', async () => {
    const { store } = await renderList([
      room({ roomId: '!old:t', name: '旧群', lastActivity: 1, encrypted: false }),
      room({
        roomId: '!new:t',
        name: '新群',
        lastActivity: 5,
        unread: 3,
        highlights: 1,
        preview: { senderName: '王芳', body: '请看' },
      }),
      room({ roomId: '!space:t', name: '空间', isSpace: true }),
    ]);
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-room-id'))).toEqual(['!new:t', '!old:t']);
    expect(items[0]?.textContent).toContain('王芳: 请看');
    expect(items[0]?.querySelector('.badge.highlight')?.textContent).toBe('@3');
    expect(screen.getAllByTestId('unencrypted-room')).toHaveLength(1);
    expect(items[1]?.textContent).toContain('未加密');
    fireEvent.click(items[1]!);
    expect(store.getState().activeRoomId).toBe('!old:t');
  });

  it('offers new direct and group chats', async () => {
    const { onNew } = await renderList([]);
    expect(screen.getByText('暂无会话')).toBeTruthy();
    fireEvent.click(screen.getByTestId('new-dm'));
    fireEvent.click(screen.getByTestId('new-room'));
    expect(onNew.mock.calls).toEqual([['dm'], ['room']]);
  });
});
