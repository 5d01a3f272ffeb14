import { useTranslation } from 'react-i18next';
import type { ErrorText } from '../i18n/error-text';

/** An error in a plain sentence, with the technical detail behind a "详情" toggle. */
export function ErrorNote({ error, testId }: { error: ErrorText; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="error-note" role="alert" data-testid={testId ?? 'error-note'}>
      <span className="error-note-text">{error.text}</span>
      {error.detail && error.detail !== error.text && (
        <details className="error-note-detail">
          <summary>{t('errors.details')}</summary>
          <code>{error.detail}</code>
        </details>
      )}
    </div>
  );
}
