/**
 * Sending admin requests from the app and following their results. A request is a state event in
 * the admin's unit Space; the org agent answers it under the same state key (docs/org-admin.md).
 */
import { useEffect, useMemo, useState } from 'react';
import { Method, RoomStateEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
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
  type AdminResultContent,
  type AgentKeyContent,
} from '../../../shared/org/admin-requests';

/** One request in a Space, as the admin view lists it. */
export interface AdminRequestRecord {
  spaceId: string;
  requestId: string;
  sender: string;
  sentAt: number;
  /** The parsed request, or undefined when its content is malformed. */
  request?: AdminRequest;
  /** The agent's answer; undefined while pending. */
  result?: AdminResultContent;
}

/** A new request id: time-ordered, and unique enough that two admins never collide. */
export function newRequestId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `${Date.now().toString(36)}-${random}`;
}

/** Sends a request; the server refuses it (403) unless the sender has the unit admins' power (90) in the Space. */
export async function sendAdminRequest(
  client: MatrixClient,
  spaceId: string,
  request: AdminRequest,
): Promise<string> {
  const requestId = newRequestId();
  // A raw PUT: the SDK's typed state-event map does not know custom event types.
  const path = `/rooms/${encodeURIComponent(spaceId)}/state/${encodeURIComponent(ADMIN_REQUEST_EVENT)}/${encodeURIComponent(requestId)}`;
  await client.http.authedRequest(Method.Put, path, undefined, request);
  return requestId;
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
      if (Object.keys(content).length === 0) continue;
      const parsed = parseAdminRequest(content);
      const result = parseAdminResult(
        state.getStateEvents(ADMIN_RESULT_EVENT, requestId)?.getContent(),
      );
      out.push({
        spaceId,
        requestId,
        sender: ev.getSender() ?? '',
        sentAt: ev.getTs(),
        ...(parsed.ok ? { request: parsed.request } : {}),
        ...(result ? { result } : {}),
      });
    }
  }
  return out.sort((a, b) => b.sentAt - a.sentAt);
}

/** The requests in the given Spaces, kept current as requests and results arrive. */
export function useAdminRequests(
  client: MatrixClient,
  spaceIds: readonly string[],
): AdminRequestRecord[] {
  const key = spaceIds.join('\n');
  // Bumped by the listener; the records are re-read from the client's state on each change.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const ids = key === '' ? [] : key.split('\n');
    const onState = (event: MatrixEvent) => {
      const type = event.getType();
      if (
        (type === ADMIN_REQUEST_EVENT || type === ADMIN_RESULT_EVENT) &&
        ids.includes(event.getRoomId() ?? '')
      )
        setVersion((n) => n + 1);
    };
    client.on(RoomStateEvent.Events, onState);
    return () => {
      client.off(RoomStateEvent.Events, onState);
    };
  }, [client, key]);
  return useMemo(
    () => readAdminRequests(client, key === '' ? [] : key.split('\n')),
    // `version` is the change signal; the data itself lives in the client.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, key, version],
  );
}
