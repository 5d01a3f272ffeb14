import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';
import { useSession } from '../session/session-context';
import { PasswordForm } from '../account/password-form';

/**
 * Encryption prompts above the conversation: progress of the first-login setup, the recovery key
 * to save (shown once), the new-device unlock (recovery key/passphrase or another device), and the
 * emoji comparison of a running verification.
 */
export function EncryptionPanel() {
  const { t } = useTranslation();
  const { controller } = useSession();
  const encryption = useAppStore(useShallow((s) => s.encryption));
  const verification = useAppStore((s) => s.verification);
  const setEncryption = useAppStore((s) => s.setEncryption);
  const [secret, setSecret] = useState('');
  const [dismissed, setDismissed] = useState(false);
  const [passphrase, setPassphrase] = useState('');

  const unlock = (e: FormEvent) => {
    e.preventDefault();
    const value = secret.trim();
    // A recovery key is 48 base58 characters in groups of four; anything else is taken as a passphrase.
    const isKey = /^([1-9A-HJ-NP-Za-km-z]{4}\s?){12}$/.test(value);
    void controller
      .recover(isKey ? { recoveryKey: value } : { passphrase: value })
      .then(() => setSecret(''));
  };

  return (
    <>
      {verification && (
        <div
          className="panel verification"
          data-testid="verification"
          data-phase={verification.phase}
        >
          <strong>{t('chat.encryption.sasTitle')}</strong>
          {verification.phase === 'incoming' && (
            <div className="panel-actions">
              <span>
                {verification.otherUserId} {verification.otherDeviceId ?? ''}
              </span>
              <button
                type="button"
                className="primary"
                onClick={() => void controller.verification.action('accept')}
              >
                {t('chat.devices.verify')}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => void controller.verification.action('cancel')}
              >
                {t('chat.newChat.cancel')}
              </button>
            </div>
          )}
          {verification.phase === 'waiting' && (
            <p className="muted">{t('chat.encryption.waitingOther')}</p>
          )}
          {verification.phase === 'compare' && (
            <>
              <p className="muted">{t('chat.encryption.sasHelp')}</p>
              <div className="sas-emoji" data-testid="sas-emoji">
                {verification.emoji.map(([emoji, name]) => (
                  <figure key={name}>
                    <span>{emoji}</span>
                    <figcaption>{name}</figcaption>
                  </figure>
                ))}
              </div>
              <div className="panel-actions">
                <button
                  type="button"
                  className="primary"
                  onClick={() => void controller.verification.action('confirm')}
                >
                  {t('chat.encryption.sasMatch')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void controller.verification.action('mismatch')}
                >
                  {t('chat.encryption.sasMismatch')}
                </button>
              </div>
            </>
          )}
          {(verification.phase === 'done' || verification.phase === 'cancelled') && (
            <div className="panel-actions">
              <span>
                {verification.phase === 'done'
                  ? t('chat.encryption.verified')
                  : `${t('chat.newChat.cancel')}: ${verification.reason ?? ''}`}
              </span>
              <button
                type="button"
                className="secondary"
                onClick={() => void controller.verification.action('close')}
              >
                OK
              </button>
            </div>
          )}
        </div>
      )}
      {encryption.busy && encryption.status === 'needs-setup' && (
        <div className="panel muted" data-testid="encryption-setting-up">
          {t('chat.encryption.settingUp')}
        </div>
      )}
      {encryption.recoveryKey && (
        <div className="panel recovery" data-testid="recovery-key-panel">
          <strong>{t('chat.encryption.recoveryKeyTitle')}</strong>
          <p className="muted">{t('chat.encryption.recoveryKeyHelp')}</p>
          <code className="recovery-key" data-testid="recovery-key">
            {encryption.recoveryKey}
          </code>
          <div className="panel-actions">
            <button
              type="button"
              className="secondary"
              onClick={() => void navigator.clipboard?.writeText(encryption.recoveryKey ?? '')}
            >
              {t('chat.encryption.copy')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="recovery-key-saved"
              onClick={() => setEncryption({ recoveryKey: null })}
            >
              {t('chat.encryption.saved')}
            </button>
          </div>
          <form
            className="panel-actions"
            onSubmit={(e) => {
              e.preventDefault();
              void controller.setPassphrase(passphrase).then(() => setPassphrase(''));
            }}
          >
            <span className="muted small">{t('chat.encryption.passphraseHelp')}</span>
            <input
              type="password"
              className="grow"
              autoComplete="new-password"
              minLength={8}
              placeholder={t('chat.encryption.passphrase')}
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
            <button
              type="submit"
              className="secondary"
              disabled={encryption.busy || passphrase.length < 8}
            >
              {t('chat.encryption.setPassphrase')}
            </button>
          </form>
        </div>
      )}
      {encryption.status === 'needs-verification' && !dismissed && (
        <form className="panel verify" data-testid="verify-device-panel" onSubmit={unlock}>
          <strong>{t('chat.encryption.verifyTitle')}</strong>
          <p className="muted">{t('chat.encryption.verifyHelp')}</p>
          <div className="panel-actions">
            <input
              data-testid="recovery-input"
              className="grow"
              autoComplete="off"
              placeholder={t('chat.encryption.recoveryKey')}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
            <button
              type="submit"
              className="primary"
              disabled={encryption.busy || !secret.trim()}
              data-testid="recovery-submit"
            >
              {t('chat.encryption.unlock')}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => void controller.verification.verifyThisDevice()}
            >
              {t('chat.encryption.verifyOtherDevice')}
            </button>
            <button type="button" className="secondary" onClick={() => setDismissed(true)}>
              {t('chat.encryption.later')}
            </button>
          </div>
        </form>
      )}
      {encryption.passwordRequired && <PasswordForm firstLogin />}
      {encryption.status === 'needs-setup' && !encryption.busy && !encryption.passwordRequired && (
        <div className="panel muted">{t('chat.encryption.notSetUp')}</div>
      )}
      {encryption.error && (
        <div className="form-error">{t('chat.encryption.error', { error: encryption.error })}</div>
      )}
    </>
  );
}
