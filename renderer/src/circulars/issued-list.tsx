import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { formatTime } from './format';
import { UrgencyBadge } from './inbox-list';

/** Circulars the user issued, newest first, with fan-out progress and a link to each dashboard. */
export function IssuedList({ onOpen }: { onOpen(circularId: string): void }) {
  const { t } = useTranslation();
  const issued = useAppStore((s) => s.issuedCirculars);
  return (
    <section className="circ-panel" data-testid="issued-list">
      <h1>{t('circulars.issued.title')}</h1>
      {issued.length === 0 && <p className="muted">{t('circulars.issued.empty')}</p>}
      <ul className="circ-list">
        {issued.map((e) => (
          <li key={e.circularId}>
            <button
              type="button"
              className="circ-item"
              data-testid="issued-item"
              onClick={() => onOpen(e.circularId)}
            >
              <span className="circ-item-top">
                {e.circular && <UrgencyBadge urgency={e.circular.urgency} />}
                <span className="circ-item-title">{e.title}</span>
                <span className="circ-open">{t('circulars.issued.open')} →</span>
              </span>
              <span className="circ-item-meta">
                {e.circular?.docNumber && <span>{e.circular.docNumber}</span>}
                <span>{formatTime(e.issuedAt)}</span>
                {e.progress && !e.progress.done && (
                  <span className="deadline tone-soon">
                    {t('circulars.issued.progress', {
                      sent: e.progress.sent,
                      total: e.progress.total,
                    })}
                  </span>
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
