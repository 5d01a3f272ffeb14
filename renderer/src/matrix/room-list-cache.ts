/**
 * The room list as the user last saw it, kept sealed on the device so that a restart shows it at
 * once, while the client is still opening its stores and replaying its sync cache. The live list
 * replaces it as soon as the client is prepared.
 *
 * It holds room names and message previews, so it is sealed (AES-GCM) under a key derived from the
 * session's storage key, like the outbox; a value from another session or device does not open.
 */
import type { AesGcmSealer, SealedValue } from '../platform/secret-vault';
import { idbRequest, LazyKeyValueDb } from '../platform/idb';
import type { RoomSummary } from '../store/rooms-slice';

const STORE = 'roomList';
const KEY = 'rooms';
/** Bumped when {@link RoomSummary} changes shape: an older list is then ignored, not misread. */
const FORMAT = 1;

/** IndexedDB name of one device's room-list cache. */
export function roomListCacheDbName(c: { userId: string; deviceId: string }): string {
  return `hongyan-roomlist:${c.userId}:${c.deviceId}`;
}

const isSummary = (v: unknown): v is RoomSummary => {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.roomId === 'string' &&
    typeof r.name === 'string' &&
    typeof r.unread === 'number' &&
    typeof r.highlights === 'number' &&
    typeof r.lastActivity === 'number' &&
    typeof r.encrypted === 'boolean' &&
    typeof r.isSpace === 'boolean' &&
    typeof r.isDirect === 'boolean'
  );
};

/** Reads and writes one device's sealed room list. */
export class RoomListCache {
  private readonly db: LazyKeyValueDb;

  /**
   * @param dbName - see {@link roomListCacheDbName}; also the additional data of the sealed list.
   * @param sealer - derived from the session's storage key.
   * @param factory - IndexedDB to use (tests pass an in-memory one).
   */
  constructor(
    private readonly dbName: string,
    private readonly sealer: AesGcmSealer,
    factory?: IDBFactory,
  ) {
    this.db = new LazyKeyValueDb(dbName, STORE, factory);
  }

  /**
   * The saved list, or null when there is none or it cannot be used (sealed by another session,
   * damaged, or of an older format): the live list then simply comes a moment later.
   */
  async load(): Promise<RoomSummary[] | null> {
    const db = await this.db.open();
    const sealed = await idbRequest<SealedValue | undefined>(db, STORE, 'readonly', (s) =>
      s.get(KEY),
    );
    if (!sealed) return null;
    try {
      const saved = JSON.parse(await this.sealer.open(sealed, this.dbName)) as {
        format?: unknown;
        rooms?: unknown;
      };
      if (saved.format !== FORMAT || !Array.isArray(saved.rooms)) return null;
      return saved.rooms.every(isSummary) ? saved.rooms : null;
    } catch {
      return null;
    }
  }

  async save(rooms: readonly RoomSummary[]): Promise<void> {
    const sealed = await this.sealer.seal(JSON.stringify({ format: FORMAT, rooms }), this.dbName);
    const db = await this.db.open();
    await idbRequest(db, STORE, 'readwrite', (s) => s.put(sealed, KEY));
  }

  /** Deletes the saved list and its database (logout). */
  delete(): Promise<void> {
    return this.db.delete();
  }
}
