/**
 * Consistency checks over a server snapshot before the org agent acts on it. The power levels keep
 * the `cn.hongyan.unit` and `cn.hongyan.unit_member` records writable only by the provisioning
 * account, but Spaces provisioned before unit admins were lowered to 90 (and not yet re-applied),
 * or records edited by hand, could still say something else. Acting on such state could widen a unit
 * admin's reach (a Space claiming another unit's code, or a user "belonging" to two units), so the
 * agent holds requests until the state is consistent again.
 */
import { parseRoomAliasLocalpart } from './matrix-mapping';
import { indexRoom } from './snapshot';
import type { OrgSnapshot } from './snapshot';

/**
 * Problems that make the snapshot untrustworthy, each naming the room or user; empty when consistent.
 * Checks that each managed room's records agree with its alias (which only the provisioning account
 * can assign), and that no user has a unit record in more than one Space.
 */
export function orgIntegrityProblems(snapshot: OrgSnapshot): string[] {
  const problems: string[] = [];
  const recordsByUser = new Map<string, string[]>();
  for (const room of snapshot.rooms.map(indexRoom)) {
    const fromAlias = parseRoomAliasLocalpart(room.alias);
    if (room.unit) {
      if (fromAlias?.kind !== 'space' || fromAlias.unitCode !== room.unit.code)
        problems.push(`Space ${room.roomId} (#${room.alias}) claims unit ${room.unit.code}`);
    }
    if (room.roomState && fromAlias?.unitCode !== room.roomState.unitCode)
      problems.push(`room ${room.roomId} (#${room.alias}) claims unit ${room.roomState.unitCode}`);
    if (room.roomType === 'm.space' && room.unit) {
      for (const userId of room.memberInfo.keys())
        recordsByUser.set(userId, [...(recordsByUser.get(userId) ?? []), room.unit.code]);
    }
  }
  for (const [userId, units] of recordsByUser) {
    if (units.length > 1)
      problems.push(`${userId} has unit records in ${units.sort().join(' and ')}`);
  }
  return problems;
}
