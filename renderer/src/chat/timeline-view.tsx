import { useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useShallow } from 'zustand/react/shallow';
import { useMatrixClient } from '../matrix/client-context';
import { paginateBack } from '../matrix/bind-timeline';
import type { TimelineItem } from '../store/timeline-items';
import { timelineRows, type Row } from './timeline-rows';
import { selectRoomOutbox } from '../store/chat-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { MessageRow, OutboxRow } from './message-row';
import { NoticeRunRow } from './notice-row';

type MessageItem = Extract<TimelineItem, { kind: 'message' }>;

/** Pixels from the top at which older history is requested. */
const PAGINATE_THRESHOLD = 300;

/**
 * The virtualized timeline: only the rows in view (plus a margin) are in the DOM, so a room with
 * 10,000 events scrolls as smoothly as one with ten. Sticks to the bottom while the user is there,
 * keeps the reading position when older history is prepended.
 */
export function TimelineView(props: {
  roomId: string;
  onReply(item: MessageItem): void;
  onEdit(item: MessageItem): void;
}) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const store = useAppStoreApi();
  const timeline = useAppStore((s) => (s.timeline?.roomId === props.roomId ? s.timeline : null));
  const outbox = useAppStore(useShallow((s) => selectRoomOutbox(s, props.roomId)));
  const rows = useMemo<Row[]>(
    () => timelineRows(timeline?.items ?? [], outbox),
    [timeline, outbox],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  // Kept here rather than in the row, so a row re-mounted under a still pointer keeps its actions.
  const [pointedId, setPointedId] = useState<string | null>(null);
  const onMouseOver = (e: MouseEvent) => {
    const id = (e.target as Element).closest('[data-event-id]')?.getAttribute('data-event-id');
    if (id && id !== pointedId) setPointedId(id);
  };
  const atBottom = useRef(true);
  const firstKey = useRef<string | null>(null);
  const prevTotal = useRef(0);

  // The virtualizer is mutable by design; this component re-renders on every row change anyway.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 12,
    getItemKey: (i) => rowKey(rows[i]),
    // Scrolling within the rendered rows moves them in the DOM directly; React renders only when
    // the range of rows changes, which keeps a fast scroll within its frame budget.
    directDomUpdates: true,
  });

  // Keep the reading position when rows are prepended, and follow new rows when at the bottom.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const total = virtualizer.getTotalSize();
    const key = rows.length ? rowKey(rows[0]) : null;
    // At the bottom, stay there even when older rows arrive too (a short room pages back on open).
    if (atBottom.current && rows.length) {
      virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    } else if (firstKey.current && key !== firstKey.current && prevTotal.current) {
      el.scrollTop += total - prevTotal.current;
    }
    firstKey.current = key;
    prevTotal.current = total;
  }, [rows, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < PAGINATE_THRESHOLD)
      paginateBack(client, props.roomId, store).catch(() => undefined);
  };

  // A short room may not fill the view, so no scroll event would ever ask for more history.
  useEffect(() => {
    const el = scrollRef.current;
    if (
      el &&
      timeline?.canPaginate &&
      !timeline.paginating &&
      el.scrollHeight <= el.clientHeight + PAGINATE_THRESHOLD
    ) {
      paginateBack(client, props.roomId, store).catch(() => undefined);
    }
  }, [client, props.roomId, store, timeline]);

  return (
    <div
      className="timeline"
      ref={scrollRef}
      onScroll={onScroll}
      onMouseOver={onMouseOver}
      data-testid="timeline"
      data-loaded={timeline !== null}
      // Plain state for tests and benchmarks: rows loaded (not rendered) and history paging.
      data-rows={rows.length}
      data-paginating={timeline?.paginating ?? false}
      data-can-paginate={timeline?.canPaginate ?? false}
    >
      <div className="timeline-status muted">
        {timeline?.paginating
          ? t('chat.conversation.loadingHistory')
          : timeline && !timeline.canPaginate
            ? t('chat.conversation.beginning')
            : ''}
      </div>
      <div ref={virtualizer.containerRef} style={{ position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index];
          if (!row) return null;
          return (
            <div
              key={v.key}
              data-index={v.index}
              ref={virtualizer.measureElement}
              className="timeline-row"
              style={{ position: 'absolute', top: 0, left: 0, width: '100%' }}
            >
              {row.type === 'event' ? (
                <MessageRow
                  roomId={props.roomId}
                  item={row.item}
                  continuation={isContinuation(rows[v.index - 1], row.item)}
                  showActions={row.item.id === pointedId}
                  onReply={props.onReply}
                  onEdit={props.onEdit}
                />
              ) : row.type === 'notices' ? (
                <NoticeRunRow items={row.items} />
              ) : (
                <OutboxRow item={row.item} />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Messages by the same sender within five minutes are drawn as one group (one avatar and name). */
function isContinuation(prev: Row | undefined, item: TimelineItem): boolean {
  if (!prev || prev.type !== 'event' || item.kind !== 'message') return false;
  const p = prev.item;
  return p.kind === 'message' && p.sender === item.sender && item.ts - p.ts < 5 * 60_000;
}

function rowKey(row: Row | undefined): string {
  if (!row) return '';
  if (row.type === 'outbox') return `outbox:${row.item.txnId}`;
  return row.type === 'event' ? row.item.id : `notices:${row.id}`;
}
