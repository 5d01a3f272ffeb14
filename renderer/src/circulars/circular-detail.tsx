import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stripBidi } from '../../../shared/text/bidi';
import { ErrorNote } from '../components/error-note';
import { explainErrorAs, type ErrorText } from '../i18n/error-text';
import { TimeZoneNote } from '../components/time-zone-note';
import { MAX_ACK_NOTE_CHARS } from '../../../shared/circular/ack';
import type { Circular, CircularAttachment } from '../../../shared/circular/types';
import { downloadEncryptedAttachment } from '../matrix/attachments';
import { useMatrixClient } from '../matrix/client-context';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from '../store/app-store';
import { selectChatRooms, type RoomSummary } from '../store/rooms-slice';
import { useAppStore } from '../store/store-context';
import type { CircularsController } from './circulars-controller';
import { deadlineText, formatTime } from './format';
import { SentBy } from './sent-by';
import { useSession } from '../session/session-context';
import { UrgencyBadge, useNow } from './inbox-list';
import { SelectField } from '../components/select-field';
import { TextAreaField } from '../components/text-field';

/** A document glyph drawn inline (emoji fonts are not installed on every government desktop). */
export function FileIcon() {
  return (
    <svg className="circ-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M4 1.5h5l3.5 3.5v9.5h-8.5z M9 1.5v3.5h3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function AttachmentRow({ attachment }: { attachment: CircularAttachment }) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const { platform } = useSession();
  const [state, setState] = useState<{ busy: boolean; error: ErrorText | null }>({
    busy: false,
    error: null,
  });
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      const bytes = await downloadEncryptedAttachment(client, attachment.file);
      await platform.saveFile(bytes, stripBidi(attachment.name), attachment.mimetype);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: explainErrorAs(t, 'circulars.view.downloadFailed', err) });
    }
  };
  return (
    <li className="circ-attachment">
      <span className="circ-file-name">
        <FileIcon /> {stripBidi(attachment.name)}
      </span>
      <span className="muted">{(attachment.size / 1024).toFixed(1)} KB</span>
      <button
        type="button"
        className="secondary"
        data-testid="attachment-download"
        disabled={state.busy}
        onClick={() => void download()}
      >
        {state.busy ? t('circulars.view.downloading') : t('circulars.view.download')}
      </button>
      {state.error && <ErrorNote error={state.error} />}
    </li>
  );
}

/** Chat rooms a circular may be forwarded into: joined, end-to-end encrypted, not a Space or a notice room. */
export function forwardTargets(state: Pick<AppState, 'rooms' | 'org'>): RoomSummary[] {
  const noticeRooms = new Set(
    Object.values(state.org?.roomsByUnit ?? {}).flatMap((r) => [
      ...(r.noticeRoomId ? [r.noticeRoomId] : []),
      ...(r.residentsNoticeRoomId ? [r.residentsNoticeRoomId] : []),
    ]),
  );
  return selectChatRooms(state).filter(
    (r) => r.encrypted && !r.invited && !noticeRooms.has(r.roomId),
  );
}

/** 转发: pick a chat room, then the notice and its attachments are sent there. */
function ForwardAction({
  circular,
  controller,
}: {
  circular: Circular;
  controller: CircularsController;
}) {
  const { t } = useTranslation();
  const rooms = useAppStore(useShallow(forwardTargets));
  const [open, setOpen] = useState(false);
  const [roomId, setRoomId] = useState('');
  const [state, setState] = useState<{ busy: boolean; done?: string; error?: ErrorText }>({
    busy: false,
  });
  if (!open)
    return (
      <>
        <button
          type="button"
          className="secondary"
          data-testid="forward-open"
          onClick={() => {
            setOpen(true);
            setState({ busy: false });
          }}
        >
          {t('circulars.view.forward')}
        </button>
        {state.done && (
          <span className="muted" data-testid="forward-done">
            {t('circulars.view.forwarded', { room: state.done })}
          </span>
        )}
      </>
    );
  const target = rooms.find((r) => r.roomId === roomId);
  const send = async () => {
    if (!target) return;
    setState({ busy: true });
    try {
      await controller.forward({ circular, toRoomId: target.roomId });
      setState({ busy: false, done: target.name });
      setOpen(false);
    } catch (err) {
      setState({ busy: false, error: explainErrorAs(t, 'circulars.view.forwardFailed', err) });
    }
  };
  return (
    <div className="circ-forward" data-testid="forward-box">
      <SelectField
        label={t('circulars.view.forwardTo')}
        data-testid="forward-room"
        value={roomId}
        onChange={setRoomId}
        placeholder={t('circulars.view.forwardPick')}
        options={rooms.map((r) => ({ value: r.roomId, label: r.name }))}
      />
      <button
        type="button"
        className="primary"
        data-testid="forward-send"
        disabled={!target || state.busy}
        onClick={() => void send()}
      >
        {state.busy ? t('circulars.view.forwarding') : t('circulars.view.forwardSend')}
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        {t('circulars.view.forwardCancel')}
      </button>
      {rooms.length === 0 && <span className="muted">{t('circulars.view.forwardNoRooms')}</span>}
      {state.error && <ErrorNote error={state.error} />}
    </div>
  );
}

