/**
 * Reading circulars out of Matrix events: which events count as circulars, and which are
 * circular-shaped but must not be trusted (malformed, or sent by someone without issuer power).
 */
import { EventType, type MatrixEvent, type Room } from 'matrix-js-sdk';
import { parseCircular } from '../../../shared/circular/circular-content';
import type { ParseError } from '../../../shared/circular/parse-result';
import type { Circular } from '../../../shared/circular/types';
import { CIRCULAR_MSGTYPE, UNIT_ROOM_STATE_EVENT } from '../../../shared/matrix-types';

/** What an event with the circular msgtype turned out to be. */
export type CircularEventReading =
  | { kind: 'circular'; circular: Circular }
  /** Not a well-formed circular: shown as a plain message with a warning. */
  | { kind: 'malformed'; errors: ParseError[] }
  /** Well-formed, but its sender may not issue circulars in this room: shown as an unauthorised message. */
  | { kind: 'unauthorised'; senderLevel: number; requiredLevel: number };

/**
 * Whether the room is a notice room, from its `cn.hongyan.unit_room` state: a unit's 通知公告 or a
 * community's residents' notice room (群众通知); circulars and acknowledgments work alike in both.
 */
export function isNoticeRoom(room: Room): boolean {
  const kind: unknown = room.currentState.getStateEvents(UNIT_ROOM_STATE_EVENT, '')?.getContent()[
    'kind'
  ];
  return kind === 'notice' || kind === 'residents_notice';
}

/** Whether the room is a unit's work room (工作群), from its `cn.hongyan.unit_room` state. */
export function isWorkRoom(room: Room): boolean {
  const ev = room.currentState.getStateEvents(UNIT_ROOM_STATE_EVENT, '');
  return ev?.getContent()['kind'] === 'work';
}

/** The unit code of a managed room, from its `cn.hongyan.unit_room` state. */
export function unitCodeOfRoom(room: Room): string | undefined {
  const code = room.currentState.getStateEvents(UNIT_ROOM_STATE_EVENT, '')?.getContent()[
    'unitCode'
  ];
  return typeof code === 'string' ? code : undefined;
}

/**
 * The power level a user needs to post a circular: the level for `m.room.message`, which in a
 * notice room is `events_default` (the issuers' level). In an encrypted room the server sees only
 * `m.room.encrypted`, which members may send (for acks), so the client must enforce this itself.
 */
export function circularLevel(room: Room): number {
  const pl = room.currentState.getStateEvents(EventType.RoomPowerLevels, '')?.getContent() ?? {};
  const events = (pl['events'] ?? {}) as Record<string, unknown>;
  const specific = events[EventType.RoomMessage];
  if (typeof specific === 'number') return specific;
  return typeof pl['events_default'] === 'number' ? pl['events_default'] : 0;
}

/**
 * The sender's power level, read from the room's current power levels. (The SDK's per-event member
 * object reports 0 for members not yet lazy-loaded, so it cannot be trusted for this check.)
 * Current levels mean a circular from an issuer who was later demoted shows as unauthorised, which
 * errs on the safe side.
 */
function senderLevel(room: Room, event: MatrixEvent): number {
  const pl = room.currentState.getStateEvents(EventType.RoomPowerLevels, '')?.getContent() ?? {};
  const users = (pl['users'] ?? {}) as Record<string, unknown>;
  const own = users[event.getSender() ?? ''];
  if (typeof own === 'number') return own;
  return typeof pl['users_default'] === 'number' ? pl['users_default'] : 0;
}

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
  const level = senderLevel(room, event);
  // A circular counts only in a notice room and only from someone who may post there.
  if (!isNoticeRoom(room) || level < required || required <= 0) {
    return { kind: 'unauthorised', senderLevel: level, requiredLevel: Math.max(required, 1) };
  }
  return { kind: 'circular', circular: parsed.circular };
}
