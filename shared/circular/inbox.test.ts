import { describe, expect, it } from 'vitest';
import type { InboxItem } from './inbox';
import { compareInboxItems, deadlineState, durationParts, isPending } from './inbox';

const H = 3600_000;
const NOW = Date.UTC(2025, 5, 2, 2, 0);

describe('inbox order', () => {
  const items: Record<string, InboxItem> = {
    doneUrgent: {
      urgency: 'extra_urgent',
      ackRequired: true,
      ackDeadline: NOW + H,
      issuedAt: NOW - 9 * H,
      status: 'acknowledged',
    },
    doneNew: { urgency: 'normal', ackRequired: false, issuedAt: NOW - H, status: 'read' },
    pendingNormalSoon: {
      urgency: 'normal',
      ackRequired: true,
      ackDeadline: NOW + H,
      issuedAt: NOW - 5 * H,
      status: 'read',
    },
    pendingNormalLate: {
      urgency: 'normal',
      ackRequired: true,
      ackDeadline: NOW + 9 * H,
      issuedAt: NOW - 5 * H,
      status: 'unread',
    },
    pendingNormalNoDeadline: {
      urgency: 'normal',
      ackRequired: true,
      issuedAt: NOW - 2 * H,
      status: 'unread',
    },
    pendingUrgent: {
      urgency: 'urgent',
      ackRequired: true,
      ackDeadline: NOW + 20 * H,
      issuedAt: NOW - 8 * H,
      status: 'unread',
    },
    unreadInfo: { urgency: 'normal', ackRequired: false, issuedAt: NOW - 3 * H, status: 'unread' },
    pendingExtra: {
      urgency: 'extra_urgent',
      ackRequired: false,
      issuedAt: NOW - 7 * H,
      status: 'unread',
    },
  };

  it('puts pending items first (by urgency, then deadline, then newest), then done items newest first', () => {
    const order = Object.entries(items)
      .sort(([, a], [, b]) => compareInboxItems(a, b))
      .map(([name]) => name);
    expect(order).toEqual([
      'pendingExtra',
      'pendingUrgent',
      'pendingNormalSoon',
      'pendingNormalLate',
      'pendingNormalNoDeadline',
      'unreadInfo',
      'doneNew',
      'doneUrgent',
    ]);
  });

  it.each<[string, InboxItem, boolean]>([
    ['unacknowledged but read, ack required', { ...items.pendingNormalSoon! }, true],
    ['acknowledged', { ...items.doneUrgent! }, false],
    ['unread, no ack required', { ...items.unreadInfo! }, true],
    ['read, no ack required', { ...items.doneNew! }, false],
  ])('counts an item %s as pending: %s', (_name, item, pending) => {
    expect(isPending(item)).toBe(pending);
  });
});

describe('deadline countdown', () => {
  it.each([
    ['no ack required', { ackRequired: false, ackDeadline: NOW + H, now: NOW }, { kind: 'none' }],
    ['no deadline', { ackRequired: true, now: NOW }, { kind: 'none' }],
    [
      'due in 2 days 3 hours',
      { ackRequired: true, ackDeadline: NOW + 51 * H + 59_999, now: NOW },
      {
        kind: 'due',
        remainingMs: 51 * H + 59_999,
        parts: { days: 2, hours: 3, minutes: 0 },
        dueSoon: false,
      },
    ],
    [
      'due soon',
      { ackRequired: true, ackDeadline: NOW + 90 * 60_000, now: NOW },
      {
        kind: 'due',
        remainingMs: 90 * 60_000,
        parts: { days: 0, hours: 1, minutes: 30 },
        dueSoon: true,
      },
    ],
    [
      'due exactly now',
      { ackRequired: true, ackDeadline: NOW, now: NOW },
      { kind: 'due', remainingMs: 0, parts: { days: 0, hours: 0, minutes: 0 }, dueSoon: true },
    ],
    [
      'overdue by 5 hours',
      { ackRequired: true, ackDeadline: NOW - 5 * H, now: NOW },
      { kind: 'overdue', overdueMs: 5 * H, parts: { days: 0, hours: 5, minutes: 0 } },
    ],
    [
      'acknowledged in time',
      { ackRequired: true, ackDeadline: NOW, ackedAt: NOW - 1, now: NOW + H },
      { kind: 'done', late: false },
    ],
    [
      'acknowledged late',
      { ackRequired: true, ackDeadline: NOW, ackedAt: NOW + 1, now: NOW + H },
      { kind: 'done', late: true },
    ],
  ])('%s', (_name, input, expected) => {
    expect(deadlineState(input)).toEqual(expected);
  });

  it('honours a custom "due soon" window and breaks durations down', () => {
    expect(
      deadlineState({ ackRequired: true, ackDeadline: NOW + 3 * H, now: NOW, dueSoonMs: 2 * H }),
    ).toMatchObject({ dueSoon: false });
    expect(durationParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(durationParts(3 * 86_400_000 + 61 * 60_000)).toEqual({ days: 3, hours: 1, minutes: 1 });
  });
});
