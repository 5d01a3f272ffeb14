// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createAppI18n } from '../app-i18n';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/store-context';
import { RefusedPage } from './join-screens';

afterEach(cleanup);

const invite = { unitName: '桃花村', contact: '赵振华' };

async function show(
  refusal: 'expired' | 'tokenRefused',
  locale: 'zh-CN' | 'en',
  onSignIn?: () => void,
) {
  const onClose = vi.fn();
  render(
    <I18nextProvider i18n={await createAppI18n(locale)}>
      <StoreProvider store={createAppStore()}>
        <RefusedPage
          refusal={refusal}
          invite={invite}
          onClose={onClose}
          {...(onSignIn ? { onSignIn } : {})}
        />
      </StoreProvider>
    </I18nextProvider>,
  );
  return { onClose, text: screen.getByTestId('join-refused').textContent ?? '' };
}

describe('RefusedPage', () => {
  it('a used-up invitation says it reached its limit, names the community and whom to ask, and offers sign-in', async () => {
    const onSignIn = vi.fn();
    const { text } = await show('tokenRefused', 'zh-CN', onSignIn);
    expect(screen.getByTestId('join-refused-unit').textContent).toBe('桃花村的群众邀请');
    expect(text).toContain('名额已满');
    expect(text).not.toContain('已过期');
    expect(screen.getByTestId('join-refused-ask').textContent).toBe(
      '请联系赵振华（桃花村）获取新的邀请链接。',
    );
    fireEvent.click(screen.getByTestId('join-refused-sign-in'));
    expect(onSignIn).toHaveBeenCalledOnce();
  });

  it('the expired page is the same page: community, whom to ask, no sign-in', async () => {
    const { text } = await show('expired', 'zh-CN');
    expect(screen.getByTestId('join-refused-unit').textContent).toBe('桃花村的群众邀请');
    expect(text).toContain('已过期');
    expect(screen.getByTestId('join-refused-ask').textContent).toContain('赵振华（桃花村）');
    expect(screen.queryByTestId('join-refused-sign-in')).toBeNull();
  });

  it('speaks English too', async () => {
    await show('tokenRefused', 'en', () => undefined);
    expect(screen.getByTestId('join-refused').textContent).toContain('reached its limit');
    expect(screen.getByTestId('join-refused-sign-in').textContent).toBe(
      'Already have an account? Sign in',
    );
  });
});
