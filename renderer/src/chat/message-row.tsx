import { NoticeLine } from './notice-row';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { stripBidi } from '../../../shared/text/bidi';
import { hasVisibleContent } from './visible-content';
import { formatDayLabel, formatTimeOfDay } from '../i18n/date-format';
import { useMatrixClient } from '../matrix/client-context';
import type { TimelineItem } from '../store/timeline-items';
import type { OutboxItem } from '../store/outbox-item';
import { Avatar } from './avatar';
import { AttachmentView } from './attachment-view';
import { buildReactionContent } from './message-content';
import { sanitizeEventHtml } from './sanitize-html';
import { useSession } from '../session/session-context';
import { useAppStore } from '../store/store-context';
import { useMessageLinks } from './message-links';
import { ClipIcon } from './icons';
import { UndecryptableRow } from './undecryptable-row';

type MessageItem = Extract<TimelineItem, { kind: 'message' }>;

/** Quick reactions offered on every message. */
const QUICK_REACTIONS = ['👍', '✅', '收到'];

function MessageBody({ item }: { item: MessageItem }) {
  const { t } = useTranslation();
  const links = useMessageLinks();
  const html = useMemo(
    () => (item.html ? stripBidi(sanitizeEventHtml(item.html)) : null),
    [item.html],
  );
  if (item.redacted)
    return <div className="message-body muted redacted">{t('chat.timeline.redacted')}</div>;
  if (
    item.file &&
    (item.msgtype === 'm.image' ||
      item.msgtype === 'm.file' ||
      item.msgtype === 'm.video' ||
      item.msgtype === 'm.audio')
  ) {
    return <AttachmentView file={item.file} isImage={item.msgtype === 'm.image'} />;
  }
  return (
    <div className="message-body" data-testid="message-body" {...links.handlers}>
      {html !== null && hasVisibleContent(html) ? (
        <div className="message-html" dangerouslySetInnerHTML={{ __html: html }} />
      ) : item.body.trim() ? (
        <div className="message-text">{stripBidi(item.body)}</div>
      ) : (
        <div className="message-text muted">{t('chat.timeline.unrenderable')}</div>
      )}
      {item.edited && <span className="muted small"> {t('chat.timeline.edited')}</span>}
      {links.hint}
    </div>
  );
}

