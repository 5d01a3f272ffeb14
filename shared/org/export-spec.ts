/**
 * Reads the org back out of a server snapshot as a spec, the inverse of apply: applying an exported
 * spec to the server it came from plans no writes.
 */
import { Document } from 'yaml';
import { buildOrgTree } from './org-tree';
import { indexRoom } from './snapshot';
import type { IndexedRoom, OrgSnapshot } from './snapshot';
import { ORG_SPEC_VERSION } from './spec-types';
import type { OrgSpec, SpecUnit, SpecUser } from './spec-types';

/** Builds a spec from what the managed rooms say. */
export function exportOrgSpec(snapshot: OrgSnapshot): OrgSpec {
  const indexed = snapshot.rooms.map(indexRoom);
  const spaces = new Map<string, IndexedRoom>();
  const unitRooms = new Map<string, IndexedRoom[]>();
  for (const room of indexed) {
    if (room.roomType === 'm.space' && room.unit && !spaces.has(room.unit.code))
      spaces.set(room.unit.code, room);
    else if (room.roomState)
      unitRooms.set(room.roomState.unitCode, [
        ...(unitRooms.get(room.roomState.unitCode) ?? []),
        room,
      ]);
  }
  const tree = buildOrgTree([...spaces.values()].map((s) => s.unit).filter((u) => u !== undefined));
  const units: SpecUnit[] = [];
  for (const code of tree.preorder) {
    const node = tree.byCode.get(code);
    if (!node) continue;
    const rooms = unitRooms.get(code) ?? [];
    const unit: SpecUnit = { code, name: node.unit.name, level: node.unit.level };
    if (node.parentCode !== undefined) unit.parent = node.parentCode;
    const has = (kind: string): boolean => rooms.some((r) => r.roomState?.kind === kind);
    const departments = rooms
      .filter((r) => r.roomState?.kind === 'department' && r.roomState.slug !== undefined)
      .map((r) => ({
        slug: r.roomState?.slug as string,
        name: r.roomState?.name ?? (r.roomState?.slug as string),
      }))
      .sort((a, b) => (a.slug < b.slug ? -1 : 1));
    const residents = has('residents') || has('residents_notice');
    if (!has('notice') || !has('work') || departments.length > 0 || residents) {
      unit.rooms = {
        ...(has('notice') ? {} : { notice: false }),
        ...(has('work') ? {} : { work: false }),
        ...(departments.length > 0 ? { departments } : {}),
        ...(residents ? { residents: true } : {}),
      };
    }
    if (node.parentCode !== undefined && spaces.get(code)?.joinRule === 'restricted')
      unit.allowAncestors = true;
    units.push(unit);
  }

  const accounts = new Map(snapshot.users.map((u) => [u.userId, u]));
  const suffix = `:${snapshot.serverName}`;
  const seen = new Set<string>();
  const users: SpecUser[] = [];
  for (const code of tree.preorder) {
    const space = spaces.get(code);
    if (!space) continue;
    for (const userId of [...space.memberInfo.keys()].sort()) {
      const account = accounts.get(userId);
      if (seen.has(userId) || !userId.endsWith(suffix) || !account || account.deactivated) continue;
      seen.add(userId);
      const info = space.memberInfo.get(userId);
      const username = userId.slice(1, -suffix.length);
      const user: SpecUser = { username, displayName: account.displayName ?? username, unit: code };
      if (info?.position !== undefined) user.position = info.position;
      user.roles = info?.roles ?? ['member'];
      users.push(user);
    }
  }
  return { version: ORG_SPEC_VERSION, units, users };
}

/** Serialises a spec as YAML, with an optional comment at the top. */
export function formatSpecYaml(spec: OrgSpec, opts: { comment?: string } = {}): string {
  const doc = new Document(spec);
  if (opts.comment !== undefined) doc.commentBefore = ` ${opts.comment}`;
  return doc.toString({ lineWidth: 0 });
}
