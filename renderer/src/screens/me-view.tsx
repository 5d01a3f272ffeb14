import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';
import { LanguageSwitch } from '../components/language-switch';
import { SettingsSection } from '../account/settings-section';
import { PasswordForm } from '../account/password-form';

/**
 * 我的: who is signed in, on which device, the connection, language and sign-out. On a phone the
 * top bar has no room for these, so they live behind the last tab.
 */
export function MeView({ onLogout }: { onLogout(): void }) {
  const { t } = useTranslation();
  const [changing, setChanging] = useState(false);
  const [changed, setChanged] = useState(false);
  const { userId, displayName, deviceId, connection } = useAppStore(
    useShallow((s) => ({
      userId: s.userId,
      displayName: s.displayName,
      deviceId: s.deviceId,
      connection: s.connection,
    })),
  );
  return (
    <main className="content me-view" data-testid="me-view">
      <section className="me-card">
        <h1>{displayName ?? userId}</h1>
        {displayName && <p className="muted">{userId}</p>}
        <p className="muted">{t('home.device', { deviceId })}</p>
        <p>
          <span className={`connection connection-${connection}`}>
            {t(`connection.${connection}`)}
          </span>
        </p>
      </section>
      <section className="me-card me-actions">
        <LanguageSwitch />
        <button
          type="button"
          className="secondary"
          data-testid="me-change-password"
          onClick={() => {
            setChanging(true);
            setChanged(false);
          }}
        >
          {t('account.password.open')}
        </button>
        <button type="button" className="secondary" data-testid="me-logout" onClick={onLogout}>
          {t('home.logout')}
        </button>
      </section>
      {changed && (
        <p className="me-card" role="status" data-testid="password-changed">
          {t('account.password.done')}
        </p>
      )}
      {changing && (
        <PasswordForm
          onDone={() => {
            setChanging(false);
            setChanged(true);
          }}
          onCancel={() => setChanging(false)}
        />
      )}
      <SettingsSection />
    </main>
  );
}
