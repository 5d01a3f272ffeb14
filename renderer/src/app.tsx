import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore, useAppStoreApi } from './store/store-context';
import { useClientManager } from './matrix/client-context';
import { SessionController } from './session/session-controller';
import { createPlatform } from './platform/create-platform';
import { SessionProvider } from './session/session-context';
import { LoginScreen } from './screens/login-screen';
import { HomeScreen } from './screens/home-screen';
import { UnlockScreen } from './screens/unlock-screen';
import type { AppConfig } from './platform/app-config';
import { startSsoLogin, takePendingSsoHomeserver } from './matrix/sso-login';
import { notificationBody, notificationTextHidden } from './account/notification-text';
import { isInviteFragment } from '../../shared/residents/invite-link';
import { JoinResultScreen, JoinScreen } from './residents/join-screens';

/** Top-level flow: restore the saved session or log in, then the signed-in shell. */
export function App({ config }: { config: AppConfig }) {
  const manager = useClientManager();
  const store = useAppStoreApi();
  const { t } = useTranslation();
  const status = useAppStore((s) => s.status);
  const [session] = useState(() => {
    const platform = createPlatform({
      watermark: config.watermark,
      passwordLogin: config.passwordLogin,
    });
    const controller = new SessionController({
      manager,
      platform,
      store,
      deviceName: deviceName(),
      // The web server's CSP lets the page reach only the configured homeserver.
      ...(platform.kind === 'web'
        ? { allowedHomeserverOrigins: [new URL(config.defaultHomeserverUrl).origin] }
        : {}),
      confirmWeakSecrets: async () => window.confirm(t('chat.weakSecretsConfirm')),
      describeNotification: ({ senderName, roomName, body, isDirect }) => ({
        title: isDirect
          ? t('chat.notification.dm', { sender: senderName })
          : t('chat.notification.mention', { sender: senderName, room: roomName }),
        body: notificationBody({
          text: body,
          userHidden: notificationTextHidden(window.localStorage),
          // The desktop's main process drops the text itself when the deployment hides it.
          deploymentAllows: true,
          hiddenLine: t('account.settings.hiddenBody'),
        }),
      }),
    });
    return { controller, platform };
  });
  const restoreStarted = useRef(false);
  const [restoreDone, setRestoreDone] = useState(false);
  const [passwordLogin, setPasswordLogin] = useState(true);
  // A residents' invitation link opened this page: the join page replaces the sign-in form, and
  // once signed in the app asks the org agent to place the account before showing the shell.
  const [joinFragment, setJoinFragment] = useState(() =>
    isInviteFragment(window.location.hash) ? window.location.hash : null,
  );
  const [joinName, setJoinName] = useState<string | null>(null);
  const leaveJoin = () => {
    // The fragment holds the invitation's token: it leaves the address bar and the history entry.
    window.history.replaceState(
      window.history.state,
      '',
      window.location.pathname + window.location.search,
    );
    setJoinFragment(null);
  };

  useEffect(() => {
    // Once per app start (StrictMode runs effects twice in development).
    if (restoreStarted.current) return;
    restoreStarted.current = true;
    void session.controller.restore().finally(() => {
      setRestoreDone(true);
      // A token handed back by single sign-on (this page's URL, or a desktop deep link).
      session.platform.onSsoLoginToken((loginToken) => {
        if (store.getState().status === 'signed-in') return;
        const homeserverUrl = takePendingSsoHomeserver(config.defaultHomeserverUrl);
        void session.controller.loginWithToken({ homeserverUrl, loginToken });
      });
    });
    session.platform
      .passwordLoginAllowed()
      .then(setPasswordLogin)
      .catch(() => setPasswordLogin(true));
    session.platform
      .watermarkRequired()
      .then((on) => store.getState().setWatermark(on))
      .catch(() => store.getState().setWatermark(true)); // unknown policy: err on the side of tracing
  }, [session, store, config.defaultHomeserverUrl]);

  const startSso = (p: { homeserverUrl: string; idpId: string }) => {
    store.getState().setSigningIn();
    void startSsoLogin({ platform: session.platform, ...p }).then((error) => {
      if (error) store.getState().setLoginError(error);
      // Desktop: the system browser took over; the deep link brings the token back.
      else if (session.platform.kind === 'desktop') store.getState().setSignedOut();
    });
  };

  let screen;
  if (status === 'signed-in' && joinFragment)
    screen = <JoinResultScreen fragment={joinFragment} displayName={joinName} onDone={leaveJoin} />;
  else if (status === 'signed-in')
    screen = <HomeScreen onLogout={() => void session.controller.logout()} />;
  else if (status === 'locked')
    screen = (
      <UnlockScreen
        onUnlock={(passphrase) => session.controller.unlock(passphrase)}
        onForget={() => session.controller.forgetLockedSession()}
      />
    );
  else if (!restoreDone || status === 'restoring')
    screen = (
      <div className="restoring" data-testid="restoring">
        {t('chat.restoring')}
      </div>
    );
  else if (joinFragment)
    screen = (
      <JoinScreen
        fragment={joinFragment}
        homeserverUrl={config.defaultHomeserverUrl}
        onSignIn={(p) => void session.controller.login(p)}
        onDisplayName={setJoinName}
        onClose={leaveJoin}
      />
    );
  else
    screen = (
      <LoginScreen
        defaultHomeserverUrl={config.defaultHomeserverUrl}
        keepingChoice={session.platform.kind === 'web'}
        onSubmit={(p) => void session.controller.login(p)}
        onSso={startSso}
        passwordLogin={passwordLogin}
      />
    );
  return <SessionProvider value={session}>{screen}</SessionProvider>;
}

/** Device name shown in the user's session list. */
function deviceName(): string {
  return __HONGYAN_TARGET__ === 'desktop' ? '鸿雁桌面版' : '鸿雁网页版';
}
