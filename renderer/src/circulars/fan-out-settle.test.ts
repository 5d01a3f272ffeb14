import { describe, expect, it } from 'vitest';
import { markSent, planFanOut } from '../../../shared/circular/fan-out';
import { IN_FLIGHT_SETTLE_MS, settleDelay } from './fan-out-runner';
import type { FanOutRecord } from './fan-out-store';

function record(createdAt: number, sentAt?: number): FanOutRecord {
  const planned = planFanOut({
    circularId: '0b6c4ad2-3f39-4e7c-9a55-1d2a3c4b5e6f',
    unitCodes: ['110000', '120000'],
    noticeRoomOf: new Map([
      ['110000', '!a:hs'],
      ['120000', '!b:hs'],
    ]),
  });
  if (!planned.ok) throw new Error('plan');
  const plan = sentAt === undefined ? planned.plan : markSent(planned.plan, '!a:hs', '$e', sentAt);
  // The content plays no part in when to search.
  return {
    plan,
    content: {} as FanOutRecord['content'],
    createdAt,
    senderId: '@i:hs',
    interrupted: true,
  };
}

describe('settleDelay (searching for the copies of an interrupted fan-out)', () => {
  it("waits until the dead run's last send may have completed on the server", () => {
    expect(settleDelay(record(1_000, 5_000), 6_000)).toBe(IN_FLIGHT_SETTLE_MS - 1_000);
    expect(settleDelay(record(1_000), 3_000)).toBe(IN_FLIGHT_SETTLE_MS - 2_000);
  });

  it('does not wait for a run that stopped long ago, nor longer than the settle time', () => {
    expect(settleDelay(record(1_000, 2_000), 2_000 + IN_FLIGHT_SETTLE_MS + 1)).toBe(0);
    expect(settleDelay(record(9_000_000), 1_000)).toBe(IN_FLIGHT_SETTLE_MS);
  });
});
