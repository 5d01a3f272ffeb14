/**
 * Turns a validated spec into the Matrix state it asks for: every managed room with its names,
 * state, power levels and members, and every user. Rooms are named by alias, not ID, because the
 * rooms of a first apply do not exist yet.
 */
import { ancestorCodes, buildOrgTree, unitRecordsOfSpec } from './org-tree';
import type { OrgTree } from './org-tree';
import {
  ADMIN_POWER,
  buildPowerLevels,
  isResidentsRoomKind,
  managedRoomName,
  ROLE_POWER,
  roomAliasLocalpart,
} from './matrix-mapping';
import type {
  ManagedRoomKind,
  PowerLevelsContent,
  UnitMemberStateContent,
  UnitRoomStateContent,
} from './matrix-mapping';
import type { OrgSpec, SpecUser } from './spec-types';
import { UNIT_ROLES } from './types';
import type { OrgUnit, UnitRole } from './types';

/** A room (or Space) as the spec wants it. */
export interface DesiredRoom {
  /** Alias localpart; the room's identity across runs. */
  alias: string;
  unitCode: string;
  kind: ManagedRoomKind;
  name: string;
  /** Spaces: the unit's `cn.hongyan.unit` content. */
  unit?: OrgUnit;
  /** Unit rooms: the `cn.hongyan.unit_room` content. */
  roomState?: UnitRoomStateContent;
  /** Aliases of the Spaces whose members may join; empty means invite-only. */
  allow: string[];
  /** Alias of the Space this room hangs under (`m.space.parent`). */
  parent?: string;
  /** Spaces: aliases of the child rooms and Spaces (`m.space.child`). */
  children: string[];
  powerLevels: PowerLevelsContent;
  /** Users to be joined (the admin account, the creator, is always in). */
  members: string[];
  /** Spaces: `cn.hongyan.unit_member` content by user ID. */
  memberInfo: Map<string, UnitMemberStateContent>;
  /** Depth of the unit in the tree; creation goes top-down. */
  depth: number;
}

/** A user as the spec wants it. */
export interface DesiredUser {
  userId: string;
  username: string;
  displayName: string;
  unitCode: string;
  roles: UnitRole[];
  position?: string;
  /** Initial password from the spec, if any. */
  password?: string;
}

/** Everything the spec asks for on one server. */
export interface DesiredState {
  serverName: string;
  adminUserId: string;
  tree: OrgTree;
  /** By alias localpart, Spaces first (top-down), then unit rooms. */
  rooms: Map<string, DesiredRoom>;
  users: Map<string, DesiredUser>;
  /** Per unit code: whether ancestor units' members may join its rooms. */
  allowAncestors: Map<string, boolean>;
}

const normaliseRoles = (roles: readonly UnitRole[] | undefined): UnitRole[] => {
  const set = new Set(roles && roles.length > 0 ? roles : ['member']);
  return UNIT_ROLES.filter((r) => set.has(r));
};

/** The Matrix user ID of a spec user on a server. */
export function userIdFor(username: string, serverName: string): string {
  return `@${username}:${serverName}`;
}

function desiredUser(u: SpecUser, serverName: string): DesiredUser {
  const user: DesiredUser = {
    userId: userIdFor(u.username, serverName),
    username: u.username,
    displayName: u.displayName.trim(),
    unitCode: u.unit,
    roles: normaliseRoles(u.roles),
  };
  if (u.position !== undefined && u.position.trim() !== '') user.position = u.position.trim();
  if (u.password !== undefined) user.password = u.password;
  return user;
}

/**
 * Computes the desired state.
 *
 * @param opts.spec - A validated spec (no cycles, no unknown references).
 * @param opts.serverName - The homeserver's name, for user IDs.
 * @param opts.adminUserId - The provisioning account, given power 100 everywhere.
 */
