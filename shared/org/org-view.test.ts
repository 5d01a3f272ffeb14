import { describe, expect, it } from 'vitest';
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { buildOrgView } from './org-view';

const space = (roomId: string, unit: Record<string, unknown>, extra: object[] = []) => ({
  roomId,
  state: [
    { type: 'm.room.create', state_key: '', content: { type: 'm.space' } },
    { type: UNIT_STATE_EVENT, state_key: '', content: unit },
    ...(extra as { type: string; state_key: string; content: Record<string, unknown> }[]),
  ],
});
const unitRoom = (roomId: string, content: Record<string, unknown>) => ({
  roomId,
  state: [{ type: UNIT_ROOM_STATE_EVENT, state_key: '', content }],
});

describe('buildOrgView', () => {
  it('collects units, their rooms and member roles from joined rooms', () => {
    const view = buildOrgView([
      space('!p', { code: '910000', name: '示范省', level: 'province' }, [
        {
          type: UNIT_MEMBER_STATE_EVENT,
          state_key: 'user:@li:hs',
          content: { roles: ['issuer'], position: '科员' },
        },
      ]),
      space('!c', { code: '910100', name: '示范市', level: 'city', parentCode: '910000' }),
      unitRoom('!pn', { unitCode: '910000', kind: 'notice' }),
      unitRoom('!pw', { unitCode: '910000', kind: 'work' }),
      unitRoom('!pd', { unitCode: '910000', kind: 'department', slug: 'office', name: '办公室' }),
      { roomId: '!chat', state: [{ type: 'm.room.name', state_key: '', content: { name: 'x' } }] },
    ]);
    expect(view.units.map((u) => u.code).sort()).toEqual(['910000', '910100']);
    expect(view.roomsByUnit['910000']).toEqual({
      spaceId: '!p',
      noticeRoomId: '!pn',
      workRoomId: '!pw',
      departments: [{ roomId: '!pd', slug: 'office', name: '办公室' }],
    });
    expect(view.unitByRoom['!pn']).toBe('910000');
    expect(view.unitByRoom['!chat']).toBeUndefined();
    expect(view.members).toEqual([
      { userId: '@li:hs', unitCode: '910000', roles: ['issuer'], position: '科员' },
    ]);
  });

  it('ignores malformed unit state and a non-space room claiming to be a unit', () => {
    const view = buildOrgView([
      space('!bad', { code: 42, name: 'x', level: 'province' }),
      space('!badlevel', { code: '1', name: 'x', level: 'empire' }),
      {
        roomId: '!notspace',
        state: [
          {
            type: UNIT_STATE_EVENT,
            state_key: '',
            content: { code: '2', name: 'y', level: 'city' },
          },
        ],
      },
    ]);
    expect(view.units).toEqual([]);
  });

  it('is deterministic when two spaces claim the same code', () => {
    const a = space('!b', { code: '1', name: 'B', level: 'province' });
    const b = space('!a', { code: '1', name: 'A', level: 'province' });
    expect(buildOrgView([a, b]).units[0]?.name).toBe('A');
    expect(buildOrgView([b, a]).units[0]?.name).toBe('A');
  });
});
