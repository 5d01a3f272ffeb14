import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContentProtectionState, LoginItemState } from '../../../shared/ipc/contract';
import { useSession } from '../session/session-context';
import { notificationTextHidden, setNotificationTextHidden } from './notification-text';

/**
 * Settings in 我的: message text in notifications (everyone), and on the desktop content
 * protection and open at login. A value the administrator enforces is shown, not offered.
 */
export function SettingsSection() {
  const { t } = useTranslation();
  const { platform } = useSession();
  const [hidden, setHidden] = useState(() => notificationTextHidden(window.localStorage));
  const [allowed, setAllowed] = useState(true);
  const [protection, setProtection] = useState<ContentProtectionState | null>(null);
  const [loginItem, setLoginItem] = useState<LoginItemState | null>(null);
  const desktop = platform.desktopSettings;

  useEffect(() => {
    void platform.notificationTextAllowed().then(setAllowed, () => setAllowed(true));
    if (!desktop) return;
    void desktop.contentProtection().then(setProtection, () => undefined);
    void desktop.loginItem().then(setLoginItem, () => undefined);
  }, [platform, desktop]);

  return (
    <section className="me-card me-settings" data-testid="me-settings">
      <h2>{t('account.settings.title')}</h2>
      <label className="check-row">
        <input
          type="checkbox"
          data-testid="setting-notification-text"
          checked={allowed && !hidden}
          disabled={!allowed}
          onChange={(e) => {
            setNotificationTextHidden(window.localStorage, !e.target.checked);
            setHidden(!e.target.checked);
          }}
        />
        {t('account.settings.notificationText')}
      </label>
      <p className="muted small">
        {allowed
          ? t('account.settings.notificationTextHint')
          : t('account.settings.notificationTextLocked')}
      </p>
      {desktop && protection && (
        <label className="check-row">
          <input
            type="checkbox"
            checked={protection.enabled}
            disabled={protection.enforced}
            onChange={(e) =>
              void desktop.setContentProtection(e.target.checked).then(setProtection)
            }
          />
          {t('account.settings.contentProtection')}
          {protection.enforced && (
            <span className="muted small"> {t('account.settings.contentProtectionLocked')}</span>
          )}
        </label>
      )}
      {desktop && loginItem?.supported && (
        <label className="check-row">
          <input
            type="checkbox"
            checked={loginItem.openAtLogin}
            onChange={(e) => void desktop.setLoginItem(e.target.checked).then(setLoginItem)}
          />
          {t('account.settings.openAtLogin')}
        </label>
      )}
    </section>
  );
}
