import { describe, expect, it } from 'vitest';
import { roomsWrittenBy } from './plan-types';
import type { OrgPlan, PlanAction } from './plan-types';

const planOf = (actions: PlanAction[]): OrgPlan => ({
  actions,
  conflicts: [],
  extraRooms: [],
  extraUsers: [],
});

describe('roomsWrittenBy', () => {
  it('names the rooms a plan writes to: a child link is written in the parent Space', () => {
    const written = roomsWrittenBy(
      planOf([
        { type: 'create-user', userId: '@n1:hy.test', displayName: '新一' },
        { type: 'set-display-name', userId: '@a:hy.test', displayName: '甲' },
        { type: 'create-room', room: 'hy.330199', kind: 'space', name: '新县', depth: 2 },
        { type: 'link-child', parent: 'hy.330100', child: 'hy.330199' },
        { type: 'join', room: 'hy.330199.work', userId: '@n1:hy.test' },
        {
          type: 'set-state',
          room: 'hy.330106',
          eventType: 'm.room.power_levels',
          stateKey: '',
          content: {},
          label: 'power levels',
        },
      ]),
    );
    expect(written).toEqual(new Set(['hy.330199', 'hy.330100', 'hy.330199.work', 'hy.330106']));
  });

  it('says every room when a user is deactivated, which takes them out of all their rooms', () => {
    expect(
      roomsWrittenBy(
        planOf([
          { type: 'join', room: 'hy.330106', userId: '@a:hy.test' },
          { type: 'deactivate-user', userId: '@b:hy.test' },
        ]),
      ),
    ).toBe('every room');
  });
});
