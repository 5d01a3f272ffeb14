/**
 * The sealed stores one signed-in device keeps: the outbox, circular fan-outs in progress and the
 * room list last seen. Each holds plaintext (messages not yet encrypted, a circular's content, room
 * names and previews), so each is sealed under its own key derived from the session's storage key.
 */
import type { SessionCredentials } from '../matrix/client-manager';
import { IdbOutboxStore, outboxDbName } from '../matrix/outbox/idb-outbox-store';
import { RoomListCache, roomListCacheDbName } from '../matrix/room-list-cache';
import { fanOutDbName, IdbFanOutStore } from '../circulars/fan-out-store';
import { AesGcmSealer } from '../platform/aes-gcm-sealer';
import { deleteDb } from '../platform/idb';

/** The stores of one account on one device. */
export interface SessionStores {
  outbox: IdbOutboxStore;
  fanOuts: IdbFanOutStore;
  roomList: RoomListCache;
}

/** Opens (lazily: nothing touches IndexedDB before first use) the stores of a session. */
export async function openSessionStores(
  credentials: Pick<SessionCredentials, 'userId' | 'deviceId'>,
  storageKey: Uint8Array<ArrayBuffer>,
): Promise<SessionStores> {
  const [roomListKey, outboxKey, fanOutKey] = await Promise.all([
    AesGcmSealer.derive(storageKey, 'hongyan room list v1'),
    AesGcmSealer.derive(storageKey, 'hongyan outbox v1'),
    AesGcmSealer.derive(storageKey, 'hongyan fan-out v1'),
  ]);
  return {
    roomList: new RoomListCache(roomListCacheDbName(credentials), roomListKey),
    outbox: new IdbOutboxStore(outboxDbName(credentials), outboxKey),
    fanOuts: new IdbFanOutStore(fanOutDbName(credentials), fanOutKey),
  };
}

/**
 * Deletes every store of a device (logout). Works from the account and device alone, so the
 * stores go even when the session never got as far as opening them.
 */
export async function deleteSessionStores(
  credentials: Pick<SessionCredentials, 'userId' | 'deviceId'>,
): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  for (const name of [
    outboxDbName(credentials),
    fanOutDbName(credentials),
    roomListCacheDbName(credentials),
  ])
    await deleteDb(name).catch(() => undefined);
}
