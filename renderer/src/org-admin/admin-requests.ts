/**
 * Sending admin requests from the app and following their results. A request is a state event in
 * the admin's unit Space; the org agent answers it under the same state key (docs/org-admin.md).
 */
import { useMemo } from 'react';
import { ClientEvent, RoomStateEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import {
  ADMIN_AGENT_EVENT,
  ADMIN_REQUEST_EVENT,
  ADMIN_RESULT_EVENT,
} from '../../../shared/matrix-types';
import {
  parseAdminRequest,
  parseAdminResult,
  parseAgentKey,
  type AdminRequest,
  type AdminRequestRecord,
  type AgentKeyContent,
} from '../../../shared/org/admin-requests';
import { listen, unsubscribeAll } from '../matrix/listen';
import { sendSpaceRequest } from '../matrix/space-request';
import type { AppState } from '../store/app-store';
import { useAppStore } from '../store/store-context';

export type { AdminRequestRecord } from '../../../shared/org/admin-requests';

/** Sends an admin request; the server refuses it (403) unless the sender has the unit admins' power (90) in the Space. */
export function sendAdminRequest(
  client: MatrixClient,
  spaceId: string,
  request: AdminRequest,
): Promise<string> {
  return sendSpaceRequest(client, spaceId, ADMIN_REQUEST_EVENT, request);
}

/** The org agent's key published in a Space, or undefined when no agent has announced itself there. */
export function readAgentKey(client: MatrixClient, spaceId: string): AgentKeyContent | undefined {
  const ev = client.getRoom(spaceId)?.currentState.getStateEvents(ADMIN_AGENT_EVENT, '');
  return ev ? parseAgentKey(ev.getContent()) : undefined;
}

/** The requests in the given Spaces, newest first. */
export function readAdminRequests(
  client: MatrixClient,
  spaceIds: readonly string[],
): AdminRequestRecord[] {
  const out: AdminRequestRecord[] = [];
  for (const spaceId of spaceIds) {
    const state = client.getRoom(spaceId)?.currentState;
    if (!state) continue;
    for (const ev of state.getStateEvents(ADMIN_REQUEST_EVENT)) {
      const requestId = ev.getStateKey() ?? '';
      const content = ev.getContent();
      const result = parseAdminResult(
        state.getStateEvents(ADMIN_RESULT_EVENT, requestId)?.getContent(),
      );
      const redacted = Object.keys(content).length === 0;
      // An emptied request without an answer was never run; with an answer, the agent redacted the
      // sealed password it carried, and the answer still belongs in the log.
      if (redacted && !result) continue;
      const parsed = parseAdminRequest(content);
      out.push({
        spaceId,
        requestId,
        sender: ev.getSender() ?? '',
        sentAt: ev.getTs(),
        ...(parsed.ok ? { request: parsed.request } : {}),
        ...(result ? { result } : {}),
        ...(redacted ? { redacted: true as const } : {}),
      });
    }
  }
  return out.sort((a, b) => b.sentAt - a.sentAt);
}

/**
 * Keeps `adminRequests` in the store current: the requests and the agent's answers in every room
 * that holds any, re-read when such a state event arrives. Views select the Spaces they show.
 * Returns the function that stops it.
 */
export function bindAdminRequests(client: MatrixClient, store: StoreApi<AppState>): () => void {
  const refresh = (roomId: string) => {
    const records = readAdminRequests(client, [roomId]);
    const known = store.getState().adminRequests[roomId];
    if (records.length === 0 && !known) return;
    store.getState().setAdminRequests(roomId, records);
  };
  const onState = (event: MatrixEvent) => {
    const type = event.getType();
    if (type === ADMIN_REQUEST_EVENT || type === ADMIN_RESULT_EVENT)
      refresh(event.getRoomId() ?? '');
  };
  for (const room of client.getRooms()) refresh(room.roomId);
  return unsubscribeAll([
    listen(client, RoomStateEvent.Events, onState),
    // A Space joined later, or whose state arrived before this binder: read it once it is known.
    listen(client, ClientEvent.Room, (room) => refresh(room.roomId)),
  ]);
}

/** The requests in the given Spaces, newest first (plain data from the store). */
export function useAdminRequests(spaceIds: readonly string[]): AdminRequestRecord[] {
  const all = useAppStore((s) => s.adminRequests);
  return useMemo(
    () => spaceIds.flatMap((id) => all[id] ?? []).sort((a, b) => b.sentAt - a.sentAt),
    [all, spaceIds],
  );
}
