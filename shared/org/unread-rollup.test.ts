import { describe, expect, it } from 'vitest';
import { buildOrgTree } from './org-tree';
import { rollupUnread, unitRoomIds } from './unread-rollup';

const tree = buildOrgTree([
  { code: 'p', name: '省', level: 'province' },
  { code: 'c1', name: '市一', level: 'city', parentCode: 'p' },
  { code: 'c2', name: '市二', level: 'city', parentCode: 'p' },
  { code: 'k', name: '县', level: 'county', parentCode: 'c1' },
]);
const roomsByUnit = {
  p: { spaceId: '!ps', noticeRoomId: '!pn', workRoomId: '!pw', departments: [] },
  c1: { noticeRoomId: '!c1n', departments: [{ roomId: '!c1d' }] },
  k: { workRoomId: '!kw', departments: [] },
};

describe('rollupUnread', () => {
  it("sums each unit's rooms and rolls them up over the subtree", () => {
    const unread = new Map([
      ['!pn', 1],
      ['!ps', 100], // the Space itself is not a message room
      ['!c1n', 2],
      ['!c1d', 3],
      ['!kw', 4],
      ['!elsewhere', 50],
    ]);
    const totals = rollupUnread({ tree, roomsByUnit, unreadByRoom: unread });
    expect(totals.get('k')).toEqual({ own: 4, total: 4 });
    expect(totals.get('c1')).toEqual({ own: 5, total: 9 });
    expect(totals.get('c2')).toEqual({ own: 0, total: 0 });
    expect(totals.get('p')).toEqual({ own: 1, total: 10 });
  });

  it('accepts a plain record and treats unknown rooms as read', () => {
    const totals = rollupUnread({ tree, roomsByUnit, unreadByRoom: { '!kw': 2 } });
    expect(totals.get('p')?.total).toBe(2);
  });

  it('lists the message rooms of a unit', () => {
    expect(unitRoomIds(roomsByUnit.c1)).toEqual(['!c1n', '!c1d']);
    expect(unitRoomIds(undefined)).toEqual([]);
  });
});
