import { useTranslation } from 'react-i18next';
import type { InvalidAck } from '../../../shared/circular/aggregate';
import { formatTime } from './format';

/**
 * The acknowledgments that do not count, each with who sent it and why: a cleartext ack, one that
 * does not prove the circular was decrypted, or one removed by someone other than its sender is
 * never silently dropped from the issuer's view.
 */
export function InvalidAckList({
  acks,
  nameOf,
}: {
  acks: readonly InvalidAck[];
  nameOf(userId: string): string | undefined;
}) {
  const { t } = useTranslation();
  if (acks.length === 0) return null;
  return (
    <details className="circ-invalid-acks" data-testid="invalid-acks">
      <summary className="muted">
        {t('circulars.dashboard.invalidAcks', { count: acks.length })}
      </summary>
      <ul>
        {acks.map((a) => (
          <li key={a.eventId} data-reason={a.reason}>
            <strong>{nameOf(a.sender) ?? a.sender}</strong> · {formatTime(a.ts)} ·{' '}
            {t(`circulars.invalidAck.${a.reason}`)}
            <span className="muted"> ({a.detail})</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
