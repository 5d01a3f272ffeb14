/**
 * How the org model maps onto Matrix: room aliases, state-event contents and power levels. Pure
 * data shapes of the wire format; the admin tool sends them and the app reads them.
 */
import {
  ACK_EVENT,
  ADMIN_AGENT_EVENT,
  ADMIN_REQUEST_EVENT,
  ADMIN_RESULT_EVENT,
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
  UNIT_MEMBER_STATE_EVENT,
  UNIT_ROOM_STATE_EVENT,
  UNIT_STATE_EVENT,
} from '../matrix-types';
import type { UnitRole, UnitRoomKind } from './types';

/** The kinds of room provisioning manages: a unit's Space and the unit's rooms. */
export type ManagedRoomKind = 'space' | UnitRoomKind;

/** Room version of every managed room: 11 has restricted joins and the current auth rules. */
export const ROOM_VERSION = '11';
/** Megolm, the only room-encryption algorithm Matrix defines. */
export const MEGOLM_ALGORITHM = 'm.megolm.v1.aes-sha2';
/** Prefix of every managed room alias; aliases make creation idempotent (a retry finds the room). */
export const ALIAS_PREFIX = 'hy';

/**
 * Power level of each role. Matrix does not inherit power levels, so every room lists them.
 *
 * Unit admins stay below {@link ADMIN_POWER}: their level lets them file admin requests in their
 * Space, while the unit records, Space links, join rules and power levels stay writable only by the
 * provisioning account, so the server itself stops a unit admin from forging them.
 */
export const ROLE_POWER: Record<UnitRole, number> = {
  unit_admin: 90,
  issuer: 50,
  // Enough to file invitation requests in the unit Space, and nothing more in the staff rooms.
  grid_worker: 20,
  member: 0,
};
/** Power level of the provisioning account, which must be able to change anything it manages. */
export const ADMIN_POWER = 100;

/** Content of `cn.hongyan.unit_room`: which unit a room belongs to and the part it plays. */
export interface UnitRoomStateContent {
  unitCode: string;
  kind: UnitRoomKind;
  /** Department rooms only: the slug and display name of the department. */
  slug?: string;
  name?: string;
}

/** Content of `cn.hongyan.unit_member` in a unit Space. */
export interface UnitMemberStateContent {
  roles: UnitRole[];
  position?: string;
}

/** The subset of `m.room.power_levels` provisioning sets. */
export interface PowerLevelsContent {
  users: Record<string, number>;
  users_default: number;
  events: Record<string, number>;
  events_default: number;
  state_default: number;
  ban: number;
  kick: number;
  redact: number;
  invite: number;
  notifications: { room: number };
}

/** Alias localpart of a unit's room, e.g. `hy.330100.notice` or `hy.330100.dept.office`. */
export function roomAliasLocalpart(unitCode: string, kind: ManagedRoomKind, slug?: string): string {
  return kind === 'department'
    ? `${ALIAS_PREFIX}.${unitCode}.dept.${slug ?? ''}`
    : `${ALIAS_PREFIX}.${unitCode}.${kind}`;
}

/** Kinds whose alias is `hy.<code>.<kind>` (departments add their slug). */
const SINGLE_ROOM_KINDS: ReadonlySet<string> = new Set<ManagedRoomKind>([
  'space',
  'notice',
  'work',
  'residents',
  'residents_notice',
]);

/** Whether a room kind is one of a community's residents' rooms (outside the unit Space). */
export function isResidentsRoomKind(kind: string | undefined): boolean {
  return kind === 'residents' || kind === 'residents_notice';
}

/** Parses a managed alias localpart back into unit code and kind; undefined for any other alias. */
export function parseRoomAliasLocalpart(
  localpart: string,
): { unitCode: string; kind: ManagedRoomKind; slug?: string } | undefined {
  const parts = localpart.split('.');
  if (parts[0] !== ALIAS_PREFIX || parts.length < 3) return undefined;
  const unitCode = parts[1] ?? '';
  const kind = parts[2];
  if (parts.length === 3 && kind !== undefined && SINGLE_ROOM_KINDS.has(kind))
    return { unitCode, kind: kind as ManagedRoomKind };
  if (parts.length === 4 && parts[2] === 'dept' && parts[3])
    return { unitCode, kind: 'department', slug: parts[3] };
  return undefined;
}

/** State key of a user's `cn.hongyan.unit_member` event (state keys starting with `@` are reserved to their owner). */
export function unitMemberStateKey(userId: string): string {
  return `user:${userId}`;
}

/** The user ID in a `cn.hongyan.unit_member` state key, or undefined if the key has another form. */
export function userIdFromUnitMemberStateKey(stateKey: string): string | undefined {
  return stateKey.startsWith('user:@') ? stateKey.slice('user:'.length) : undefined;
}

