import { EventType, type Room } from 'matrix-js-sdk';

/**
 * Who created a room: the sender of its create event (room version 11 has no `creator` field). In a
 * managed room that is the provisioning account, a service account that is never a recipient.
 */
export function roomCreatorOf(room: Room | null | undefined): string | undefined {
  return room?.currentState.getStateEvents(EventType.RoomCreate, '')?.getSender() ?? undefined;
}
