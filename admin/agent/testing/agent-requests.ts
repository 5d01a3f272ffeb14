/**
 * Test helpers that act as a unit admin's client would towards the org agent: sign in over bare
 * HTTP, file a request in a Space, read state, and wait (long-polling sync, no sleeps) for results.
 */
import { ADMIN_REQUEST_EVENT, ADMIN_RESULT_EVENT } from '../../../shared/matrix-types';
import { parseAdminResult, type AdminResultContent } from '../../../shared/org/admin-requests';
import { MatrixApiError, seg, SynapseClient } from '../../synapse-client';

/** Signs a user in with their password and returns a client with the new token. */
export async function loginAs(
  baseUrl: string,
  username: string,
  password: string,
): Promise<SynapseClient> {
  const anon = new SynapseClient({ baseUrl, token: '' });
  const res = await anon.request<{ access_token: string }>('POST', '/_matrix/client/v3/login', {
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: username }, password },
  });
  return new SynapseClient({ baseUrl, token: res.access_token });
}

/** A room's current state event content, or undefined when there is none. */
export async function readState(
  client: SynapseClient,
  roomId: string,
  type: string,
  key: string,
): Promise<unknown> {
  try {
    return await client.get(
      `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(type)}/${seg(key)}`,
    );
  } catch (err) {
    if (err instanceof MatrixApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** Files an admin request (a state event under its id) in a Space. */
export async function putAdminRequest(
  client: SynapseClient,
  roomId: string,
  requestId: string,
  content: object,
): Promise<void> {
  await client.request(
    'PUT',
    `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(ADMIN_REQUEST_EVENT)}/${seg(requestId)}`,
    { body: content },
  );
}

/** Waits for the agent's result of a request, following the room with a filtered sync. */
export async function waitForResult(
  client: SynapseClient,
  roomId: string,
  requestId: string,
): Promise<AdminResultContent> {
  const filter = JSON.stringify({
    room: { rooms: [roomId], timeline: { types: [ADMIN_RESULT_EVENT] } },
  });
  let since: string | undefined;
  for (let i = 0; i < 60; i += 1) {
    const result = parseAdminResult(await readState(client, roomId, ADMIN_RESULT_EVENT, requestId));
    if (result) return result;
    const res = await client.get<{ next_batch: string }>('/_matrix/client/v3/sync', {
      filter,
      timeout: since === undefined ? 0 : 5000,
      ...(since === undefined ? {} : { since }),
    });
    since = res.next_batch;
  }
  throw new Error(`no result for ${requestId}`);
}
