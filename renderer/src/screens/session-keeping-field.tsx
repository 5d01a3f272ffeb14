import { useTranslation } from 'react-i18next';
import { MIN_PASSPHRASE_LENGTH } from '../platform/passphrase-key';
import type { SessionKeeping } from '../platform/platform';

/** What the user has entered in the {@link SessionKeepingField}. */
export interface SessionKeepingInput {
  mode: SessionKeeping['mode'];
  passphrase: string;
  confirm: string;
}

export const DEFAULT_KEEPING_INPUT: SessionKeepingInput = {
  mode: 'device',
  passphrase: '',
  confirm: '',
};

/** The choice as the session controller takes it, or the reason it cannot be used yet. */
export function keepingFromInput(
  input: SessionKeepingInput,
): { ok: true; keeping: SessionKeeping } | { ok: false; reason: 'tooShort' | 'mismatch' } {
  if (input.mode !== 'passphrase') return { ok: true, keeping: { mode: input.mode } };
  if (input.passphrase.length < MIN_PASSPHRASE_LENGTH) return { ok: false, reason: 'tooShort' };
  if (input.passphrase !== input.confirm) return { ok: false, reason: 'mismatch' };
  return { ok: true, keeping: { mode: 'passphrase', passphrase: input.passphrase } };
}

const MODES: ReadonlyArray<SessionKeeping['mode']> = ['device', 'passphrase', 'session'];
const PASSPHRASE_FIELDS = [
  ['passphrase', 'login-passphrase'],
  ['confirm', 'login-passphrase-confirm'],
] as const;

/** Web mode's sign-in choice: how this browser keeps the session (see `docs/messaging.md`). */
export function SessionKeepingField({
  value,
  onChange,
}: {
  value: SessionKeepingInput;
  onChange(next: SessionKeepingInput): void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="keeping-field" data-testid="login-keeping">
      <legend>{t('keeping.legend')}</legend>
      {MODES.map((mode) => (
        <label key={mode} className="keeping-option">
          <input
            type="radio"
            name="keeping"
            value={mode}
            data-testid={`login-keeping-${mode}`}
            checked={value.mode === mode}
            onChange={() => onChange({ ...value, mode })}
          />
          <span>
            {t(`keeping.${mode}`)}
            <small className="muted">{t(`keeping.${mode}Hint`)}</small>
          </span>
        </label>
      ))}
      {value.mode === 'passphrase' &&
        PASSPHRASE_FIELDS.map(([field, testId]) => (
          <label key={field}>
            {t(`keeping.${field}`)}
            <input
              type="password"
              data-testid={testId}
              value={value[field]}
              autoComplete="new-password"
              onChange={(e) => onChange({ ...value, [field]: e.target.value })}
            />
          </label>
        ))}
    </fieldset>
  );
}
