import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ACK_NOTE_CHARS } from '../../../shared/circular/ack';
import type { CircularAttachment } from '../../../shared/circular/types';
import { downloadEncryptedAttachment } from '../matrix/attachments';
import { useMatrixClient } from '../matrix/client-context';
import { useAppStore } from '../store/store-context';
import type { CircularsController } from './circulars-controller';
import { deadlineText, downloadBytes, formatTime } from './format';
import { UrgencyBadge, useNow } from './inbox-list';

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
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      const bytes = await downloadEncryptedAttachment(client, attachment.file);
      downloadBytes(bytes, attachment.name, attachment.mimetype);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  };
  return (
    <li className="circ-attachment">
      <span className="circ-file-name">
        <FileIcon /> {attachment.name}
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
      {state.error && (
        <span className="form-error">
          {t('circulars.view.downloadFailed', { error: state.error })}
        </span>
      )}
    </li>
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
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
      await controller.acknowledge({ roomId, eventId, circularId: c.id, note });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="circ-panel circ-doc" data-testid="circular-view">
      <button type="button" className="secondary circ-back" onClick={props.onBack}>
        ← {t('circulars.view.back')}
      </button>
      <article className="circ-paper">
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
          <dd>{formatTime(c.issuedAt)}</dd>
          {c.ackRequired && (
            <>
              <dt>{t('circulars.view.deadline')}</dt>
              <dd>
                {formatTime(c.ackDeadline)}{' '}
                <span className={`deadline tone-${d.tone}`}>{d.text}</span>
              </dd>
            </>
          )}
        </dl>
        <div className="circ-body">
          {c.body.split(/\n{2,}/).map((para, i) => (
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
      {/* The app offers no forwarding of circulars; a no-forward circular says so, so nobody passes it on by hand. */}
      {c.noForward && (
        <div className="circ-actions">
          <span className="circ-noforward" data-testid="no-forward">
            {t('circulars.view.noForward')}
          </span>
        </div>
      )}
      <div className="circ-ack" data-testid="ack-box">
        {!c.ackRequired ? (
          <p className="muted">{t('circulars.view.readOnly')}</p>
        ) : entry.status === 'acknowledged' ? (
          <p className="circ-acked" data-testid="ack-done">
            {entry.ackQueued
              ? t('circulars.view.ackQueued')
              : t('circulars.view.acknowledged', { time: formatTime(entry.ackedAt) })}
            {entry.ackNote && <span className="muted"> — {entry.ackNote}</span>}
          </p>
        ) : (
          <>
            <label>
              {t('circulars.view.note')}
              <textarea
                data-testid="ack-note"
                rows={2}
                maxLength={MAX_ACK_NOTE_CHARS}
                placeholder={t('circulars.view.notePlaceholder')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
            </label>
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
        {error && <div className="form-error">{t('circulars.view.ackFailed', { error })}</div>}
      </div>
    </section>
  );
}
