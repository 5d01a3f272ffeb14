// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { MatrixError, type MatrixClient } from 'matrix-js-sdk';
import { createAppI18n } from '../app-i18n';
import { type Language } from '../i18n/i18n';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/store-context';
import { ClientProvider } from '../matrix/client-context';
import type { ClientManager } from '../matrix/client-manager';
import { PersonList } from './person-list';

afterEach(cleanup);

/** A client whose room creation the server refuses with its raw English reason. */
function refusingClient(): MatrixClient {
  return {
    getSafeUserId: () => '@me:t',
    getAccountData: () => undefined,
    getRoom: () => null,
    createRoom: () =>
      Promise.reject(new MatrixError({ errcode: 'M_FORBIDDEN', error: 'power level 0 < 50' }, 403)),
  } as unknown as MatrixClient;
}

async function renderRefused(lang: Language) {
  const i18n = await createAppI18n(lang);
  render(
    <I18nextProvider i18n={i18n}>
      <ClientProvider manager={{ client: refusingClient() } as unknown as ClientManager}>
        <StoreProvider store={createAppStore()}>
          <PersonList
            testId="people"
            people={[
              {
                userId: '@zhangwei:t',
                displayName: '张伟',
                unitCode: 'p',
                unitPath: ['示范省'],
                roles: ['member'],
              },
            ]}
          />
        </StoreProvider>
      </ClientProvider>
    </I18nextProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: lang === 'en' ? 'Message' : '发消息' }));
  return screen.findByTestId('person-list-error');
}

describe('PersonList', () => {
  it('says in Chinese why a chat could not be started, with the raw reason behind 详情', async () => {
    const note = await renderRefused('zh-CN');
    expect(note.querySelector('.error-note-text')?.textContent).toBe(
      '无法发起会话：您没有权限执行此操作。如确需办理，请联系本单位管理员。',
    );
    expect(note.querySelector('summary')?.textContent).toBe('详情');
    expect(note.querySelector('code')?.textContent).toContain('power level 0 < 50');
  });

  it('speaks English when the user chose it', async () => {
    const note = await renderRefused('en');
    expect(note.querySelector('.error-note-text')?.textContent).toMatch(/^Cannot start the chat: /);
    expect(note.querySelector('.error-note-text')?.textContent).not.toContain('power level');
  });
});
