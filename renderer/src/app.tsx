import { useCallback, useEffect, useRef } from 'react';
import { useAppStore, useAppStoreApi } from './store/store-context';
import { useClientManager } from './matrix/client-context';
import { bindSession } from './matrix/bind-session';
import { LoginScreen } from './screens/login-screen';
import { HomeScreen } from './screens/home-screen';
import type { AppConfig } from './platform/app-config';

/** Top-level flow: login, then the signed-in shell. */
export function App({ config }: { config: AppConfig }) {
  const manager = useClientManager();
  const store = useAppStoreApi();
  const status = useAppStore((s) => s.status);
  const unbind = useRef<(() => void) | null>(null);

  const login = useCallback(
    async (params: { homeserverUrl: string; username: string; password: string }) => {
      const state = store.getState();
      state.setSigningIn();
      const result = await manager.login({ ...params, deviceDisplayName: deviceName() });
      if (!result.ok) {
        state.setLoginError(result.error);
        return;
      }
      try {
        const client = await manager.start(result.credentials);
        unbind.current = bindSession(client, store);
        const { userId, deviceId, homeserverUrl } = result.credentials;
        state.setSignedIn({ userId, deviceId, homeserverUrl, displayName: null });
        client
          .getProfileInfo(userId)
          .then((p) => store.getState().setDisplayName(p.displayname ?? null))
          .catch(() => undefined);
      } catch (err) {
        await manager.stop();
        state.setLoginError({ kind: 'crypto', detail: (err as Error).message });
      }
    },
    [manager, store],
  );

  const logout = useCallback(async () => {
    unbind.current?.();
    unbind.current = null;
    await manager.logout().catch(() => manager.stop());
    store.getState().clearRooms();
    store.getState().setSignedOut();
  }, [manager, store]);

  useEffect(() => () => unbind.current?.(), []);

  if (status === 'signed-in') return <HomeScreen onLogout={() => void logout()} />;
  return <LoginScreen defaultHomeserverUrl={config.defaultHomeserverUrl} onSubmit={(p) => void login(p)} />;
}

/** Device name shown in the user's session list. */
function deviceName(): string {
  return __HONGYAN_TARGET__ === 'desktop' ? '鸿雁桌面版' : '鸿雁网页版';
}
