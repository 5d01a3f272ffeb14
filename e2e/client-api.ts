import type { TestUser } from '../homeserver/testing';

/**
 * Calls the client-server API as `user`, the way any Matrix client could: the tests set up rooms
 * and play ordinary users' moves with it. Throws with the status and body on an error.
 */
export async function clientApi(
  baseUrl: string,
  user: Pick<TestUser, 'accessToken'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}/_matrix/client/v3${path}`, {
    method,
    headers: { Authorization: `Bearer ${user.accessToken}`, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}
