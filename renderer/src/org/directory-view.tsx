import { useTranslation } from 'react-i18next';

/** The directory view of the signed-in app. */
export function DirectoryView() {
  const { t } = useTranslation();
  return (
    <main className="content" data-testid="directory-view">
      <div className="welcome">
        <h1>{t('nav.directory')}</h1>
      </div>
    </main>
  );
}