/** One received circular: header fields, text, attachments and the 签收 action. Opening it sends a read receipt. */
export function CircularDetail(props: {
  roomId: string;
  eventId: string;
  controller: CircularsController;
  onBack(): void;
}) {
  const { t } = useTranslation();
  const entry = useAppStore((s) =>
    s.circularInbox.find((e) => e.eventId === props.eventId && e.roomId === props.roomId),
  );
  const offline = useAppStore((s) => s.connection === 'offline');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorText | null>(null);
  const now = useNow();
  const { controller, roomId, eventId } = props;
  useEffect(() => {
    void controller.open(roomId, eventId).catch(() => undefined);
  }, [controller, roomId, eventId]);
  if (!entry)
    return (
      <section className="circ-panel">
        <button type="button" className="secondary" onClick={props.onBack}>
          ← {t('circulars.view.back')}
        </button>
        <p className="muted">{t('circulars.view.notFound')}</p>
      </section>
    );
  const c = entry.circular;
  const d = deadlineText(t, {
    ...c,
    ...(entry.ackedAt !== undefined ? { ackedAt: entry.ackedAt } : {}),
    now,
  });
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      await controller.acknowledge({ roomId, eventId, circular: c, note });
    } catch (err) {
      setError(explainErrorAs(t, 'circulars.view.ackFailed', err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="circ-panel circ-doc" data-testid="circular-view">
      <button type="button" className="secondary circ-back" onClick={props.onBack}>
        ← {t('circulars.view.back')}
      </button>
      <article className={c.noForward ? 'circ-paper circ-no-copy' : 'circ-paper'}>
        <div className="circ-paper-unit">{c.issuingUnit.name}</div>
        <h1 className="circ-paper-title" data-testid="circular-title">
          {c.title}
        </h1>
        {c.docNumber && <div className="circ-paper-number">{c.docNumber}</div>}
        <dl className="circ-fields">
          <dt>{t('circulars.view.urgency')}</dt>
          <dd>
            <UrgencyBadge urgency={c.urgency} />
          </dd>
          <dt>{t('circulars.view.issuedAt')}</dt>
          <dd>
            {formatTime(c.issuedAt)}
            <TimeZoneNote />{' '}
            <SentBy
              senderId={entry.senderId}
              senderName={entry.senderName}
              unitName={c.issuingUnit.name}
              serverTs={entry.ts}
              issuedAt={c.issuedAt}
            />
          </dd>
          {c.ackRequired && (
            <>
              <dt>{t('circulars.view.deadline')}</dt>
              <dd>
                {formatTime(c.ackDeadline)}
                <TimeZoneNote /> <span className={`deadline tone-${d.tone}`}>{d.text}</span>
              </dd>
            </>
          )}
        </dl>
        <div className="circ-body">
          {stripBidi(c.body)
            .split(/\n{2,}/)
            .map((para, i) => (
              <p key={i}>{para}</p>
            ))}
        </div>
        {c.attachments.length > 0 && (
          <div className="circ-attachments">
            <h2>{t('circulars.view.attachments')}</h2>
            <ul>
              {c.attachments.map((a, i) => (
                <AttachmentRow key={i} attachment={a} />
              ))}
            </ul>
          </div>
        )}
      </article>
      <div className="circ-actions">
        {c.noForward ? (
          // No forward action, and the banner tells readers not to pass it on by hand either.
          <span className="circ-noforward" data-testid="no-forward">
            {t('circulars.view.noForward')}
          </span>
        ) : (
          <ForwardAction circular={c} controller={controller} />
        )}
      </div>
      <div className="circ-ack" data-testid="ack-box">
        {!c.ackRequired ? (
          <p className="muted">{t('circulars.view.readOnly')}</p>
        ) : entry.status === 'acknowledged' ? (
          <p className="circ-acked" data-testid="ack-done">
            {entry.ackQueued
              ? // Queued means not yet accepted: only while offline is the network what it waits for.
                t(offline ? 'circulars.view.ackQueued' : 'circulars.view.ackSending')
              : t('circulars.view.acknowledged', { time: formatTime(entry.ackedAt) })}
            {entry.ackNote && <span className="muted"> — {entry.ackNote}</span>}
          </p>
        ) : (
          <>
            <TextAreaField
              label={t('circulars.view.note')}
              data-testid="ack-note"
              rows={2}
              maxLength={MAX_ACK_NOTE_CHARS}
              placeholder={t('circulars.view.notePlaceholder')}
              value={note}
              onChange={setNote}
            />
            <button
              type="button"
              className="primary"
              data-testid="ack-button"
              disabled={busy}
              onClick={() => void acknowledge()}
            >
              {busy ? t('circulars.view.acknowledging') : t('circulars.view.acknowledge')}
            </button>
          </>
        )}
        {error && <ErrorNote error={error} testId="ack-error" />}
      </div>
    </section>
  );
}
