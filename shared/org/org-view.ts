/**
 * What a signed-in user knows of the organisation, derived from the state of the rooms they joined:
 * the units (from unit Spaces), each unit's rooms (notice, work, departments) and its members' roles.
 * The app builds its org tree, directory and circular targeting from this; nothing here calls the server.
 */
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { checkManagedRoom, type UnmanagedReason } from './managed-rooms';
import type { UnitMemberStateContent } from './matrix-mapping';
import { indexRoom, type StateEventRecord } from './snapshot';
import type { OrgUnit, UnitRole } from './types';

/** One joined room's relevant current state, as the renderer reads it from the SDK. */
export interface JoinedRoomState {
  roomId: string;
  state: StateEventRecord[];
}

/** The rooms one unit owns. */
export interface UnitRooms {
  spaceId?: string;
  noticeRoomId?: string;
  workRoomId?: string;
  /** A 社区/村's residents' room (群众群) and residents' notice room (群众通知), if it has them. */
  residentsRoomId?: string;
  residentsNoticeRoomId?: string;
  departments: { roomId: string; slug?: string; name?: string }[];
}

/** A user's role record in a unit, from the unit Space's `cn.hongyan.unit_member` state. */
export interface UnitMemberRecord extends UnitMemberStateContent {
  userId: string;
  unitCode: string;
}

/** Two or more managed-looking rooms claiming one unit's Space or room: an alarm for admins. */
export interface OrgConflict {
  unitCode: string;
  /** `space`, `notice`, `work` or `department:<slug>`. */
  role: string;
  roomIds: string[];
}

/** A joined room that carries Hongyan state but is not one of the org's rooms. */
export interface UnmanagedOrgRoom {
  roomId: string;
  reason: UnmanagedReason;
}

/** The org as one user sees it. */
export interface OrgView {
  units: OrgUnit[];
  roomsByUnit: Record<string, UnitRooms>;
  /** Unit code of each managed room, for mapping a room back to its unit. */
  unitByRoom: Record<string, string>;
  /** Role records from managed Spaces only. */
  members: UnitMemberRecord[];
  /** Claims of one unit's room by several managed rooms; none of them is used. */
  conflicts: OrgConflict[];
  /** Rooms with Hongyan state that are not managed, with the reason; none of them is used. */
  unmanaged: UnmanagedOrgRoom[];
}

/** Whether a room carries any Hongyan unit state at all. */
function claimsOrgState(state: readonly StateEventRecord[]): boolean {
  return state.some(
    (e) =>
      e.type === UNIT_STATE_EVENT ||
      e.type === UNIT_ROOM_STATE_EVENT ||
      e.type === UNIT_MEMBER_STATE_EVENT,
  );
}

/**
 * Derives the org view from joined rooms' state. Only managed rooms count (see managed-rooms.ts):
 * a room with Hongyan state that a provisioning account did not create under the org's alias is
 * listed in `unmanaged` and otherwise ignored. Two managed rooms claiming the same place are an
 * alarm (`conflicts`), and neither is used: no tie is broken in anyone's favour.
 *
 * @param provisioningAccounts - From the trust anchor; empty means no room is trusted.
 */
export function buildOrgView(
  rooms: readonly JoinedRoomState[],
  provisioningAccounts: readonly string[],
): OrgView {
  const unmanaged: UnmanagedOrgRoom[] = [];
  const claims = new Map<string, { unitCode: string; role: string; rooms: JoinedRoomState[] }>();
  for (const room of rooms) {
    if (!claimsOrgState(room.state)) continue;
    const check = checkManagedRoom(room.state, provisioningAccounts);
    if (!check.managed) {
      unmanaged.push({ roomId: room.roomId, reason: check.reason });
      continue;
    }
    const role = check.kind === 'department' ? `department:${check.slug ?? ''}` : check.kind;
    const key = `${check.unitCode}\n${role}`;
    const claim = claims.get(key) ?? { unitCode: check.unitCode, role, rooms: [] };
    claim.rooms.push(room);
    claims.set(key, claim);
  }

  const units = new Map<string, OrgUnit>();
  const roomsByUnit: Record<string, UnitRooms> = {};
  const unitByRoom: Record<string, string> = {};
  const members: UnitMemberRecord[] = [];
  const conflicts: OrgConflict[] = [];
  const entry = (code: string): UnitRooms => (roomsByUnit[code] ??= { departments: [] });
  for (const { unitCode, role, rooms: claimants } of claims.values()) {
    if (claimants.length > 1) {
      conflicts.push({ unitCode, role, roomIds: claimants.map((r) => r.roomId).sort() });
      continue;
    }
    const room = claimants[0] as JoinedRoomState;
    const indexed = indexRoom({ roomId: room.roomId, alias: '', state: room.state });
    if (role === 'space') {
      if (!indexed.unit || indexed.roomType !== 'm.space') continue;
      units.set(unitCode, indexed.unit);
      entry(unitCode).spaceId = room.roomId;
      unitByRoom[room.roomId] = unitCode;
      for (const [userId, info] of indexed.memberInfo) members.push({ userId, unitCode, ...info });
      continue;
    }
    const rs = indexed.roomState;
    if (!rs) continue;
    const target = entry(unitCode);
    unitByRoom[room.roomId] = unitCode;
    if (rs.kind === 'notice') target.noticeRoomId = room.roomId;
    else if (rs.kind === 'work') target.workRoomId = room.roomId;
    else if (rs.kind === 'residents') target.residentsRoomId = room.roomId;
    else if (rs.kind === 'residents_notice') target.residentsNoticeRoomId = room.roomId;
    else
      target.departments.push({
        roomId: room.roomId,
        ...(rs.slug ? { slug: rs.slug } : {}),
        ...(rs.name ? { name: rs.name } : {}),
      });
  }
  for (const rooms of Object.values(roomsByUnit))
    rooms.departments.sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0));
  conflicts.sort((a, b) => (a.unitCode + a.role < b.unitCode + b.role ? -1 : 1));
  return { units: [...units.values()], roomsByUnit, unitByRoom, members, conflicts, unmanaged };
}

/**
 * The units in which `userId` holds `role`, in the order of `org.members` (e.g. where a user may
 * issue circulars, or which units they administer). Empty without an org view.
 */
export function unitsWithRole(
  org: Pick<OrgView, 'members'> | null | undefined,
  userId: string | null | undefined,
  role: UnitRole,
): string[] {
  return (org?.members ?? [])
    .filter((m) => m.userId === userId && m.roles.includes(role))
    .map((m) => m.unitCode);
}
