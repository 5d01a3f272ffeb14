/**
 * Inbox order and deadline countdowns for the circulars a user received.
 */
import type { RecipientStatusKind } from './aggregate';
import type { Urgency } from './types';

/** What the inbox knows of one circular for the signed-in user. */
export interface InboxItem {
  urgency: Urgency;
  ackRequired: boolean;
  ackDeadline?: number;
  issuedAt: number;
  /** The user's own status. */
  status: RecipientStatusKind;
}

/**
 * Whether the item still asks something of the user: an acknowledgment if one is required,
 * otherwise reading it.
 */
export function isPending(item: InboxItem): boolean {
  return item.ackRequired ? item.status !== 'acknowledged' : item.status === 'unread';
}

const URGENCY_RANK: Readonly<Record<Urgency, number>> = { normal: 0, urgent: 1, extra_urgent: 2 };

/**
 * Inbox order: pending items first — most urgent, then nearest deadline (none last), then newest —
 * and then everything done, newest first. Urgency stops mattering once an item is done, so an old
 * 特急 notice does not sit above today's work forever.
 */
export function compareInboxItems(a: InboxItem, b: InboxItem): number {
  const pa = isPending(a);
  const pb = isPending(b);
  if (pa !== pb) return pa ? -1 : 1;
  if (pa) {
    const byUrgency = URGENCY_RANK[b.urgency] - URGENCY_RANK[a.urgency];
    if (byUrgency !== 0) return byUrgency;
    const da = a.ackRequired ? (a.ackDeadline ?? Infinity) : Infinity;
    const db = b.ackRequired ? (b.ackDeadline ?? Infinity) : Infinity;
    if (da !== db) return da < db ? -1 : 1;
  }
  return b.issuedAt - a.issuedAt;
}

/** A duration broken into whole days, hours and minutes (rounded down). */
export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

/** Breaks a non-negative duration into days, hours and minutes. */
export function durationParts(ms: number): DurationParts {
  const totalMinutes = Math.floor(Math.max(0, ms) / 60_000);
  return {
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}

/** Where an item stands against its acknowledgment deadline. */
export type DeadlineState =
  | { kind: 'none' }
  | { kind: 'due'; remainingMs: number; parts: DurationParts; dueSoon: boolean }
  | { kind: 'overdue'; overdueMs: number; parts: DurationParts }
  | { kind: 'done'; late: boolean };

/** Input of {@link deadlineState}. */
export interface DeadlineInput {
  ackRequired: boolean;
  ackDeadline?: number;
  /** When the user acknowledged, if they have. */
  ackedAt?: number;
  now: number;
  /** "Due soon" when less than this remains. Default 24 hours. */
  dueSoonMs?: number;
}

/** Countdown or overdue state of an acknowledgment deadline at `now`. */
export function deadlineState(input: DeadlineInput): DeadlineState {
  if (!input.ackRequired || input.ackDeadline === undefined) return { kind: 'none' };
  const deadline = input.ackDeadline;
  if (input.ackedAt !== undefined) return { kind: 'done', late: input.ackedAt > deadline };
  if (input.now > deadline)
    return {
      kind: 'overdue',
      overdueMs: input.now - deadline,
      parts: durationParts(input.now - deadline),
    };
  const remainingMs = deadline - input.now;
  return {
    kind: 'due',
    remainingMs,
    parts: durationParts(remainingMs),
    dueSoon: remainingMs < (input.dueSoonMs ?? 24 * 3600_000),
  };
}
