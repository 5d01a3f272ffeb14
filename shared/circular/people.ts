/**
 * A person in several target units receives one copy of a circular per unit, but is one recipient.
 * These helpers make the per-copy statuses agree and let counts take each person once.
 */
import type { RecipientStatus } from './aggregate';

/** Each person's entries, in the order given. */
export function groupByPerson<T extends { userId: string }>(
  entries: Iterable<T>,
): Map<string, T[]> {
  const byUser = new Map<string, T[]>();
  for (const r of entries) {
    const list = byUser.get(r.userId);
    if (list === undefined) byUser.set(r.userId, [r]);
    else list.push(r);
  }
  return byUser;
}

/**
 * A person has read the circular once they read any copy: every copy of theirs takes the earliest
 * reading. (Acknowledgments are shared by the aggregation itself, which keeps one per person.)
 */
export function shareEarliestReading(byUser: ReadonlyMap<string, RecipientStatus[]>): void {
  for (const list of byUser.values()) {
    if (list.length < 2) continue;
    let readAt: number | undefined;
    for (const r of list)
      if (r.readAt !== undefined && (readAt === undefined || r.readAt < readAt)) readAt = r.readAt;
    if (readAt === undefined) continue;
    for (const r of list) {
      if (r.status === 'unread') r.status = 'read';
      r.readAt = readAt;
    }
  }
}
