/**
 * Requests to the org agent filed as state events in a Space: unit admins' requests and residents'
 * invitations alike (docs/org-admin.md). The agent answers under the same state key.
 */
import { Method, type MatrixClient } from 'matrix-js-sdk';

/** A new request id: time-ordered, and unique enough that two admins never collide. */
export function newRequestId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `${Date.now().toString(36)}-${random}`;
}

/**
 * Files a request as a state event of `type` in a Space under a new key, which the org agent
 * answers under the same key; resolves to the key. The server refuses it (403) unless the sender's
 * power in the Space reaches the type's level.
 */
export async function sendSpaceRequest(
  client: MatrixClient,
  spaceId: string,
  type: string,
  content: object,
): Promise<string> {
  const requestId = newRequestId();
  // A raw PUT: the SDK's typed state-event map does not know custom event types.
  const path = `/rooms/${encodeURIComponent(spaceId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(requestId)}`;
  await client.http.authedRequest(Method.Put, path, undefined, content);
  return requestId;
}
