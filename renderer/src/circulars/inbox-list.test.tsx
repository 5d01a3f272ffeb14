// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { Circular } from '../../../shared/circular/types';
import { createAppI18n } from '../app-i18n';
import { createAppStore } from '../store/app-store';
import type { AwaitingKeyEntry, InboxEntry } from '../store/circulars-slice';
import { StoreProvider } from '../store/store-context';
import { InboxList } from './inbox-list';

afterEach(cleanup);

const NOW = Date.now();
const DAY = 86_400_000;

function entry(
  title: string,
  patch: Partial<Circular>,
  status: InboxEntry['status'] = 'unread',
): InboxEntry {
  return {
    roomId: '!r:s',
    eventId: `$${title}`,
    senderId: '@issuer:s',
    ts: NOW,
    status,
    ackQueued: false,
    circular: {
      id: '0b6f3c2e-8d4a-4f7e-9a51-2c3d4e5f6a7b',
      title,
      issuingUnit: { code: 'p', name: '示范省人民政府办公厅' },
      urgency: 'normal',
      issuedAt: NOW - DAY,
      ackRequired: true,
      ackDeadline: NOW + 2 * DAY,
      attachments: [],
      targets: [{ unitCode: 'p', scope: 'subtree' }],
      noForward: false,
      body: '正文',
      ...patch,
    },
  };
}

async function renderInbox(
  entries: InboxEntry[],
  onOpen = vi.fn(),
  awaiting: AwaitingKeyEntry[] = [],
) {
  const store = createAppStore();
  store.getState().setAwaitingKeys(awaiting);
  store.getState().setCircularInbox(entries, [
    {
      roomId: '!r:s',
      eventId: '$bad',
      senderId: '@member:s',
      ts: NOW,
      kind: 'unauthorised',
      detail: 'power level 0 < 50',
      body: '【特急】伪造的通知',
    },
  ]);
  render(
    <I18nextProvider i18n={await createAppI18n('zh-CN')}>
      <StoreProvider store={store}>
        <InboxList onOpen={onOpen} />
      </StoreProvider>
    </I18nextProvider>,
  );
  return onOpen;
}

describe('InboxList', () => {
  it('shows urgency, countdown and overdue, and opens an item', async () => {
    const onOpen = await renderInbox([
      entry('特急通知', { urgency: 'extra_urgent', ackDeadline: NOW + 3 * 3600_000 }),
      entry('逾期通知', { ackDeadline: NOW - DAY - 3600_000 }),
      entry('已签收通知', {}, 'acknowledged'),
    ]);
    const items = screen.getAllByTestId('inbox-item');
    expect(items[0]?.textContent).toContain('特急');
    expect(items[0]?.textContent).toMatch(/剩余 2小时5\d分钟|剩余 3小时0分钟/);
    expect(items[1]?.textContent).toContain('已逾期 1天1小时');
    expect(items[2]?.getAttribute('data-status')).toBe('acknowledged');
    expect(screen.getByText('待签收 2 件')).toBeTruthy();
    fireEvent.click(items[1] as HTMLElement);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ eventId: '$逾期通知' }));
  });

  it('shows an untrusted circular-shaped message as plain text with a warning', async () => {
    await renderInbox([]);
    const invalid = screen.getByTestId('invalid-circular');
    expect(invalid.textContent).toContain('发送者无发文权限');
    expect(invalid.textContent).toContain('【特急】伪造的通知');
  });

  it('shows who sent each circular and when the server got it, and marks a backdated one', async () => {
    await renderInbox([
      entry('倒签通知', { issuedAt: NOW - DAY }),
      entry('当日通知', { issuedAt: NOW - 60_000 }),
    ]);
    const [backdated, current] = screen.getAllByTestId('inbox-item');
    expect(backdated?.textContent).toContain('发送人 @issuer:s');
    expect(backdated?.textContent).toContain('服务器收到');
    expect(backdated?.querySelector('[data-testid="circular-backdated"]')?.textContent).toBe(
      '落款时间早于服务器收到时间',
    );
    expect(current?.querySelector('[data-testid="circular-backdated"]')).toBeNull();
    expect(screen.getByTestId('invalid-circular').textContent).toContain('发送人 @member:s');
  });

  it('lists a copy waiting for its key once, and drops the waiting row as soon as the copy reads', async () => {
    const waiting = (eventId: string): AwaitingKeyEntry => ({
      kind: 'circular',
      roomId: '!r:s',
      eventId,
      senderId: '@issuer:s',
      ts: NOW,
      unitCode: 'p',
    });
    // `$已解密` decrypted a moment before the key-grant pass took it off the waiting list.
    await renderInbox([entry('已解密', {})], vi.fn(), [waiting('$已解密'), waiting('$仍加密')]);
    expect(screen.getAllByTestId('inbox-item')).toHaveLength(1);
    expect(screen.getAllByTestId('inbox-awaiting-key')).toHaveLength(1);
  });
});
