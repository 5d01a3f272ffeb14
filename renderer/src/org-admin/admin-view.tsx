import { useTranslation } from 'react-i18next';

/** The admin view of the signed-in app. */
export function AdminView() {
  const { t } = useTranslation();
  return (
    <main className="content" data-testid="admin-view">
      <div className="welcome">
        <h1>{t('nav.admin')}</h1>
      </div>
    </main>
  );
}
