import { describe, expect, it } from 'vitest';
import { ACK_EVENT, INVITE_REQUEST_EVENT, UNIT_ROOM_STATE_EVENT } from '../matrix-types';
import { exportOrgSpec } from './export-spec';
import { checkManagedRoom } from './managed-rooms';
import { parseRoomAliasLocalpart } from './matrix-mapping';
import { planOrg } from './planner';
import { parseSpecYaml } from './spec-source';
import { validateOrgSpec } from './spec-validate';
import { desiredOf, SERVER, specOf } from './testing/spec-fixtures';
import { simulateApply } from './testing/simulate-apply';

const SPEC_TEXT = `version: 1
units:
  - { code: "990121", name: 青山县, level: county }
  - { code: "990121100", name: 青山镇, level: township, parent: "990121" }
  - { code: "990121100201", name: 桃花村, level: village, parent: "990121100", rooms: { work: false, residents: true } }
users:
  - { username: xian.fa, displayName: 县发文, unit: "990121", roles: [issuer] }
  - { username: cun.zhuren, displayName: 村主任, unit: "990121100201", roles: [issuer, unit_admin] }
  - { username: cun.wangge, displayName: 网格员, unit: "990121100201", roles: [grid_worker] }
  - { username: cun.yuan, displayName: 村干部, unit: "990121100201" }
`;

const u = (name: string): string => `@${name}:hy.test`;

describe('residents rooms of a community', () => {
  const desired = desiredOf(specOf(SPEC_TEXT));
  const residents = desired.rooms.get('hy.990121100201.residents');
  const notice = desired.rooms.get('hy.990121100201.residents_notice');
  const space = desired.rooms.get('hy.990121100201.space');

  it('are managed rooms under #hy.* aliases that parse back to their unit and kind', () => {
    expect(residents?.name).toBe('桃花村 群众群');
    expect(notice?.name).toBe('桃花村 群众通知');
    expect(parseRoomAliasLocalpart('hy.990121100201.residents')).toEqual({
      unitCode: '990121100201',
      kind: 'residents',
    });
    expect(parseRoomAliasLocalpart('hy.990121100201.residents_notice')?.kind).toBe(
      'residents_notice',
    );
    expect(notice?.roomState).toEqual({ unitCode: '990121100201', kind: 'residents_notice' });
  });

  it('are invite-only and outside the unit Space, so residents never reach the staff', () => {
    for (const room of [residents, notice]) {
      expect(room?.allow).toEqual([]);
      expect(room?.parent).toBeUndefined();
      expect(space?.children).not.toContain(room?.alias);
    }
    expect(space?.children).toContain('hy.990121100201.notice');
  });

  it('hold the community staff; only issuers and grid workers post notices, residents acknowledge', () => {
    expect(notice?.members).toEqual([u('cun.wangge'), u('cun.yuan'), u('cun.zhuren')]);
    // Issuers above reach the staff notice room, not the residents'.
    expect(notice?.members).not.toContain(u('xian.fa'));
    const pl = notice?.powerLevels;
    expect(pl?.events_default).toBe(50);
    expect(pl?.users[u('cun.wangge')]).toBe(50);
    expect(pl?.users[u('cun.zhuren')]).toBe(90);
    expect(pl?.users[u('cun.yuan')]).toBeUndefined();
    expect(pl?.events[ACK_EVENT]).toBe(0);
    expect(pl?.invite).toBe(100);
    expect(pl?.redact).toBe(100);
    expect(residents?.powerLevels.events_default).toBe(0);
    // In the staff rooms a grid worker is no issuer; in the Space they may ask for invitations.
    const staffNotice = desired.rooms.get('hy.990121100201.notice');
    expect(staffNotice?.powerLevels.users[u('cun.wangge')]).toBe(20);
    expect(space?.powerLevels.events[INVITE_REQUEST_EVENT]).toBe(20);
  });

  it('are created once: a second plan is empty and the export round-trips', () => {
    const plan = planOrg({ desired, snapshot: SERVER });
    const created = plan.actions.filter((a) => a.type === 'create-room').map((a) => a.room);
    expect(created).toContain('hy.990121100201.residents');
    expect(
      plan.actions.filter((a) => a.type === 'link-child' && a.child.includes('residents')),
    ).toEqual([]);
    const after = simulateApply(SERVER, plan, desired);
    expect(planOrg({ desired, snapshot: after }).actions).toEqual([]);
    const exported = exportOrgSpec(after);
    const village = exported.units.find((x) => x.code === '990121100201');
    expect(village?.rooms).toEqual({ work: false, residents: true });
    expect(planOrg({ desired: desiredOf(exported), snapshot: after }).actions).toEqual([]);
    const record = after.rooms
      .find((r) => r.alias === 'hy.990121100201.residents')
      ?.state.find((e) => e.type === UNIT_ROOM_STATE_EVENT);
    expect(record?.content).toEqual({ unitCode: '990121100201', kind: 'residents' });
  });

  it('leave residents (accounts outside the spec) in their rooms on a re-apply', () => {
    const after = simulateApply(SERVER, planOrg({ desired, snapshot: SERVER }), desired);
    const room = after.rooms.find((r) => r.alias === 'hy.990121100201.residents');
    room?.state.push({
      type: 'm.room.member',
      state_key: u('resident.one'),
      content: { membership: 'join' },
    });
    after.users.push({ userId: u('resident.one'), deactivated: false });
    expect(planOrg({ desired, snapshot: after }).actions).toEqual([]);
  });

  it('are refused on a unit that is no township or village, naming the field', () => {
    const r = validateOrgSpec(
      parseSpecYaml(
        SPEC_TEXT.replace('level: county }', 'level: county, rooms: { residents: true } }'),
        'spec.yaml',
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.kind, e.field, e.line])).toEqual([
      ['residents-level', 'units[0].rooms.residents', 3],
    ]);
  });

  it("count as managed rooms for the app: the provisioning account's, under their #hy.* alias", () => {
    const after = simulateApply(SERVER, planOrg({ desired, snapshot: SERVER }), desired);
    for (const kind of ['residents', 'residents_notice'] as const) {
      const alias = `hy.990121100201.${kind}`;
      const state = [
        ...(after.rooms.find((r) => r.alias === alias)?.state ?? []).map((e) =>
          e.type === 'm.room.create' ? { ...e, sender: SERVER.adminUserId } : e,
        ),
        {
          type: 'm.room.canonical_alias',
          state_key: '',
          content: { alias: `#${alias}:${SERVER.serverName}` },
        },
      ];
      expect(checkManagedRoom(state, [SERVER.adminUserId])).toEqual({
        managed: true,
        unitCode: '990121100201',
        kind,
      });
    }
  });
});
