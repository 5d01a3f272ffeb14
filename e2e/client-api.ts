import type { TestHomeserver, TestUser } from '../homeserver/testing';

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

/**
 * Creates an end-to-end encrypted private room named `name` that `member` is invited to and joins,
 * as two colleagues' clients would; returns its id.
 */
export async function createSharedEncryptedRoom(
  baseUrl: string,
  creator: Pick<TestUser, 'accessToken'>,
  member: Pick<TestUser, 'accessToken' | 'userId'>,
  name: string,
): Promise<string> {
  const room = await clientApi(baseUrl, creator, 'POST', '/createRoom', {
    name,
    preset: 'private_chat',
    invite: [member.userId],
    initial_state: [
      { type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
    ],
  });
  const roomId = String(room['room_id']);
  await clientApi(baseUrl, member, 'POST', `/join/${encodeURIComponent(roomId)}`, {});
  return roomId;
}

/**
 * Registers two colleagues with `password` and gives them a shared encrypted room named `roomName`
 * (what provisioning does for a unit): the directory lists people who share a room.
 */
export async function registerColleagues(
  hs: Pick<TestHomeserver, 'baseUrl' | 'registerUser'>,
  password: string,
  people: [{ username: string; displayName: string }, { username: string; displayName: string }],
  roomName: string,
): Promise<{ creator: TestUser; member: TestUser; roomId: string }> {
  const creator = await hs.registerUser({ ...people[0], password });
  const member = await hs.registerUser({ ...people[1], password });
  const roomId = await createSharedEncryptedRoom(hs.baseUrl, creator, member, roomName);
  return { creator, member, roomId };
}
