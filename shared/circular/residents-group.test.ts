import { describe, expect, it } from 'vitest';
import type { OrgView } from '../org/org-view';
import { planFanOut } from './fan-out';
import {
  communityOfResidentsGroup,
  copyUnitCode,
  residentsGroupCode,
  residentsNoticeUnits,
  withResidentsGroups,
} from './residents-group';
import { rollUpByUnit } from './rollup';
import { residentsTargetCodes, residentsTargetErrors, resolveTargets } from './targeting';
import { SAMPLE_CIRCULAR_ID } from './test-fixtures';
import type { CircularTarget } from './types';
import { buildUnitIndex } from './unit-index';

const units = [
  { code: 't', name: '桃源镇', level: 'township' as const },
  { code: 'v', name: '桃花村', level: 'village' as const, parentCode: 't' },
];

const org: OrgView = {
  units,
  roomsByUnit: {
    t: { spaceId: '!ts', noticeRoomId: '!tn', departments: [] },
    v: { spaceId: '!vs', noticeRoomId: '!vn', residentsNoticeRoomId: '!vr', departments: [] },
  },
  unitByRoom: { '!ts': 't', '!tn': 't', '!vs': 'v', '!vn': 'v', '!vr': 'v' },
  members: [
    { userId: '@grid:s', unitCode: 'v', roles: ['grid_worker'] },
    { userId: '@issuer:s', unitCode: 'v', roles: ['issuer'] },
    { userId: '@issuer:s', unitCode: 't', roles: ['issuer'] },
    { userId: '@admin:s', unitCode: 'v', roles: ['unit_admin'] },
  ],
  conflicts: [],
  unmanaged: [],
};

describe('residents as a target', () => {
  const targets: CircularTarget[] = [
    { unitCode: 'v', scope: 'unit' },
    { unitCode: 'v', scope: 'residents' },
  ];

  it('keeps residents out of the staff units and plans their notice room after them', () => {
    const index = buildUnitIndex(units);
    const resolved = resolveTargets(index, targets);
    expect(resolved).toEqual({ ok: true, unitCodes: ['v'] });
    expect(residentsTargetCodes(targets)).toEqual(['v']);
    const planned = planFanOut({
      circularId: SAMPLE_CIRCULAR_ID,
      unitCodes: ['v'],
      noticeRoomOf: new Map([['v', '!vn']]),
      residentsUnitCodes: ['v'],
      residentsRoomOf: new Map([['v', '!vr']]),
    });
    expect(planned.ok && planned.plan.entries.map((e) => [e.unitCode, e.roomId])).toEqual([
      ['v', '!vn'],
      ['v.residents', '!vr'],
    ]);
  });

  it('plans a circular to residents alone, and refuses a community without their room', () => {
    expect(resolveTargets(buildUnitIndex(units), [targets[1] as CircularTarget])).toEqual({
      ok: true,
      unitCodes: [],
    });
    const planned = planFanOut({
      circularId: SAMPLE_CIRCULAR_ID,
      unitCodes: [],
      noticeRoomOf: new Map(),
      residentsUnitCodes: ['v', 't'],
      residentsRoomOf: new Map([['v', '!vr']]),
    });
    expect(planned).toEqual({
      ok: false,
      errors: [
        { path: '/residentsUnitCodes/1', message: `unit "t" has no residents' notice room` },
      ],
    });
  });

  it('lets residents be sent only circulars issued in their community’s name', () => {
    expect(residentsTargetErrors(targets, 'v')).toEqual([]);
    expect(residentsTargetErrors(targets, 't')).toEqual([
      {
        path: '/targets/1/unitCode',
        message: 'residents of "v" can only be sent circulars issued by that unit',
      },
    ]);
  });

  it('offers residents to the community’s issuers and grid workers who joined their room', () => {
    expect(residentsNoticeUnits(org, '@grid:s')).toEqual(['v']);
    expect(residentsNoticeUnits(org, '@issuer:s')).toEqual(['v']);
    expect(residentsNoticeUnits(org, '@admin:s')).toEqual([]);
    const notJoined = { ...org, roomsByUnit: { ...org.roomsByUnit, v: { departments: [] } } };
    expect(residentsNoticeUnits(notJoined, '@grid:s')).toEqual([]);
  });
});

describe('residents on the dashboard', () => {
  it('files a residents’ copy under the community’s residents group', () => {
    expect(copyUnitCode(org, '!vr')).toBe('v.residents');
    expect(copyUnitCode(org, '!vn')).toBe('v');
    expect(copyUnitCode(org, '!elsewhere')).toBe('');
    expect(communityOfResidentsGroup(residentsGroupCode('v'))).toBe('v');
    expect(communityOfResidentsGroup('v')).toBeUndefined();
  });

  it('counts residents per person in a group below their community, apart from its staff', () => {
    const index = buildUnitIndex(
      withResidentsGroups(units, ['v', 'v.residents', 'v.residents'], (u) => `${u} 群众`),
    );
    expect(index.byCode.get('v.residents')).toEqual({
      code: 'v.residents',
      name: '桃花村 群众',
      level: 'village',
      parentCode: 'v',
    });
    const rollUp = rollUpByUnit(index, [
      { userId: '@staff:s', unitCode: 'v', status: 'read', overdue: false },
      { userId: '@r1:s', unitCode: 'v.residents', status: 'acknowledged', overdue: false },
      { userId: '@r2:s', unitCode: 'v.residents', status: 'unread', overdue: false },
    ]);
    expect(rollUp.byUnit.get('v.residents')?.own).toMatchObject({
      total: 2,
      acknowledged: 1,
      unread: 1,
    });
    expect(rollUp.byUnit.get('v')?.own.total).toBe(1);
    expect(rollUp.byUnit.get('t')?.subtree).toMatchObject({ total: 3, acknowledged: 1 });
    expect(rollUp.unassigned.total).toBe(0);
  });
});
