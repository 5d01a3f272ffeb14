/** The open conversation's rows as the store holds them: plain data, never SDK events. */
import type { NoticeRoomFlag } from '../../../shared/circular/origin';
import type { EncryptedFileInfo } from '../../../shared/encrypted-file';

/** A reaction aggregated over everyone who sent it. */
export interface ReactionSummary {
  key: string;
  count: number;
  /** Our own reaction's event ID, so the user can take it back. */
  myEventId: string | null;
}

/** The file part of an attachment message. */
export interface FileView {
  file: EncryptedFileInfo | null;
  /** Unencrypted `url`, only in rooms without encryption (shown with a warning, never loaded directly). */
  plainUrl: string | null;
  name: string;
  mimeType: string;
  size: number;
  width?: number;
  height?: number;
  thumbnail: EncryptedFileInfo | null;
}

/** One row of the timeline, as plain data (the store never holds MatrixEvents). */
export type TimelineItem =
  | { kind: 'day'; id: string; ts: number }
  | {
      kind: 'message';
      id: string;
      sender: string;
      senderName: string;
      ts: number;
      msgtype: string;
      body: string;
      /** Untrusted HTML from the event; sanitized where it is rendered, never stored cleaned. */
      html: string | null;
      edited: boolean;
      redacted: boolean;
      encrypted: boolean;
      mine: boolean;
      mentionsMe: boolean;
      replyTo: { eventId: string; senderName: string; body: string } | null;
      reactions: ReactionSummary[];
      file: FileView | null;
      /** The transaction ID this device sent it under (own messages): matches its outbox entry. */
      txnId?: string;
      /** In a notice room: why this message is no circular to rely on (see `noticeRoomFlag`). */
      flag?: NoticeRoomFlag;
    }
  | {
      kind: 'undecryptable';
      id: string;
      sender: string;
      senderName: string;
      ts: number;
      reason: string;
      mine: boolean;
    }
  | { kind: 'notice'; id: string; ts: number; text: NoticeText };

/** A membership or room-setting change, rendered by the UI in the user's language. */
export interface NoticeText {
  key: 'joined' | 'left' | 'invited' | 'encryptionOn' | 'renamed' | 'created' | 'nameChanged';
  actor: string;
  target?: string;
  /** The actor is the org's provisioning account: the UI names it as the system, not as a person. */
  system?: boolean;
}
