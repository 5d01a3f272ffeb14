import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecipientStatus } from '../../../shared/circular/aggregate';
import { RecipientStatusBadge } from './awaiting-key-items';
import { usePhoneLayout } from '../navigation/use-phone-layout';
import { formatTime } from './format';

/**
 * Height of a row, px: one line of 13 px text with its padding (circulars.css keeps every cell on
 * one line, so rows need no measuring; a long note is cut short and shown whole on hover).
 */
const ROW_HEIGHT = 33;

/**
 * On a phone (phone.css, under 640 px) a row is a card of two such lines: name and status, then
 * unit, note and acknowledgment time; six columns side by side would not fit the width.
 */
const PHONE_ROW_HEIGHT = 56;

/**
 * The dashboard's per-person list. A community notice room has thousands of recipients, so only
 * the rows in view (and a few either side) are rendered, with spacer rows standing in for the
 * rest: opening the list or changing a filter costs the same for 5,000 people as for 50.
 */
export function RecipientTable({
  rows,
  unitName,
  nameOf,
}: {
  rows: readonly RecipientStatus[];
  unitName(code: string): string;
  nameOf(userId: string): string | undefined;
}) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = usePhoneLayout() ? PHONE_ROW_HEIGHT : ROW_HEIGHT;
  // The virtualizer is mutable by design; the table re-renders whenever its rows change anyway.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    getItemKey: (i) => `${rows[i]?.roomId}|${rows[i]?.userId}`,
    // Before the first layout (and where there is none) a screenful is rendered.
    initialRect: { width: 0, height: 600 },
  });
  // The virtualizer keeps the sizes it computed: a change of layout has it compute them again.
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div
      className="circ-recipients-scroll"
      ref={scrollRef}
      data-testid="recipient-scroll"
      data-rows={rows.length}
    >
      <table className="circ-table" data-testid="recipient-table">
        <thead>
          <tr>
            <th>{t('circulars.dashboard.unit')}</th>
            <th>{t('circulars.dashboard.name')}</th>
            <th>{t('circulars.dashboard.statusCol')}</th>
            <th>{t('circulars.dashboard.readAt')}</th>
            <th>{t('circulars.dashboard.ackedAt')}</th>
            <th>{t('circulars.dashboard.note')}</th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
          {items.map((v) => {
            const r = rows[v.index];
            if (!r) return null;
            return (
              <tr
                key={v.key}
                style={{ height: rowHeight }}
                data-testid="recipient-row"
                data-user={r.userId}
                data-status={r.status}
              >
                <td className="col-unit">{unitName(r.unitCode)}</td>
                <td className="col-name">
                  {nameOf(r.userId) ?? r.userId}
                  {r.leftAfterSend && (
                    <span className="muted"> ({t('circulars.dashboard.left')})</span>
                  )}
                </td>
                <td className="col-status">
                  <RecipientStatusBadge recipient={r} />
                  {r.overdue && (
                    <span className="circ-overdue">{t('circulars.dashboard.overdue')}</span>
                  )}
                </td>
                <td className="col-read">{formatTime(r.readAt)}</td>
                <td className="col-acked">{formatTime(r.ackedAt)}</td>
                <td className="circ-note col-note" title={r.ackNote}>
                  {r.ackNote ?? ''}
                </td>
              </tr>
            );
          })}
          {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
        </tbody>
      </table>
    </div>
  );
}
