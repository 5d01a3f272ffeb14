import type { OutboxItem } from '../../store/outbox-item';

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
