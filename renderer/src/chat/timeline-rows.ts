import type { OutboxItem } from '../store/outbox-item';
import type { TimelineItem } from '../store/timeline-items';

/** A membership or room-setting change in the timeline. */
export type NoticeItem = Extract<TimelineItem, { kind: 'notice' }>;

/**
 * One row of the drawn timeline: an event, a run of membership and setting changes drawn as one
 * line, or a message still in the outbox.
 */
export type Row =
  | { type: 'event'; item: TimelineItem }
  | { type: 'notices'; id: string; items: NoticeItem[] }
  | { type: 'outbox'; item: OutboxItem };

/**
 * Runs of at least this many changes in a row are folded into one line: a provisioned room
 * opens with a dozen of them (created, encryption, invitations, joins), which would push the
 * first message off a phone's screen.
 */
export const NOTICE_RUN = 3;

/**
 * The room's events, then the messages still in the outbox. An outbox message whose remote echo
 * has already arrived (same transaction ID; e.g. the server took it but its answer was lost when
 * the connection dropped) is shown once, as the event.
 */
export function timelineRows(items: readonly TimelineItem[], outbox: readonly OutboxItem[]): Row[] {
  const echoed = new Set<string>();
  for (const item of items) if (item.kind === 'message' && item.txnId) echoed.add(item.txnId);
  return [
    ...foldNotices(items),
    ...outbox
      .filter((item) => !echoed.has(item.txnId))
      .map((item) => ({ type: 'outbox' as const, item })),
  ];
}

/** Event rows, with each run of {@link NOTICE_RUN} or more notices folded into one row. */
function foldNotices(items: readonly TimelineItem[]): Row[] {
  const rows: Row[] = [];
  let run: NoticeItem[] = [];
  const flush = () => {
    const first = run[0];
    if (first && run.length >= NOTICE_RUN) rows.push({ type: 'notices', id: first.id, items: run });
    else for (const item of run) rows.push({ type: 'event', item });
    run = [];
  };
  for (const item of items) {
    if (item.kind === 'notice') {
      run.push(item);
      continue;
    }
    flush();
    rows.push({ type: 'event', item });
  }
  flush();
  return rows;
}
