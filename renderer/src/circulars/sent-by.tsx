import { useTranslation } from 'react-i18next';
import { isBackdated } from '../../../shared/circular/origin';
import { useAppStore } from '../store/store-context';
import { formatTime } from './format';
import { senderLabel } from './sender-label';

/**
 * Who really sent a circular and when the server received it, beside the issue time the circular
 * claims: a sender's identity and the server's timestamp cannot be forged by the content, so a
 * backdated 落款时间 shows as such (docs/trust.md).
 */
export function SentBy(props: {
  senderId: string;
  /** The sender's name in the room, for readers the directory does not serve (residents). */
  senderName?: string | undefined;
  /** The issuing unit of a trusted circular; absent for one not trusted. */
  unitName?: string | undefined;
  serverTs: number;
  issuedAt: number;
}) {
  const { t } = useTranslation();
  const directoryName = useAppStore((s) => s.orgNames?.[props.senderId]);
  const backdated = isBackdated(props.issuedAt, props.serverTs);
  return (
    <span className="circ-sent-by" data-testid="circular-sent-by">
      {t('circulars.origin.sentBy', {
        name: senderLabel({
          senderId: props.senderId,
          directoryName,
          roomName: props.senderName,
          unitName: props.unitName,
        }),
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
