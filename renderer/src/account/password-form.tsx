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

  // Current password, new one, and the new one again: alike but for their name and autofill hint.
  const fields = [
    { name: 'current', value: current, set: setCurrent },
    { name: 'next', value: next, set: setNext },
    { name: 'confirm', value: confirm, set: setConfirm },
  ] as const;
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
      {fields.map((f) => (
        <TextField
          key={f.name}
          type="password"
          label={t(`account.password.${f.name}`)}
          data-testid={`password-${f.name}`}
          autoComplete={f.name === 'current' ? 'current-password' : 'new-password'}
          value={f.value}
          onChange={f.set}
        />
      ))}
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
