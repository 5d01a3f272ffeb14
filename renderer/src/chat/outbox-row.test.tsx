// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createAppI18n } from '../app-i18n';
import { SessionProvider } from '../session/session-context';
import { createAppStore } from '../store/app-store';
import type { OutboxItem } from '../store/outbox-item';
import { StoreProvider } from '../store/store-context';
import { OutboxRow } from './message-row';

afterEach(cleanup);

const item = (attempts: number): OutboxItem => ({
  txnId: 't1',
  roomId: '!chat:s',
  eventType: 'm.room.message',
  content: { msgtype: 'm.text', body: '收到' },
  createdAt: 1,
  status: 'pending',
  attempts,
});

async function renderRow(attempts: number) {
  const store = createAppStore();
  // The row reads the controller only for retry and delete, which these cases do not press.
  const session = {} as Parameters<typeof SessionProvider>[0]['value'];
  render(
    <I18nextProvider i18n={await createAppI18n('zh-CN')}>
      <StoreProvider store={store}>
        <SessionProvider value={session}>
          <OutboxRow item={item(attempts)} />
        </SessionProvider>
      </StoreProvider>
    </I18nextProvider>,
  );
  return { store, text: () => screen.getByTestId('outbox-item').textContent };
}

describe('a message not yet sent', () => {
  it('says it is sending while online, even after a failed attempt', async () => {
    const { store, text } = await renderRow(2);
    store.getState().setConnection('online');
    await waitFor(() => expect(text()).toContain('发送中…'));
    expect(text()).not.toContain('等待网络');
  });

  it('says it waits for the network only while offline', async () => {
    const { store, text } = await renderRow(1);
    store.getState().setConnection('offline');
    await waitFor(() => expect(text()).toContain('等待网络，恢复后自动发送'));
    store.getState().setConnection('online');
    await waitFor(() => expect(text()).toContain('发送中…'));
  });
});
