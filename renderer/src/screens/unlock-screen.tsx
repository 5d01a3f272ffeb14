import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInPage } from '../components/sign-in-page';
import { TextField } from '../components/text-field';

/**
 * Web mode, session kept under a passphrase: asks for it before anything of the session is read.
 * Forgetting it deletes this browser's copy of the session (the account itself is untouched).
 */
export function UnlockScreen({
  onUnlock,
  onForget,
}: {
  onUnlock(passphrase: string): Promise<boolean>;
  onForget(): Promise<void>;
}) {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || !passphrase) return;
    setBusy(true);
    setWrong(false);
    void onUnlock(passphrase)
      .then((ok) => {
        if (!ok) setWrong(true);
      })
      .finally(() => setBusy(false));
  };
  const forget = () => {
    if (window.confirm(t('unlock.forgetConfirm'))) void onForget();
  };

  return (
    <SignInPage>
      <form className="login-card" onSubmit={submit} data-testid="unlock-form" noValidate>
        <h1>{t('unlock.title')}</h1>
        <p className="muted">{t('unlock.explain')}</p>
        <TextField
          label={t('keeping.passphrase')}
          type="password"
          data-testid="unlock-passphrase"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="current-password"
          autoFocus
        />
        {wrong && (
          <div className="form-error" role="alert" data-testid="unlock-error">
            {t('unlock.wrong')}
          </div>
        )}
        <button type="submit" className="primary" data-testid="unlock-submit" disabled={busy}>
          {busy ? t('unlock.unlocking') : t('unlock.submit')}
        </button>
        <button type="button" className="link-button" data-testid="unlock-forget" onClick={forget}>
          {t('unlock.forget')}
        </button>
      </form>
    </SignInPage>
  );
}
