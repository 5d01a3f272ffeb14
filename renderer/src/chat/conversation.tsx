import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatrixClient } from '../matrix/client-context';
import { bindTimeline } from '../matrix/bind-timeline';
import { setRoomMuted } from '../matrix/notifications';
import { acceptInvite, leaveRoom } from '../matrix/rooms';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { canIssueIn, isNoticeRoom } from '../matrix/unit-room';
import { noticeRoomFlag } from '../circulars/circular-events';
import { Composer, type ComposerMode } from './composer';
import { TimelineView } from './timeline-view';
import { DevicesPanel } from './devices-panel';
import { LockIcon, UnlockIcon } from './icons';
import { ErrorNote } from '../components/error-note';
import { OverflowMenu } from '../components/overflow-menu';
import { usePhoneLayout } from '../navigation/use-phone-layout';
import { explainError, type ErrorText } from '../i18n/error-text';

/** One open room: header with encryption state and room actions, the timeline, the composer. */
export function Conversation({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const store = useAppStoreApi();
  const summary = useAppStore((s) => s.rooms[roomId]);
  const muted = useAppStore((s) => !!s.mutedRooms[roomId]);
  const [mode, setMode] = useState<ComposerMode>({ kind: 'new' });
  const [error, setError] = useState<ErrorText | null>(null);
  const [showDevices, setShowDevices] = useState(false);
  const phone = usePhoneLayout();
  const invited = summary?.invited === true;
  const me = useAppStore((s) => s.userId);
  // Power levels arrive as state, which re-renders the room summary; read them from the client.
  const room = client.getRoom(roomId);
  const readOnlyNotice = !!room && !!me && isNoticeRoom(room) && !canIssueIn(room, me);
  // Only offer to invite where the room's power levels let this user (a resident in 群众群 may not).
  const mayInvite = !room || !me || room.canInvite(me);
  const unmanaged = useAppStore((s) => s.org?.unmanaged.some((u) => u.roomId === roomId) ?? false);
  // A room opened from the saved list at start-up is bound once the client has it.
  const live = useAppStore((s) => !s.roomsFromCache);

  useEffect(() => {
    if (invited || !live) return;
    return bindTimeline(client, roomId, store, noticeRoomFlag);
  }, [client, roomId, store, invited, live]);

  const act = (fn: () => Promise<void>) => {
    setError(null);
    fn().catch((err: unknown) => setError(explainError(t, err)));
  };
  // The session's muted-rooms binder shows the change when the push rules come back through sync.
  const toggleMute = () => act(() => setRoomMuted(client, roomId, !muted));
  // An inline field rather than window.prompt, which Electron does not implement.
  const [inviting, setInviting] = useState<string | null>(null);
  const invite = (e: FormEvent) => {
    e.preventDefault();
    const userId = inviting?.trim();
    if (!userId) return;
    act(async () => {
      await client.invite(roomId, userId);
      setInviting(null);
    });
  };
  const leave = () => {
    if (!window.confirm(t('chat.conversation.leaveConfirm'))) return;
    act(async () => {
      await leaveRoom(client, roomId);
      store.getState().setActiveRoom(null);
    });
  };

  // On a phone the room's actions sit behind one button, so the title row stays one row.
  const actions = (
    <>
      {!invited && (
        <>
          <button
            type="button"
            className="secondary small"
            onClick={() => setShowDevices((v) => !v)}
            data-testid="devices-toggle"
          >
            {t('chat.devices.title')}
          </button>
          <button
            type="button"
            className="secondary small"
            onClick={toggleMute}
            data-testid="mute-toggle"
          >
            {muted ? t('chat.conversation.unmute') : t('chat.conversation.mute')}
          </button>
          {mayInvite && (
            <button
              type="button"
              className="secondary small"
              onClick={() => setInviting(inviting === null ? '' : null)}
              data-testid="invite"
            >
              {t('chat.conversation.invite')}
            </button>
          )}
        </>
      )}
      <button type="button" className="secondary small" onClick={leave} data-testid="leave">
        {t('chat.conversation.leave')}
      </button>
    </>
  );

  return (
    <section className="conversation" data-testid="conversation" data-room-id={roomId}>
      <header className="conversation-head">
        <h1 className="conversation-title" data-testid="conversation-title">
          {summary?.name ?? roomId}
        </h1>
        {summary?.encrypted ? (
          <span className="tag ok" data-testid="room-encrypted">
            <LockIcon /> {t('chat.conversation.encrypted')}
          </span>
        ) : (
          <span className="tag warn" data-testid="room-unencrypted">
            <UnlockIcon /> {t('chat.conversation.unencrypted')}
          </span>
        )}
        <div className="topbar-spacer" />
        {phone ? (
          <OverflowMenu label={t('chat.conversation.more')} testId="conversation-more">
            {actions}
          </OverflowMenu>
        ) : (
          actions
        )}
      </header>
      {unmanaged && (
        <div className="form-error" data-testid="room-unmanaged">
          {t('chat.conversation.unmanagedRoom')}
        </div>
      )}
      {error && <ErrorNote error={error} testId="conversation-error" />}
      {inviting !== null && (
        <form className="panel-actions invite-form" onSubmit={invite}>
          <input
            autoFocus
            className="grow"
            data-testid="invite-user"
            placeholder={t('chat.conversation.invitePrompt')}
            value={inviting}
            onChange={(e) => setInviting(e.target.value)}
          />
          <button type="submit" className="primary small">
            {t('chat.conversation.invite')}
          </button>
        </form>
      )}
      {showDevices && !invited && <DevicesPanel roomId={roomId} />}
      {invited ? (
        <div className="invite-panel">
          <p>{t('chat.conversation.invitedTo')}</p>
          <button
            type="button"
            className="primary"
            data-testid="accept-invite"
            onClick={() => act(() => acceptInvite(client, roomId))}
          >
            {t('chat.conversation.accept')}
          </button>
        </div>
      ) : (
        <>
          <TimelineView
            roomId={roomId}
            onReply={(item) =>
              setMode({ kind: 'reply', eventId: item.id, senderName: item.senderName })
            }
            onEdit={(item) => setMode({ kind: 'edit', eventId: item.id, text: item.body })}
          />
          {readOnlyNotice ? (
            <p className="composer-readonly muted" data-testid="composer-readonly">
              {t('chat.conversation.noticeReadOnly')}
            </p>
          ) : (
            <Composer roomId={roomId} mode={mode} onModeDone={() => setMode({ kind: 'new' })} />
          )}
        </>
      )}
    </section>
  );
}
