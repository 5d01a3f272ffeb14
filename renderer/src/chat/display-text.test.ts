import { describe, expect, it } from 'vitest';
import { neutraliseBidi, stripBidi } from '../../../shared/text/bidi';
import { hasVisibleContent } from './visible-content';
import { timelineRows } from './timeline-rows';
import type { TimelineItem } from '../store/timeline-items';
import type { OutboxItem } from '../store/outbox-item';

describe('bidi controls in names and text', () => {
  it('removes overrides that disguise an extension, and says they were there', () => {
    const name = 'rtl\u202Egnp.exe';
    expect(neutraliseBidi(name)).toEqual({ text: 'rtlgnp.exe', hadControls: true });
    expect(neutraliseBidi('报告.pdf')).toEqual({ text: '报告.pdf', hadControls: false });
    expect(stripBidi('a\u2066b\u2069c\u202Ad\u202C')).toBe('abcd');
    // Plain direction marks reorder nothing and stay.
    expect(stripBidi('a\u200Eb\u200Fc')).toBe('a\u200Eb\u200Fc');
  });
});

describe('messages whose HTML was stripped', () => {
  it('tells sanitized HTML with something to show from HTML left empty', () => {
    expect(hasVisibleContent('<p>你好</p>')).toBe(true);
    expect(hasVisibleContent('<img src="data:," alt="">')).toBe(true);
    expect(hasVisibleContent('')).toBe(false);
    expect(hasVisibleContent('<p> </p><div>&nbsp;</div>')).toBe(false);
  });
});

describe('timeline rows', () => {
  const event = (id: string, txnId?: string): TimelineItem =>
    ({ kind: 'message', id, ...(txnId ? { txnId } : {}) }) as TimelineItem;
  const queued = (txnId: string): OutboxItem => ({
    txnId,
    roomId: '!r',
    eventType: 'm.room.message',
    content: { msgtype: 'm.text', body: 'hi' },
    createdAt: 1,
    status: 'pending',
    attempts: 1,
  });

  it('shows a message once when its remote echo arrives before the outbox lets it go', () => {
    const rows = timelineRows(
      [event('$a'), event('$b', 'txn-1')],
      [queued('txn-1'), queued('txn-2')],
    );
    expect(
      rows.map((r) =>
        r.type === 'event' ? r.item.id : r.type === 'outbox' ? `outbox:${r.item.txnId}` : r.id,
      ),
    ).toEqual(['$a', '$b', 'outbox:txn-2']);
  });
});
