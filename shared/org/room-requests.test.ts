import { describe, expect, it } from 'vitest';
import { buildDesiredState } from './desired-state';
import { buildCreateRoomBody } from './room-requests';
import type { InitialStateEvent } from './room-requests';
import type { OrgSpec } from './spec-types';

const spec: OrgSpec = {
  version: 1,
  units: [{ code: 'p', name: '示范省', level: 'province' }],
  users: [
    { username: 'a', displayName: '甲', unit: 'p', roles: ['unit_admin'] },
    { username: 'b', displayName: '乙', unit: 'p', roles: ['member'] },
  ],
};
const desired = buildDesiredState({ spec, serverName: 'hy.test', adminUserId: '@admin:hy.test' });
const space = desired.rooms.get('hy.p.space');
const resolve = (alias: string): string => `!${alias}:hy.test`;
const members = (body: Record<string, unknown>): InitialStateEvent[] =>
  (body.initial_state as InitialStateEvent[]).filter((e) => e.type === 'm.room.member');

describe('buildCreateRoomBody', () => {
  it('invites the given users as part of the creation batch', () => {
    if (!space) throw new Error('the spec has no Space');
    const body = buildCreateRoomBody({
      room: space,
      serverName: 'hy.test',
      resolve,
      invite: ['@a:hy.test', '@b:hy.test'],
    });
    expect(members(body)).toEqual([
      { type: 'm.room.member', state_key: '@a:hy.test', content: { membership: 'invite' } },
      { type: 'm.room.member', state_key: '@b:hy.test', content: { membership: 'invite' } },
    ]);
  });

  it('sends no membership events when nobody is to be invited', () => {
    if (!space) throw new Error('the spec has no Space');
    expect(members(buildCreateRoomBody({ room: space, serverName: 'hy.test', resolve }))).toEqual(
      [],
    );
  });
});
