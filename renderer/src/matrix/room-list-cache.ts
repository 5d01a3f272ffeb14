/**
 * The room list as the user last saw it, kept sealed on the device so that a restart shows it at
 * once, while the client is still opening its stores and replaying its sync cache. The live list
 * replaces it as soon as the client is prepared.
 *
 * It holds room names and message previews, so it is sealed (AES-GCM) under a key derived from the
 * session's storage key, like the outbox; a value from another session or device does not open.
 */
import type { AesGcmSealer } from '../platform/aes-gcm-sealer';
import { SealedJsonStore, SealedValueError } from '../platform/sealed-json-store';
import type { RoomSummary } from '../store/rooms-slice';

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

/** The saved form: the format tag and the rooms. */
interface SavedList {
  format: number;
  rooms: RoomSummary[];
}

/** Reads and writes one device's sealed room list. */
export class RoomListCache {
  private readonly db: SealedJsonStore<SavedList>;

  /**
   * @param dbName - see {@link roomListCacheDbName}; also the additional data of the sealed list.
   * @param sealer - derived from the session's storage key.
   * @param factory - IndexedDB to use (tests pass an in-memory one).
   */
  constructor(dbName: string, sealer: AesGcmSealer, factory?: IDBFactory) {
    this.db = new SealedJsonStore({
      dbName,
      storeName: 'roomList',
      sealer,
      // One value per database: the database's name binds it to this account and device.
      context: () => dbName,
      decode: (json) => {
        const saved = JSON.parse(json) as { format?: unknown; rooms?: unknown };
        if (saved.format !== FORMAT || !Array.isArray(saved.rooms))
          throw new Error(`room list of format ${String(saved.format)}`);
        if (!saved.rooms.every(isSummary)) throw new Error('room list of another shape');
        return { format: FORMAT, rooms: saved.rooms };
      },
      ...(factory ? { factory } : {}),
    });
  }

  /**
   * The saved list, or null when there is none or it cannot be used (sealed by another session,
   * damaged, or of an older format): the live list then simply comes a moment later.
   */
  async load(): Promise<RoomSummary[] | null> {
    try {
      return (await this.db.get(KEY))?.rooms ?? null;
    } catch (err) {
      if (err instanceof SealedValueError) return null;
      throw err;
    }
  }

  save(rooms: readonly RoomSummary[]): Promise<void> {
    return this.db.put(KEY, { format: FORMAT, rooms: [...rooms] });
  }

  /** Deletes the saved list and its database (logout). */
  delete(): Promise<void> {
    return this.db.deleteAll();
  }
}
