import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryPerson } from '../../../shared/org/directory-search';
import { openDirectChat } from '../matrix/rooms';
import { useMatrixClient } from '../matrix/client-context';
import { useAppStore } from '../store/store-context';
import { ErrorNote } from '../components/error-note';
import { explainErrorAs, type ErrorText } from '../i18n/error-text';

/** A list of people with unit path, position and roles, and a button to message each one. */
export function PersonList({
  people,
  testId,
}: {
  people: readonly DirectoryPerson[];
  testId: string;
}) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const me = useAppStore((s) => s.userId);
  const setActiveRoom = useAppStore((s) => s.setActiveRoom);
  const setActiveView = useAppStore((s) => s.setActiveView);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorText | null>(null);

  const message = async (userId: string) => {
    setBusy(userId);
    setError(null);
    try {
      const roomId = await openDirectChat(client, userId);
      setActiveRoom(roomId);
      setActiveView('chat');
    } catch (err) {
      setError(explainErrorAs(t, 'org.messageFailed', err));
    } finally {
      setBusy(null);
    }
  };

  if (people.length === 0)
    return (
      <p className="org-empty" data-testid={`${testId}-empty`}>
        {t('org.noPeople')}
      </p>
    );
  return (
    <>
      {error && <ErrorNote error={error} testId="person-list-error" />}
      <ul className="person-list" data-testid={testId}>
        {people.map((p) => (
          <li key={`${p.userId}|${p.unitCode}`} className="person-row" data-testid="person-row">
            <div className="person-avatar" aria-hidden="true">
              {p.displayName.slice(0, 1)}
            </div>
            <div className="person-main">
              <div className="person-name">
                <strong>{p.displayName}</strong>
                {p.position && <span className="person-position">{p.position}</span>}
                {p.roles
                  .filter((r) => r !== 'member')
                  .map((r) => (
                    <span key={r} className={`role-tag role-${r}`}>
                      {t(`org.role.${r}`)}
                    </span>
                  ))}
              </div>
              <div className="person-path">{p.unitPath.join(' › ')}</div>
              <div className="person-id">{p.userId}</div>
            </div>
            {p.userId !== me && (
              <button
                type="button"
                className="secondary"
                disabled={busy !== null}
                onClick={() => void message(p.userId)}
              >
                {busy === p.userId ? t('org.opening') : t('org.message')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
