// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { Circular } from '../../../shared/circular/types';
import type { OrgView } from '../../../shared/org/org-view';
import { createAppI18n } from '../app-i18n';
import { createAppStore } from '../store/app-store';
import type { InboxEntry } from '../store/circulars-slice';
import type { RoomSummary } from '../store/rooms-slice';
import { StoreProvider } from '../store/store-context';
import { CircularDetail, forwardTargets } from './circular-detail';
import type { CircularsController } from './circulars-controller';

afterEach(cleanup);

const NOW = Date.now();

const circular = (noForward: boolean): Circular => ({
  id: '0b6f3c2e-8d4a-4f7e-9a51-2c3d4e5f6a7b',
  title: '关于报送统计数据的通知',
  issuingUnit: { code: 'p', name: '示范省统计局' },
  urgency: 'normal',
  issuedAt: NOW,
  ackRequired: false,
  attachments: [],
  targets: [{ unitCode: 'p', scope: 'subtree' }],
  noForward,
  body: '正文',
});

const room = (roomId: string, patch: Partial<RoomSummary> = {}): RoomSummary => ({
  roomId,
  name: roomId,
  unread: 0,
  highlights: 0,
  lastActivity: 0,
  encrypted: true,
  isSpace: false,
  isDirect: false,
  ...patch,
});

const org = {
  units: [],
  members: [],
  roomsByUnit: { p: { noticeRoomId: '!notice:s', departments: [] } },
} as unknown as OrgView;

/** The parts of the controller the view calls. */
function fakeController() {
  return {
    open: vi.fn(async () => undefined),
    forward: vi.fn(async () => undefined),
    acknowledge: vi.fn(async () => undefined),
  };
}

async function renderDetail(
  c: Circular,
  controller = fakeController(),
  entry: Partial<InboxEntry> = {},
) {
  const store = createAppStore();
  store.getState().setOrg(org);
  store
    .getState()
    .setRooms([
      room('!chat:s', { name: '办公室群', lastActivity: 2 }),
      room('!notice:s', { name: '通知公告' }),
      room('!plain:s', { name: '未加密群', encrypted: false }),
      room('!space:s', { isSpace: true }),
    ]);
  store.getState().setCircularInbox(
    [
      {
        roomId: '!notice:s',
        eventId: '$c',
        senderId: '@i:s',
        ts: NOW,
        status: 'read',
        ackQueued: false,
        circular: c,
        ...entry,
      },
    ],
    [],
  );
  render(
    <I18nextProvider i18n={await createAppI18n('zh-CN')}>
      <StoreProvider store={store}>
        <CircularDetail
          roomId="!notice:s"
          eventId="$c"
          controller={controller as unknown as CircularsController}
          onBack={() => undefined}
        />
      </StoreProvider>
    </I18nextProvider>,
  );
  return { controller, store };
}

describe('forwarding a circular', () => {
  it('offers no forward action on a no-forward circular, and says so', async () => {
    await renderDetail(circular(true));
    expect(screen.getByTestId('no-forward').textContent).toBe('本通知禁止转发');
    expect(screen.queryByTestId('forward-open')).toBeNull();
  });

  it('forwards into a chosen encrypted chat; notice rooms, plain rooms and Spaces are not offered', async () => {
    const { controller } = await renderDetail(circular(false));
    fireEvent.click(screen.getByTestId('forward-open'));
    const select = screen.getByTestId('forward-room') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['选择会话…', '办公室群']);
    fireEvent.change(select, { target: { value: '!chat:s' } });
    fireEvent.click(screen.getByTestId('forward-send'));
    await waitFor(() =>
      expect(screen.getByTestId('forward-done').textContent).toBe('已转发到“办公室群”'),
    );
    expect(controller.forward).toHaveBeenCalledWith({
      circular: circular(false),
      toRoomId: '!chat:s',
    });
  });

  it('lists forward targets from the store alone', () => {
    const store = createAppStore();
    store.getState().setOrg(org);
    store
      .getState()
      .setRooms([room('!chat:s'), room('!notice:s'), room('!i:s', { invited: true })]);
    expect(forwardTargets(store.getState()).map((r) => r.roomId)).toEqual(['!chat:s']);
  });
});

describe('an acknowledgment not yet accepted by the server', () => {
  const acked = { status: 'acknowledged', ackQueued: true, ackedAt: NOW } as const;

  it('says it is being sent while online, and waits for the network only while offline', async () => {
    const { store } = await renderDetail(
      { ...circular(false), ackRequired: true },
      fakeController(),
      acked,
    );
    const text = () => screen.getByTestId('ack-done').textContent;
    // A new session starts out connecting.
    expect(text()).toBe('已签收，正在发送…');
    store.getState().setConnection('online');
    await waitFor(() => expect(text()).toBe('已签收，正在发送…'));
    store.getState().setConnection('offline');
    await waitFor(() => expect(text()).toBe('已签收（网络恢复后自动发送）'));
    store.getState().setConnection('online');
    await waitFor(() => expect(text()).toBe('已签收，正在发送…'));
  });
});
