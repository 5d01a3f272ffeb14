/**
 * The staff directory (LDAP) as an org spec: the directory is the source of truth for who works
 * where, and its spec goes through the same validation, plan and apply as a hand-written one.
 *
 * Layout (docs/identity.md):
 * - a unit is an `organizationalUnit` with `businessCategory` = its level; `ou` = its code,
 *   `description` = its name; its parent is the nearest unit above it in the tree;
 * - a person is an `inetOrgPerson` under their unit: `uid` = Matrix localpart, `cn` = name,
 *   `title` = position, `businessCategory` = roles in the unit (default member),
 *   `employeeType: disabled` = a leaver still listed (treated as removed).
 */
import type { OrgSpec, SpecLocation, SpecPath, SpecUnit, SpecUser } from './spec-types';
import { ORG_SPEC_VERSION } from './spec-types';
import { UNIT_LEVELS, UNIT_ROLES, type UnitLevel, type UnitRole } from './types';
import { validateOrgSpec } from './spec-validate';

/** One directory entry as read: its DN and its attributes (names lower-cased), values as text. */
export interface DirectoryEntry {
  dn: string;
  attributes: Readonly<Record<string, readonly string[]>>;
}

/** A problem with one entry: which entry, which attribute, what is wrong. */
export interface DirectoryProblem {
  dn: string;
  field: string;
  message: string;
}

/** The spec read from a directory, or every problem found (then nothing may be applied). */
export type DirectorySpecResult =
  | {
      ok: true;
      spec: OrgSpec;
      /** Users' identity-platform subjects (their `uid`), by username. */
      subjects: Map<string, string>;
      /** Usernames listed but disabled: left out of the spec, so a sync deactivates them. */
      disabled: string[];
    }
  | { ok: false; problems: DirectoryProblem[] };

/** The `employeeType` value that marks a disabled person. */
export const DISABLED_EMPLOYEE_TYPE = 'disabled';

/** Which directory attribute each spec field comes from, for error messages. */
const ATTRIBUTE_OF: Record<string, string> = {
  code: 'ou',
  name: 'description',
  level: 'businessCategory',
  parent: 'dn',
  username: 'uid',
  displayName: 'cn',
  unit: 'dn',
  position: 'title',
  roles: 'businessCategory',
};

function single(entry: DirectoryEntry, attr: string): string | undefined {
  return entry.attributes[attr.toLowerCase()]?.[0];
}

function hasClass(entry: DirectoryEntry, objectClass: string): boolean {
  return (entry.attributes['objectclass'] ?? []).some(
    (c) => c.toLowerCase() === objectClass.toLowerCase(),
  );
}

/** `ou=a,ou=b,dc=x` → `ou=b,dc=x` (DNs compared case-insensitively, without spaces after commas). */
function normaliseDn(dn: string): string {
  return dn
    .split(',')
    .map((rdn) => rdn.trim().toLowerCase())
    .join(',');
}

function parentDn(dn: string): string | undefined {
  const i = dn.indexOf(',');
  return i === -1 ? undefined : dn.slice(i + 1);
}

/** Maps directory entries to an org spec, checked as a whole; problems name the DN and attribute. */
export function specFromDirectory(entries: readonly DirectoryEntry[]): DirectorySpecResult {
  const problems: DirectoryProblem[] = [];
  const unitsByDn = new Map<string, { unit: SpecUnit; dn: string }>();
  for (const entry of entries) {
    if (!hasClass(entry, 'organizationalUnit')) continue;
    const level = single(entry, 'businessCategory');
    if (level === undefined) continue; // a container, not a unit
    if (!(UNIT_LEVELS as readonly string[]).includes(level)) {
      problems.push({
        dn: entry.dn,
        field: 'businessCategory',
        message: `"${level}" is not a unit level (${UNIT_LEVELS.join(', ')})`,
      });
      continue;
    }
    const unit: SpecUnit = {
      code: single(entry, 'ou') ?? '',
      name: single(entry, 'description') ?? '',
      level: level as UnitLevel,
    };
    unitsByDn.set(normaliseDn(entry.dn), { unit, dn: entry.dn });
  }
  const unitAbove = (dn: string): SpecUnit | undefined => {
    for (let up = parentDn(normaliseDn(dn)); up !== undefined; up = parentDn(up)) {
      const found = unitsByDn.get(up);
      if (found) return found.unit;
    }
    return undefined;
  };
  const units: SpecUnit[] = [];
  const unitDns: string[] = [];
  for (const { unit, dn } of unitsByDn.values()) {
    const parent = unitAbove(dn);
    units.push(parent ? { ...unit, parent: parent.code } : unit);
    unitDns.push(dn);
  }

  const users: SpecUser[] = [];
  const userDns: string[] = [];
  const subjects = new Map<string, string>();
  const disabled: string[] = [];
  for (const entry of entries) {
    if (!hasClass(entry, 'inetOrgPerson')) continue;
    const uid = single(entry, 'uid');
    if (uid === undefined) {
      problems.push({
        dn: entry.dn,
        field: 'uid',
        message: 'a person needs a uid (their login name)',
      });
      continue;
    }
    const types = (entry.attributes['employeetype'] ?? []).map((t) => t.toLowerCase());
    if (types.includes(DISABLED_EMPLOYEE_TYPE)) {
      disabled.push(uid);
      continue;
    }
    const unit = unitAbove(entry.dn);
    if (!unit) {
      problems.push({ dn: entry.dn, field: 'dn', message: 'the person is not under any unit OU' });
      continue;
    }
    const roles = entry.attributes['businesscategory'] ?? [];
    const badRoles = roles.filter((r) => !(UNIT_ROLES as readonly string[]).includes(r));
    if (badRoles.length > 0) {
      problems.push({
        dn: entry.dn,
        field: 'businessCategory',
        message: `unknown role(s) ${badRoles.join(', ')} (roles are ${UNIT_ROLES.join(', ')})`,
      });
      continue;
    }
    const title = single(entry, 'title');
    users.push({
      username: uid,
      displayName: single(entry, 'cn') ?? '',
      unit: unit.code,
      ...(title ? { position: title } : {}),
      ...(roles.length > 0 ? { roles: roles as UnitRole[] } : {}),
    });
    userDns.push(entry.dn);
    subjects.set(uid, uid);
  }

  const spec: OrgSpec = { version: ORG_SPEC_VERSION, units, users };
  const locate = (path: SpecPath): SpecLocation => {
    const [list, index] = path;
    const dn = list === 'units' ? unitDns[index as number] : userDns[index as number];
    return { file: dn ?? '(directory)' };
  };
  const validation = validateOrgSpec({ data: spec, locate, errors: [] });
  if (!validation.ok) {
    for (const e of validation.errors) {
      const key = /\.(\w+)(?:\[\d+\])?$/.exec(e.field)?.[1] ?? '';
      problems.push({ dn: e.file, field: ATTRIBUTE_OF[key] ?? e.field, message: e.message });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, spec, subjects, disabled: disabled.sort() };
}

/** `dn attribute: message`, one problem per line. */
export function formatDirectoryProblem(p: DirectoryProblem): string {
  return `${p.dn} ${p.field}: ${p.message}`;
}
