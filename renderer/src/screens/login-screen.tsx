import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../i18n/login-error-text';
import { useAppStore } from '../store/store-context';
import type { SessionKeeping } from '../platform/platform';
import { SignInPage } from '../components/sign-in-page';
import { SsoSection, useLoginFlows } from './sso-section';
import {
  DEFAULT_KEEPING_INPUT,
  keepingFromInput,
  SessionKeepingField,
} from './session-keeping-field';
import { TextField } from '../components/text-field';

/** Props of the login screen; the submit handler performs the real login. */
export interface LoginScreenProps {
  defaultHomeserverUrl: string;
  /** Web mode: offer the choice of how this browser keeps the session. */
  keepingChoice?: boolean;
  onSubmit(params: {
    homeserverUrl: string;
    username: string;
    password: string;
    keeping?: SessionKeeping;
  }): void;
  /** Starts single sign-on at one of the server's identity providers. */
  onSso(params: { homeserverUrl: string; idpId: string }): void;
  /** The deployment allows password sign-in (false: single sign-on only). */
  passwordLogin: boolean;
}

/** The sign-in form: homeserver URL (pre-filled for the demo), username, password. */
export function LoginScreen({
  defaultHomeserverUrl,
  keepingChoice,
  onSubmit,
  onSso,
  passwordLogin,
}: LoginScreenProps) {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.status);
  const loginError = useAppStore((s) => s.loginError);
  const errorText = useErrorText();
  const [homeserverUrl, setHomeserverUrl] = useState(defaultHomeserverUrl);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [keepingInput, setKeepingInput] = useState(DEFAULT_KEEPING_INPUT);
  const [keepingError, setKeepingError] = useState<string | null>(null);
  const busy = status === 'signing-in';
  const flows = useLoginFlows(homeserverUrl);
  // Until the server has answered, offer the password form (its errors say what is wrong).
  const showPassword = passwordLogin && (flows === null || flows.password);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || !showPassword) return;
    if (!keepingChoice) return onSubmit({ homeserverUrl, username, password });
    const keeping = keepingFromInput(keepingInput);
    setKeepingError(keeping.ok ? null : t(`keeping.${keeping.reason}`));
    if (keeping.ok) onSubmit({ homeserverUrl, username, password, keeping: keeping.keeping });
  };

  return (
    <SignInPage>
      <form className="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <div className="brand">
          <div className="brand-mark" aria-hidden="true">
            鸿
          </div>
          <div>
            <h1>{t('login.title')}</h1>
            <p className="muted">{t('login.subtitle')}</p>
          </div>
        </div>
        <TextField
          label={t('login.homeserver')}
          data-testid="login-homeserver"
          value={homeserverUrl}
          onChange={setHomeserverUrl}
          autoComplete="url"
          spellCheck={false}
        />
        <SsoSection
          flows={flows}
          showPassword={showPassword}
          passwordLogin={passwordLogin}
          busy={busy}
          onSso={(idpId) => onSso({ homeserverUrl, idpId })}
        />
        {showPassword && (
          <>
            <TextField
              label={t('login.username')}
              data-testid="login-username"
              value={username}
              onChange={setUsername}
              autoComplete="username"
              spellCheck={false}
              autoFocus
            />
            <TextField
              label={t('login.password')}
              data-testid="login-password"
              type="password"
              value={password}
              onChange={setPassword}
              autoComplete="current-password"
            />
            {keepingChoice && (
              <SessionKeepingField value={keepingInput} onChange={setKeepingInput} />
            )}
            {keepingError && (
              <div className="form-error" role="alert" data-testid="login-keeping-error">
                {keepingError}
              </div>
            )}
          </>
        )}
        {loginError && (
          <div
            className="form-error"
            role="alert"
            data-testid="login-error"
            data-error-kind={loginError.kind}
          >
            {errorText(loginError)}
          </div>
        )}
        {showPassword && (
          <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        )}
      </form>
      <footer className="login-footer muted">
        {t('app.name')} · {t('app.tagline')}
      </footer>
    </SignInPage>
  );
}
