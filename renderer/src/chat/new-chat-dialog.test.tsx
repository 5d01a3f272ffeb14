// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { MatrixError, type MatrixClient } from 'matrix-js-sdk';
import { createAppI18n } from '../app-i18n';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/store-context';
import { ClientProvider } from '../matrix/client-context';
import type { ClientManager } from '../matrix/client-manager';
import { NewChatDialog } from './new-chat-dialog';

afterEach(cleanup);

describe('NewChatDialog', () => {
  it('says in Chinese why a group could not be created, the raw server text behind 详情', async () => {
    const client = {
      getSafeUserId: () => '@me:t',
      getUserId: () => '@me:t',
      createRoom: () =>
        Promise.reject(
          new MatrixError({ errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests' }, 429),
        ),
    } as unknown as MatrixClient;
    const onClose = vi.fn();
    render(
      <I18nextProvider i18n={await createAppI18n('zh-CN')}>
        <ClientProvider manager={{ client } as unknown as ClientManager}>
          <StoreProvider store={createAppStore()}>
            <NewChatDialog mode="room" onClose={onClose} />
          </StoreProvider>
        </ClientProvider>
      </I18nextProvider>,
    );
    fireEvent.change(screen.getByTestId('room-name'), { target: { value: '综合科' } });
    fireEvent.click(screen.getByTestId('room-create'));
    const note = await screen.findByTestId('new-chat-error');
    expect(note.querySelector('.error-note-text')?.textContent).toBe(
      '操作过于频繁，请稍等片刻再试。',
    );
    expect(note.querySelector('code')?.textContent).toContain('Too Many Requests');
    expect(onClose).not.toHaveBeenCalled();
  });
});
