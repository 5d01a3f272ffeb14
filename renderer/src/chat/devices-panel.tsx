import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatrixClient } from '../matrix/client-context';
import { listDevices, type DeviceView } from '../matrix/verification';
import { useSession } from '../session/session-context';
import { ErrorNote } from '../components/error-note';
import { explainError, type ErrorText } from '../i18n/error-text';

/**
 * The devices of the room's members (for a DM: the other person and oneself), with unverified
 * devices flagged, and a button to verify the other person by emoji.
 */
export function DevicesPanel({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const { controller } = useSession();
  const [devices, setDevices] = useState<
    Array<{ userId: string; name: string; list: DeviceView[] }>
  >([]);
  const [error, setError] = useState<ErrorText | null>(null);

  useEffect(() => {
    let cancelled = false;
    const room = client.getRoom(roomId);
    const members = (room?.getJoinedMembers() ?? []).slice(0, 20);
    Promise.all(
      members.map(async (m) => ({
        userId: m.userId,
        name: m.name,
        list: await listDevices(client, m.userId),
      })),
    )
      .then((d) => !cancelled && setDevices(d))
      .catch((err: unknown) => !cancelled && setError(explainError(t, err)));
    return () => {
      cancelled = true;
    };
  }, [client, roomId, t]);

  return (
    <div className="devices" data-testid="devices-panel">
      <strong>{t('chat.devices.title')}</strong>
      {error && <ErrorNote error={error} testId="devices-error" />}
      {devices.map((u) => (
        <div key={u.userId}>
          <div className="panel-actions">
            <span>{u.name}</span> <span className="muted small">{u.userId}</span>
            {u.userId !== client.getUserId() && (
              <button
                type="button"
                className="secondary small"
                onClick={() => void controller.verification.verifyUser(u.userId, roomId)}
              >
                {t('chat.devices.verify')}
              </button>
            )}
          </div>
          <ul>
            {u.list.map((d) => (
              <li key={d.deviceId} data-verified={d.verified}>
                <span>{d.displayName}</span> <code className="small">{d.deviceId}</code>
                <span className={d.verified ? 'tag ok' : 'tag warn'}>
                  {d.verified ? t('chat.devices.verified') : t('chat.devices.unverified')}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
