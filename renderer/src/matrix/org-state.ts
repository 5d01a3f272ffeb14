import type { MatrixClient, Room } from 'matrix-js-sdk';
import {
  UNIT_MEMBER_STATE_EVENT,
  UNIT_ROOM_STATE_EVENT,
  UNIT_STATE_EVENT,
} from '../../../shared/matrix-types';
import { buildOrgView, type JoinedRoomState } from '../../../shared/org/org-view';
import type { StateEventRecord } from '../../../shared/org/snapshot';
import { trustAnchorOf } from './trust-anchor';

/** State types the org view reads; everything else in a room's state is irrelevant to it. */
export const ORG_STATE_TYPES = [
  'm.room.create',
  'm.room.canonical_alias',
  UNIT_STATE_EVENT,
  UNIT_ROOM_STATE_EVENT,
  UNIT_MEMBER_STATE_EVENT,
] as const;

/** Reads one joined room's org-relevant current state as plain records. */
export function readOrgState(room: Room): JoinedRoomState {
  const state = room.currentState;
  const records: StateEventRecord[] = [];
  for (const type of ORG_STATE_TYPES) {
    for (const ev of state.getStateEvents(type)) {
      records.push({
        type,
        state_key: ev.getStateKey() ?? '',
        content: ev.getContent(),
        sender: ev.getSender() ?? '',
      });
    }
  }
  return { roomId: room.roomId, state: records };
}

/** Builds the org view from every joined room of the client, trusting only managed rooms. */
export function readOrgView(client: MatrixClient) {
  return buildOrgView(
    client
      .getRooms()
      .filter((r) => r.getMyMembership() === 'join')
      .map(readOrgState),
    trustAnchorOf(client).provisioningAccounts,
  );
}
