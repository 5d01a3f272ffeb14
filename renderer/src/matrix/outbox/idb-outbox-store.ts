import { idbRequest, LazyKeyValueDb } from '../../platform/idb';
import type { AesGcmSealer, SealedValue } from '../../platform/secret-vault';
import { fromBase64, toUnpaddedBase64 } from '../attachment-crypto';
import type { OutboxItem, OutboxStore } from './outbox-store';

const STORE = 'items';

/**
 * Browser outbox store: one IndexedDB database per user and device. Queued messages are plaintext
 * that has not been encrypted for the room yet, so each item is sealed with the platform's AES-GCM
 * key before it touches the disk.
 */
export class IdbOutboxStore implements OutboxStore {
  private readonly db: LazyKeyValueDb;

  constructor(
    dbName: string,
    private readonly sealer: AesGcmSealer,
    factory?: IDBFactory,
  ) {
    this.db = new LazyKeyValueDb(dbName, STORE, factory);
  }

  async list(): Promise<OutboxItem[]> {
    const db = await this.db.open();
    const rows = await idbRequest<Array<{ txnId: string; sealed: SealedValue }>>(
      db,
      STORE,
      'readonly',
      (s) => s.getAll(),
    );
    const items: OutboxItem[] = [];
    for (const row of rows) {
      try {
        items.push(
          JSON.parse(
            await this.sealer.open(row.sealed, `outbox:${row.txnId}`),
            reviveBytes,
          ) as OutboxItem,
        );
      } catch {
        // Sealed under a key that no longer exists (storage partly cleared): unrecoverable, skip it.
      }
    }
    return items;
  }

  async put(item: OutboxItem): Promise<void> {
    // Progress is a fact of this run only; bytes of a queued attachment travel as base64 in the JSON.
    const { uploadPercent: _progress, ...stored } = item;
    const sealed = await this.sealer.seal(
      JSON.stringify(stored, replaceBytes),
      `outbox:${item.txnId}`,
    );
    await idbRequest(await this.db.open(), STORE, 'readwrite', (s) =>
      s.put({ txnId: item.txnId, sealed }, item.txnId),
    );
  }

  async delete(txnId: string): Promise<void> {
    await idbRequest(await this.db.open(), STORE, 'readwrite', (s) => s.delete(txnId));
  }

  async clear(): Promise<void> {
    await this.db.delete();
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
