/**
 * One IndexedDB database of values kept as JSON sealed with AES-GCM: the app's one way of putting
 * plaintext at rest (the outbox, circular fan-outs in progress, the room list). Each value is
 * bound to its key through the additional data, so a row copied under another key, into another
 * database or from another session does not open.
 */
import { idbRequest, LazyKeyValueDb } from './idb';
import type { AesGcmSealer, SealedValue } from './aes-gcm-sealer';

/** Thrown when a stored value does not open or does not parse. */
export class SealedValueError extends Error {
  constructor(
    /** The database the value is in. */
    readonly dbName: string,
    /** The key it is stored under. */
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'SealedValueError';
  }
}

/** Parameters of the {@link SealedJsonStore} constructor. */
export interface SealedJsonStoreParams<T> {
  /** One database per account and device, e.g. `hongyan-outbox:<user>:<device>`. */
  dbName: string;
  /** Its one object store. */
  storeName: string;
  /** The key for data at rest, derived from the session's storage key. */
  sealer: AesGcmSealer;
  /** Additional data sealed with the value stored under `key`. */
  context(key: string): string;
  /** The JSON text of a value. Default: `JSON.stringify`. */
  encode?(value: T): string;
  /**
   * Restores a value from its JSON text; throws when it is not a valid `T` (the error's message
   * is kept in the {@link SealedValueError}).
   */
  decode(json: string, key: string): T;
  /** IndexedDB to use (tests pass an in-memory one). */
  factory?: IDBFactory;
}

/**
 * Rows are the sealed value itself. Earlier versions of the outbox and fan-out stores wrapped it
 * as `{ sealed }`; such rows still open.
 */
type Row = SealedValue | { sealed: SealedValue };
const sealedOf = (row: Row): SealedValue => ('sealed' in row ? row.sealed : row);

/** See the module comment. */
export class SealedJsonStore<T> {
  private readonly db: LazyKeyValueDb;

  constructor(private readonly params: SealedJsonStoreParams<T>) {
    this.db = new LazyKeyValueDb(params.dbName, params.storeName, params.factory);
  }

  /** The database's name. */
  get dbName(): string {
    return this.params.dbName;
  }

  /** The value under `key`, undefined when there is none. @throws SealedValueError when it does not open or parse. */
  async get(key: string): Promise<T | undefined> {
    const row = await this.request<Row | undefined>('readonly', (s) => s.get(key));
    return row === undefined ? undefined : this.open(key, row);
  }

  /** Seals and stores `value` under `key`, replacing what was there. */
  async put(key: string, value: T): Promise<void> {
    const { sealer, context, encode = JSON.stringify } = this.params;
    const sealed = await sealer.seal(encode(value), context(key));
    await this.request('readwrite', (s) => s.put(sealed, key));
  }

  async delete(key: string): Promise<void> {
    await this.request('readwrite', (s) => s.delete(key));
  }

  /**
   * Every value that opens, in key order. One that does not is passed to `onUnreadable` (default:
   * skipped) and left in place: another session's key may still open it.
   */
  async list(onUnreadable?: (error: SealedValueError) => void): Promise<T[]> {
    const keys = await this.request<IDBValidKey[]>('readonly', (s) => s.getAllKeys());
    const rows = await this.request<Row[]>('readonly', (s) => s.getAll());
    const values: T[] = [];
    for (const [i, row] of rows.entries()) {
      try {
        values.push(await this.open(String(keys[i]), row));
      } catch (err) {
        onUnreadable?.(err as SealedValueError);
      }
    }
    return values;
  }

  /** Closes and deletes the whole database (logout). */
  deleteAll(): Promise<void> {
    return this.db.delete();
  }

  private async open(key: string, row: Row): Promise<T> {
    const { dbName, sealer, context, decode } = this.params;
    let json: string;
    try {
      json = await sealer.open(sealedOf(row), context(key));
    } catch {
      throw new SealedValueError(
        dbName,
        key,
        `${key} in ${dbName} cannot be opened with this session's key (sealed by another session, or damaged)`,
      );
    }
    try {
      return decode(json, key);
    } catch (err) {
      throw new SealedValueError(dbName, key, (err as Error).message);
    }
  }

  private async request<R>(
    mode: IDBTransactionMode,
    op: (s: IDBObjectStore) => IDBRequest<R>,
  ): Promise<R> {
    return idbRequest(await this.db.open(), this.params.storeName, mode, op);
  }
}
