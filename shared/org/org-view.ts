/**
 * What a signed-in user knows of the organisation, derived from the state of the rooms they joined:
 * the units (from unit Spaces), each unit's rooms (notice, work, departments) and its members' roles.
 * The app builds its org tree, directory and circular targeting from this; nothing here calls the server.
 */
import type { UnitMemberStateContent } from './matrix-mapping';
import { indexRoom, type StateEventRecord } from './snapshot';
import type { OrgUnit } from './types';

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

/** The org as one user sees it. */
export interface OrgView {
  units: OrgUnit[];
  roomsByUnit: Record<string, UnitRooms>;
  /** Unit code of each managed room, for mapping a room back to its unit. */
  unitByRoom: Record<string, string>;
  members: UnitMemberRecord[];
}

/**
 * Derives the org view from joined rooms' state. Rooms without Hongyan state are ignored; of two
 * Spaces claiming the same unit code, the first (by room ID) wins so the result is deterministic.
 */
export function buildOrgView(rooms: readonly JoinedRoomState[]): OrgView {
  const units = new Map<string, OrgUnit>();
  const roomsByUnit: Record<string, UnitRooms> = {};
  const unitByRoom: Record<string, string> = {};
  const members: UnitMemberRecord[] = [];
  const entry = (code: string): UnitRooms => (roomsByUnit[code] ??= { departments: [] });
  const sorted = [...rooms].sort((a, b) =>
    a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0,
  );
  for (const room of sorted) {
    const indexed = indexRoom({ roomId: room.roomId, alias: '', state: room.state });
    if (indexed.unit && indexed.roomType === 'm.space' && !units.has(indexed.unit.code)) {
      const code = indexed.unit.code;
      units.set(code, indexed.unit);
      entry(code).spaceId = room.roomId;
      unitByRoom[room.roomId] = code;
      for (const [userId, info] of indexed.memberInfo)
        members.push({ userId, unitCode: code, ...info });
    }
    const rs = indexed.roomState;
    if (rs) {
      const target = entry(rs.unitCode);
      unitByRoom[room.roomId] = rs.unitCode;
      if (rs.kind === 'notice') target.noticeRoomId ??= room.roomId;
      else if (rs.kind === 'work') target.workRoomId ??= room.roomId;
      else if (rs.kind === 'residents') target.residentsRoomId ??= room.roomId;
      else if (rs.kind === 'residents_notice') target.residentsNoticeRoomId ??= room.roomId;
      else
        target.departments.push({
          roomId: room.roomId,
          ...(rs.slug ? { slug: rs.slug } : {}),
          ...(rs.name ? { name: rs.name } : {}),
        });
    }
  }
  return { units: [...units.values()], roomsByUnit, unitByRoom, members };
}
