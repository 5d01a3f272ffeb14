import {
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../components/error-note';
import { explainErrorAs, type ErrorText } from '../i18n/error-text';
import { useMatrixClient } from '../matrix/client-context';
import { uploadEncryptedAttachment } from '../matrix/attachments';
import { MAX_QUEUED_ATTACHMENT_BYTES } from '../matrix/outbox/outbox-store';
import { buildEditContent, buildTextContent, type Mention } from './message-content';
import { imageFacts } from './image-thumbnail';
import { useSession } from '../session/session-context';
import { ClipIcon } from './icons';
import { usePhoneLayout } from '../navigation/use-phone-layout';

/** What the composer is doing: a new message, a reply, or an edit. */
export type ComposerMode =
  | { kind: 'new' }
  | { kind: 'reply'; eventId: string; senderName: string }
  | { kind: 'edit'; eventId: string; text: string };

/** The member names that start with what follows the last `@` being typed. */
function mentionQuery(text: string, caret: number): string | null {
  const m = /@([^\s@]{0,32})$/.exec(text.slice(0, caret));
  return m ? (m[1] ?? '') : null;
}

/** Message input: Markdown text, mentions with autocomplete, files by button, paste or drop. */
export function Composer({
  roomId,
  mode,
  onModeDone,
}: {
  roomId: string;
  mode: ComposerMode;
  onModeDone(): void;
}) {
  const { t } = useTranslation();
  const phone = usePhoneLayout();
  const client = useMatrixClient();
  const { controller } = useSession();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [mentions, setMentions] = useState<Mention[]>([]);
  const [upload, setUpload] = useState<{ name: string; percent: number } | null>(null);
  const [error, setError] = useState<ErrorText | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [editSeed, setEditSeed] = useState<string | null>(null);
  if (mode.kind === 'edit' && editSeed !== mode.eventId) {
    setEditSeed(mode.eventId);
    setText(mode.text);
  }

  const query = mentionQuery(text, caret);
  const candidates = useMemo(() => {
    if (query === null) return [];
    const room = client.getRoom(roomId);
    const q = query.toLowerCase();
    return (room?.getJoinedMembers() ?? [])
      .filter(
        (m) =>
          m.userId !== client.getUserId() &&
          (m.name.toLowerCase().includes(q) || m.userId.toLowerCase().includes(q)),
      )
      .slice(0, 6)
      .map((m) => ({ userId: m.userId, name: m.name }));
  }, [client, roomId, query]);

  const pickMention = (m: Mention) => {
    const before = text.slice(0, caret).replace(/@[^\s@]*$/, '');
    const next = `${before}${m.name} ${text.slice(caret)}`;
    setText(next);
    setCaret(before.length + m.name.length + 1);
    setMentions((prev) => [...prev.filter((p) => p.userId !== m.userId), m]);
  };

  const send = async () => {
    const outbox = controller.currentOutbox;
    if (!text.trim() || !outbox) return;
    const content =
      mode.kind === 'edit'
        ? buildEditContent(mode.eventId, { text, mentions })
        : buildTextContent({
            text,
            mentions,
            replyTo: mode.kind === 'reply' ? { eventId: mode.eventId } : null,
          });
    setText('');
    setMentions([]);
    setEditSeed(null);
    onModeDone();
    await outbox.enqueue({ roomId, content });
  };

  const sendFiles = async (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      setError(null);
      setUpload({ name: file.name, percent: 0 });
      try {
        const data = new Uint8Array(await file.arrayBuffer());
        const facts = await imageFacts(file);
        const input = {
          data,
          name: file.name,
          mimeType: file.type || 'application/octet-stream',
          ...(facts ?? {}),
        };
        const outbox = controller.currentOutbox;
        if (!outbox) continue;
        // Queued like a text message, so a file attached offline goes out when the server returns.
        if (data.byteLength <= MAX_QUEUED_ATTACHMENT_BYTES) {
          await outbox.enqueueAttachment({ roomId, file: input });
          continue;
        }
        const content = await uploadEncryptedAttachment({
          client,
          file: input,
          onProgress: (loaded, total) =>
            setUpload({ name: file.name, percent: total ? Math.round((loaded / total) * 100) : 0 }),
        });
        await outbox.enqueue({ roomId, content });
      } catch (err) {
        setError(explainErrorAs(t, 'chat.composer.uploadFailed', err));
      } finally {
        setUpload(null);
      }
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (candidates.length > 0 && candidates[0]) pickMention(candidates[0]);
      else void send();
    }
    if (e.key === 'Escape' && mode.kind !== 'new') {
      setText('');
      setEditSeed(null);
      onModeDone();
    }
  };
  const onPaste = (e: ClipboardEvent) => {
    if (e.clipboardData.files.length > 0) {
      e.preventDefault();
      void sendFiles(e.clipboardData.files);
    }
  };
  const onDrop = (e: DragEvent) => {
    if (e.dataTransfer.files.length > 0) {
      e.preventDefault();
      void sendFiles(e.dataTransfer.files);
    }
  };

  return (
    <div className="composer" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      {mode.kind !== 'new' && (
        <div className="composer-mode muted small">
          {mode.kind === 'reply'
            ? t('chat.composer.replyingTo', { name: mode.senderName })
            : t('chat.composer.editing')}{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setText('');
              setEditSeed(null);
              onModeDone();
            }}
          >
            {t('chat.composer.cancel')}
          </button>
        </div>
      )}
      {upload && (
        <div className="muted small" data-testid="upload-progress">
          {t('chat.composer.uploading', upload)}
        </div>
      )}
      {error && <ErrorNote error={error} />}
      {candidates.length > 0 && (
        <ul className="mention-list" role="listbox">
          {candidates.map((m) => (
            <li key={m.userId}>
              <button
                type="button"
                className="link"
                onMouseDown={(e) => {
                  e.preventDefault();
                  pickMention(m);
                }}
              >
                {m.name} <span className="muted">{m.userId}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-row">
        <button
          type="button"
          className="secondary"
          title={t('chat.composer.attach')}
          onClick={() => fileInput.current?.click()}
        >
          <ClipIcon />
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) void sendFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <textarea
          data-testid="composer-input"
          rows={2}
          value={text}
          placeholder={t(phone ? 'chat.composer.placeholderPhone' : 'chat.composer.placeholder')}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <button
          type="button"
          className="primary"
          data-testid="composer-send"
          onClick={() => void send()}
        >
          {t('chat.composer.send')}
        </button>
      </div>
    </div>
  );
}
