/** Minimal promise helpers over IndexedDB (one key-value object store per database). */

/** Opens (creating on first use) a database with one object store named `store`. */
export function openKeyValueDb(
  name: string,
  store: string,
  factory: IDBFactory = indexedDB,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store);
    };
    req.onsuccess = () => {
      // Let a logout in another tab (or this one) delete the database instead of waiting on us.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error ?? new Error(`IndexedDB: cannot open ${name}`));
    req.onblocked = () => reject(new Error(`IndexedDB: ${name} is blocked by another tab`));
  });
}

/** Runs one request in its own transaction and resolves with its result. */
export function idbRequest<T>(
  db: IDBDatabase,
  store: string,
  mode: IDBTransactionMode,
  op: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = op(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Deletes a whole database (logout). Resolves even when it did not exist. */
export function deleteDb(name: string, factory: IDBFactory = indexedDB): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = factory.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`IndexedDB: cannot delete ${name}`));
    // A blocked delete completes once the other connection closes; don't hang logout on it.
    req.onblocked = () => resolve();
  });
}

/** One key-value database, opened on first use and kept open until closed or deleted. */
export class LazyKeyValueDb {
  private db: Promise<IDBDatabase> | null = null;

  constructor(
    readonly name: string,
    private readonly store: string,
    private readonly factory?: IDBFactory,
  ) {}

  open(): Promise<IDBDatabase> {
    this.db ??= openKeyValueDb(this.name, this.store, this.factory);
    return this.db;
  }

  /** Closes the connection (the next use opens it again). */
  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    (await db?.catch(() => null))?.close();
  }

  /** Closes and deletes the whole database (logout). */
  async delete(): Promise<void> {
    await this.close();
    await deleteDb(this.name, this.factory);
  }
}
