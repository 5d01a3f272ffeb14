import type { AesGcmSealer } from '../../platform/aes-gcm-sealer';
import { SealedJsonStore } from '../../platform/sealed-json-store';
import { fromBase64, toUnpaddedBase64 } from '../../platform/base64';
import type { OutboxStore } from './outbox-store';
import type { OutboxItem } from '../../store/outbox-item';

/**
 * Browser outbox store: one IndexedDB database per user and device. Queued messages are plaintext
 * that has not been encrypted for the room yet, so each item is sealed before it touches the disk.
 */
export class IdbOutboxStore implements OutboxStore {
  private readonly db: SealedJsonStore<OutboxItem>;

  constructor(dbName: string, sealer: AesGcmSealer, factory?: IDBFactory) {
    this.db = new SealedJsonStore({
      dbName,
      storeName: 'items',
      sealer,
      context: (txnId) => `outbox:${txnId}`,
      // The upload progress belongs to this run; the bytes of a queued attachment are kept.
      encode: ({ uploadPercent: _progress, ...stored }) => JSON.stringify(stored, replaceBytes),
      decode: (json) => JSON.parse(json, reviveBytes) as OutboxItem,
      ...(factory ? { factory } : {}),
    });
  }

  /** The queued items; one this session cannot open (another session's key) is skipped. */
  list(): Promise<OutboxItem[]> {
    return this.db.list();
  }

  put(item: OutboxItem): Promise<void> {
    return this.db.put(item.txnId, item);
  }

  delete(txnId: string): Promise<void> {
    return this.db.delete(txnId);
  }

  clear(): Promise<void> {
    return this.db.deleteAll();
  }
}

/** IndexedDB name of one device's outbox. */
export function outboxDbName(c: { userId: string; deviceId: string }): string {
  return `hongyan-outbox:${c.userId}:${c.deviceId}`;
}

/** JSON replacer: byte arrays (a queued attachment and its thumbnail) as `{ $bytes: base64 }`. */
function replaceBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: toUnpaddedBase64(value) } : value;
}

/** JSON reviver undoing {@link replaceBytes}. */
function reviveBytes(_key: string, value: unknown): unknown {
  const bytes = (value as { $bytes?: unknown } | null)?.$bytes;
  return typeof bytes === 'string' ? fromBase64(bytes) : value;
}
