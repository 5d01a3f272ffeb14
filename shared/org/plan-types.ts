/**
 * A provisioning plan: the writes that take the server from its snapshot to the desired state.
 * Managed rooms are named by alias localpart, because rooms created by the plan have no ID yet.
 */

/** One write. Every action is idempotent against the server state it was planned from. */
export type PlanAction =
  | { type: 'create-user'; userId: string; displayName: string }
  | { type: 'set-display-name'; userId: string; displayName: string; from?: string }
  | { type: 'create-room'; room: string; kind: string; name: string; depth: number }
  | {
      type: 'set-state';
      room: string;
      eventType: string;
      stateKey: string;
      content: Record<string, unknown>;
      label: string;
    }
  | { type: 'set-join-rules'; room: string; allow: string[] }
  /** `m.space.child` in `parent` pointing at `child` (both aliases). */
  | { type: 'link-child'; parent: string; child: string }
  /** `m.space.parent` in `room` pointing at `parent` (both aliases). */
  | { type: 'link-parent'; room: string; parent: string }
  /** Empties a `m.space.child`/`m.space.parent` link in `room` to a room known only by ID. */
  | { type: 'unlink'; room: string; eventType: 'm.space.child' | 'm.space.parent'; target: string }
  | { type: 'join'; room: string; userId: string }
  | { type: 'kick'; room: string; userId: string; reason: string }
  /** Prune only: removes a managed room's alias so its unit code is free again. */
  | { type: 'retire-room'; room: string; roomId: string }
  /** Prune only: deactivates a managed user who is no longer in the spec. */
  | { type: 'deactivate-user'; userId: string };

/** Action type names. */
export type PlanActionType = PlanAction['type'];

/** The result of planning. */
export interface OrgPlan {
  actions: PlanAction[];
  /** Problems that stop an apply (e.g. a spec user deactivated on the server). */
  conflicts: string[];
  /** Managed rooms on the server that the spec does not mention (removed only with prune). */
  extraRooms: string[];
  /** Managed users on the server that the spec does not mention (deactivated only with prune). */
  extraUsers: string[];
}

/** Counts of actions by type. */
export function summarizePlan(plan: OrgPlan): Partial<Record<PlanActionType, number>> {
  const counts: Partial<Record<PlanActionType, number>> = {};
  for (const a of plan.actions) counts[a.type] = (counts[a.type] ?? 0) + 1;
  return counts;
}

/**
 * The managed rooms (aliases) a plan writes to, or `'every room'` when an action changes rooms it
 * does not name: deactivating a user takes them out of every room they are in. Accounts and display
 * names are not room writes (the planner compares no member event's display name).
 */
export function roomsWrittenBy(plan: OrgPlan): ReadonlySet<string> | 'every room' {
  const rooms = new Set<string>();
  for (const a of plan.actions) {
    switch (a.type) {
      case 'create-user':
      case 'set-display-name':
        break;
      case 'deactivate-user':
        return 'every room';
      case 'link-child':
        rooms.add(a.parent);
        break;
      default:
        rooms.add(a.room);
    }
  }
  return rooms;
}

/**
 * Whether an action only creates or fills new objects: it creates a new user, writes to a new room
 * (creation, settings, memberships), or links a new room into its existing parent Space. An
 * incremental change (a county added) must plan nothing else.
 *
 * @param newRooms - Aliases of the rooms the change adds.
 * @param newUsers - Matrix IDs of the users the change adds.
 */
export function isAboutNewObjects(
  a: PlanAction,
  newRooms: ReadonlySet<string>,
  newUsers: ReadonlySet<string>,
): boolean {
  switch (a.type) {
    case 'create-user':
      return newUsers.has(a.userId);
    case 'link-child':
      return newRooms.has(a.child);
    case 'create-room':
    case 'join':
      return newRooms.has(a.room);
    default:
      return false;
  }
}
