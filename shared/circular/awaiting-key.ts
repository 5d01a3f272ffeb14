/**
 * 待密钥: recipients who have not read a circular because none of their devices can decrypt it yet.
 * Most are provisioned people who have never signed in (no device existed at the send); others
 * have asked for the key from a new device. They are shown apart from 未读 and are not reminded:
 * their first sign-in obtains the key by itself (key grants).
 */
import type { CircularAggregate, RecipientStatus } from './aggregate';

/** An aggregate whose unread recipients are flagged {@link RecipientStatus.awaitingKey}. */
export interface AggregateWithKeys extends CircularAggregate {
  /** Distinct people waiting for the key (counted within `totals.unread`). */
  awaitingKey: number;
}

/**
 * Flags every unread recipient for whom `awaiting` holds, and counts them once per person. Read
 * and acknowledged recipients are never flagged: reading proves they had the key.
 */
export function markAwaitingKey(
  agg: CircularAggregate,
  awaiting: (r: RecipientStatus) => boolean,
): AggregateWithKeys {
  const people = new Set<string>();
  const recipients = agg.recipients.map((r) => {
    const waiting = r.status === 'unread' && awaiting(r);
    if (waiting) people.add(r.userId);
    return waiting ? { ...r, awaitingKey: true } : r;
  });
  return { ...agg, recipients, awaitingKey: people.size };
}

/** The count of unread people not waiting for the key (what 未读 shows beside 待密钥). */
export function unreadWithKey(
  agg: Pick<CircularAggregate, 'totals'> & { awaitingKey?: number },
): number {
  return agg.totals.unread - (agg.awaitingKey ?? 0);
}
