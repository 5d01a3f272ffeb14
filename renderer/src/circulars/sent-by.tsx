import { useTranslation } from 'react-i18next';
import { isBackdated } from '../../../shared/circular/origin';
import { useAppStore } from '../store/store-context';
import { formatTime } from './format';

/**
 * Who really sent a circular and when the server received it, beside the issue time the circular
 * claims: a sender's identity and the server's timestamp cannot be forged by the content, so a
 * backdated 落款时间 shows as such (docs/trust.md).
 */
export function SentBy(props: { senderId: string; serverTs: number; issuedAt: number }) {
  const { t } = useTranslation();
  const name = useAppStore((s) => s.orgNames?.[props.senderId]);
  const backdated = isBackdated(props.issuedAt, props.serverTs);
  return (
    <span className="circ-sent-by" data-testid="circular-sent-by">
      {t('circulars.origin.sentBy', {
        name: name ? `${name}（${props.senderId}）` : props.senderId,
        time: formatTime(props.serverTs),
      })}
      {backdated && (
        <span className="circ-backdated" data-testid="circular-backdated">
          {t('circulars.origin.backdated')}
        </span>
      )}
    </span>
  );
}
