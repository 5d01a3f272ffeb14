import type { OutboxItem } from '../store/outbox-item';
import type { TimelineItem } from '../store/timeline-items';

/** One row of the drawn timeline: an event, or a message still in the outbox. */
export type Row = { type: 'event'; item: TimelineItem } | { type: 'outbox'; item: OutboxItem };

/**
 * The room's events, then the messages still in the outbox. An outbox message whose remote echo
 * has already arrived (same transaction ID; e.g. the server took it but its answer was lost when
 * the connection dropped) is shown once, as the event.
 */
export function timelineRows(items: readonly TimelineItem[], outbox: readonly OutboxItem[]): Row[] {
  const echoed = new Set<string>();
  for (const item of items) if (item.kind === 'message' && item.txnId) echoed.add(item.txnId);
  return [
    ...items.map((item) => ({ type: 'event' as const, item })),
    ...outbox
      .filter((item) => !echoed.has(item.txnId))
      .map((item) => ({ type: 'outbox' as const, item })),
  ];
}
