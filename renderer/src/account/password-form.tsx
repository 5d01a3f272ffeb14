import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../components/error-note';
import { TextField } from '../components/text-field';
import type { ErrorText } from '../i18n/error-text';
import { useSession } from '../session/session-context';
import { checkPasswordInput, passwordChangeProblem } from './change-password';
import './account.css';

/**
 * 修改密码: the current password, the new one twice. In 我的 it can be cancelled; on a first login
 * (`firstLogin`) it cannot, because the encryption identity waits for it.
 */
export function PasswordForm({
  firstLogin = false,
  onDone,
  onCancel,
}: {
  firstLogin?: boolean;
  onDone?(): void;
  onCancel?(): void;
}) {
  const { t } = useTranslation();
  const { controller } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorText | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = checkPasswordInput({ current, next, confirm });
    if (problem) {
      setError({ text: t(`account.password.${problem}`) });
      return;
    }
    setBusy(true);
    setError(null);
    controller
      .changePassword({ current, next })
      .then(() => {
        setCurrent('');
        setNext('');
        setConfirm('');
        onDone?.();
      })
      .catch((err: unknown) => {
        const detail = err instanceof Error ? err.message : String(err);
        setError({ text: t(`account.password.${passwordChangeProblem(err)}`), detail });
      })
      .finally(() => setBusy(false));
  };

  return (
    <form
      className={firstLogin ? 'panel password-form' : 'me-card password-form'}
      data-testid="password-form"
      data-first-login={firstLogin}
      onSubmit={submit}
    >
      <strong>
        {firstLogin ? t('account.password.firstLoginTitle') : t('account.password.title')}
      </strong>
      {firstLogin && <p className="muted">{t('account.password.firstLoginHint')}</p>}
      <TextField
        type="password"
        label={t('account.password.current')}
        data-testid="password-current"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
      />
      <TextField
        type="password"
        label={t('account.password.next')}
        data-testid="password-next"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
      />
      <TextField
        type="password"
        label={t('account.password.confirm')}
        data-testid="password-confirm"
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
      />
      <p className="muted small">{t('account.password.policy')}</p>
      {error && <ErrorNote error={error} testId="password-error" />}
      <div className="panel-actions">
        <button type="submit" className="primary" data-testid="password-submit" disabled={busy}>
          {busy ? t('account.password.changing') : t('account.password.submit')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
            {t('account.password.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
