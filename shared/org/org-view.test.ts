import { describe, expect, it } from 'vitest';
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { buildOrgView, unitsWithRole } from './org-view';
import type { StateEventRecord } from './snapshot';

const ADMIN = '@hongyan-admin:hs';
const MALLORY = '@mallory:hs';

const create = (sender: string, type?: string): StateEventRecord => ({
  type: 'm.room.create',
  state_key: '',
  sender,
  content: type ? { type } : {},
});
const alias = (a: string): StateEventRecord => ({
  type: 'm.room.canonical_alias',
  state_key: '',
  content: { alias: a },
});

const space = (
  roomId: string,
  unit: Record<string, unknown>,
  extra: StateEventRecord[] = [],
  opts: { creator?: string; alias?: string } = {},
) => ({
  roomId,
  state: [
    create(opts.creator ?? ADMIN, 'm.space'),
    alias(opts.alias ?? `#hy.${String(unit.code)}.space:hs`),
    { type: UNIT_STATE_EVENT, state_key: '', content: unit },
    ...extra,
  ],
});
const unitRoom = (
  roomId: string,
  content: Record<string, unknown>,
  opts: { creator?: string; alias?: string } = {},
) => {
  const kind = String(content.kind);
  const name =
    kind === 'department'
      ? `hy.${String(content.unitCode)}.dept.${String(content.slug)}`
      : `hy.${String(content.unitCode)}.${kind}`;
  return {
    roomId,
    state: [
      create(opts.creator ?? ADMIN),
      alias(opts.alias ?? `#${name}:hs`),
      { type: UNIT_ROOM_STATE_EVENT, state_key: '', content },
    ],
  };
};

describe('buildOrgView', () => {
  it('collects units, their rooms and member roles from managed rooms', () => {
    const view = buildOrgView(
      [
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
        {
          roomId: '!chat',
          state: [{ type: 'm.room.name', state_key: '', content: { name: 'x' } }],
        },
      ],
      [ADMIN],
    );
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
    expect(view.conflicts).toEqual([]);
    expect(view.unmanaged).toEqual([]);
  });

  it('ignores malformed unit state and a non-space room claiming to be a unit', () => {
    const view = buildOrgView(
      [
        space('!bad', { code: 42, name: 'x', level: 'province' }),
        space('!badlevel', { code: '1', name: 'x', level: 'empire' }),
        {
          roomId: '!notspace',
          state: [
            create(ADMIN),
            alias('#hy.2.space:hs'),
            {
              type: UNIT_STATE_EVENT,
              state_key: '',
              content: { code: '2', name: 'y', level: 'city' },
            },
          ],
        },
      ],
      [ADMIN],
    );
    expect(view.units).toEqual([]);
  });

  it('uses no room that someone else created or that lacks the org alias, and says why', () => {
    const issuerRecord: StateEventRecord = {
      type: UNIT_MEMBER_STATE_EVENT,
      state_key: `user:${MALLORY}`,
      content: { roles: ['issuer'] },
    };
    const view = buildOrgView(
      [
        space('!real', { code: '1', name: '真', level: 'province' }),
        unitRoom('!realnotice', { unitCode: '1', kind: 'notice' }),
        space('!fake', { code: '1', name: '假', level: 'province' }, [issuerRecord], {
          creator: MALLORY,
        }),
        unitRoom('!fakenotice', { unitCode: '1', kind: 'notice' }, { creator: MALLORY }),
        unitRoom('!noalias', { unitCode: '2', kind: 'work' }, { alias: '#lobby:hs' }),
        unitRoom('!wrongunit', { unitCode: '2', kind: 'notice' }, { alias: '#hy.1.notice:hs' }),
      ],
      [ADMIN],
    );
    expect(view.units.map((u) => u.name)).toEqual(['真']);
    expect(view.roomsByUnit['1']?.noticeRoomId).toBe('!realnotice');
    expect(view.roomsByUnit['2']).toBeUndefined();
    expect(view.members).toEqual([]);
    expect(view.unmanaged).toEqual([
      { roomId: '!fake', reason: 'not_provisioned' },
      { roomId: '!fakenotice', reason: 'not_provisioned' },
      { roomId: '!noalias', reason: 'alias_mismatch' },
      { roomId: '!wrongunit', reason: 'alias_mismatch' },
    ]);
  });

  it('trusts nothing without a trust anchor', () => {
    const view = buildOrgView([space('!p', { code: '1', name: 'P', level: 'province' })], []);
    expect(view.units).toEqual([]);
    expect(view.unmanaged).toEqual([{ roomId: '!p', reason: 'no_trust_anchor' }]);
  });

  it('reports two managed rooms claiming one place as a conflict and uses neither', () => {
    const a = space('!b', { code: '1', name: 'B', level: 'province' });
    const b = space('!a', { code: '1', name: 'A', level: 'province' });
    const n1 = unitRoom('!n1', { unitCode: '1', kind: 'notice' });
    const n2 = unitRoom('!n2', { unitCode: '1', kind: 'notice' });
    for (const rooms of [
      [a, b, n1, n2],
      [n2, b, n1, a],
    ]) {
      const view = buildOrgView(rooms, [ADMIN]);
      expect(view.units).toEqual([]);
      expect(view.roomsByUnit['1']?.noticeRoomId).toBeUndefined();
      expect(view.conflicts).toEqual([
        { unitCode: '1', role: 'notice', roomIds: ['!n1', '!n2'] },
        { unitCode: '1', role: 'space', roomIds: ['!a', '!b'] },
      ]);
    }
  });
});

describe('unitsWithRole', () => {
  const org = {
    members: [
      { userId: '@a:s', unitCode: '1', roles: ['issuer' as const] },
      { userId: '@a:s', unitCode: '2', roles: ['unit_admin' as const, 'issuer' as const] },
      { userId: '@b:s', unitCode: '1', roles: ['unit_admin' as const] },
    ],
  };

  it("lists the units in which the user holds the role, and nothing for someone else's", () => {
    expect(unitsWithRole(org, '@a:s', 'issuer')).toEqual(['1', '2']);
    expect(unitsWithRole(org, '@a:s', 'unit_admin')).toEqual(['2']);
    expect(unitsWithRole(org, '@c:s', 'issuer')).toEqual([]);
  });

  it('is empty before the org view or the user is known', () => {
    expect(unitsWithRole(null, '@a:s', 'issuer')).toEqual([]);
    expect(unitsWithRole(org, null, 'issuer')).toEqual([]);
  });
});
