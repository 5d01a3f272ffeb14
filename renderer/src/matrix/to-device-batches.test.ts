import { describe, expect, it } from 'vitest';
import { countMessages, packToDeviceBatches, type ToDeviceItem } from './to-device-batches';

const item = (eventType: string, ...devices: [string, string][]): ToDeviceItem => {
  const messages: Record<string, Record<string, unknown>> = {};
  for (const [user, device] of devices)
    messages[user] = { ...messages[user], [device]: { to: `${user}/${device}` } };
  return { eventType, messages };
};

describe('packToDeviceBatches', () => {
  it('merges requests for different devices into one call', () => {
    const batches = packToDeviceBatches(
      [
        item('m.room.encrypted', ['@a:x', 'A1'], ['@b:x', 'B1']),
        item('m.room.encrypted', ['@c:x', 'C1']),
        item('m.room.encrypted', ['@a:x', 'A2']),
      ],
      100,
    );
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ items: [0, 1, 2], messageCount: 4 });
    expect(Object.keys(batches[0]!.messages['@a:x']!)).toEqual(['A1', 'A2']);
    expect(countMessages(batches[0]!.messages)).toBe(4);
  });

  it('never puts two messages for the same device in one call', () => {
    const batches = packToDeviceBatches(
      [
        item('m.room.encrypted', ['@a:x', 'A1']),
        item('m.room.encrypted', ['@a:x', 'A1'], ['@b:x', 'B1']),
        item('m.room.encrypted', ['@c:x', 'C1']),
      ],
      100,
    );
    expect(batches.map((b) => b.items)).toEqual([[0, 2], [1]]);
    expect(batches[1]!.messages['@a:x']).toEqual({ A1: { to: '@a:x/A1' } });
  });

  it('keeps event types apart', () => {
    const batches = packToDeviceBatches(
      [item('m.room.encrypted', ['@a:x', 'A1']), item('m.room_key.withheld', ['@b:x', 'B1'])],
      100,
    );
    expect(batches.map((b) => [b.eventType, b.items])).toEqual([
      ['m.room.encrypted', [0]],
      ['m.room_key.withheld', [1]],
    ]);
  });

  it('respects the size limit and sends an oversized request alone, whole', () => {
    const big = item('m.room.encrypted', ['@a:x', 'A1'], ['@a:x', 'A2'], ['@a:x', 'A3']);
    const batches = packToDeviceBatches(
      [
        item('m.room.encrypted', ['@b:x', 'B1']),
        big,
        item('m.room.encrypted', ['@c:x', 'C1']),
        item('m.room.encrypted', ['@d:x', 'D1']),
      ],
      2,
    );
    expect(batches.map((b) => b.items)).toEqual([[0, 2], [1], [3]]);
    expect(batches[1]!.messageCount).toBe(3);
  });

  it('does not alter the requests it packs', () => {
    const a = item('m.room.encrypted', ['@a:x', 'A1']);
    const b = item('m.room.encrypted', ['@a:x', 'A2']);
    packToDeviceBatches([a, b], 10);
    expect(Object.keys(a.messages['@a:x']!)).toEqual(['A1']);
  });

  it('rejects a limit below one', () => {
    expect(() => packToDeviceBatches([], 0)).toThrow(/maxMessages/);
  });
});
