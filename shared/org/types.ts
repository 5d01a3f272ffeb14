/**
 * Core organisation model shared by the provisioning planner, the app's org tree and circular targeting.
 */

/** Administrative levels, from the top of the hierarchy down. `department` may sit under any level. */
export const UNIT_LEVELS = [
  'province',
  'city',
  'county',
  'township',
  'village',
  'department',
] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/**
 * Roles a user can hold in a unit. A grid worker (网格员) invites residents into a community's
 * residents' rooms and speaks for the unit there.
 */
export const UNIT_ROLES = ['unit_admin', 'issuer', 'grid_worker', 'member'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

/**
 * Kinds of room a unit owns. `residents` (群众群) and `residents_notice` (群众通知) are a 社区/村's
 * rooms for its residents: invite-only and outside the unit Space, so residents never see the staff.
 */
export const UNIT_ROOM_KINDS = [
  'notice',
  'work',
  'department',
  'residents',
  'residents_notice',
] as const;
export type UnitRoomKind = (typeof UNIT_ROOM_KINDS)[number];

/** Metadata of one org unit, as carried by the unit Space's `cn.hongyan.unit` state event. */
export interface OrgUnit {
  /** Administrative division code (行政区划代码) or a unique department code; the unit's identity. */
  code: string;
  /** Display name, e.g. 示范省 or 示范市教育局. */
  name: string;
  level: UnitLevel;
  /** Code of the parent unit; absent only for the root. */
  parentCode?: string;
}
