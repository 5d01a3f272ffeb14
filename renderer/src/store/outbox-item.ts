/** Queued messages as the store shows them: plain data the outbox persists and the views read. */

/** A file the user attached, as bytes plus what the message says about it. */
export interface AttachmentInput {
  data: Uint8Array<ArrayBuffer>;
  name: string;
  mimeType: string;
  /** Pixel size of an image, when known (lets the other side reserve space). */
  width?: number;
  height?: number;
  /** An encrypted thumbnail for images. */
  thumbnail?: { data: Uint8Array<ArrayBuffer>; mimeType: string; width: number; height: number };
}

/** One message waiting to be sent (or that failed for good and awaits retry/delete). */
export interface OutboxItem {
  /**
   * Stable transaction ID, used for every attempt: the homeserver deduplicates
   * `PUT /send/{type}/{txnId}` per device, so a retry after a lost response or an app restart
   * never creates a second event.
   */
  txnId: string;
  roomId: string;
  eventType: string;
  content: Record<string, unknown>;
  /** Milliseconds since the epoch; items go out in this order. */
  createdAt: number;
  /** `pending`: will be sent when possible. `failed`: refused by the server; the user retries or deletes. */
  status: 'pending' | 'failed';
  attempts: number;
  /** Why the last attempt failed (shown to the user for `failed`). */
  lastError?: string;
  /**
   * A file composed while it could not be uploaded yet (at most `MAX_QUEUED_ATTACHMENT_BYTES`,
   * `matrix/outbox/outbox-store.ts`).
   * Until it is uploaded, `content` is a placeholder naming the file; after the upload the real
   * content (with the encrypted file's URL and key) replaces it and this field is dropped, in the
   * store too, so a later retry or restart sends the event without uploading again.
   */
  attachment?: AttachmentInput;
  /** Upload progress in percent while the attachment is being uploaded (in memory only). */
  uploadPercent?: number;
}
