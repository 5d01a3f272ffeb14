/**
 * What the server holds, as plain data: the managed rooms with their current state, and the users.
 * The admin tool reads it over HTTP; the planner and the exporter only see this shape.
 */
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { userIdFromUnitMemberStateKey } from './matrix-mapping';
import type { UnitMemberStateContent, UnitRoomStateContent } from './matrix-mapping';
import { UNIT_LEVELS, UNIT_ROLES, UNIT_ROOM_KINDS } from './types';
import type { OrgUnit, UnitLevel, UnitRole, UnitRoomKind } from './types';

/** One current state event. */
export interface StateEventRecord {
  type: string;
  state_key: string;
  content: Record<string, unknown>;
  /** Who sent it; needed for `m.room.create`, whose sender is the room's creator. */
  sender?: string;
}

/** A managed room as found on the server. */
export interface SnapshotRoom {
  roomId: string;
  /** Managed alias localpart (from the room's canonical alias), e.g. `hy.330100.work`. */
  alias: string;
  state: StateEventRecord[];
}

/** A local user account. */
export interface SnapshotUser {
  userId: string;
  displayName?: string;
  deactivated: boolean;
}

/** The server's side of a plan. */
export interface OrgSnapshot {
  serverName: string;
  adminUserId: string;
  rooms: SnapshotRoom[];
  users: SnapshotUser[];
}

/** A room's state digested into the fields provisioning compares. */
export interface IndexedRoom {
  roomId: string;
  alias: string;
  /** `type` of the create event: `m.space` for Spaces. */
  roomType?: string;
  name?: string;
  unit?: OrgUnit;
  roomState?: UnitRoomStateContent;
  joinRule?: string;
  /** Room IDs of the Spaces named by a restricted join rule. */
  allow: string[];
  encrypted: boolean;
  historyVisibility?: string;
  powerLevels?: Record<string, unknown>;
  /** Membership (`join`, `invite`, `leave`, `ban`) by user ID. */
  membership: Map<string, string>;
  /** Room IDs linked as children (non-empty `m.space.child`). */
  children: Set<string>;
  /** Room IDs linked as parents (non-empty `m.space.parent`). */
  parents: Set<string>;
  /** Non-empty `cn.hongyan.unit_member` entries by user ID. */
  memberInfo: Map<string, UnitMemberStateContent>;
}

const isString = (v: unknown): v is string => typeof v === 'string';

function parseUnit(content: Record<string, unknown>): OrgUnit | undefined {
  const { code, name, level, parentCode } = content;
  if (!isString(code) || !isString(name) || !UNIT_LEVELS.includes(level as UnitLevel))
    return undefined;
  return { code, name, level: level as UnitLevel, ...(isString(parentCode) ? { parentCode } : {}) };
}

function parseRoomState(content: Record<string, unknown>): UnitRoomStateContent | undefined {
  const { unitCode, kind, slug, name } = content;
  if (!isString(unitCode) || !UNIT_ROOM_KINDS.includes(kind as UnitRoomKind)) return undefined;
  return {
    unitCode,
    kind: kind as UnitRoomKind,
    ...(isString(slug) ? { slug } : {}),
    ...(isString(name) ? { name } : {}),
  };
}

function parseMemberInfo(content: Record<string, unknown>): UnitMemberStateContent | undefined {
  if (!Array.isArray(content.roles)) return undefined;
  const roles = UNIT_ROLES.filter((r) => (content.roles as unknown[]).includes(r));
  if (roles.length === 0) return undefined;
  return isString(content.position)
    ? { roles: roles as UnitRole[], position: content.position }
    : { roles: roles as UnitRole[] };
}

/** Digests a snapshot room's state. */
export function indexRoom(room: SnapshotRoom): IndexedRoom {
  const out: IndexedRoom = {
    roomId: room.roomId,
    alias: room.alias,
    allow: [],
    encrypted: false,
    membership: new Map(),
    children: new Set(),
    parents: new Set(),
    memberInfo: new Map(),
  };
  for (const ev of room.state) {
    const c = ev.content;
    const nonEmpty = Object.keys(c).length > 0;
    switch (ev.type) {
      case 'm.room.create':
        if (isString(c.type)) out.roomType = c.type;
        break;
      case 'm.room.name':
        if (isString(c.name)) out.name = c.name;
        break;
      case 'm.room.join_rules':
        if (isString(c.join_rule)) out.joinRule = c.join_rule;
        if (Array.isArray(c.allow)) {
          out.allow = c.allow
            .map((a: unknown) =>
              typeof a === 'object' && a !== null
                ? (a as Record<string, unknown>).room_id
                : undefined,
            )
            .filter(isString);
        }
        break;
      case 'm.room.encryption':
        out.encrypted = isString(c.algorithm);
        break;
      case 'm.room.history_visibility':
        if (isString(c.history_visibility)) out.historyVisibility = c.history_visibility;
        break;
      case 'm.room.power_levels':
        out.powerLevels = c;
        break;
      case 'm.room.member':
        if (isString(c.membership)) out.membership.set(ev.state_key, c.membership);
        break;
      case 'm.space.child':
        if (nonEmpty && Array.isArray(c.via)) out.children.add(ev.state_key);
        break;
      case 'm.space.parent':
        if (nonEmpty && Array.isArray(c.via)) out.parents.add(ev.state_key);
        break;
      case UNIT_STATE_EVENT: {
        const unit = parseUnit(c);
        if (unit) out.unit = unit;
        break;
      }
      case UNIT_ROOM_STATE_EVENT: {
        const rs = parseRoomState(c);
        if (rs) out.roomState = rs;
        break;
      }
      case UNIT_MEMBER_STATE_EVENT: {
        const userId = userIdFromUnitMemberStateKey(ev.state_key);
        const info = parseMemberInfo(c);
        if (userId && info) out.memberInfo.set(userId, info);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Users who are joined to (or invited into) a room. */
export function presentMembers(room: IndexedRoom): string[] {
  return [...room.membership].filter(([, m]) => m === 'join' || m === 'invite').map(([u]) => u);
}
