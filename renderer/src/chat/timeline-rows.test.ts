import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../store/timeline-items';
import { timelineRows } from './timeline-rows';

const notice = (id: string): TimelineItem => ({
  kind: 'notice',
  id,
  ts: 1,
  text: { key: 'joined', actor: id },
});
const message = (id: string): TimelineItem => ({
  kind: 'message',
  id,
  sender: '@a:s',
  senderName: '甲',
  ts: 2,
  msgtype: 'm.text',
  body: id,
  html: null,
  edited: false,
  redacted: false,
  encrypted: true,
  mine: false,
  mentionsMe: false,
  replyTo: null,
  reactions: [],
  file: null,
});

describe('timelineRows', () => {
  it('folds a run of three or more changes into one row, and leaves shorter runs alone', () => {
    const rows = timelineRows(
      [notice('$1'), notice('$2'), notice('$3'), message('$m'), notice('$4'), notice('$5')],
      [],
    );
    expect(rows.map((r) => (r.type === 'notices' ? `notices:${r.items.length}` : r.type))).toEqual([
      'notices:3',
      'event',
      'event',
      'event',
    ]);
    expect(rows[0]).toMatchObject({ type: 'notices', id: '$1' });
  });

  it('folds a run that ends the timeline', () => {
    const rows = timelineRows([message('$m'), notice('$1'), notice('$2'), notice('$3')], []);
    expect(rows.map((r) => r.type)).toEqual(['event', 'notices']);
  });
});
