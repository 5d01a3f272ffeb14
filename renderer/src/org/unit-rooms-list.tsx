import { useTranslation } from 'react-i18next';
import type { UnitRooms } from '../../../shared/org/org-view';
import { useAppStore } from '../store/store-context';

/** A unit's rooms (notice, work, departments), each opening in the chat view when joined. */
export function UnitRoomsList({
  rooms,
  unitName,
}: {
  rooms: UnitRooms | undefined;
  unitName: string;
}) {
  const { t } = useTranslation();
  const joined = useAppStore((s) => s.rooms);
  const setActiveRoom = useAppStore((s) => s.setActiveRoom);
  const setActiveView = useAppStore((s) => s.setActiveView);
  const entries = [
    ...(rooms?.noticeRoomId ? [{ roomId: rooms.noticeRoomId, label: t('org.noticeRoom') }] : []),
    ...(rooms?.workRoomId ? [{ roomId: rooms.workRoomId, label: t('org.workRoom') }] : []),
    ...(rooms?.departments ?? []).map((d) => ({
      roomId: d.roomId,
      label: d.name ?? d.slug ?? d.roomId,
    })),
  ];
  if (entries.length === 0) return null;
  return (
    <ul
      className="unit-rooms"
      aria-label={t('org.roomsOf', { unit: unitName })}
      data-testid="unit-rooms"
    >
      {entries.map((e) => {
        const summary = joined[e.roomId];
        return (
          <li key={e.roomId}>
            <button
              type="button"
              className="unit-room"
              disabled={!summary}
              title={summary ? undefined : t('org.notJoined')}
              onClick={() => {
                setActiveRoom(e.roomId);
                setActiveView('chat');
              }}
            >
              <span>{e.label}</span>
              {summary && summary.unread > 0 && <span className="badge">{summary.unread}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
