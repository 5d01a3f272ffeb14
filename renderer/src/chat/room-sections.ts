import type { OrgView } from '../../../shared/org/org-view';
import type { RoomSummary } from '../store/rooms-slice';

/** The room list's sections, in the order shown: people's own chats before the org's rooms. */
export const ROOM_SECTIONS = ['direct', 'group', 'unit', 'notice'] as const;
export type RoomSection = (typeof ROOM_SECTIONS)[number];

/**
 * Splits the room list (already in recency order) into sections: direct chats, group chats, the
 * org's unit work and department rooms, and last the notice rooms, which circulars also reach
 * through their own view. A user in fifteen notice rooms still finds their chats at the top.
 * Empty sections are left out; each keeps the list's order.
 */
export function roomSections(
  rooms: readonly RoomSummary[],
  org: Pick<OrgView, 'roomsByUnit'> | null,
): { section: RoomSection; rooms: RoomSummary[] }[] {
  const notice = new Set<string>();
  const unit = new Set<string>();
  for (const r of Object.values(org?.roomsByUnit ?? {})) {
    if (r.noticeRoomId) notice.add(r.noticeRoomId);
    if (r.residentsNoticeRoomId) notice.add(r.residentsNoticeRoomId);
    if (r.workRoomId) unit.add(r.workRoomId);
    if (r.residentsRoomId) unit.add(r.residentsRoomId);
    for (const d of r.departments) unit.add(d.roomId);
  }
  const by: Record<RoomSection, RoomSummary[]> = { direct: [], group: [], unit: [], notice: [] };
  for (const room of rooms) {
    const section: RoomSection = notice.has(room.roomId)
      ? 'notice'
      : unit.has(room.roomId)
        ? 'unit'
        : room.isDirect
          ? 'direct'
          : 'group';
    by[section].push(room);
  }
  return ROOM_SECTIONS.filter((s) => by[s].length > 0).map((section) => ({
    section,
    rooms: by[section],
  }));
}
