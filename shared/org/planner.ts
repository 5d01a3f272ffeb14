/**
 * The provisioning planner: compares the desired state (from the spec) with a server snapshot and
 * lists the writes that close the gap. Pure, so `plan` can show exactly what `apply` will do, and
 * a re-plan after any interruption picks up where the last apply stopped.
 */
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { ancestorCodes } from './org-tree';
import type { DesiredRoom, DesiredState } from './desired-state';
import { canonicalJson, powerLevelsMatch, unitMemberStateKey } from './matrix-mapping';
import type { OrgPlan, PlanAction } from './plan-types';
import { indexRoom, presentMembers } from './snapshot';
import type { IndexedRoom, OrgSnapshot } from './snapshot';

/** History visibility of managed rooms: members see what was sent while they were members. */
export const MANAGED_HISTORY_VISIBILITY = 'shared';

/** Inputs of {@link planOrg}. */
export interface PlanInput {
  desired: DesiredState;
  snapshot: OrgSnapshot;
  /** Also remove managed rooms and deactivate managed users that the spec no longer lists. */
  prune?: boolean;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && new Set([...a, ...b]).size === a.length;

/** Plans the writes. See {@link OrgPlan}. */
export function planOrg(input: PlanInput): OrgPlan {
  const { desired, snapshot, prune = false } = input;
  const actions: PlanAction[] = [];
  const conflicts: string[] = [];
  const rooms = new Map<string, IndexedRoom>(snapshot.rooms.map((r) => [r.alias, indexRoom(r)]));
  const aliasById = new Map([...rooms.values()].map((r) => [r.roomId, r.alias]));
  const idOf = (alias: string): string | undefined => rooms.get(alias)?.roomId;
  const serverUsers = new Map(snapshot.users.map((u) => [u.userId, u]));

  // Users the spec does not list but the server has placed in a unit: managed, yet extra.
  const extraUsers = new Set<string>();
  for (const room of rooms.values()) {
    for (const userId of room.memberInfo.keys()) {
      if (
        !desired.users.has(userId) &&
        userId !== desired.adminUserId &&
        serverUsers.get(userId)?.deactivated !== true
      )
        extraUsers.add(userId);
    }
  }
  const removable = (userId: string): boolean =>
    desired.users.has(userId) || (prune && extraUsers.has(userId));

  for (const user of desired.users.values()) {
    if (user.userId === desired.adminUserId) {
      conflicts.push(
        `spec user ${user.username} is the provisioning account ${desired.adminUserId}; choose another username`,
      );
      continue;
    }
    const actual = serverUsers.get(user.userId);
    if (!actual)
      actions.push({ type: 'create-user', userId: user.userId, displayName: user.displayName });
    else if (actual.deactivated)
      conflicts.push(
        `user ${user.userId} is deactivated on the server; remove it from the spec or reactivate it first`,
      );
    else if (actual.displayName !== user.displayName) {
      actions.push({
        type: 'set-display-name',
        userId: user.userId,
        displayName: user.displayName,
        ...(actual.displayName ? { from: actual.displayName } : {}),
      });
    }
  }

  for (const want of desired.rooms.values()) {
    const have = rooms.get(want.alias);
    if (!have) {
      actions.push({
        type: 'create-room',
        room: want.alias,
        kind: want.kind,
        name: want.name,
        depth: want.depth,
      });
      for (const userId of want.members) actions.push({ type: 'join', room: want.alias, userId });
    } else if ((have.roomType === 'm.space') !== (want.kind === 'space')) {
      conflicts.push(
        `#${want.alias} exists but is ${have.roomType === 'm.space' ? 'a Space' : 'not a Space'}; rename or remove that alias`,
      );
      continue;
    } else if (have.membership.get(desired.adminUserId) !== 'join') {
      conflicts.push(
        `#${want.alias} (${have.roomId}) exists but the provisioning account ${desired.adminUserId} is not joined to it`,
      );
      continue;
    } else {
      planRoomFixes({ want, have, desired, idOf, aliasById, removable, prune, actions });
    }
    // The parent's `m.space.child` is checked from the child's side, so new parents get it too.
    if (want.parent !== undefined) {
      const parent = rooms.get(want.parent);
      if (!have || !parent || !parent.children.has(have.roomId))
        actions.push({ type: 'link-child', parent: want.parent, child: want.alias });
    }
  }

  const extraRooms = [...rooms.keys()].filter((alias) => !desired.rooms.has(alias)).sort();
  if (prune) {
    for (const alias of extraRooms) {
      const room = rooms.get(alias) as IndexedRoom;
      for (const userId of presentMembers(room).sort()) {
        if (userId !== desired.adminUserId)
          actions.push({
            type: 'kick',
            room: alias,
            userId,
            reason: 'unit removed from the org spec',
          });
      }
      actions.push({ type: 'retire-room', room: alias, roomId: room.roomId });
    }
    for (const userId of [...extraUsers].sort()) actions.push({ type: 'deactivate-user', userId });
  }
  return { actions, conflicts, extraRooms, extraUsers: [...extraUsers].sort() };
}

interface RoomFixContext {
  want: DesiredRoom;
  have: IndexedRoom;
  desired: DesiredState;
  idOf: (alias: string) => string | undefined;
  aliasById: Map<string, string>;
  removable: (userId: string) => boolean;
  prune: boolean;
  actions: PlanAction[];
}

function planRoomFixes(ctx: RoomFixContext): void {
  const { want, have, desired, idOf, aliasById, actions } = ctx;
  const room = want.alias;
  const setState = (
    eventType: string,
    stateKey: string,
    content: Record<string, unknown>,
    label: string,
  ): void => {
    actions.push({ type: 'set-state', room, eventType, stateKey, content, label });
  };
  if (have.name !== want.name)
    setState('m.room.name', '', { name: want.name }, `name → ${want.name}`);
  if (want.unit && canonicalJson(have.unit) !== canonicalJson(want.unit))
    setState(UNIT_STATE_EVENT, '', { ...want.unit }, 'unit record');
  if (want.roomState && canonicalJson(have.roomState) !== canonicalJson(want.roomState)) {
    setState(UNIT_ROOM_STATE_EVENT, '', { ...want.roomState }, 'unit-room record');
  }
  if (!have.encrypted)
    setState('m.room.encryption', '', { algorithm: 'm.megolm.v1.aes-sha2' }, 'enable encryption');
  if (have.historyVisibility !== MANAGED_HISTORY_VISIBILITY) {
    setState(
      'm.room.history_visibility',
      '',
      { history_visibility: MANAGED_HISTORY_VISIBILITY },
      'history visibility',
    );
  }
  const wantRule = want.allow.length > 0 ? 'restricted' : 'invite';
  const allowIds = want.allow.map(idOf);
  const allowKnown = allowIds.every((id) => id !== undefined);
  if (
    have.joinRule !== wantRule ||
    (wantRule === 'restricted' && (!allowKnown || !sameSet(have.allow, allowIds as string[])))
  ) {
    actions.push({ type: 'set-join-rules', room, allow: want.allow });
  }
  if (!powerLevelsMatch(want.powerLevels, have.powerLevels)) {
    // Merge over the current content so keys provisioning does not manage (e.g. `historical`) survive.
    setState(
      'm.room.power_levels',
      '',
      { ...(have.powerLevels ?? {}), ...want.powerLevels },
      'power levels',
    );
  }
  const parentId = want.parent === undefined ? undefined : idOf(want.parent);
  if (want.parent !== undefined && (parentId === undefined || !have.parents.has(parentId))) {
    actions.push({ type: 'link-parent', room, parent: want.parent });
  }
  for (const p of have.parents) {
    if (p !== parentId && aliasById.has(p))
      actions.push({ type: 'unlink', room, eventType: 'm.space.parent', target: p });
  }
  if (want.kind === 'space') {
    const childIds = new Set(
      want.children.map(idOf).filter((id): id is string => id !== undefined),
    );
    for (const c of [...have.children].sort()) {
      // A link to a managed room the spec places elsewhere goes; one to an extra room stays unless pruning.
      const childAlias = aliasById.get(c);
      if (
        childIds.has(c) ||
        childAlias === undefined ||
        (!desired.rooms.has(childAlias) && !ctx.prune)
      )
        continue;
      actions.push({ type: 'unlink', room, eventType: 'm.space.child', target: c });
    }
    for (const [userId, info] of want.memberInfo) {
      if (canonicalJson(have.memberInfo.get(userId)) !== canonicalJson(info)) {
        setState(
          UNIT_MEMBER_STATE_EVENT,
          unitMemberStateKey(userId),
          { ...info },
          `${userId} roles/position`,
        );
      }
    }
    for (const userId of [...have.memberInfo.keys()].sort()) {
      if (!want.memberInfo.has(userId) && ctx.removable(userId))
        setState(
          UNIT_MEMBER_STATE_EVENT,
          unitMemberStateKey(userId),
          {},
          `${userId} leaves the unit`,
        );
    }
  }
  for (const userId of want.members) {
    if (have.membership.get(userId) !== 'join') actions.push({ type: 'join', room, userId });
  }
  const wanted = new Set(want.members);
  for (const userId of presentMembers(have).sort()) {
    if (wanted.has(userId) || userId === desired.adminUserId || !ctx.removable(userId)) continue;
    if (mayJoinFromAncestor(desired, userId, want.unitCode)) continue;
    actions.push({
      type: 'kick',
      room,
      userId,
      reason: 'not a member of this unit in the org spec',
    });
  }
}

/** Whether a user may stay in a unit's rooms as a member of an ancestor unit (allowAncestors). */
function mayJoinFromAncestor(desired: DesiredState, userId: string, unitCode: string): boolean {
  const user = desired.users.get(userId);
  if (!user || desired.allowAncestors.get(unitCode) !== true) return false;
  return ancestorCodes(desired.tree, unitCode).includes(user.unitCode);
}
