/**
 * What a room's state says about its place in the org, read at the adapter level: which kind of
 * managed room it is (`cn.hongyan.unit_room`) and who may post in it (power levels). Chat, the
 * timeline binder and the circulars feature all ask these questions of a room.
 */
import { EventType, type Room } from 'matrix-js-sdk';
import { UNIT_ROOM_STATE_EVENT } from '../../../shared/matrix-types';

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
 * A user's power level, read from the room's current power levels. (The SDK's per-event member
 * object reports 0 for members not yet lazy-loaded, so it cannot be trusted for this check.)
 * Current levels mean a circular from an issuer who was later demoted shows as unauthorised, which
 * errs on the safe side.
 */
export function userLevel(room: Room, userId: string): number {
  const pl = room.currentState.getStateEvents(EventType.RoomPowerLevels, '')?.getContent() ?? {};
  const users = (pl['users'] ?? {}) as Record<string, unknown>;
  const own = users[userId];
  if (typeof own === 'number') return own;
  return typeof pl['users_default'] === 'number' ? pl['users_default'] : 0;
}

/** Whether a user may post circulars (and anything else but acks) in a notice room. */
export function canIssueIn(room: Room, userId: string): boolean {
  const required = circularLevel(room);
  return required > 0 && userLevel(room, userId) >= required;
}
