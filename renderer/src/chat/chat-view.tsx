import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { RoomList } from './room-list';
import { Conversation } from './conversation';
import { EncryptionPanel } from './encryption-panel';
import { NewChatDialog } from './new-chat-dialog';
import './chat.css';

/** Chat: the room list beside the open conversation. */
export function ChatView() {
  const { t } = useTranslation();
  const activeRoomId = useAppStore((s) => s.activeRoomId);
  const displayName = useAppStore((s) => s.displayName ?? s.userId);
  const [dialog, setDialog] = useState<'dm' | 'room' | null>(null);
  return (
    <div className="split chat">
      <RoomList onNew={setDialog} />
      <main className="chat-main">
        <EncryptionPanel />
        {activeRoomId ? (
          <Conversation key={activeRoomId} roomId={activeRoomId} />
        ) : (
          <div className="content">
            <div className="welcome" data-testid="welcome">
              <h1>{t('home.welcome', { name: displayName })}</h1>
              <p className="muted">{t('chat.conversation.pick')}</p>
            </div>
          </div>
        )}
      </main>
      {dialog && <NewChatDialog mode={dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}
