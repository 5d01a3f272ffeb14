import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { neutraliseBidi } from '../../../shared/text/bidi';
import { ErrorNote } from '../components/error-note';
import { explainError, explainErrorAs, type ErrorText } from '../i18n/error-text';
import { useMatrixClient } from '../matrix/client-context';
import { downloadEncryptedAttachment, parseEncryptedFile } from '../matrix/attachments';
import type { FileView } from '../store/timeline-items';
import { useSession } from '../session/session-context';
import { ClipIcon } from './icons';

/** Largest image decrypted inline without a thumbnail (bigger ones show as a file). */
const INLINE_IMAGE_LIMIT = 8 * 1024 * 1024;
/** Image types shown inline; anything else (e.g. SVG, which can carry script) is a download only. */
const INLINE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An encrypted attachment: decrypted image preview (thumbnail when there is one) and a download button. */
export function AttachmentView({ file, isImage }: { file: FileView; isImage: boolean }) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const { platform } = useSession();
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<ErrorText | null>(null);
  // Direction controls in a name can disguise its extension; they are removed, and flagged.
  const name = neutraliseBidi(file.name);

  const previewSource =
    isImage && INLINE_TYPES.includes(file.mimeType)
      ? (file.thumbnail ?? (file.size <= INLINE_IMAGE_LIMIT ? file.file : null))
      : null;
  useEffect(() => {
    if (!previewSource) return;
    let url: string | null = null;
    let cancelled = false;
    downloadEncryptedAttachment(client, parseEncryptedFile(previewSource))
      .then((bytes) => {
        if (cancelled) return;
        url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
        setPreview(url);
      })
      .catch((err: unknown) => !cancelled && setError(explainError(t, err)));
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [client, previewSource, file.mimeType, t]);

  const download = async () => {
    setError(null);
    try {
      if (!file.file) throw new Error(t('chat.timeline.unencryptedFile'));
      const bytes = await downloadEncryptedAttachment(client, parseEncryptedFile(file.file));
      await platform.saveFile(bytes, name.text, file.mimeType);
    } catch (err) {
      setError(explainErrorAs(t, 'chat.timeline.downloadFailed', err));
    }
  };

  return (
    <div className="attachment" data-testid="attachment" data-name={name.text}>
      {preview && (
        <img
          className="attachment-image"
          src={preview}
          alt={name.text}
          data-testid="attachment-image"
        />
      )}
      <div className="attachment-file">
        <ClipIcon /> <span className="attachment-name">{name.text}</span>{' '}
        {name.hadControls && (
          <span className="warn-text small" data-testid="bidi-warning">
            {t('chat.timeline.bidiRemoved')}
          </span>
        )}{' '}
        <span className="muted small">{formatSize(file.size)}</span>{' '}
        <button
          type="button"
          className="link"
          onClick={() => void download()}
          data-testid="attachment-download"
        >
          {t('chat.timeline.download')}
        </button>
      </div>
      {!file.file && <div className="warn-text small">{t('chat.timeline.unencryptedFile')}</div>}
      {error && <ErrorNote error={error} testId="attachment-error" />}
    </div>
  );
}
