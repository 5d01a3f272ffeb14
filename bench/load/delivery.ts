/**
 * Delivery bookkeeping of the load benchmark: when the server accepted each tracked event, who
 * must receive it, and when each recipient's sync first showed it. A sync can deliver an event
 * before the sender's own request returns, so sightings are kept on their own and matched at the
 * end (such a delivery counts as 0 ms).
 */
import { percentile } from '../chat-helpers';

/** What kind of event a tracked one is. */
export type TrackedKind = 'circular' | 'message';

interface Tracked {
  kind: TrackedKind;
  acceptedAt: number;
  recipients: readonly string[];
}

/** Latencies and losses of one kind of event. */
export interface DeliveryFigures {
  deliveries: number;
  lost: number;
  p50: number;
  p95: number;
}

export class DeliveryTracker {
  private readonly tracked = new Map<string, Tracked>();
  private readonly seen = new Map<string, Map<string, number>>();

  /** The server accepted `eventId` at `acceptedAt`; each of `recipients` must see it. */
  accepted(
    eventId: string,
    kind: TrackedKind,
    acceptedAt: number,
    recipients: readonly string[],
  ): void {
    this.tracked.set(eventId, { kind, acceptedAt, recipients });
  }

  /** `userId`'s client received `eventId` at `at` (only the first sighting counts). */
  sighted(userId: string, eventId: string, at: number): void {
    let byUser = this.seen.get(eventId);
    if (!byUser) this.seen.set(eventId, (byUser = new Map()));
    if (!byUser.has(userId)) byUser.set(userId, at);
  }

  /** Seconds from the first tracked send to the last. */
  sendSpanS(): number {
    let first = Infinity;
    let last = -Infinity;
    for (const t of this.tracked.values()) {
      first = Math.min(first, t.acceptedAt);
      last = Math.max(last, t.acceptedAt);
    }
    return last > first ? (last - first) / 1000 : 0;
  }

  /** Deliveries still missing. */
  outstanding(): number {
    let missing = 0;
    for (const [eventId, t] of this.tracked) {
      const byUser = this.seen.get(eventId);
      for (const r of t.recipients) if (!byUser?.has(r)) missing += 1;
    }
    return missing;
  }

  /** Figures of one kind. */
  figures(kind: TrackedKind): DeliveryFigures {
    const latencies: number[] = [];
    let lost = 0;
    for (const [eventId, t] of this.tracked) {
      if (t.kind !== kind) continue;
      const byUser = this.seen.get(eventId);
      for (const r of t.recipients) {
        const at = byUser?.get(r);
        if (at === undefined) lost += 1;
        else latencies.push(Math.max(0, at - t.acceptedAt));
      }
    }
    return {
      deliveries: latencies.length,
      lost,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
    };
  }
}
