import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { selectChatRooms } from '../store/rooms-slice';
import { useAppStore } from '../store/store-context';

/** Chat: the room list beside the open conversation. */
export function ChatView() {
  const { t } = useTranslation();
  const rooms = useAppStore(useShallow(selectChatRooms));
  const roomsLoaded = useAppStore((s) => s.roomsLoaded);
  const displayName = useAppStore((s) => s.displayName ?? s.userId);
  return (
    <div className="split">
      <nav className="sidebar" aria-label={t('home.rooms')}>
        <h2>{t('home.rooms')}</h2>
        <ul className="room-list" data-testid="room-list" data-loaded={roomsLoaded}>
          {!roomsLoaded && <li className="muted">{t('home.syncing')}</li>}
          {roomsLoaded && rooms.length === 0 && <li className="muted">{t('home.noRooms')}</li>}
          {rooms.map((room) => (
            <li key={room.roomId} className="room-item" data-room-id={room.roomId}>
              <span className="room-name">{room.name}</span>
              {room.unread > 0 && (
                <span className={room.highlights > 0 ? 'badge highlight' : 'badge'}>{room.unread}</span>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <div className="welcome" data-testid="welcome">
          <h1>{t('home.welcome', { name: displayName })}</h1>
          <p className="muted">{t('app.tagline')}</p>
        </div>
      </main>
    </div>
  );
}
