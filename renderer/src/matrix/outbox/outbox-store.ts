import type { AttachmentInput } from '../attachments';

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
   * A file composed while it could not be uploaded yet (at most {@link MAX_QUEUED_ATTACHMENT_BYTES}).
   * Until it is uploaded, `content` is a placeholder naming the file; after the upload the real
   * content (with the encrypted file's URL and key) replaces it and this field is dropped, in the
   * store too, so a later retry or restart sends the event without uploading again.
   */
  attachment?: AttachmentInput;
  /** Upload progress in percent while the attachment is being uploaded (in memory only). */
  uploadPercent?: number;
}

/**
 * The largest file kept in the outbox while it waits for the server (25 MiB). The bytes live in
 * IndexedDB, sealed like every queued item, until the upload succeeds; a larger file is uploaded
 * at once and fails visibly when the server cannot be reached.
 */
export const MAX_QUEUED_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** Where the outbox keeps its queue; survives an app restart in the browser implementation. */
export interface OutboxStore {
  /** Every stored item, in no particular order. */
  list(): Promise<OutboxItem[]>;
  /** Inserts or replaces the item with this `txnId`. */
  put(item: OutboxItem): Promise<void>;
  delete(txnId: string): Promise<void>;
  /** Deletes every item (on logout). */
  clear(): Promise<void>;
}

/** In-memory store for Node (tests, benches). Keeps copies so callers cannot mutate stored items. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly items = new Map<string, OutboxItem>();

  async list(): Promise<OutboxItem[]> {
    return [...this.items.values()].map((i) => structuredClone(i));
  }
  async put(item: OutboxItem): Promise<void> {
    this.items.set(item.txnId, structuredClone(item));
  }
  async delete(txnId: string): Promise<void> {
    this.items.delete(txnId);
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
}
