import { useTranslation } from 'react-i18next';
import type { RecipientStatus } from '../../../shared/circular/aggregate';
import { useAppStore } from '../store/store-context';
import type { AwaitingKeyEntry } from '../store/circulars-slice';
import { formatTime } from './format';

/**
 * Inbox rows for copies that arrived but cannot be read on this device yet: listed honestly as
 * delivered and waiting for the key (never as an empty inbox), with what happens next. The title
 * is unknown until the key arrives, so a placeholder stands in for it.
 */
export function AwaitingKeyItems({ entries }: { entries: readonly AwaitingKeyEntry[] }) {
  const { t } = useTranslation();
  const units = useAppStore((s) => s.org?.units);
  return (
    <>
      {entries.map((e) => {
        const unit = units?.find((u) => u.code === e.unitCode)?.name ?? e.unitCode;
        return (
          <li key={e.eventId}>
            <div
              className="circ-item pending circ-awaiting"
              data-testid="inbox-awaiting-key"
              data-refused={e.refused ?? ''}
            >
              <span className="circ-item-top">
                <span className="circ-item-title muted">{t('circulars.keys.placeholder')}</span>
                <span className="circ-status status-awaiting">{t('circulars.keys.waiting')}</span>
              </span>
              <span className="circ-item-meta">
                <span>{t('circulars.keys.from', { unit })}</span>
                <span>{formatTime(e.ts)}</span>
              </span>
              <span className="circ-awaiting-note">
                {e.refused === 'unverified_device'
                  ? t('circulars.keys.unverified')
                  : t('circulars.keys.waitingNote')}
              </span>
            </div>
          </li>
        );
      })}
    </>
  );
}

/** A recipient's status on the dashboard; 待密钥 apart from 未读 (see shared/circular/awaiting-key.ts). */
export function RecipientStatusBadge({ recipient: r }: { recipient: RecipientStatus }) {
  const { t } = useTranslation();
  if (r.awaitingKey)
    return (
      <span
        className="circ-status status-awaiting"
        title={t('circulars.keys.awaitingHint')}
        data-testid="status-awaiting-key"
      >
        {t('circulars.keys.statusAwaiting')}
      </span>
    );
  return (
    <span className={`circ-status status-${r.status}`}>{t(`circulars.status.${r.status}`)}</span>
  );
}
