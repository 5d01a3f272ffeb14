import { describe, expect, it } from 'vitest';
import type { CircularAggregate, RecipientStatus } from './aggregate';
import { markAwaitingKey, unreadWithKey } from './awaiting-key';

const r = (userId: string, roomId: string, status: RecipientStatus['status']): RecipientStatus => ({
  roomId,
  unitCode: roomId,
  userId,
  status,
  overdue: false,
  leftAfterSend: false,
});

const agg: CircularAggregate = {
  circularId: 'c1',
  recipients: [
    r('@new', '!a', 'unread'),
    r('@new', '!b', 'unread'),
    r('@away', '!a', 'unread'),
    r('@reader', '!a', 'read'),
  ],
  totals: { total: 3, unread: 2, read: 1, acknowledged: 0, overdue: 0 },
  invalidAcks: [],
  duplicateAcks: [],
  problems: [],
};

describe('markAwaitingKey', () => {
  it('flags unread recipients who cannot decrypt and counts each person once', () => {
    const marked = markAwaitingKey(agg, (x) => x.userId !== '@away');
    expect(
      marked.recipients.filter((x) => x.awaitingKey).map((x) => `${x.userId}${x.roomId}`),
    ).toEqual(['@new!a', '@new!b']);
    expect(marked.awaitingKey).toBe(1);
    expect(unreadWithKey(marked)).toBe(1);
    expect(marked.totals).toEqual(agg.totals);
  });

  it('never flags someone who read it', () => {
    const marked = markAwaitingKey(agg, () => true);
    expect(marked.recipients.find((x) => x.userId === '@reader')?.awaitingKey).toBeUndefined();
    expect(marked.awaitingKey).toBe(2);
    expect(unreadWithKey(marked)).toBe(0);
  });
});
