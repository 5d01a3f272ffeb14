import type { MatrixClient } from 'matrix-js-sdk';
import { describe, expect, it } from 'vitest';
import type { EventToSend } from '../matrix/send-event';
import { FanOutRunner } from './fan-out-runner';
import { MemoryFanOutStore } from './fan-out-store';
import { TEST_CIRCULAR_ID as ID, testFanOutRecord } from './testing/fan-out-record';

const ISSUER = '@issuer:hs';

/** The runner asks the client only who it is and for its crypto (none here: nothing to rotate). */
const client = {
  getSafeUserId: () => ISSUER,
  getCrypto: () => undefined,
} as unknown as MatrixClient;

async function runner(rooms: string[], send: (e: EventToSend) => Promise<string>) {
  const store = new MemoryFanOutStore();
  await store.put(testFanOutRecord({ unitCodes: rooms, senderId: ISSUER, server: 'hs' }));
  const r = new FanOutRunner({
    client,
    store,
    circularId: ID,
    send,
    warmUp: false,
    initialDelayMs: 1,
    maxDelayMs: 2,
    maxAttempts: 3,
  });
  return { r, store };
}

describe('FanOutRunner', () => {
  it('sends one copy per room under its planned transaction id, and saves each as sent', async () => {
    const sent: EventToSend[] = [];
    const { r, store } = await runner(['a', 'b'], async (e) => {
      sent.push(e);
      return `$${e.roomId}`;
    });
    const progress = await r.run();
    expect(progress).toMatchObject({ total: 2, sent: 2, failed: 0, done: true });
    const plan = (await store.get(ID))?.plan;
    expect(sent.map((e) => [e.roomId, e.txnId])).toEqual(
      plan?.entries.map((e) => [e.roomId, e.txnId]),
    );
    expect(sent.every((e) => e.eventType === 'm.room.message')).toBe(true);
    expect(plan?.entries.map((e) => e.state)).toEqual([
      expect.objectContaining({ kind: 'sent', eventId: '$!a:hs' }),
      expect.objectContaining({ kind: 'sent', eventId: '$!b:hs' }),
    ]);
  });

  it('retries a transient failure and gives up on a permanent one, keeping its error', async () => {
    const tries = new Map<string, number>();
    const { r, store } = await runner(['ok', 'flaky', 'gone'], async (e) => {
      const n = (tries.get(e.roomId) ?? 0) + 1;
      tries.set(e.roomId, n);
      if (e.roomId === '!flaky:hs' && n === 1) throw { httpStatus: 502 };
      if (e.roomId === '!gone:hs') throw { httpStatus: 403, errcode: 'M_FORBIDDEN' };
      return `$${e.roomId}`;
    });
    const progress = await r.run();
    expect(progress).toMatchObject({ total: 3, sent: 2, failed: 1, done: true });
    expect(tries.get('!flaky:hs')).toBe(2);
    expect(tries.get('!gone:hs')).toBe(1);
    const gone = (await store.get(ID))?.plan.entries.find((e) => e.roomId === '!gone:hs');
    expect(gone?.state).toMatchObject({ kind: 'failed', error: 'M_FORBIDDEN', permanent: true });
  });

  it('stops after the sends in flight, and a later run finishes without a second copy', async () => {
    const sent: string[] = [];
    let stopNow = (): void => undefined;
    const send = async (e: EventToSend) => {
      sent.push(e.roomId);
      stopNow();
      return `$${e.roomId}`;
    };
    const { r, store } = await runner(['a', 'b', 'c'], send);
    stopNow = () => r.stop();
    const first = await r.run();
    expect(first.done).toBe(false);
    const afterStop = sent.length;
    expect(afterStop).toBeLessThan(3);

    const again = new FanOutRunner({ client, store, circularId: ID, send, warmUp: false });
    // The record was left marked interrupted: the resumed run would look for copies on the
    // server first; here it was stopped by this process, so nothing is searched for.
    const record = await store.get(ID);
    if (!record) throw new Error('the stopped run keeps its record');
    await store.put({ ...record, interrupted: false });
    expect((await again.run()).done).toBe(true);
    expect([...sent].sort()).toEqual(['!a:hs', '!b:hs', '!c:hs']);
  });
});

describe('FanOutRunner preparing in waves', () => {
  const rooms = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, '0')}`);

  async function wavedRunner(
    prepare: (c: MatrixClient, roomIds: readonly string[]) => Promise<unknown>,
    send: (e: EventToSend) => Promise<string>,
    waveLimitMs = 5_000,
  ) {
    const store = new MemoryFanOutStore();
    await store.put(testFanOutRecord({ unitCodes: rooms, senderId: ISSUER, server: 'hs' }));
    return new FanOutRunner({ client, store, circularId: ID, send, prepare, waveLimitMs });
  }

  it('sends no room before its wave is prepared, and the first rooms while later waves prepare', async () => {
    const prepared = new Set<string>();
    const waves: string[][] = [];
    const sentDuringWave: number[] = [];
    let sent = 0;
    let releaseSecond: () => void = () => undefined;
    const r = await wavedRunner(
      async (_c, roomIds) => {
        waves.push([...roomIds]);
        sentDuringWave.push(sent);
        // The second wave waits until the first wave's rooms have gone out.
        if (waves.length === 2) await new Promise<void>((resolve) => (releaseSecond = resolve));
        for (const id of roomIds) prepared.add(id);
      },
      async (e) => {
        expect(prepared.has(e.roomId)).toBe(true);
        sent += 1;
        if (sent === 8) releaseSecond();
        return `$${e.roomId}`;
      },
    );
    const progress = await r.run();
    expect(progress).toMatchObject({ total: 12, sent: 12, done: true });
    expect(waves.map((w) => w.length)).toEqual([8, 4]);
    // The second wave started before any room was sent, and the first wave's eight went out during it.
    expect(sentDuringWave).toEqual([0, 0]);
  });

  it('releases every room when a wave takes too long, so a stalled preparation holds nothing up', async () => {
    const r = await wavedRunner(
      () => new Promise(() => undefined),
      async (e) => `$${e.roomId}`,
      5,
    );
    expect(await r.run()).toMatchObject({ total: 12, sent: 12, done: true });
  });
});
