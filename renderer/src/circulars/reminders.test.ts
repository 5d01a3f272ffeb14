import { describe, expect, it } from 'vitest';
import { parseReminder } from '../../../shared/circular/reminder';
import { createAppStore } from '../store/app-store';
import { Reminders, REMINDER_INTERVAL_MS, ReminderRateLimitedError } from './reminders';
import { recipient, sampleCircular, SAMPLE_CIRCULAR_ID } from './testing/feature-fixtures';

const ID = SAMPLE_CIRCULAR_ID;

function setUp(open = true) {
  const store = createAppStore();
  const sent: { roomId: string; content: Record<string, unknown> }[] = [];
  if (open)
    store.getState().setDashboard({
      circularId: ID,
      aggregate: {
        circularId: ID,
        recipients: [
          recipient({ userId: '@li:s', displayName: '李明', status: 'read' }),
          recipient({ userId: '@wu:s', displayName: '@wu:s' }),
          recipient({ userId: '@done:s', status: 'acknowledged' }),
          recipient({ roomId: '!b:s', unitCode: 'b', userId: '@sun:s', displayName: '孙丽' }),
          recipient({ roomId: '!b:s', unitCode: 'b', userId: '@nokey:s', awaitingKey: true }),
        ],
        totals: { total: 5, unread: 3, read: 1, acknowledged: 1, overdue: 0 },
        invalidAcks: [],
        duplicateAcks: [],
        problems: [],
        awaitingKey: 1,
      },
      updatedAt: 0,
      loading: false,
      error: null,
    });
  const reminders = new Reminders({
    store,
    copiesOf: () =>
      Promise.resolve({
        circular: sampleCircular(),
        copies: [
          { roomId: '!a:s', eventId: '$a', unitCode: 'a' },
          { roomId: '!b:s', eventId: '$b', unitCode: 'b' },
        ],
      }),
    send: (p) => {
      sent.push(p);
      return Promise.resolve();
    },
  });
  return { store, sent, reminders };
}

describe('reminders (催办)', () => {
  it('pings each pending recipient once per room, by the names the dashboard carries', async () => {
    const { store, sent, reminders } = setUp();
    const result = await reminders.remind(ID, 1_000);
    expect(result).toEqual({ rooms: 2, users: 3, awaitingKey: 1 });
    expect(sent.map((s) => s.roomId)).toEqual(['!a:s', '!b:s']);
    const first = parseReminder(sent[0]?.content);
    expect(first.ok && first.reminder).toEqual({
      circularId: ID,
      eventId: '$a',
      userIds: ['@li:s', '@wu:s'],
    });
    expect(String(sent[0]?.content['body'])).toContain('李明');
    expect(String(sent[1]?.content['body'])).toContain('孙丽');
    expect(store.getState().reminders[ID]).toEqual([{ at: 1_000, rooms: 2, users: 3 }]);
  });

  it('refuses a second round within the interval, saying how long to wait', async () => {
    const { sent, reminders } = setUp();
    await reminders.remind(ID, 1_000);
    const again = reminders.remind(ID, 1_000 + 60_000);
    await expect(again).rejects.toBeInstanceOf(ReminderRateLimitedError);
    await expect(again).rejects.toMatchObject({ retryAfterMs: REMINDER_INTERVAL_MS - 60_000 });
    expect(sent).toHaveLength(2);
    await reminders.remind(ID, 1_000 + REMINDER_INTERVAL_MS);
    expect(sent).toHaveLength(4);
  });

  it('asks for the dashboard to be open first and sends nothing', async () => {
    const { sent, store, reminders } = setUp(false);
    await expect(reminders.remind(ID)).rejects.toThrow(/open the dashboard/);
    expect(sent).toEqual([]);
    expect(store.getState().reminders).toEqual({});
  });
});
