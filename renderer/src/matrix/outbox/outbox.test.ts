import type { MatrixClient } from 'matrix-js-sdk';
import { describe, expect, it } from 'vitest';
import type { EventToSend } from '../send-event';
import { Outbox, OutboxEvent } from './outbox';
import { MemoryOutboxStore } from './outbox-store';

/** The outbox needs the client only for attachments and local echoes; these tests have neither. */
const noClient = { getRoom: () => null } as unknown as MatrixClient;

/** A send that fails as scripted, then succeeds; records every attempt. */
function scriptedSend(failures: unknown[]) {
  const attempts: EventToSend[] = [];
  const send = async (event: EventToSend): Promise<string> => {
    attempts.push(event);
    const failure = failures.shift();
    if (failure !== undefined) throw failure;
    return `$event${attempts.length}`;
  };
  return { attempts, send };
}

const forbidden = Object.assign(new Error('forbidden'), {
  httpStatus: 403,
  errcode: 'M_FORBIDDEN',
});
const offline = Object.assign(new Error('fetch failed'), { name: 'ConnectionError' });

describe('Outbox', () => {
  it('stores an item before sending it, and deletes it once the server has it', async () => {
    const store = new MemoryOutboxStore();
    const { attempts, send } = scriptedSend([]);
    const outbox = new Outbox({ client: noClient, store, send });
    await outbox.start();
    const sent: string[] = [];
    outbox.on(OutboxEvent.Sent, (_item, eventId) => sent.push(eventId));
    const txnId = await outbox.enqueue({ roomId: '!r:hs', content: { body: '你好' } });
    await outbox.whenIdle();
    expect(attempts).toEqual([
      { roomId: '!r:hs', eventType: 'm.room.message', content: { body: '你好' }, txnId },
    ]);
    expect(sent).toEqual(['$event1']);
    expect(await store.list()).toEqual([]);
    expect(outbox.list()).toEqual([]);
  });

  it('retries a transient failure under the same transaction id', async () => {
    const { attempts, send } = scriptedSend([offline, { httpStatus: 502 }]);
    const outbox = new Outbox({
      client: noClient,
      store: new MemoryOutboxStore(),
      send,
      initialDelayMs: 1,
    });
    await outbox.start();
    const txnId = await outbox.enqueue({ roomId: '!r:hs', content: { body: 'x' } });
    await outbox.whenIdle();
    expect(attempts.map((a) => a.txnId)).toEqual([txnId, txnId, txnId]);
    expect(outbox.list()).toEqual([]);
  });

  it('keeps a permanent failure as failed, with the error, until the user retries it', async () => {
    const store = new MemoryOutboxStore();
    const { attempts, send } = scriptedSend([forbidden]);
    const outbox = new Outbox({ client: noClient, store, send });
    await outbox.start();
    const txnId = await outbox.enqueue({ roomId: '!r:hs', content: { body: 'x' } });
    await outbox.whenIdle();
    expect(outbox.list()).toMatchObject([
      { txnId, status: 'failed', attempts: 1, lastError: 'M_FORBIDDEN' },
    ]);
    expect(await store.list()).toMatchObject([{ txnId, status: 'failed' }]);
    await outbox.retry(txnId);
    await outbox.whenIdle();
    expect(attempts).toHaveLength(2);
    expect(outbox.list()).toEqual([]);
  });

  it('sends what a previous run left, oldest first, and nothing after stop', async () => {
    const store = new MemoryOutboxStore();
    const item = (txnId: string, createdAt: number) => ({
      txnId,
      roomId: '!r:hs',
      eventType: 'cn.hongyan.ack',
      content: {},
      createdAt,
      status: 'pending' as const,
      attempts: 0,
    });
    await store.put(item('late', 2));
    await store.put(item('early', 1));
    const { attempts, send } = scriptedSend([]);
    const outbox = new Outbox({ client: noClient, store, send });
    await outbox.start();
    await outbox.whenIdle();
    expect(attempts.map((a) => a.txnId)).toEqual(['early', 'late']);

    outbox.stop();
    await outbox.enqueue({ roomId: '!r:hs', content: {} });
    expect(attempts).toHaveLength(2);
    expect(await store.list()).toHaveLength(1);
  });
});
