import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { AesGcmSealer } from '../../platform/secret-vault';
import { IdbOutboxStore } from './idb-outbox-store';
import type { OutboxItem } from '../../store/outbox-item';

const item = (txnId: string, body: string): OutboxItem => ({
  txnId,
  roomId: '!r:hongyan.test',
  eventType: 'm.room.message',
  content: { msgtype: 'm.text', body },
  createdAt: 1,
  status: 'pending',
  attempts: 0,
});

describe('IdbOutboxStore', () => {
  it('keeps queued messages across a restart, sealed at rest', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    const first = new IdbOutboxStore('outbox-test', sealer, factory);
    await first.put(item('t1', '秘密消息一'));
    await first.put(item('t2', '秘密消息二'));
    await first.delete('t1');

    const reopened = new IdbOutboxStore('outbox-test', sealer, factory);
    expect((await reopened.list()).map((i) => i.content['body'])).toEqual(['秘密消息二']);

    // Nothing in the database is readable without the key.
    const other = new IdbOutboxStore('outbox-test', await AesGcmSealer.generate(), factory);
    expect(await other.list()).toEqual([]);

    await reopened.clear();
    expect(await new IdbOutboxStore('outbox-test', sealer, factory).list()).toEqual([]);
  });
});

describe('IdbOutboxStore with a queued attachment', () => {
  it('keeps the file bytes (and thumbnail) across a restart, but not the upload progress', async () => {
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    const thumb = Uint8Array.from([0, 255, 1, 254]);
    await new IdbOutboxStore('outbox-files', sealer, factory).put({
      ...item('f1', '现场照片.png'),
      attachment: {
        data,
        name: '现场照片.png',
        mimeType: 'image/png',
        width: 640,
        height: 480,
        thumbnail: { data: thumb, mimeType: 'image/png', width: 2, height: 2 },
      },
      uploadPercent: 40,
    });
    const [stored] = await new IdbOutboxStore('outbox-files', sealer, factory).list();
    expect(stored?.attachment?.data).toEqual(data);
    expect(stored?.attachment?.thumbnail?.data).toEqual(thumb);
    expect(stored?.attachment).toMatchObject({ name: '现场照片.png', width: 640, height: 480 });
    expect(stored?.uploadPercent).toBeUndefined();
  });
});