/** Display name of a managed room. */
export function managedRoomName(
  unitName: string,
  kind: ManagedRoomKind,
  departmentName?: string,
): string {
  switch (kind) {
    case 'space':
      return unitName;
    case 'notice':
      return `${unitName} 通知公告`;
    case 'work':
      return `${unitName} 工作群`;
    case 'department':
      return `${unitName} ${departmentName ?? ''}`.trim();
    case 'residents':
      return `${unitName} 群众群`;
    case 'residents_notice':
      return `${unitName} 群众通知`;
  }
}

/**
 * Event types members may send in a notice room although `events_default` is the issuers' level.
 *
 * `m.room.encrypted` has to be here: in an encrypted room every message event, an acknowledgment
 * included, travels as `m.room.encrypted`, so the server cannot tell an encrypted ack from an
 * encrypted chat message. The server therefore blocks members' cleartext posts only; clients must
 * accept a circular only from a sender whose power level reaches `events_default` (see
 * docs/provisioning.md, "Notice rooms and encryption").
 */
export const NOTICE_ROOM_MEMBER_EVENTS = [ACK_EVENT, 'm.reaction', 'm.room.encrypted'] as const;

/**
 * Power levels of a managed room.
 *
 * @param opts.kind - Which room: spaces are read-only except for unit admins' requests, notice rooms are
 *   for issuers, the others for everyone.
 * @param opts.users - Explicit levels by user ID (the admin account, unit admins, issuers).
 */
export function buildPowerLevels(opts: {
  kind: ManagedRoomKind;
  users: Record<string, number>;
}): PowerLevelsContent {
  const issuer = ROLE_POWER.issuer;
  const events: Record<string, number> = {
    'm.room.name': issuer,
    'm.room.topic': issuer,
    'm.room.avatar': issuer,
    'm.room.pinned_events': issuer,
    'm.room.power_levels': ADMIN_POWER,
    'm.room.history_visibility': ADMIN_POWER,
    'm.room.canonical_alias': ADMIN_POWER,
    'm.room.encryption': ADMIN_POWER,
    'm.room.join_rules': ADMIN_POWER,
    'm.room.tombstone': ADMIN_POWER,
    'm.room.server_acl': ADMIN_POWER,
    'm.space.child': ADMIN_POWER,
    'm.space.parent': ADMIN_POWER,
    [UNIT_STATE_EVENT]: ADMIN_POWER,
    [UNIT_ROOM_STATE_EVENT]: ADMIN_POWER,
    [UNIT_MEMBER_STATE_EVENT]: ADMIN_POWER,
  };
  let eventsDefault = 0;
  const noticeLike = opts.kind === 'notice' || opts.kind === 'residents_notice';
  if (noticeLike) {
    eventsDefault = issuer;
    // Members cannot retract acknowledgments: a signed-for notice stays signed for.
    events['m.room.redaction'] = issuer;
    for (const type of NOTICE_ROOM_MEMBER_EVENTS) events[type] = 0;
  } else if (opts.kind === 'space') {
    eventsDefault = ADMIN_POWER;
    // Unit admins file requests; only the org agent (the provisioning account) answers them.
    events[ADMIN_REQUEST_EVENT] = ROLE_POWER.unit_admin;
    events[ADMIN_RESULT_EVENT] = ADMIN_POWER;
    events[ADMIN_AGENT_EVENT] = ADMIN_POWER;
    // Grid workers (and unit admins) ask for residents' invitations; the agent writes the records.
    events[INVITE_REQUEST_EVENT] = ROLE_POWER.grid_worker;
    events[RESIDENT_INVITE_EVENT] = ADMIN_POWER;
  }
  const users = Object.fromEntries(Object.entries(opts.users).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    users,
    users_default: 0,
    events,
    events_default: eventsDefault,
    state_default: ADMIN_POWER,
    ban: ADMIN_POWER,
    kick: ADMIN_POWER,
    // In notice rooms nobody but the provisioning account may redact someone else's event, so an
    // issuer or unit admin cannot silently erase a member's acknowledgment.
    redact: noticeLike ? ADMIN_POWER : issuer,
    invite: ADMIN_POWER,
    notifications: { room: issuer },
  };
}

/** Stable JSON for comparing contents regardless of key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Whether actual power levels already say what provisioning wants. Keys provisioning does not set
 * (e.g. `historical`) are ignored, so a server's extra defaults do not cause endless rewrites.
 */
export function powerLevelsMatch(
  desired: PowerLevelsContent,
  actual: Record<string, unknown> | undefined,
): boolean {
  if (!actual) return false;
  return (Object.keys(desired) as (keyof PowerLevelsContent)[]).every(
    (k) => canonicalJson(desired[k]) === canonicalJson(actual[k]),
  );
}
