import { describe, expect, it } from 'vitest';
import {
  ACK_EVENT,
  ADMIN_AGENT_EVENT,
  ADMIN_REQUEST_EVENT,
  ADMIN_RESULT_EVENT,
  UNIT_MEMBER_STATE_EVENT,
  UNIT_STATE_EVENT,
} from '../matrix-types';
import { exportOrgSpec } from './export-spec';
import { formatPlan } from './plan-format';
import { isAboutNewObjects, summarizePlan } from './plan-types';
import type { OrgPlan } from './plan-types';
import { planOrg } from './planner';
import type { OrgSnapshot } from './snapshot';
import type { OrgSpec } from './spec-types';
import { desiredOf, SERVER, specOf } from './testing/spec-fixtures';
import { addSyntheticCounty, generateSyntheticProvince } from './synthetic-spec';
import { simulateApply } from './testing/simulate-apply';

const SPEC_TEXT = `version: 1
units:
  - { code: "990000", name: 示范省, level: province, rooms: { departments: [{ slug: office, name: 办公厅 }] } }
  - { code: "990100", name: 东湖市, level: city, parent: "990000" }
  - { code: "990101", name: 青山县, level: county, parent: "990100" }
  - { code: "990102", name: 白水县, level: county, parent: "990100", allowAncestors: true }
users:
  - { username: sheng.admin, displayName: 管理员, unit: "990000", roles: [unit_admin] }
  - { username: sheng.fa, displayName: 省发文, unit: "990000", roles: [issuer] }
  - { username: shi.fa, displayName: 市发文, unit: "990100", roles: [issuer] }
  - { username: qs.zhang, displayName: 张青山, unit: "990101", position: 科员 }
  - { username: bs.li, displayName: 李白水, unit: "990102" }
`;

function applyAll(
  spec: OrgSpec,
  from: OrgSnapshot = SERVER,
): { plan: OrgPlan; after: OrgSnapshot } {
  const desired = desiredOf(spec);
  const plan = planOrg({ desired, snapshot: from });
  return { plan, after: simulateApply(from, plan, desired) };
}

const u = (name: string): string => `@${name}:hy.test`;
const stateOf = (
  snap: OrgSnapshot,
  alias: string,
  type: string,
  key = '',
): Record<string, unknown> | undefined =>
  snap.rooms
    .find((r) => r.alias === alias)
    ?.state.find((e) => e.type === type && e.state_key === key)?.content;
const membersOf = (snap: OrgSnapshot, alias: string): string[] =>
  (snap.rooms.find((r) => r.alias === alias)?.state ?? [])
    .filter((e) => e.type === 'm.room.member' && e.content.membership === 'join')
    .map((e) => e.state_key)
    .sort();

