import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { idbRequest, openKeyValueDb } from '../platform/idb';
import { AesGcmSealer } from '../platform/secret-vault';
import type { RoomSummary } from '../store/rooms-slice';
import { RoomListCache, roomListCacheDbName } from './room-list-cache';

const DEVICE = { userId: '@lina:hongyan.test', deviceId: 'DEV1' };
const NAME = roomListCacheDbName(DEVICE);
const KEY = new Uint8Array(32).fill(7);

const ROOMS: RoomSummary[] = [
  {
    roomId: '!work:hongyan.test',
    name: '防汛值班群',
    unread: 2,
    highlights: 1,
    lastActivity: 1_763_700_000_000,
    encrypted: true,
    isSpace: false,
    isDirect: false,
    preview: { senderName: '周敏', body: '今晚八点前报送汛情' },
  },
  {
    roomId: '!dm:hongyan.test',
    name: '王强',
    unread: 0,
    highlights: 0,
    lastActivity: 1,
    encrypted: true,
    isSpace: false,
    isDirect: true,
  },
];

const sealer = (purpose = 'hongyan room list v1') => AesGcmSealer.derive(KEY, purpose);

describe('room list cache', () => {
  it('gives back the saved list, sealed at rest', async () => {
    const factory = new IDBFactory();
    const cache = new RoomListCache(NAME, await sealer(), factory);
    expect(await cache.load()).toBeNull();
    await cache.save(ROOMS);
    expect(await cache.load()).toEqual(ROOMS);

    const db = await openKeyValueDb(NAME, 'roomList', factory);
    const raw = await idbRequest<unknown>(db, 'roomList', 'readonly', (s) => s.get('rooms'));
    db.close();
    // Stored as ciphertext only: neither the row's fields nor its bytes read as the plaintext.
    const sealedText = new TextDecoder().decode((raw as { data: Uint8Array }).data);
    for (const secret of ['防汛', '汛情', '周敏', '!work:hongyan.test']) {
      expect(JSON.stringify(raw)).not.toContain(secret);
      expect(sealedText).not.toContain(secret);
    }
  });

  it('ignores a list it cannot open instead of failing the start-up', async () => {
    const factory = new IDBFactory();
    await new RoomListCache(NAME, await sealer(), factory).save(ROOMS);
    // Another session's key, or the same sealed value under another device's name.
    expect(await new RoomListCache(NAME, await sealer('another key'), factory).load()).toBeNull();
    const other = roomListCacheDbName({ ...DEVICE, deviceId: 'DEV2' });
    const db = await openKeyValueDb(NAME, 'roomList', factory);
    const sealed = await idbRequest<unknown>(db, 'roomList', 'readonly', (s) => s.get('rooms'));
    db.close();
    const otherDb = await openKeyValueDb(other, 'roomList', factory);
    await idbRequest(otherDb, 'roomList', 'readwrite', (s) => s.put(sealed, 'rooms'));
    otherDb.close();
    expect(await new RoomListCache(other, await sealer(), factory).load()).toBeNull();
  });

  it('ignores a list of another shape, and is gone after logout', async () => {
    const factory = new IDBFactory();
    const s = await sealer();
    const db = await openKeyValueDb(NAME, 'roomList', factory);
    const put = async (value: unknown) => {
      const sealed = await s.seal(JSON.stringify(value), NAME);
      await idbRequest(db, 'roomList', 'readwrite', (st) => st.put(sealed, 'rooms'));
    };
    const cache = new RoomListCache(NAME, s, factory);
    await put({ format: 0, rooms: ROOMS });
    expect(await cache.load()).toBeNull();
    await put({ format: 1, rooms: [{ roomId: '!x:t', name: 3 }] });
    expect(await cache.load()).toBeNull();
    db.close();

    await cache.save(ROOMS);
    await cache.delete();
    const names = (await factory.databases()).map((d) => d.name);
    expect(names).not.toContain(NAME);
  });
});
