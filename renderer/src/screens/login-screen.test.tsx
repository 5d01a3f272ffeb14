// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createAppI18n } from '../app-i18n';
import { type Language } from '../i18n/i18n';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/store-context';
import { LoginScreen } from './login-screen';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function renderLogin(
  language: Language = 'zh-CN',
  keepingChoice = false,
  opts: { passwordLogin?: boolean } = {},
) {
  const store = createAppStore({ language });
  const i18n = await createAppI18n(language);
  const onSubmit = vi.fn();
  const onSso = vi.fn();
  render(
    <I18nextProvider i18n={i18n}>
      <StoreProvider store={store}>
        <LoginScreen
          defaultHomeserverUrl="http://127.0.0.1:8008"
          keepingChoice={keepingChoice}
          onSubmit={onSubmit}
          onSso={onSso}
          passwordLogin={opts.passwordLogin ?? true}
        />
      </StoreProvider>
    </I18nextProvider>,
  );
  return { store, onSubmit, onSso };
}

/** The homeserver's answer to `GET /login`: password, SSO at the province's platform, token. */
function serveFlows(): void {
  const body = {
    flows: [
      { type: 'm.login.password' },
      { type: 'm.login.sso', identity_providers: [{ id: 'oidc-province', name: '统一身份认证' }] },
      { type: 'm.login.token' },
    ],
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body))),
  );
}

describe('LoginScreen with single sign-on', () => {
  it('shows the 统一身份认证登录 button the server offers and starts SSO with it', async () => {
    serveFlows();
    const { onSso } = await renderLogin();
    const button = await screen.findByTestId('login-sso');
    expect(button.textContent).toBe('统一身份认证登录');
    expect(screen.getByTestId('login-password')).toBeTruthy();
    fireEvent.click(button);
    expect(onSso).toHaveBeenCalledWith({
      homeserverUrl: 'http://127.0.0.1:8008',
      idpId: 'oidc-province',
    });
  });

  it('hides the password form when the deployment turns password sign-in off', async () => {
    serveFlows();
    await renderLogin('zh-CN', false, { passwordLogin: false });
    await screen.findByTestId('login-sso');
    expect(screen.queryByTestId('login-password')).toBeNull();
    expect(screen.queryByTestId('login-submit')).toBeNull();
  });

  it('says so when password sign-in is off and the server offers no SSO', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ flows: [{ type: 'm.login.password' }] }))),
    );
    await renderLogin('zh-CN', false, { passwordLogin: false });
    await waitFor(() => expect(screen.getByTestId('login-password-disabled')).toBeTruthy());
    expect(screen.queryByTestId('login-sso')).toBeNull();
  });
});

describe('LoginScreen', () => {
  it('is in Chinese by default with the homeserver pre-filled', async () => {
    await renderLogin();
    expect(screen.getByRole('heading').textContent).toBe('登录鸿雁');
    expect((screen.getByTestId('login-homeserver') as HTMLInputElement).value).toBe(
      'http://127.0.0.1:8008',
    );
  });

  it('submits what the user typed', async () => {
    const { onSubmit } = await renderLogin();
    fireEvent.change(screen.getByTestId('login-username'), { target: { value: 'liming' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(onSubmit).toHaveBeenCalledWith({
      homeserverUrl: 'http://127.0.0.1:8008',
      username: 'liming',
      password: 'pw',
    });
  });

  it.each([
    [
      'zh-CN',
      { kind: 'unreachable', url: 'http://x' },
      '无法连接服务器 http://x，请检查地址或服务器是否已启动。',
    ],
    ['en', { kind: 'badCredentials' }, 'Wrong username or password.'],
    ['en', { kind: 'rateLimited', seconds: 4 }, 'Too many attempts. Try again in 4 seconds.'],
  ] as const)('explains %s error %j in the user language', async (lang, error, text) => {
    const { store } = await renderLogin(lang);
    store.getState().setLoginError(error);
    expect((await screen.findByTestId('login-error')).textContent).toBe(text);
  });

  it('disables the button while signing in', async () => {
    const { store, onSubmit } = await renderLogin();
    store.getState().setSigningIn();
    const button = (await screen.findByText('正在登录…')) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('login-form'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('web mode: keeps the session under a passphrase only when both entries match', async () => {
    const { onSubmit } = await renderLogin('zh-CN', true);
    fireEvent.change(screen.getByTestId('login-username'), { target: { value: 'liming' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByTestId('login-keeping-passphrase'));
    fireEvent.change(screen.getByTestId('login-passphrase'), {
      target: { value: 'long enough 1' },
    });
    fireEvent.change(screen.getByTestId('login-passphrase-confirm'), {
      target: { value: 'long enough 2' },
    });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(screen.getByTestId('login-keeping-error').textContent).toBe(
      '两次输入的解锁口令不一致。',
    );
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('login-passphrase-confirm'), {
      target: { value: 'long enough 1' },
    });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ keeping: { mode: 'passphrase', passphrase: 'long enough 1' } }),
    );
  });

  it('web mode: 不保存登录 submits a session-only sign-in', async () => {
    const { onSubmit } = await renderLogin('zh-CN', true);
    fireEvent.change(screen.getByTestId('login-username'), { target: { value: 'liming' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByTestId('login-keeping-session'));
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ keeping: { mode: 'session' } }),
    );
  });
});
