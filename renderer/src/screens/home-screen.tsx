import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { AdminView } from '../org-admin/admin-view';
import { ChatView } from '../chat/chat-view';
import { CircularsView } from '../circulars/circulars-view';
import { DirectoryView } from '../org/directory-view';
import { APP_VIEWS, type AppView } from '../store/ui-slice';
import { useAppStore } from '../store/store-context';
import { LanguageSwitch } from '../components/language-switch';
import { NavIcon } from '../components/nav-icons';
import { useIsUnitAdmin } from '../org-admin/use-is-unit-admin';
import { Watermark } from '../components/watermark';
import { BackButton, HistorySync, useIsDeep } from '../navigation/phone-nav';
import { MeView } from './me-view';

/** The view component for each navigation entry. */
function ActiveView({ view, onLogout }: { view: AppView; onLogout(): void }) {
  switch (view) {
    case 'chat':
      return <ChatView />;
    case 'circulars':
      return <CircularsView />;
    case 'directory':
      return <DirectoryView />;
    case 'admin':
      return <AdminView />;
    case 'me':
      return <MeView onLogout={onLogout} />;
  }
}

/** Signed-in shell: top bar (user, connection, language, sign-out), navigation rail, active view. */
export function HomeScreen({ onLogout }: { onLogout(): void }) {
  const { t } = useTranslation();
  // The admin view is for unit admins; the server and the org agent enforce the rights themselves.
  const isUnitAdmin = useIsUnitAdmin();
  const deep = useIsDeep();
  const views = APP_VIEWS.filter((v) => v !== 'admin' || isUnitAdmin);
  const { userId, deviceId, connection, activeView, setActiveView } = useAppStore(
    useShallow((s) => ({
      userId: s.userId,
      deviceId: s.deviceId,
      connection: s.connection,
      activeView: s.activeView,
      setActiveView: s.setActiveView,
    })),
  );

  return (
    <div className="shell" data-deep={deep} data-view={activeView}>
      <HistorySync />
      <Watermark />
      <header className="topbar">
        <BackButton />
        <div className="brand small">
          <div className="brand-mark" aria-hidden="true">
            鸿
          </div>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <div className={`connection connection-${connection}`} data-testid="connection-state">
          {t(`connection.${connection}`)}
        </div>
        <div className="topbar-spacer" />
        {/* Opens 我的 (account and settings), which on a phone is the last tab. */}
        <button
          type="button"
          className="whoami"
          data-testid="signed-in-user"
          title={t('home.device', { deviceId })}
          onClick={() => setActiveView('me')}
        >
          {t('home.signedInAs', { userId })}
        </button>
        <LanguageSwitch />
        <button type="button" className="secondary" data-testid="logout" onClick={onLogout}>
          {t('home.logout')}
        </button>
      </header>
      <div className="shell-body">
        <nav className="nav-rail" data-testid="app-nav" aria-label={t('nav.label')}>
          {views.map((view) => (
            <button
              key={view}
              type="button"
              data-testid={`nav-${view}`}
              data-view={view}
              className={view === activeView ? 'nav-item active' : 'nav-item'}
              aria-current={view === activeView ? 'page' : undefined}
              onClick={() => setActiveView(view)}
            >
              <NavIcon view={view} />
              <span>{t(`nav.${view}`)}</span>
            </button>
          ))}
        </nav>
        <ActiveView view={activeView} onLogout={onLogout} />
      </div>
    </div>
  );
}
