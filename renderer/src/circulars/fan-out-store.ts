/**
 * Persistence of circular fan-outs: the plan (progress) and the content being sent, saved after
 * every step so a fan-out interrupted by a crash, an app restart or a dead homeserver resumes
 * where it stopped. In-memory for Node and tests, IndexedDB in the browser, where each record is
 * sealed with the session's AES-GCM key: the content is the circular's plaintext, not yet
 * encrypted for any room, and must not rest on disk readable (the outbox does the same).
 */
import type { CircularContent } from '../../../shared/circular/circular-content';
import {
  parseFanOutPlan,
  serializeFanOutPlan,
  type FanOutPlan,
} from '../../../shared/circular/fan-out';
import type { AesGcmSealer } from '../platform/aes-gcm-sealer';
import { SealedJsonStore } from '../platform/sealed-json-store';

/** One persisted fan-out. */
export interface FanOutRecord {
  plan: FanOutPlan;
  /** The content every copy carries (identical in every room). */
  content: CircularContent;
  /** When the issuer pressed "send", ms. */
  createdAt: number;
  /** The issuer's user id (a record is only resumed by the same account). */
  senderId: string;
  /** The fan-out was resumed after the process that started it went away: look before re-sending. */
  interrupted?: boolean;
}

/** Where fan-outs are kept until they are done. */
export interface FanOutStore {
  get(circularId: string): Promise<FanOutRecord | undefined>;
  put(record: FanOutRecord): Promise<void>;
  list(): Promise<FanOutRecord[]>;
  delete(circularId: string): Promise<void>;
}

/** The stored form: the plan goes through its own serialiser so restoring re-validates it. */
interface StoredRecord {
  plan: string;
  content: CircularContent;
  createdAt: number;
  senderId: string;
  interrupted?: boolean;
}

function toStored(r: FanOutRecord): StoredRecord {
  return {
    plan: serializeFanOutPlan(r.plan),
    content: r.content,
    createdAt: r.createdAt,
    senderId: r.senderId,
    ...(r.interrupted ? { interrupted: true } : {}),
  };
}

/**
 * Restores a stored record. A corrupt plan (wrong shape, a transaction id that does not match its
 * room) would break idempotency, so it is refused with an error naming the record.
 */
function fromStored(key: string, s: StoredRecord): FanOutRecord {
  const parsed = parseFanOutPlan(s.plan);
  if (!parsed.ok) {
    const detail = parsed.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    throw new Error(`fan-out record ${key} is corrupt: ${detail}`);
  }
  return {
    plan: parsed.plan,
    content: s.content,
    createdAt: s.createdAt,
    senderId: s.senderId,
    ...(s.interrupted ? { interrupted: true } : {}),
  };
}

/** A record as JSON, the plan through its own serialiser (for stores outside the browser). */
export function serializeFanOutRecord(record: FanOutRecord): string {
  return JSON.stringify(toStored(record));
}

/** Restores what {@link serializeFanOutRecord} wrote. @throws Error naming the record when corrupt. */
export function parseFanOutRecord(circularId: string, json: string): FanOutRecord {
  return fromStored(circularId, JSON.parse(json) as StoredRecord);
}

/** Keeps records in memory (through the same serialisation as the IndexedDB store). */
export class MemoryFanOutStore implements FanOutStore {
  private readonly records = new Map<string, string>();

  async get(circularId: string): Promise<FanOutRecord | undefined> {
    const json = this.records.get(circularId);
    return json === undefined ? undefined : parseFanOutRecord(circularId, json);
  }

  async put(record: FanOutRecord): Promise<void> {
    this.records.set(record.plan.circularId, serializeFanOutRecord(record));
  }

  async list(): Promise<FanOutRecord[]> {
    return [...this.records.entries()].map(([k, json]) => parseFanOutRecord(k, json));
  }

  async delete(circularId: string): Promise<void> {
    this.records.delete(circularId);
  }
}

/** Keeps records in IndexedDB, sealed, one database per account and device (the app's own profile). */
export class IdbFanOutStore implements FanOutStore {
  private readonly db: SealedJsonStore<FanOutRecord>;

  /**
   * @param dbName - see {@link fanOutDbName}.
   * @param sealer - the session's key for data at rest.
   * @param factory - IndexedDB to use (tests pass an in-memory one).
   */
  constructor(dbName: string, sealer: AesGcmSealer, factory?: IDBFactory) {
    this.db = new SealedJsonStore({
      dbName,
      storeName: 'fanouts',
      sealer,
      // Binds a sealed record to its key, so rows cannot be swapped.
      context: (circularId) => `fanout:${circularId}`,
      encode: serializeFanOutRecord,
      decode: (json, circularId) => parseFanOutRecord(circularId, json),
      ...(factory ? { factory } : {}),
    });
  }

  get(circularId: string): Promise<FanOutRecord | undefined> {
    return this.db.get(circularId);
  }

  put(record: FanOutRecord): Promise<void> {
    return this.db.put(record.plan.circularId, record);
  }

  /** Every record this session can open; one it cannot is reported and left alone, not lost. */
  list(): Promise<FanOutRecord[]> {
    return this.db.list((err) => console.warn(`[fan-out] ${err.message}`));
  }

  delete(circularId: string): Promise<void> {
    return this.db.delete(circularId);
  }
}

/** IndexedDB name of one device's fan-out store. */
export function fanOutDbName(c: { userId: string; deviceId: string }): string {
  return `hongyan-fanout:${c.userId}:${c.deviceId}`;
}
