/**
 * Whether a circular comes from where it says, checked on receipt against the managed org view:
 * it must arrive in a managed notice room, and its sender must hold the issuer role in the unit it
 * names as issuer (docs/trust.md). Pure: the renderer passes what the client sees.
 */
import { ROLE_POWER } from '../org/matrix-mapping';
import type { OrgView } from '../org/org-view';

/** Why a well-formed circular is not trusted. */
export type UntrustedReason =
  /** In a room that is not a managed notice room (someone else created it, or its alias is wrong). */
  | 'unmanaged'
  /** The sender holds no issuer role in the issuing unit it names. */
  | 'not_issuer'
  /** Sent in the clear into an encrypted room, which no Hongyan client does. */
  | 'unencrypted';

/** Why a message in a notice room is flagged: it is not a circular members may rely on. */
export type NoticeRoomFlag =
  | 'malformed'
  | 'unauthorised'
  | UntrustedReason
  /** Chat or a fake reminder from someone who may not post in the notice room. */
  | 'member_post';

/** How far a claimed issue time may lie from the server's receipt before it is marked as backdated. */
export const BACKDATE_TOLERANCE_MS = 5 * 60_000;

/** Whether the circular's claimed issue time is earlier than the server received it, beyond tolerance. */
export function isBackdated(issuedAt: number, serverTs: number): boolean {
  return serverTs - issuedAt > BACKDATE_TOLERANCE_MS;
}

/**
 * The power level that makes a sender an issuer in a community's residents' notice room: the
 * issuers' level, which provisioning gives the community's issuers and grid workers there.
 */
export const RESIDENTS_ISSUER_LEVEL = ROLE_POWER.issuer;

/** Whether a room is a community's residents' notice room (群众通知) in the managed org view. */
export function isResidentsNoticeRoom(org: OrgView | null, roomId: string): boolean {
  const unit = org?.unitByRoom[roomId];
  return unit !== undefined && org?.roomsByUnit[unit]?.residentsNoticeRoomId === roomId;
}

/**
 * Whether a room is a managed notice room: a unit's notice room (通知公告) or a community's
 * residents' notice room (群众通知).
 */
export function isManagedNoticeRoom(org: OrgView | null, roomId: string): boolean {
  const unit = org?.unitByRoom[roomId];
  return (
    unit !== undefined &&
    (org?.roomsByUnit[unit]?.noticeRoomId === roomId || isResidentsNoticeRoom(org, roomId))
  );
}

/** The ancestors of a unit the viewer can see, nearest first; the last one may be a code with no visible Space. */
function ancestors(org: OrgView, unitCode: string): { codes: string[]; complete: boolean } {
  const byCode = new Map(org.units.map((u) => [u.code, u]));
  const codes: string[] = [];
  let code = byCode.get(unitCode)?.parentCode;
  while (code !== undefined && !codes.includes(code)) {
    codes.push(code);
    const unit = byCode.get(code);
    if (!unit) return { codes, complete: false };
    code = unit.parentCode;
  }
  return { codes, complete: true };
}

/**
 * Checks a circular's origin.
 *
 * The viewer sees the role records of the Spaces they joined: their own unit's, and those of units
 * below theirs if they issue or administer. Issuers of higher units are members of the notice rooms
 * below at the issuers' power level, without a record there. So:
 * - a sender with an issuer record in the issuing unit is trusted;
 * - if the viewer sees the issuing unit's records and the sender is not an issuer there, or the
 *   sender is a member of the receiving unit (who speaks for it only), the sender is not an issuer;
 * - otherwise the issuing unit must be an ancestor of the receiving unit (as far as the viewer can
 *   tell), and the server's power levels, which only provisioning sets, vouch for the sender.
 *
 * A community's residents' notice room is read by residents, who cannot read the unit Space and so
 * see no role records at all. There the room's power levels alone vouch: the circular must name the
 * community itself as issuer, and its sender must hold {@link RESIDENTS_ISSUER_LEVEL} in the room
 * (`senderLevel`, from the room's current `m.room.power_levels`, which only provisioning sets). The
 * same rule holds for every reader, staff included, so everyone judges such a circular alike.
 */
export function checkCircularOrigin(params: {
  org: OrgView;
  roomId: string;
  sender: string;
  issuingUnitCode: string;
  /** The sender's level in the room's current power levels; needed for residents' notice rooms. */
  senderLevel?: number;
}): { ok: true } | { ok: false; reason: 'unmanaged' | 'not_issuer' } {
  const { org, roomId, sender, issuingUnitCode } = params;
  const roomUnit = org.unitByRoom[roomId];
  if (roomUnit === undefined || !isManagedNoticeRoom(org, roomId))
    return { ok: false, reason: 'unmanaged' };
  if (isResidentsNoticeRoom(org, roomId)) {
    const level = params.senderLevel ?? 0;
    return issuingUnitCode === roomUnit && level >= RESIDENTS_ISSUER_LEVEL
      ? { ok: true }
      : { ok: false, reason: 'not_issuer' };
  }
  const records = org.members.filter((m) => m.userId === sender);
  if (records.some((r) => r.unitCode === issuingUnitCode && r.roles.includes('issuer')))
    return { ok: true };
  const notIssuer = { ok: false, reason: 'not_issuer' } as const;
  if (org.roomsByUnit[issuingUnitCode]?.spaceId !== undefined) return notIssuer;
  if (records.some((r) => r.unitCode === roomUnit)) return notIssuer;
  const above = ancestors(org, roomUnit);
  return above.codes.includes(issuingUnitCode) || !above.complete ? { ok: true } : notIssuer;
}
