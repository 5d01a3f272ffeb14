import { describe, expect, it } from 'vitest';
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { orgIntegrityProblems } from './org-integrity';
import type { SnapshotRoom } from './snapshot';

const space = (id: string, alias: string, code: string, members: string[] = []): SnapshotRoom => ({
  roomId: id,
  alias,
  state: [
    { type: 'm.room.create', state_key: '', content: { type: 'm.space' } },
    { type: UNIT_STATE_EVENT, state_key: '', content: { code, name: code, level: 'county' } },
    ...members.map((u) => ({
      type: UNIT_MEMBER_STATE_EVENT,
      state_key: `user:${u}`,
      content: { roles: ['member'] },
    })),
  ],
});
const snapshot = (rooms: SnapshotRoom[]) => ({
  serverName: 'hs',
  adminUserId: '@admin:hs',
  rooms,
  users: [],
});

describe('orgIntegrityProblems', () => {
  it('accepts a consistent org', () => {
    const room: SnapshotRoom = {
      roomId: '!n',
      alias: 'hy.ka.notice',
      state: [
        { type: UNIT_ROOM_STATE_EVENT, state_key: '', content: { unitCode: 'ka', kind: 'notice' } },
      ],
    };
    expect(
      orgIntegrityProblems(
        snapshot([
          space('!a', 'hy.ka.space', 'ka', ['@x:hs']),
          space('!b', 'hy.kb.space', 'kb'),
          room,
        ]),
      ),
    ).toEqual([]);
  });

  it("flags a Space whose record claims another unit's code", () => {
    expect(orgIntegrityProblems(snapshot([space('!a', 'hy.ka.space', 'kb')]))).toEqual([
      'Space !a (#hy.ka.space) claims unit kb',
    ]);
  });

  it('flags a user recorded in two units', () => {
    const problems = orgIntegrityProblems(
      snapshot([
        space('!a', 'hy.ka.space', 'ka', ['@x:hs']),
        space('!b', 'hy.kb.space', 'kb', ['@x:hs']),
      ]),
    );
    expect(problems).toEqual(['@x:hs has unit records in ka and kb']);
  });
});
