/**
 * Reading circulars out of Matrix events: which events count as circulars, and which are
 * circular-shaped but must not be trusted (malformed, or sent by someone without issuer power).
 */
import { EventType, type MatrixEvent, type Room } from 'matrix-js-sdk';
import { parseCircular } from '../../../shared/circular/circular-content';
import type { ParseError } from '../../../shared/circular/parse-result';
import {
  checkCircularOrigin,
  isManagedNoticeRoom,
  type NoticeRoomFlag,
  type UntrustedReason,
} from '../../../shared/circular/origin';
import type { Circular } from '../../../shared/circular/types';
import type { OrgView } from '../../../shared/org/org-view';
import { CIRCULAR_MSGTYPE } from '../../../shared/matrix-types';
import { canIssueIn, circularLevel, isNoticeRoom, userLevel } from '../matrix/unit-room';

/** What an event with the circular msgtype turned out to be. */
export type CircularEventReading =
  | { kind: 'circular'; circular: Circular }
  /** Not a well-formed circular: shown as a plain message with a warning. */
  | { kind: 'malformed'; errors: ParseError[] }
  /** Well-formed, but its sender may not issue circulars in this room: shown as an unauthorised message. */
  | { kind: 'unauthorised'; senderLevel: number; requiredLevel: number; circular: Circular }
  /** Well-formed and sent with the power to post, but not from where it claims (see {@link judgeCircularEvent}). */
  | { kind: 'untrusted'; reason: UntrustedReason; circular: Circular };

/** Whether the (decrypted) event carries the circular msgtype. */
export function hasCircularMsgtype(event: MatrixEvent): boolean {
  return (
    event.getType() === EventType.RoomMessage && event.getContent()['msgtype'] === CIRCULAR_MSGTYPE
  );
}

/**
 * Reads an event as a circular, or undefined when it is not circular-shaped at all (another
 * msgtype, still encrypted, redacted). Never throws on bad content.
 */
export function readCircularEvent(
  room: Room,
  event: MatrixEvent,
): CircularEventReading | undefined {
  if (event.isRedacted() || event.isDecryptionFailure() || !hasCircularMsgtype(event))
    return undefined;
  const parsed = parseCircular(event.getContent());
  if (!parsed.ok) return { kind: 'malformed', errors: parsed.errors };
  const required = circularLevel(room);
  const level = userLevel(room, event.getSender() ?? '');
  // A circular counts only in a notice room and only from someone who may post there.
  if (!isNoticeRoom(room) || level < required || required <= 0) {
    return {
      kind: 'unauthorised',
      senderLevel: level,
      requiredLevel: Math.max(required, 1),
      circular: parsed.circular,
    };
  }
  return { kind: 'circular', circular: parsed.circular };
}

/**
 * Reads an event as a circular and checks its origin against the managed org (docs/trust.md): a
 * circular counts only if it arrived encrypted in an encrypted room, in a managed notice room, from
 * an issuer of the unit it names. Anything else is `untrusted` with the reason; `org` null (not
 * built yet) trusts nothing.
 */
export function judgeCircularEvent(
  room: Room,
  event: MatrixEvent,
  org: OrgView | null,
): CircularEventReading | undefined {
  const reading = readCircularEvent(room, event);
  if (!reading || reading.kind === 'malformed') return reading;
  const circular = reading.circular;
  // Outside the org's own notice rooms nothing else about the message matters.
  if (!org || !isManagedNoticeRoom(org, room.roomId))
    return { kind: 'untrusted', reason: 'unmanaged', circular };
  if (reading.kind === 'unauthorised') return reading;
  if (room.hasEncryptionStateEvent() && !event.isEncrypted())
    return { kind: 'untrusted', reason: 'unencrypted', circular };
  const origin = checkCircularOrigin({
    org,
    roomId: room.roomId,
    sender: event.getSender() ?? '',
    issuingUnitCode: circular.issuingUnit.code,
    senderLevel: userLevel(room, event.getSender() ?? ''),
  });
  return origin.ok ? reading : { kind: 'untrusted', reason: origin.reason, circular };
}

/**
 * The flag of a message in a notice room (docs/trust.md): circular-shaped messages are judged as in
 * the inbox, and anything else from someone below the issuers' level is a member's post, which a
 * notice room is not for (encrypted, the server cannot refuse it). The provisioning account's
 * messages speak for the unit and are not flagged.
 */
export function noticeRoomFlag(
  room: Room,
  event: MatrixEvent,
  org: OrgView | null,
  serviceAccount: string | undefined,
): NoticeRoomFlag | undefined {
  const reading = judgeCircularEvent(room, event, org);
  if (reading) {
    if (reading.kind === 'circular') return undefined;
    return reading.kind === 'untrusted' ? reading.reason : reading.kind;
  }
  const sender = event.getSender() ?? '';
  if (sender === serviceAccount || canIssueIn(room, sender)) return undefined;
  return 'member_post';
}
