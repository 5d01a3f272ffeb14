import { Fragment, memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { selectChatRooms, type RoomSummary } from '../store/rooms-slice';
import { useAppStore } from '../store/store-context';
import { Avatar } from './avatar';
import { MutedIcon } from './icons';
import { roomSections } from './room-sections';

/**
 * The room list in sections (direct chats, group chats, unit rooms, notice rooms), each most recent
 * activity first, with unread and mention badges and unencrypted rooms marked.
 */
export function RoomList({ onNew }: { onNew(kind: 'dm' | 'room'): void }) {
  const { t } = useTranslation();
  const rooms = useAppStore(useShallow(selectChatRooms));
  const roomsLoaded = useAppStore((s) => s.roomsLoaded);
  const fromCache = useAppStore((s) => s.roomsFromCache);
  const activeRoomId = useAppStore((s) => s.activeRoomId);
  const muted = useAppStore((s) => s.mutedRooms);
  const setActiveRoom = useAppStore((s) => s.setActiveRoom);
  const org = useAppStore((s) => s.org);
  const sections = useMemo(() => roomSections(rooms, org), [rooms, org]);
  return (
    <nav className="sidebar room-sidebar" aria-label={t('home.rooms')}>
      <div className="room-sidebar-head">
        <h2>{t('chat.roomList.title')}</h2>
        <div className="room-sidebar-actions">
          {(['dm', 'room'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              className="secondary small"
              data-testid={`new-${kind}`}
              onClick={() => onNew(kind)}
            >
              {t(kind === 'dm' ? 'chat.roomList.newDm' : 'chat.roomList.newRoom')}
            </button>
          ))}
        </div>
      </div>
      <ul
        className="room-list"
        data-testid="room-list"
        data-loaded={roomsLoaded}
        // The saved list of the last session is shown until the client has its rooms.
        data-live={roomsLoaded && !fromCache}
      >
        {!roomsLoaded && <li className="muted">{t('home.syncing')}</li>}
        {roomsLoaded && rooms.length === 0 && <li className="muted">{t('home.noRooms')}</li>}
        {sections.map(({ section, rooms: inSection }) => (
          <Fragment key={section}>
            {sections.length > 1 && (
              <li className="room-section" role="presentation" data-section={section}>
                {t(`chat.roomList.section.${section}`)}
              </li>
            )}
            {inSection.map((room) => (
              <RoomRow
                key={room.roomId}
                room={room}
                active={room.roomId === activeRoomId}
                muted={muted[room.roomId] === true}
                onOpen={setActiveRoom}
              />
            ))}
          </Fragment>
        ))}
      </ul>
    </nav>
  );
}

/**
 * One room of the list. Memoised: a sync changes a few rooms of hundreds, and summaries of
 * unchanged rooms keep their identity in the store, so only the changed rows render again.
 */
const RoomRow = memo(function RoomRow({
  room,
  active,
  muted,
  onOpen,
}: {
  room: RoomSummary;
  active: boolean;
  muted: boolean;
  onOpen(roomId: string): void;
}) {
  const { t } = useTranslation();
  return (
    <li
      className={active ? 'room-item active' : 'room-item'}
      data-room-id={room.roomId}
      data-unread={room.unread}
      aria-current={active ? 'true' : undefined}
      onClick={() => onOpen(room.roomId)}
    >
      <Avatar name={room.name} id={room.roomId} />
      <span className="room-text">
        <span className="room-name">{room.name}</span>
        {room.preview && (
          <span className="room-preview muted">
            {room.isDirect ? '' : `${room.preview.senderName}: `}
            {room.preview.body}
          </span>
        )}
      </span>
      {!room.encrypted && (
        <span
          className="tag warn"
          title={t('chat.conversation.unencrypted')}
          data-testid="unencrypted-room"
        >
          {t('chat.roomList.unencrypted')}
        </span>
      )}
      {muted && <MutedIcon />}
      {room.unread > 0 && !active && (
        <span
          className={room.highlights > 0 ? 'badge highlight' : 'badge'}
          title={room.highlights > 0 ? t('chat.roomList.mentions') : undefined}
        >
          {room.highlights > 0 ? `@${room.unread}` : room.unread}
        </span>
      )}
    </li>
  );
});
