import { describe, expect, it } from 'vitest';
import { markSent } from '../../../shared/circular/fan-out';
import { IDBFactory } from 'fake-indexeddb';
import { AesGcmSealer } from '../platform/secret-vault';
import { IdbFanOutStore, MemoryFanOutStore, type FanOutRecord } from './fan-out-store';
import { TEST_CIRCULAR_ID as ID, testFanOutRecord } from './testing/fan-out-record';

function record(): FanOutRecord {
  const r = testFanOutRecord({ unitCodes: ['a', 'b'], senderId: '@i:s' });
  return { ...r, plan: markSent(r.plan, '!a:s', '$sent', 2), interrupted: true };
}

describe('fan-out store', () => {
  it('keeps progress across a save and a reload, including the interrupted flag', async () => {
    const store = new MemoryFanOutStore();
    await store.put(record());
    const back = await store.get(ID);
    expect(back?.plan.entries.map((e) => e.state.kind)).toEqual(['sent', 'pending']);
    expect(back?.interrupted).toBe(true);
    expect(await store.list()).toHaveLength(1);
    await store.delete(ID);
    expect(await store.get(ID)).toBeUndefined();
  });

  it('refuses a stored plan whose transaction id no longer matches its room, naming the record', async () => {
    const store = new MemoryFanOutStore();
    const r = record();
    const entries = r.plan.entries.map((e, i) =>
      i === 1 ? { ...e, txnId: 'hongyan.circular.other' } : e,
    );
    await store.put({ ...r, plan: { ...r.plan, entries } });
    await expect(store.get(ID)).rejects.toThrow(
      new RegExp(`fan-out record ${ID} is corrupt: /entries/1/txnId`),
    );
  });
});

describe('IndexedDB fan-out store', () => {
  it('resumes from what an earlier run of the app saved', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    await new IdbFanOutStore('fanout-test', sealer, factory).put(record());
    const restarted = new IdbFanOutStore('fanout-test', sealer, factory);
    const [back] = await restarted.list();
    expect(back?.plan.entries.map((e) => e.state)).toEqual([
      { kind: 'sent', eventId: '$sent', sentAt: 2 },
      { kind: 'pending' },
    ]);
    expect(back?.content['cn.hongyan.circular'].title).toBe('通知');
    await restarted.delete(ID);
    expect(await restarted.get(ID)).toBeUndefined();
  });

  it('keeps the circular sealed at rest: no plaintext in the database, unreadable with another key', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    await new IdbFanOutStore('fanout-sealed', sealer, factory).put(record());

    // Read the raw rows as any other code on the machine could.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open('fanout-sealed');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const req = db.transaction('fanouts', 'readonly').objectStore('fanouts').getAll();
      req.onsuccess = () => resolve(req.result as unknown[]);
      req.onerror = () => reject(req.error);
    });
    db.close();
    const raw = JSON.stringify(rows, (_k, v: unknown) =>
      v instanceof Uint8Array || v instanceof ArrayBuffer
        ? Buffer.from(v as Uint8Array).toString('latin1')
        : v,
    );
    expect(rows).toHaveLength(1);
    for (const plain of ['通知', '正文', '省政府', '!a:s', '$sent'])
      expect(raw.includes(plain), plain).toBe(false);
    expect(raw).not.toContain(Buffer.from('正文').toString('latin1'));

    const stranger = new IdbFanOutStore('fanout-sealed', await AesGcmSealer.generate(), factory);
    await expect(stranger.get(ID)).rejects.toThrow(/cannot be opened with this session's key/);
    expect(await stranger.list()).toEqual([]);
    // Not lost: the right key still opens it.
    expect(await new IdbFanOutStore('fanout-sealed', sealer, factory).get(ID)).toBeDefined();
  });
});