export function buildDesiredState(opts: {
  spec: OrgSpec;
  serverName: string;
  adminUserId: string;
}): DesiredState {
  const { spec, serverName, adminUserId } = opts;
  const tree = buildOrgTree(unitRecordsOfSpec(spec.units));
  const specUnits = new Map(spec.units.map((u) => [u.code, u]));
  const users = new Map<string, DesiredUser>();
  const usersByUnit = new Map<string, DesiredUser[]>();
  for (const u of spec.users) {
    const d = desiredUser(u, serverName);
    users.set(d.userId, d);
    usersByUnit.set(d.unitCode, [...(usersByUnit.get(d.unitCode) ?? []), d]);
  }
  const allowAncestors = new Map(
    spec.units.map((u) => [u.code, u.allowAncestors ?? spec.defaults?.allowAncestors ?? false]),
  );

  // Issuers reach down: they post circulars into the notice rooms of every unit below their own,
  // so they are members there at issuer level, and members of those units' Spaces to see the tree.
  const reachingIssuers = (code: string): DesiredUser[] =>
    ancestorCodes(tree, code).flatMap((a) =>
      (usersByUnit.get(a) ?? []).filter((u) => u.roles.includes('issuer')),
    );

  // Unit admins see down: they administer their unit and everything below it, so they are members
  // of the Spaces below (not of their rooms, and with no power there) to browse and search the
  // whole subtree in the directory and pick its units and people in the admin forms.
  const reachingAdmins = (code: string): DesiredUser[] =>
    ancestorCodes(tree, code).flatMap((a) =>
      (usersByUnit.get(a) ?? []).filter((u) => u.roles.includes('unit_admin')),
    );

  const spaces: DesiredRoom[] = [];
  const rooms: DesiredRoom[] = [];
  for (const code of tree.preorder) {
    const node = tree.byCode.get(code);
    const unitSpec = specUnits.get(code);
    if (!node || !unitSpec) continue;
    const own = usersByUnit.get(code) ?? [];
    const reach = reachingIssuers(code);
    const spaceAlias = roomAliasLocalpart(code, 'space');
    const ancestorSpaces = ancestorCodes(tree, code).map((a) => roomAliasLocalpart(a, 'space'));
    const mayJoinFromAncestors = allowAncestors.get(code) === true;
    const levels = (kind: ManagedRoomKind, extra: DesiredUser[]): PowerLevelsContent => {
      const levelsByUser: Record<string, number> = { [adminUserId]: ADMIN_POWER };
      for (const u of own) {
        const power = Math.max(...u.roles.map((r) => rolePowerIn(kind, r)));
        if (power > 0) levelsByUser[u.userId] = power;
      }
      for (const u of extra)
        levelsByUser[u.userId] = Math.max(levelsByUser[u.userId] ?? 0, ROLE_POWER.issuer);
      return buildPowerLevels({ kind, users: levelsByUser });
    };
    const unitRooms: DesiredRoom[] = [];
    const addRoom = (
      kind: Exclude<ManagedRoomKind, 'space'>,
      extra: DesiredUser[],
      dept?: { slug: string; name: string },
    ): void => {
      const roomState: UnitRoomStateContent = dept
        ? { unitCode: code, kind, slug: dept.slug, name: dept.name }
        : { unitCode: code, kind };
      // Residents' rooms are invite-only and hang under no Space: residents joined by the org agent
      // must not learn of the unit Space, its staff rooms or its directory.
      const forResidents = isResidentsRoomKind(kind);
      unitRooms.push({
        alias: roomAliasLocalpart(code, kind, dept?.slug),
        unitCode: code,
        kind,
        name: managedRoomName(node.unit.name, kind, dept?.name),
        roomState,
        allow: forResidents ? [] : [spaceAlias, ...(mayJoinFromAncestors ? ancestorSpaces : [])],
        ...(forResidents ? {} : { parent: spaceAlias }),
        children: [],
        powerLevels: levels(kind, extra),
        members: uniqueSorted([...own, ...extra].map((u) => u.userId)),
        memberInfo: new Map(),
        depth: node.depth,
      });
    };
    if (unitSpec.rooms?.notice !== false) addRoom('notice', reach);
    if (unitSpec.rooms?.work !== false) addRoom('work', []);
    for (const dept of unitSpec.rooms?.departments ?? []) addRoom('department', [], dept);
    if (unitSpec.rooms?.residents === true) {
      addRoom('residents', []);
      addRoom('residents_notice', []);
    }

    const childSpaces = node.children.map((c) => roomAliasLocalpart(c, 'space'));
    const memberInfo = new Map<string, UnitMemberStateContent>();
    for (const u of own)
      memberInfo.set(
        u.userId,
        u.position ? { roles: u.roles, position: u.position } : { roles: u.roles },
      );
    spaces.push({
      alias: spaceAlias,
      unitCode: code,
      kind: 'space',
      name: node.unit.name,
      unit: node.unit,
      allow: mayJoinFromAncestors ? ancestorSpaces : [],
      ...(node.parentCode ? { parent: roomAliasLocalpart(node.parentCode, 'space') } : {}),
      children: [
        ...unitRooms.filter((r) => r.parent === spaceAlias).map((r) => r.alias),
        ...childSpaces,
      ],
      powerLevels: levels('space', []),
      members: uniqueSorted([...own, ...reach, ...reachingAdmins(code)].map((u) => u.userId)),
      memberInfo,
      depth: node.depth,
    });
    rooms.push(...unitRooms);
  }
  const all = new Map<string, DesiredRoom>();
  for (const r of [...spaces, ...rooms]) all.set(r.alias, r);
  return { serverName, adminUserId, tree, rooms: all, users, allowAncestors };
}

/**
 * A role's power in a room of the given kind. In a community's residents' rooms grid workers speak
 * for the unit, so they post notices there at the issuers' level.
 */
function rolePowerIn(kind: ManagedRoomKind, role: UnitRole): number {
  if (role === 'grid_worker' && isResidentsRoomKind(kind)) return ROLE_POWER.issuer;
  return ROLE_POWER[role];
}

function uniqueSorted(ids: string[]): string[] {
  return [...new Set(ids)].sort();
}
