/**
 * Unread counts per org unit for the org tree: a unit's own rooms (notice, work, departments) add up
 * to its own count, and every node shows the total over its subtree.
 */
import { sumOverSubtrees } from './org-tree';
import type { OrgTree } from './org-tree';
import type { UnitRooms } from './org-view';

/** A unit's unread count: its own rooms' and its whole subtree's. */
export interface UnitUnread {
  own: number;
  total: number;
}

/** Room IDs of a unit's rooms that carry messages (the Space itself carries none). */
export function unitRoomIds(rooms: UnitRooms | undefined): string[] {
  if (!rooms) return [];
  return [
    ...(rooms.noticeRoomId ? [rooms.noticeRoomId] : []),
    ...(rooms.workRoomId ? [rooms.workRoomId] : []),
    ...rooms.departments.map((d) => d.roomId),
  ];
}

/**
 * Rolls unread counts up the tree in one pass.
 *
 * @param opts.roomsByUnit - Each unit's rooms (from the org view).
 * @param opts.unreadByRoom - Unread count of each joined room; rooms not listed count 0.
 * @returns Own and subtree totals for every unit of the tree.
 */
export function rollupUnread(opts: {
  tree: OrgTree;
  roomsByUnit: Readonly<Record<string, UnitRooms>>;
  unreadByRoom: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}): Map<string, UnitUnread> {
  const unreadOf = (roomId: string): number =>
    (opts.unreadByRoom instanceof Map
      ? opts.unreadByRoom.get(roomId)
      : (opts.unreadByRoom as Readonly<Record<string, number>>)[roomId]) ?? 0;
  const own = new Map<string, number>();
  for (const code of opts.tree.preorder) {
    const n = unitRoomIds(opts.roomsByUnit[code]).reduce((sum, id) => sum + unreadOf(id), 0);
    own.set(code, n);
  }
  const totals = sumOverSubtrees(opts.tree, { valueOf: own });
  const out = new Map<string, UnitUnread>();
  for (const code of opts.tree.preorder)
    out.set(code, { own: own.get(code) ?? 0, total: totals.get(code) ?? 0 });
  return out;
}
