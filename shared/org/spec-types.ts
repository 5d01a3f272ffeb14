/**
 * The organisation spec: the admin's description of units, their rooms and their users, as read from
 * YAML (and optionally a CSV user list) and validated by `validateOrgSpec`.
 */
import type { UnitLevel, UnitRole } from './types';

/** Current version of the spec format. A spec states it so a future format change is detected, not misread. */
export const ORG_SPEC_VERSION = 1;

/** An extra department room (科室群) a unit asks for, besides its notice and work rooms. */
export interface SpecDepartmentRoom {
  /** Short ASCII id, unique within the unit; part of the room alias (`#hy.<code>.dept.<slug>`). */
  slug: string;
  /** Display name, e.g. 办公室. */
  name: string;
}

/** Which rooms a unit gets. Absent fields take the defaults (notice and work rooms, no departments). */
export interface SpecUnitRooms {
  /** A notice room (通知公告) where issuers post and members read and acknowledge. Default true. */
  notice?: boolean;
  /** A work room where every member may post. Default true. */
  work?: boolean;
  /** Extra department rooms. */
  departments?: SpecDepartmentRoom[];
  /**
   * A 社区/村's rooms for its residents: a residents' room (群众群) and a residents' notice room
   * (群众通知), invite-only and outside the unit Space; residents join by invitation. Township and
   * village units only. Default false.
   */
  residents?: boolean;
}

/** One org unit as written in the spec. */
export interface SpecUnit {
  /** Administrative division code or a unique department code. Lower-case ASCII letters, digits, `-`, `_`. */
  code: string;
  name: string;
  level: UnitLevel;
  /** Code of the parent unit; omitted for a root. */
  parent?: string;
  rooms?: SpecUnitRooms;
  /**
   * Whether members of the ancestor units may join this unit's rooms themselves (restricted join rule
   * allowing the ancestors' spaces). Default: the spec's `defaults.allowAncestors`, else false.
   */
  allowAncestors?: boolean;
}

/** One user as written in the spec or a CSV row. */
export interface SpecUser {
  /** Matrix localpart: lower-case ASCII letters, digits and `._=-`. */
  username: string;
  displayName: string;
  /** Code of the unit the user belongs to. */
  unit: string;
  /** Position (职务), shown in the directory. */
  position?: string;
  /** Roles in the unit. Default `[member]`. */
  roles?: UnitRole[];
  /** Initial password. When absent, a password is generated on creation and reported once. */
  password?: string;
}

/** Defaults that apply to every unit unless the unit says otherwise. */
export interface SpecDefaults {
  allowAncestors?: boolean;
}

/** A whole org spec. */
export interface OrgSpec {
  version: typeof ORG_SPEC_VERSION;
  defaults?: SpecDefaults;
  units: SpecUnit[];
  users: SpecUser[];
}

/** Where something sits in an input file. Lines and columns are 1-based. */
export interface SpecLocation {
  file: string;
  line?: number;
  column?: number;
}

/** Kinds of problem validation reports, so callers and tests can tell them apart. */
export type SpecErrorKind =
  | 'syntax'
  | 'schema'
  | 'duplicate-code'
  | 'duplicate-username'
  | 'duplicate-department'
  | 'unknown-parent'
  | 'cycle'
  | 'unknown-unit'
  | 'level-order'
  | 'residents-level';

/** One problem found in a spec, naming the file, line and field. */
export interface SpecError extends SpecLocation {
  kind: SpecErrorKind;
  /** Path of the offending field, e.g. `units[3].parent` or `users[12].unit`. */
  field: string;
  message: string;
}

/** A path into the spec data, as used by JSON pointers: property names and array indexes. */
export type SpecPath = readonly (string | number)[];

/** Finds where a path of the spec data was written. `key` asks for the property name rather than its value. */
export type SpecLocator = (path: SpecPath, opts?: { key?: boolean }) => SpecLocation;

/** Spec data before validation, with a way to locate any path of it in its source. */
export interface SpecSource {
  /** Parsed data; shape unknown until validated. */
  data: unknown;
  locate: SpecLocator;
  /** Problems found while reading the text (syntax errors). */
  errors: SpecError[];
}

/** Formats a path as `units[3].parent`. */
export function formatSpecPath(path: SpecPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/** Formats an error as `file:line:column field: message`, the form editors and terminals link to. */
export function formatSpecError(error: SpecError): string {
  const where = [error.file, error.line, error.column].filter((p) => p !== undefined).join(':');
  return `${where} ${error.field}: ${error.message}`;
}
