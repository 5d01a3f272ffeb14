/**
 * A community's residents as a group of their own on the issuer's dashboard. Residents are not unit
 * staff, so the copy of a circular in a residents' notice room is filed under a code of its own,
 * `<community code>.residents` (a `.` never occurs in a unit code), shown as a child of the
 * community: its figures roll up into the community's subtree without mixing with the staff's.
 */
import type { OrgView } from '../org/org-view';
import type { OrgUnit } from '../org/types';

const SUFFIX = '.residents';

/** The dashboard code of a community's residents. */
export function residentsGroupCode(unitCode: string): string {
  return `${unitCode}${SUFFIX}`;
}

/** The community of a residents' group code, or undefined for any other code. */
export function communityOfResidentsGroup(code: string): string | undefined {
  return code.endsWith(SUFFIX) && code.length > SUFFIX.length
    ? code.slice(0, -SUFFIX.length)
    : undefined;
}

/** The code a copy in this room is filed under: its unit, or its community's residents' group. */
export function copyUnitCode(org: OrgView | null, roomId: string): string {
  const unit = org?.unitByRoom[roomId];
  if (unit === undefined) return '';
  return org?.roomsByUnit[unit]?.residentsNoticeRoomId === roomId ? residentsGroupCode(unit) : unit;
}

/**
 * The units with a residents' group added under each community named in `codes` (e.g. the copies'
 * codes), so that a unit index built from them places residents below their community.
 *
 * @param nameOf - The group's display name from its community's (e.g. `桃花村 群众`).
 */
export function withResidentsGroups(
  units: readonly OrgUnit[],
  codes: Iterable<string>,
  nameOf: (communityName: string) => string,
): OrgUnit[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out = [...units];
  const added = new Set<string>();
  for (const code of codes) {
    const community = communityOfResidentsGroup(code);
    if (community === undefined || added.has(code) || byCode.has(code)) continue;
    added.add(code);
    const unit = byCode.get(community);
    out.push({
      code,
      name: nameOf(unit?.name ?? community),
      level: unit?.level ?? 'village',
      ...(unit ? { parentCode: unit.code } : {}),
    });
  }
  return out;
}

/**
 * The communities whose residents the user may send circulars to: those where they are an issuer or
 * a grid worker (both post at the issuers' level in the residents' notice room) and whose residents'
 * notice room they have joined. Such a circular is issued in the community's name.
 */
export function residentsNoticeUnits(
  org: Pick<OrgView, 'members' | 'roomsByUnit'> | null | undefined,
  userId: string | null | undefined,
): string[] {
  const codes = (org?.members ?? [])
    .filter(
      (m) =>
        m.userId === userId &&
        (m.roles.includes('issuer') || m.roles.includes('grid_worker')) &&
        org?.roomsByUnit[m.unitCode]?.residentsNoticeRoomId !== undefined,
    )
    .map((m) => m.unitCode);
  return [...new Set(codes)];
}