describe('planOrg', () => {
  it('plans every user, space, room, membership and link on an empty server', () => {
    const { plan } = applyAll(specOf(SPEC_TEXT));
    const counts = summarizePlan(plan);
    expect(counts['create-user']).toBe(5);
    // 4 spaces + 4 notice + 4 work + 1 department room
    expect(counts['create-room']).toBe(13);
    // every room except the root space hangs under a space
    expect(counts['link-child']).toBe(12);
    expect(plan.conflicts).toEqual([]);
    expect(formatPlan(plan)).toContain('+ space #hy.990000.space (示范省)');
  });

  it('makes nothing to do once applied, and re-plans to zero after a second pass', () => {
    const spec = specOf(SPEC_TEXT);
    const { after } = applyAll(spec);
    const again = planOrg({ desired: desiredOf(spec), snapshot: after });
    expect(again.actions).toEqual([]);
    expect(formatPlan(again)).toBe('No changes: the server matches the spec.');
  });

  it('finishes an interrupted apply without duplicates, whatever the point of interruption', () => {
    const spec = specOf(SPEC_TEXT);
    const desired = desiredOf(spec);
    const full = applyAll(spec).after;
    const plan = planOrg({ desired, snapshot: SERVER });
    for (const cut of [1, 7, 20, plan.actions.length - 3]) {
      // Actions run in dependency order, so an interruption leaves a prefix of that order done.
      const partial = simulateApply(
        SERVER,
        { ...plan, actions: plan.actions.slice(0, cut) },
        desired,
      );
      const resumed = planOrg({ desired, snapshot: partial });
      const end = simulateApply(partial, resumed, desired);
      expect(planOrg({ desired, snapshot: end }).actions).toEqual([]);
      expect(end.rooms.map((r) => r.alias).sort()).toEqual(full.rooms.map((r) => r.alias).sort());
      expect(exportOrgSpec(end)).toEqual(exportOrgSpec(full));
    }
  });

  it('sets power levels per role, with issuers reaching the notice rooms below them', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const notice = stateOf(after, 'hy.990101.notice', 'm.room.power_levels') as {
      users: Record<string, number>;
      events: Record<string, number>;
      events_default: number;
    };
    expect(notice.users).toEqual({
      [SERVER.adminUserId]: 100,
      [u('sheng.fa')]: 50,
      [u('shi.fa')]: 50,
    });
    expect(notice.events_default).toBe(50);
    expect(notice.events[ACK_EVENT]).toBe(0);
    expect(notice.events['m.reaction']).toBe(0);
    expect(membersOf(after, 'hy.990101.notice')).toEqual(
      [SERVER.adminUserId, u('qs.zhang'), u('sheng.fa'), u('shi.fa')].sort(),
    );
    const work = stateOf(after, 'hy.990101.work', 'm.room.power_levels') as {
      users: Record<string, number>;
      events_default: number;
    };
    expect(work.users).toEqual({ [SERVER.adminUserId]: 100 });
    expect(work.events_default).toBe(0);
    expect(membersOf(after, 'hy.990101.work')).toEqual([SERVER.adminUserId, u('qs.zhang')].sort());
    const province = stateOf(after, 'hy.990000.notice', 'm.room.power_levels') as {
      users: Record<string, number>;
    };
    expect(province.users[u('sheng.admin')]).toBe(90);
  });

  it('lets unit admins file requests in their Space but keeps its records at the admin level', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const space = stateOf(after, 'hy.990000.space', 'm.room.power_levels') as {
      users: Record<string, number>;
      events: Record<string, number>;
      events_default: number;
      state_default: number;
    };
    const unitAdmin = space.users[u('sheng.admin')] ?? 0;
    expect(unitAdmin).toBe(90);
    expect(space.events[ADMIN_REQUEST_EVENT]).toBe(unitAdmin);
    // Everything else a Space holds needs more than a unit admin has.
    for (const type of [
      UNIT_STATE_EVENT,
      UNIT_MEMBER_STATE_EVENT,
      ADMIN_RESULT_EVENT,
      ADMIN_AGENT_EVENT,
      'm.room.power_levels',
      'm.room.join_rules',
      'm.space.child',
      'm.space.parent',
    ])
      expect(space.events[type], type).toBeGreaterThan(unitAdmin);
    expect(space.state_default).toBeGreaterThan(unitAdmin);
    expect(space.events_default).toBeGreaterThan(unitAdmin);
    expect(space.users[SERVER.adminUserId]).toBe(100);
  });

  it('rewrites the power levels of rooms that still give unit admins the admin level', () => {
    const spec = specOf(SPEC_TEXT);
    const { after } = applyAll(spec);
    const legacy: OrgSnapshot = {
      ...after,
      rooms: after.rooms.map((r) => {
        if (r.alias !== 'hy.990000.space') return r;
        return {
          ...r,
          state: r.state.map((e) =>
            e.type === 'm.room.power_levels'
              ? {
                  ...e,
                  content: {
                    ...e.content,
                    users: { ...(e.content.users as object), [u('sheng.admin')]: 100 },
                  },
                }
              : e,
          ),
        };
      }),
    };
    const plan = planOrg({ desired: desiredOf(spec), snapshot: legacy });
    expect(plan.actions).toEqual([
      expect.objectContaining({
        type: 'set-state',
        room: 'hy.990000.space',
        eventType: 'm.room.power_levels',
      }),
    ]);
  });

  it('restricts joins to the unit space, and to ancestors only where the spec allows', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const id = (alias: string): string => after.rooms.find((r) => r.alias === alias)?.roomId ?? '';
    expect(stateOf(after, 'hy.990101.work', 'm.room.join_rules')).toEqual({
      join_rule: 'restricted',
      allow: [{ type: 'm.room_membership', room_id: id('hy.990101.space') }],
    });
    const allowed = (
      stateOf(after, 'hy.990102.work', 'm.room.join_rules')?.allow as { room_id: string }[]
    ).map((a) => a.room_id);
    expect(allowed).toEqual([id('hy.990102.space'), id('hy.990100.space'), id('hy.990000.space')]);
    expect(stateOf(after, 'hy.990101.space', 'm.room.join_rules')).toEqual({ join_rule: 'invite' });
    expect(stateOf(after, 'hy.990101.space', 'm.room.create')?.type).toBe('m.space');
    expect(stateOf(after, 'hy.990101.notice', 'm.room.encryption')).toEqual({
      algorithm: 'm.megolm.v1.aes-sha2',
    });
  });

  it('moves a user: leaves the old unit, joins the new one, and power levels follow', () => {
    const spec = specOf(SPEC_TEXT);
    const { after } = applyAll(spec);
    const moved = specOf(
      SPEC_TEXT.replace(
        '{ username: shi.fa, displayName: 市发文, unit: "990100", roles: [issuer] }',
        '{ username: shi.fa, displayName: 市发文, unit: "990101", roles: [member] }',
      ),
    );
    const { plan, after: end } = applyAll(moved, after);
    const kicks = plan.actions
      .filter((a) => a.type === 'kick')
      .map((a) => (a.type === 'kick' ? a.room : ''));
    expect(kicks.sort()).toEqual([
      'hy.990100.notice',
      'hy.990100.space',
      'hy.990100.work',
      'hy.990102.notice',
      'hy.990102.space',
    ]);
    expect(membersOf(end, 'hy.990101.work')).toContain(u('shi.fa'));
    expect(membersOf(end, 'hy.990100.work')).not.toContain(u('shi.fa'));
    const pl = stateOf(end, 'hy.990101.notice', 'm.room.power_levels') as {
      users: Record<string, number>;
    };
    expect(pl.users[u('shi.fa')]).toBeUndefined();
    expect(stateOf(end, 'hy.990100.space', UNIT_MEMBER_STATE_EVENT, `user:${u('shi.fa')}`)).toEqual(
      {},
    );
    expect(stateOf(end, 'hy.990101.space', UNIT_MEMBER_STATE_EVENT, `user:${u('shi.fa')}`)).toEqual(
      { roles: ['member'] },
    );
    expect(planOrg({ desired: desiredOf(moved), snapshot: end }).actions).toEqual([]);
  });

  it('re-parents a unit: the old space loses the child link, the new one gains it', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const reparented = SPEC_TEXT.replace(
      '{ code: "990101", name: 青山县, level: county, parent: "990100" }',
      '{ code: "990101", name: 青山县, level: county, parent: "990000" }',
    );
    const { plan, after: end } = applyAll(specOf(reparented), after);
    const lines = formatPlan(plan).split('\n');
    expect(lines).toContain('+ #hy.990000.space contains #hy.990101.space');
    expect(lines).toContain('+ #hy.990101.space belongs to #hy.990000.space');
    expect(lines.filter((l) => l.startsWith('- #hy.990100.space child link'))).toHaveLength(1);
    expect(exportOrgSpec(end).units.find((x) => x.code === '990101')?.parent).toBe('990000');
  });

  it('keeps an ancestor member who joined a room that allows ancestors, and removes one from a room that does not', () => {
    const spec = specOf(SPEC_TEXT);
    const { after } = applyAll(spec);
    for (const alias of ['hy.990102.work', 'hy.990101.work']) {
      after.rooms
        .find((r) => r.alias === alias)
        ?.state.push({
          type: 'm.room.member',
          state_key: u('sheng.admin'),
          content: { membership: 'join' },
        });
    }
    const plan = planOrg({ desired: desiredOf(spec), snapshot: after });
    expect(plan.actions).toEqual([
      {
        type: 'kick',
        room: 'hy.990101.work',
        userId: u('sheng.admin'),
        reason: 'not a member of this unit in the org spec',
      },
    ]);
  });

  it('renames a unit and changes a role in place', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const changed = specOf(
      SPEC_TEXT.replace('name: 青山县', 'name: 青山区').replace(
        'displayName: 张青山, unit: "990101", position: 科员',
        'displayName: 张青山, unit: "990101", position: 科长, roles: [issuer]',
      ),
    );
    const { plan } = applyAll(changed, after);
    const labels = formatPlan(plan).split('\n');
    expect(labels).toContain('~ #hy.990101.space name → 青山区');
    expect(labels).toContain('~ #hy.990101.space unit record');
    expect(labels).toContain('~ #hy.990101.notice name → 青山区 通知公告');
    expect(labels).toContain(`~ #hy.990101.space ${u('qs.zhang')} roles/position`);
    // qs.zhang becomes an issuer in the space, notice and work rooms of 990101
    expect(labels.filter((l) => l.endsWith('power levels'))).toHaveLength(3);
    expect(plan.actions.some((a) => a.type === 'create-room' || a.type === 'join')).toBe(false);
  });

  it('lists units and users that left the spec, and removes them only with prune', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const smaller = specOf(
      SPEC_TEXT.replace(/ {2}- \{ code: "990102".*\n/, '').replace(
        / {2}- \{ username: bs\.li.*\n/,
        '',
      ),
    );
    const kept = planOrg({ desired: desiredOf(smaller), snapshot: after });
    expect(kept.extraRooms).toEqual(['hy.990102.notice', 'hy.990102.space', 'hy.990102.work']);
    expect(kept.extraUsers).toEqual([u('bs.li')]);
    expect(
      kept.actions.filter(
        (a) => a.type === 'kick' || a.type === 'deactivate-user' || a.type === 'retire-room',
      ),
    ).toEqual([]);
    const pruned = planOrg({ desired: desiredOf(smaller), snapshot: after, prune: true });
    const end = simulateApply(after, pruned, desiredOf(smaller));
    expect(end.rooms.map((r) => r.alias)).not.toContain('hy.990102.space');
    expect(end.users.find((x) => x.userId === u('bs.li'))?.deactivated).toBe(true);
    expect(planOrg({ desired: desiredOf(smaller), snapshot: end, prune: true }).actions).toEqual(
      [],
    );
  });

  it('adds a county to a provisioned province with actions on the new objects only', () => {
    const province = generateSyntheticProvince({
      cities: 2,
      countiesPerCity: 2,
      departmentsPerCounty: 2,
      users: 40,
    });
    const grown = addSyntheticCounty(province, { departments: 5, users: 20, usernamePrefix: 'n' });
    const { after } = applyAll(province);
    const before = desiredOf(province);
    const desired = desiredOf(grown);
    const newRooms = new Set([...desired.rooms.keys()].filter((a) => !before.rooms.has(a)));
    const newUsers = new Set([...desired.users.keys()].filter((u) => !before.users.has(u)));
    expect(newRooms.size).toBe(6 * 3);
    expect(newUsers.size).toBe(20);

    const plan = planOrg({ desired, snapshot: after });
    expect(plan.actions.filter((a) => !isAboutNewObjects(a, newRooms, newUsers))).toEqual([]);
    expect(summarizePlan(plan)).toMatchObject({
      'create-user': 20,
      'create-room': 18,
      'link-child': 18,
    });
    // The province's and the city's issuers reach down into the new county's Spaces and notice rooms.
    const joins = plan.actions.filter((a) => a.type === 'join');
    expect(joins.some((a) => !newUsers.has(a.userId))).toBe(true);
    expect(planOrg({ desired, snapshot: simulateApply(after, plan, desired) }).actions).toEqual([]);
  });

  it('refuses to revive a deactivated user silently', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const user = after.users.find((x) => x.userId === u('bs.li'));
    if (user) user.deactivated = true;
    const plan = planOrg({ desired: desiredOf(specOf(SPEC_TEXT)), snapshot: after });
    expect(plan.conflicts).toEqual([
      `user ${u('bs.li')} is deactivated on the server; remove it from the spec or reactivate it first`,
    ]);
  });

  it('refuses a spec user who would be the provisioning account itself', () => {
    const spec = specOf(SPEC_TEXT.replace('username: sheng.admin,', 'username: admin,'));
    const plan = planOrg({ desired: desiredOf(spec), snapshot: SERVER });
    expect(plan.conflicts).toEqual([
      `spec user admin is the provisioning account ${SERVER.adminUserId}; choose another username`,
    ]);
  });

  it('exports a spec that plans to nothing on the server it came from', () => {
    const { after } = applyAll(specOf(SPEC_TEXT));
    const exported = exportOrgSpec(after);
    expect(exported.units.find((x) => x.code === '990102')?.allowAncestors).toBe(true);
    expect(exported.units[0]?.rooms).toEqual({ departments: [{ slug: 'office', name: '办公厅' }] });
    expect(exported.users.find((x) => x.username === 'qs.zhang')).toEqual({
      username: 'qs.zhang',
      displayName: '张青山',
      unit: '990101',
      position: '科员',
      roles: ['member'],
    });
    expect(planOrg({ desired: desiredOf(exported), snapshot: after }).actions).toEqual([]);
  });
});

describe('unit admins see their subtree', () => {
  it('makes a unit admin a member of every Space below, without power and not of its rooms', () => {
    const desired = desiredOf(specOf(SPEC_TEXT));
    const of = (code: string, kind: string) =>
      [...desired.rooms.values()].find((r) => r.unitCode === code && r.kind === kind);
    for (const code of ['990100', '990101', '990102']) {
      const space = of(code, 'space');
      expect(space?.members, `Space of ${code}`).toContain(u('sheng.admin'));
      expect(space?.powerLevels.users?.[u('sheng.admin')]).toBeUndefined();
      expect(of(code, 'notice')?.members).not.toContain(u('sheng.admin'));
      expect(of(code, 'work')?.members).not.toContain(u('sheng.admin'));
    }
  });
});
