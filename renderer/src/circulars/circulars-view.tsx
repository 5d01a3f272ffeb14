import { useTranslation } from 'react-i18next';

/** The circulars view of the signed-in app. */
export function CircularsView() {
  const { t } = useTranslation();
  return (
    <main className="content" data-testid="circulars-view">
      <div className="welcome">
        <h1>{t('nav.circulars')}</h1>
      </div>
    </main>
  );
}