/** One timeline row: a day separator, a notice, an undecryptable event, or a message. */
export const MessageRow = memo(function MessageRow(props: {
  roomId: string;
  item: TimelineItem;
  /** Same sender as the row above, moments later: no avatar or name. */
  continuation?: boolean;
  /**
   * Build the action bar (reactions, reply, edit, delete): for the row under the pointer only, as
   * a fast scroll mounts a dozen rows a frame and most are never pointed at.
   */
  showActions?: boolean;
  onReply(item: MessageItem): void;
  onEdit(item: MessageItem): void;
}) {
  const { t, i18n } = useTranslation();
  const client = useMatrixClient();
  const { controller } = useSession();
  const { item } = props;
  if (item.kind === 'day') {
    const label = formatDayLabel(item.ts, i18n.language);
    return (
      <div className="day-separator" role="separator">
        <span>{label}</span>
      </div>
    );
  }
  if (item.kind === 'notice') return <NoticeLine text={item.text} />;
  const time = formatTimeOfDay(item.ts, i18n.language);
  if (item.kind === 'undecryptable') {
    return (
      <UndecryptableRow
        eventId={item.id}
        sender={item.sender}
        senderName={item.senderName}
        time={time}
        reason={item.reason}
      />
    );
  }
  const react = (key: string) => {
    const existing = item.reactions.find((r) => r.key === key)?.myEventId;
    if (existing) void client.redactEvent(props.roomId, existing).catch(() => undefined);
    else
      void controller.currentOutbox?.enqueue({
        roomId: props.roomId,
        eventType: 'm.reaction',
        content: buildReactionContent(item.id, key),
      });
  };
  const remove = () => {
    if (window.confirm(t('chat.timeline.deleteConfirm')))
      void client.redactEvent(props.roomId, item.id).catch(() => undefined);
  };
  return (
    <div
      className={`message${item.mentionsMe ? ' mention' : ''}${item.mine ? ' mine' : ''}${props.continuation ? ' continuation' : ''}`}
      data-testid="message"
      data-event-id={item.id}
      data-encrypted={item.encrypted}
    >
      {props.continuation ? (
        <span className="avatar-spacer" aria-hidden="true" />
      ) : (
        <Avatar name={item.senderName} id={item.sender} />
      )}
      <div className="message-main">
        {(!props.continuation || !item.encrypted) && (
          <div className="message-meta">
            {!props.continuation && (
              <>
                <strong className="sender">{item.senderName}</strong>{' '}
                <span className="muted small">{time}</span>
              </>
            )}
            {!item.encrypted && (
              <span className="tag warn small">{t('chat.roomList.unencrypted')}</span>
            )}
          </div>
        )}
        {item.flag && (
          <div className="message-flag" data-testid="message-flag" data-flag={item.flag}>
            {t(`chat.noticeFlag.${item.flag}`)}
          </div>
        )}
        {item.replyTo && (
          <blockquote className="reply-quote">
            <strong>{item.replyTo.senderName}</strong> {item.replyTo.body.slice(0, 200)}
          </blockquote>
        )}
        <MessageBody item={item} />
        {item.reactions.length > 0 && (
          <div className="reactions">
            {item.reactions.map((r) => (
              <button
                key={r.key}
                type="button"
                className={r.myEventId ? 'reaction mine' : 'reaction'}
                onClick={() => react(r.key)}
              >
                {r.key} {r.count}
              </button>
            ))}
          </div>
        )}
      </div>
      {!item.redacted && props.showActions && (
        <div className="message-actions">
          {QUICK_REACTIONS.map((k) => (
            <button
              key={k}
              type="button"
              className="icon"
              title={t('chat.timeline.react')}
              onClick={() => react(k)}
            >
              {k}
            </button>
          ))}
          <button type="button" className="icon" onClick={() => props.onReply(item)}>
            {t('chat.timeline.reply')}
          </button>
          {item.mine && item.msgtype === 'm.text' && (
            <button type="button" className="icon" onClick={() => props.onEdit(item)}>
              {t('chat.timeline.edit')}
            </button>
          )}
          {item.mine && (
            <button type="button" className="icon" onClick={remove}>
              {t('chat.timeline.delete')}
            </button>
          )}
        </div>
      )}
    </div>
  );
});

/** A queued message: pending (waiting for the network) or failed (retry/delete). */
export function OutboxRow({ item }: { item: OutboxItem }) {
  const { t } = useTranslation();
  const { controller } = useSession();
  // A retry while the server can be reached is still "sending": only offline does it wait for the network.
  const offline = useAppStore((s) => s.connection === 'offline');
  if (item.eventType !== 'm.room.message') return null;
  return (
    <div
      className={`message outbox ${item.status}`}
      data-testid="outbox-item"
      data-status={item.status}
      data-attachment={item.attachment ? 'waiting' : undefined}
    >
      <div className="message-main">
        <div className="message-body">
          {item.attachment && (
            <>
              <ClipIcon />{' '}
            </>
          )}
          {String(item.content['body'] ?? '')}
        </div>
        <div className="muted small">
          {item.status === 'failed'
            ? t('chat.timeline.failed', { error: item.lastError ?? '' })
            : item.uploadPercent !== undefined
              ? t('chat.timeline.uploading', { percent: item.uploadPercent })
              : item.attempts > 0 && offline
                ? t('chat.timeline.queued')
                : t('chat.timeline.pending')}
          {item.status === 'failed' && (
            <>
              {' '}
              <button
                type="button"
                className="link"
                onClick={() => void controller.currentOutbox?.retry(item.txnId)}
              >
                {t('chat.timeline.retry')}
              </button>
              <button
                type="button"
                className="link"
                onClick={() => void controller.currentOutbox?.remove(item.txnId)}
              >
                {t('chat.timeline.remove')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
