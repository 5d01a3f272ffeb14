import type { Room } from 'matrix-js-sdk';

/**
 * The name a user gave themselves in a room (their `m.room.member` displayname there), if any and
 * not just their Matrix ID. Everyone in a room can read it, residents included, who cannot read the
 * staff directory.
 */
export function roomMemberName(room: Room, userId: string): string | undefined {
  const name = room.getMember(userId)?.rawDisplayName?.trim();
  return name && name !== userId ? name : undefined;
}

/**
 * How the sender of a circular is named beside it (docs/trust.md, "Who and when"):
 * - known to the directory: its name, with the Matrix ID (as staff have always seen it);
 * - else, for a trusted circular, the sender's name in the room and the issuing unit the room
 *   vouched for, e.g. `赵振华 · 桃花村` (what residents see);
 * - else, for a circular not trusted, the name in the room and the Matrix ID, since that name is
 *   only the sender's own claim;
 * - the bare Matrix ID only when no name is known at all.
 */
export function senderLabel(p: {
  senderId: string;
  directoryName?: string | undefined;
  roomName?: string | undefined;
  /** The issuing unit of a trusted circular; absent for one not trusted. */
  unitName?: string | undefined;
}): string {
  if (p.directoryName) return `${p.directoryName}（${p.senderId}）`;
  if (!p.roomName) return p.senderId;
  return p.unitName ? `${p.roomName} · ${p.unitName}` : `${p.roomName}（${p.senderId}）`;
}
