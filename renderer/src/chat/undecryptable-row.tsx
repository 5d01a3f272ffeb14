import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { Avatar } from './avatar';
import { UnlockIcon } from './icons';

/**
 * A message this device cannot decrypt. When key grants are fetching its key (it was sent before
 * this device existed, to a room the user had joined), it says so and that it opens by itself,
 * instead of the generic advice, which cannot help on a first device. A granter's refusal for an
 * unverified device asks for verification.
 */
export function UndecryptableRow(props: {
  eventId: string;
  sender: string;
  senderName: string;
  time: string;
  reason: string | undefined;
}) {
  const { t } = useTranslation();
  const awaiting = useAppStore((s) => {
    const entry = s.awaitingKeys.find((e) => e.eventId === props.eventId);
    return entry ? (entry.refused === 'unverified_device' ? 'unverified' : 'waiting') : null;
  });
  return (
    <div
      className="message undecryptable"
      data-testid="undecryptable"
      data-event-id={props.eventId}
      data-awaiting-key={awaiting ?? ''}
    >
      <Avatar name={props.senderName} id={props.sender} />
      <div className="message-main">
        <div className="message-meta">
          <strong>{props.senderName}</strong> <span className="muted small">{props.time}</span>
        </div>
        <div className={`message-body${awaiting ? ' muted' : ' warn-text'}`} title={props.reason}>
          <UnlockIcon />{' '}
          {awaiting === 'waiting'
            ? t('chat.timeline.awaitingKey')
            : t('chat.timeline.undecryptable')}
        </div>
        <div className="muted small">
          {awaiting === 'waiting'
            ? t('chat.timeline.awaitingKeyHelp')
            : awaiting === 'unverified'
              ? t('circulars.keys.unverified')
              : t('chat.timeline.undecryptableHelp')}
        </div>
      </div>
    </div>
  );
}
