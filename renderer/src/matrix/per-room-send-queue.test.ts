import { describe, expect, it, vi } from 'vitest';
import { MatrixEvent } from 'matrix-js-sdk';
import { createPerRoomScheduler, perRoomQueue } from './per-room-send-queue';

const message = (roomId: string, body: string) =>
  new MatrixEvent({
    type: 'm.room.message',
    room_id: roomId,
    event_id: `$${body}`,
    content: { msgtype: 'm.text', body },
  });

describe('per-room send queues', () => {
  it('gives each room its own message queue and leaves other events unqueued', () => {
    expect(perRoomQueue(message('!a:hs', '1'))).toBe(perRoomQueue(message('!a:hs', '2')));
    expect(perRoomQueue(message('!a:hs', '1'))).not.toBe(perRoomQueue(message('!b:hs', '1')));
    expect(
      perRoomQueue(new MatrixEvent({ type: 'm.reaction', room_id: '!a:hs', content: {} })),
    ).toBeNull();
  });

  it('sends different rooms at once and one room in order', async () => {
    const scheduler = createPerRoomScheduler();
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    scheduler.setProcessFunction(
      (event) =>
        new Promise((resolve) => {
          const body = String(event.getContent()['body']);
          started.push(body);
          finish.set(body, () => resolve({ event_id: event.getId() ?? '' }));
        }),
    );
    const sent = ['a1', 'a2', 'b1'].map((body) =>
      scheduler.queueEvent(message(body.startsWith('a') ? '!a:hs' : '!b:hs', body)),
    );
    // Room b does not wait for room a; room a's second message waits for its first.
    await vi.waitFor(() => expect([...started].sort()).toEqual(['a1', 'b1']));
    finish.get('a1')?.();
    await sent[0];
    await vi.waitFor(() => expect(started).toContain('a2'));
    finish.get('a2')?.();
    finish.get('b1')?.();
    await Promise.all(sent);
  });
});
