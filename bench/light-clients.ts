/**
 * Cheap stand-ins for thousands of recipients: users registered through the admin API, each with one
 * device whose identity and one-time keys are uploaded by an in-memory OlmMachine, so a sender's
 * client really claims keys and shares room keys with every device, without a full client each.
 */
import {
  DeviceId,
  EncryptionSettings,
  OlmMachine,
  RequestType,
  RoomId,
  UserId,
  type KeysClaimRequest,
  type KeysQueryRequest,
  type ToDeviceRequest,
} from '@matrix-org/matrix-sdk-crypto-wasm';
import type { TestHomeserver } from '../homeserver/testing';
import { ACK_EVENT, UNIT_ROOM_STATE_EVENT } from '../shared/matrix-types';

/** One JSON request to the homeserver with an access token; throws with the status on failure. */
export async function api<T>(
  hs: TestHomeserver,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${hs.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${method} ${path.split('?')[0]}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/**
 * Gives the user's device identity and one-time keys, as a client's first start would. With `keep`
 * the OlmMachine is returned (the caller closes it) so it can later decrypt what reaches the device;
 * otherwise it is discarded after the upload.
 */
export async function uploadDeviceKeys(
  hs: TestHomeserver,
  user: { userId: string; deviceId: string; accessToken: string },
  keep = false,
): Promise<OlmMachine | undefined> {
  const machine = await OlmMachine.initialize(new UserId(user.userId), new DeviceId(user.deviceId));
  try {
    for (const request of await machine.outgoingRequests()) {
      if (request.type !== RequestType.KeysUpload) continue;
      const response = await api<unknown>(
        hs,
        user.accessToken,
        'POST',
        '/_matrix/client/v3/keys/upload',
        JSON.parse(request.body as string),
      );
      await machine.markRequestAsSent(request.id as string, request.type, JSON.stringify(response));
    }
  } catch (err) {
    machine.close();
    throw err;
  }
  if (keep) return machine;
  machine.close();
  return undefined;
}

/** The to-device events waiting for a member's device (rooms filtered out: none of their state). */
export async function toDeviceInbox(
  hs: TestHomeserver,
  m: { accessToken: string },
): Promise<Record<string, unknown>[]> {
  const filter = encodeURIComponent(
    JSON.stringify({
      room: { rooms: [] },
      presence: { types: [] },
      account_data: { types: [] },
    }),
  );
  const res = await api<{ to_device?: { events?: Record<string, unknown>[] } }>(
    hs,
    m.accessToken,
    'GET',
    `/_matrix/client/v3/sync?timeout=0&filter=${filter}`,
  );
  return res.to_device?.events ?? [];
}

type Member = { userId: string; accessToken: string };

/** Sends one of the machine's key requests to the homeserver and reports the answer back to it. */
async function sendKeyRequest(
  hs: TestHomeserver,
  m: Member,
  machine: OlmMachine,
  request: KeysQueryRequest | KeysClaimRequest | ToDeviceRequest,
): Promise<void> {
  const toDevice = request as ToDeviceRequest;
  const [method, path] =
    request.type === RequestType.KeysQuery
      ? ['POST', '/_matrix/client/v3/keys/query']
      : request.type === RequestType.KeysClaim
        ? ['POST', '/_matrix/client/v3/keys/claim']
        : [
            'PUT',
            `/_matrix/client/v3/sendToDevice/${encodeURIComponent(toDevice.event_type)}/${encodeURIComponent(toDevice.txn_id)}`,
          ];
  const response = await api(hs, m.accessToken, method, path, JSON.parse(request.body));
  await machine.markRequestAsSent(request.id, request.type, JSON.stringify(response));
}

/**
 * Sends an end-to-end encrypted room event from a light client, with its room key shared only with
 * `reader`'s devices (the one who must read it, e.g. the issuer reading acknowledgments): the event is
 * as encrypted as a full client's, without the cost of sharing a key with the whole room.
 */
export async function sendEncryptedFor(
  hs: TestHomeserver,
  m: Member,
  machine: OlmMachine,
  opts: { roomId: string; reader: string; type: string; content: unknown; txnId: string },
): Promise<void> {
  // A UserId passed in an array moves into Rust: each call gets its own.
  const reader = () => new UserId(opts.reader);
  const roomId = new RoomId(opts.roomId);
  await machine.updateTrackedUsers([reader()]);
  for (const request of await machine.outgoingRequests())
    if (request.type === RequestType.KeysQuery)
      await sendKeyRequest(hs, m, machine, request as KeysQueryRequest);
  const claim = await machine.getMissingSessions([reader()]);
  if (claim) await sendKeyRequest(hs, m, machine, claim);
  for (const share of await machine.shareRoomKey(roomId, [reader()], new EncryptionSettings()))
    await sendKeyRequest(hs, m, machine, share);
  const encrypted = await machine.encryptRoomEvent(roomId, opts.type, JSON.stringify(opts.content));
  await api(
    hs,
    m.accessToken,
    'PUT',
    `/_matrix/client/v3/rooms/${encodeURIComponent(opts.roomId)}/send/m.room.encrypted/${opts.txnId}`,
    JSON.parse(encrypted),
  );
}

/**
 * The `createRoom` body of an encrypted unit room as provisioning makes it: the unit's room state,
 * the creator at power 100, and the public join rule so the admin join API can add members without
 * invites. `powerLevels` are the room's other power-level settings.
 */
export function unitRoomBody(
  creatorId: string,
  room: { unitCode: string; kind: string; name: string },
  powerLevels: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    preset: 'public_chat',
    name: room.name,
    initial_state: [
      {
        type: 'm.room.encryption',
        state_key: '',
        content: { algorithm: 'm.megolm.v1.aes-sha2' },
      },
      {
        type: UNIT_ROOM_STATE_EVENT,
        state_key: '',
        content: { unitCode: room.unitCode, kind: room.kind },
      },
    ],
    power_level_content_override: { ...powerLevels, users: { [creatorId]: 100 } },
  };
}

/** Creates an encrypted unit room (see {@link unitRoomBody}) and returns its ID. */
export async function createUnitRoom(
  hs: TestHomeserver,
  creator: { userId: string; accessToken: string },
  room: { unitCode: string; kind: string; name: string },
  powerLevels: Record<string, unknown> = {},
): Promise<string> {
  const { room_id } = await api<{ room_id: string }>(
    hs,
    creator.accessToken,
    'POST',
    '/_matrix/client/v3/createRoom',
    unitRoomBody(creator.userId, room, powerLevels),
  );
  return room_id;
}

/** Creates an encrypted unit notice room as provisioning would: issuer-only posts, members may ack. */
export function createNoticeRoom(
  hs: TestHomeserver,
  issuer: { userId: string; accessToken: string },
  unit: { code: string; name: string },
): Promise<string> {
  return createUnitRoom(
    hs,
    issuer,
    { unitCode: unit.code, kind: 'notice', name: `${unit.name} 通知公告` },
    { events_default: 50, events: { [ACK_EVENT]: 0, 'm.room.encrypted': 0 } },
  );
}
