import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatrixClient } from '../matrix/client-context';
import { createGroupRoom, openDirectChat } from '../matrix/rooms';
import { searchUsers, type DirectoryUser } from '../matrix/user-search';
import { useAppStore } from '../store/store-context';
import { LockIcon } from './icons';
import { ErrorNote } from '../components/error-note';
import { explainError, type ErrorText } from '../i18n/error-text';
import { TextField } from '../components/text-field';

/** Start a DM (search the user directory) or create an encrypted group room. */
export function NewChatDialog({ mode, onClose }: { mode: 'dm' | 'room'; onClose(): void }) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const setActiveRoom = useAppStore((s) => s.setActiveRoom);
  const [term, setTerm] = useState('');
  const [results, setResults] = useState<DirectoryUser[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [name, setName] = useState('');
  const [invites, setInvites] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorText | null>(null);

  useEffect(() => {
    if (mode !== 'dm' || !term.trim()) return;
    let cancelled = false;
    // Debounced: the directory is searched on the server, one request per pause in typing.
    const timer = setTimeout(() => {
      setSearching(true);
      searchUsers(client, term)
        .then((found) => {
          if (cancelled) return;
          const me = client.getUserId();
          // The directory lists only people who share a room; a full Matrix ID can always be used.
          const typed = term.trim();
          if (
            /^@[^:\s]+:\S+$/.test(typed) &&
            typed !== me &&
            !found.some((u) => u.userId === typed)
          ) {
            found.push({ userId: typed, displayName: typed });
          }
          setResults(found);
        })
        .catch((err: unknown) => !cancelled && setError(explainError(t, err)))
        .finally(() => !cancelled && setSearching(false));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, mode, term, t]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      setActiveRoom(await action());
      onClose();
    } catch (err) {
      setError(explainError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const createRoom = (e: FormEvent) => {
    e.preventDefault();
    const invite = invites
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    void run(() => createGroupRoom({ client, name, invite }));
  };

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        data-testid={`dialog-${mode}`}
        onClick={(e) => e.stopPropagation()}
      >
        {mode === 'dm' ? (
          <>
            <h1>{t('chat.newChat.dmTitle')}</h1>
            <input
              autoFocus
              data-testid="user-search"
              placeholder={t('chat.newChat.search')}
              value={term}
              onChange={(e) => setTerm(e.target.value)}
            />
            {searching && <p className="muted">{t('chat.newChat.searching')}</p>}
            {results?.length === 0 && !searching && (
              <p className="muted">{t('chat.newChat.noResults')}</p>
            )}
            <ul className="user-results">
              {results?.map((u) => (
                <li key={u.userId}>
                  <button
                    type="button"
                    className="secondary user-result"
                    data-testid="user-result"
                    data-user-id={u.userId}
                    disabled={busy}
                    onClick={() => void run(() => openDirectChat(client, u.userId))}
                  >
                    <strong>{u.displayName}</strong> <span className="muted">{u.userId}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <form onSubmit={createRoom} className="dialog-form">
            <h1>{t('chat.newChat.roomTitle')}</h1>
            <TextField
              label={t('chat.newChat.roomName')}
              autoFocus
              required
              data-testid="room-name"
              value={name}
              onChange={setName}
            />
            <TextField
              label={t('chat.newChat.invite')}
              data-testid="room-invites"
              value={invites}
              onChange={setInvites}
            />
            <button type="submit" className="primary" disabled={busy} data-testid="room-create">
              {t('chat.newChat.create')}
            </button>
          </form>
        )}
        <p className="muted small">
          <LockIcon /> {t('chat.newChat.encryptedNote')}
        </p>
        {error && <ErrorNote error={error} testId="new-chat-error" />}
        <button type="button" className="secondary" onClick={onClose}>
          {t('chat.newChat.cancel')}
        </button>
      </div>
    </div>
  );
}
