import type { RecipientStatusKind } from './aggregate';
import { describe, expect, it } from 'vitest';
import { REMINDER_MSGTYPE } from '../matrix-types';
import {
  MAX_REMINDER_MENTIONS,
  buildReminderContent,
  chunkReminderUsers,
  planReminders,
  parseReminder,
} from './reminder';
import { DEADLINE, SAMPLE_CIRCULAR_ID } from './test-fixtures';

const base = {
  circularId: SAMPLE_CIRCULAR_ID,
  eventId: '$circ',
  title: '关于做好防汛工作的通知',
  users: [
    { userId: '@zhangsan:gov.example.cn', displayName: '张三' },
    { userId: '@lisi:gov.example.cn' },
  ],
};

describe('reminder content', () => {
  it('mentions every pending user so their clients notify', () => {
    const content = buildReminderContent({ ...base, ackDeadline: DEADLINE });
    expect(content.msgtype).toBe('m.text');
    expect(content['m.mentions']).toEqual({
      user_ids: ['@zhangsan:gov.example.cn', '@lisi:gov.example.cn'],
    });
    expect(content.body).toBe(
      '@张三 @lisi:gov.example.cn 催办：请尽快阅读并签收《关于做好防汛工作的通知》，签收截止 2025-06-03 18:00。',
    );
    expect(content.formatted_body).toContain(
      '<a href="https://matrix.to/#/%40zhangsan%3Agov.example.cn">张三</a>',
    );
    expect(content[REMINDER_MSGTYPE]).toEqual({
      circularId: SAMPLE_CIRCULAR_ID,
      eventId: '$circ',
      userIds: ['@zhangsan:gov.example.cn', '@lisi:gov.example.cn'],
    });
  });

  it('uses the issuer’s own words when given, escaped in HTML', () => {
    const content = buildReminderContent({ ...base, note: '今天<b>下班前</b>务必签收' });
    expect(content.body.endsWith('今天<b>下班前</b>务必签收')).toBe(true);
    expect(content.formatted_body).toContain('今天&lt;b&gt;下班前&lt;/b&gt;务必签收');
  });

  it('mentions a user listed twice once', () => {
    const content = buildReminderContent({ ...base, users: [base.users[0]!, base.users[0]!] });
    expect(content['m.mentions'].user_ids).toEqual(['@zhangsan:gov.example.cn']);
  });

  it('round-trips its structured data', () => {
    const content = JSON.parse(JSON.stringify(buildReminderContent(base))) as unknown;
    expect(parseReminder(content)).toEqual({
      ok: true,
      reminder: {
        circularId: SAMPLE_CIRCULAR_ID,
        eventId: '$circ',
        userIds: ['@zhangsan:gov.example.cn', '@lisi:gov.example.cn'],
      },
    });
    expect(parseReminder({ msgtype: 'm.text', body: 'hi' }).ok).toBe(false);
  });

  it.each([
    ['no users', { users: [] }, /userIds/],
    ['a malformed user id', { users: [{ userId: 'zhangsan' }] }, /userIds\/0/],
    [
      'too many users',
      {
        users: Array.from({ length: MAX_REMINDER_MENTIONS + 1 }, (_, i) => ({
          userId: `@u${i}:s`,
        })),
      },
      /userIds/,
    ],
    ['a bad event id', { eventId: 'circ' }, /eventId/],
    ['an over-long note', { note: 'x'.repeat(501) }, /note/],
  ])('refuses %s', (_name, patch, message) => {
    expect(() => buildReminderContent({ ...base, ...patch })).toThrow(message);
  });

  it('splits large groups into messages of at most the mention limit', () => {
    const users = Array.from({ length: 250 }, (_, i) => i);
    expect(chunkReminderUsers(users).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunkReminderUsers([], 10)).toEqual([]);
    expect(() => chunkReminderUsers(users, 0)).toThrow(RangeError);
  });
});

describe('planReminders', () => {
  const entry = (roomId: string, userId: string, status: RecipientStatusKind, left = false) => ({
    roomId,
    userId,
    status,
    leftAfterSend: left,
  });
  const recipients = [
    entry('!a', '@p:s', 'read'),
    entry('!a', '@q:s', 'acknowledged'),
    entry('!a', '@r:s', 'unread', true),
    entry('!b', '@p:s', 'read'),
    entry('!b', '@s:s', 'unread'),
  ];

  it('pings each pending person once, in the first of their rooms, and not those who left', () => {
    const plan = planReminders(recipients, true);
    expect([...plan.byRoom]).toEqual([
      ['!a', ['@p:s']],
      ['!b', ['@s:s']],
    ]);
    expect(plan.users).toBe(2);
  });

  it('pings only unread people when no acknowledgment is asked', () => {
    const plan = planReminders(recipients, false);
    expect([...plan.byRoom]).toEqual([['!b', ['@s:s']]]);
    expect(plan.users).toBe(1);
  });
});

describe('planReminders and keys', () => {
  it('leaves out those still waiting for the key', () => {
    const plan = planReminders(
      [
        { roomId: '!a', userId: '@k:s', status: 'unread', leftAfterSend: false, awaitingKey: true },
        { roomId: '!a', userId: '@u:s', status: 'unread', leftAfterSend: false },
      ],
      true,
    );
    expect([...plan.byRoom]).toEqual([['!a', ['@u:s']]]);
  });
});
