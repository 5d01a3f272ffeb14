/**
 * Who takes part in key grants for a notice room, and how the messages travel: Olm-encrypted
 * to-device messages, each encrypted to exactly the devices named.
 */
import { EventType, type MatrixClient, type Room } from 'matrix-js-sdk';
import type { Device } from 'matrix-js-sdk';
import { roomCreatorOf } from '../matrix/room-creator';
import { rustCryptoInternals } from '../matrix/rust-crypto-internals';
import { circularLevel, isWorkRoom } from '../matrix/unit-room';

/** The users who may post circulars in the room (its issuers), from the current power levels. */
export function roomIssuers(room: Room): string[] {
  const pl = room.currentState.getStateEvents(EventType.RoomPowerLevels, '')?.getContent() ?? {};
  const users = (pl['users'] ?? {}) as Record<string, unknown>;
  const required = circularLevel(room);
  if (required <= 0) return [];
  return Object.entries(users)
    .filter(([, level]) => typeof level === 'number' && level >= required)
    .map(([userId]) => userId);
}

/**
 * The users who may hand out the room's circular keys: its issuers (any of their devices in the
 * room holds the keys as a member) and the room's creator (the org's key custodian, if deployed).
 */
export function roomGranters(room: Room): Set<string> {
  const granters = new Set(roomIssuers(room));
  const creator = roomCreatorOf(room);
  if (creator) granters.add(creator);
  return granters;
}

/**
 * Who may hand out the key of one event: in a notice room its granters (above); in a unit's work
 * room the message's sender (their devices created the session) and the room's creator (the
 * custodian). Other members hold the session too, but are not trusted to hand it out.
 */
export function eventGranters(room: Room, senderId: string): Set<string> {
  if (!isWorkRoom(room)) return roomGranters(room);
  const granters = new Set([senderId]);
  const creator = roomCreatorOf(room);
  if (creator) granters.add(creator);
  return granters;
}

/** Sends one payload to the given devices, Olm-encrypted to each, through the SDK's to-device queue. */
export async function sendEncryptedToDevices(
  client: MatrixClient,
  eventType: string,
  devices: readonly { userId: string; deviceId: string }[],
  payload: Record<string, unknown>,
): Promise<void> {
  const crypto = client.getCrypto();
  if (!crypto || devices.length === 0) return;
  const batch = await crypto.encryptToDeviceMessages(eventType, [...devices], payload);
  if (batch.batch.length > 0) await client.queueToDevice(batch);
}

/**
 * The device of `userId` whose Curve25519 key is `curveKey`, i.e. the device that sent an Olm
 * message. A device that signed in moments ago may not be in this client's cache yet: then the
 * user's device list is fetched again (once per call).
 */
export async function findSendingDevice(
  client: MatrixClient,
  userId: string,
  curveKey: string,
): Promise<Device | undefined> {
  const crypto = client.getCrypto();
  if (!crypto) return undefined;
  const look = async () => {
    const devices = (await crypto.getUserDeviceInfo([userId], true)).get(userId);
    return [...(devices?.values() ?? [])].find((d) => d.getIdentityKey() === curveKey);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await look();
    if (found) return found;
    await settleDeviceLists(client);
  }
  return look();
}

/**
 * Lets the crypto layer run its pending device-list queries now. The server announces a user's
 * new device in the same sync that may carry the device's first message; the query for it is
 * pending until the SDK's next turn.
 */
async function settleDeviceLists(client: MatrixClient): Promise<void> {
  const manager = rustCryptoInternals(client)?.outgoingRequestsManager;
  if (manager) await manager.doProcessOutgoingRequests().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
}
