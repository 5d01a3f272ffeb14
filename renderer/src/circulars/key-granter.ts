/**
 * The granting side of key grants: a device that holds a circular's Megolm session (an issuer's
 * device in the notice room, or the org's key custodian) answers a recipient device's request,
 * under the rules of shared/circular/key-grant.ts. Runs in the app and in the Node custodian.
 */
import { Method, type MatrixClient } from 'matrix-js-sdk';
import type { ReceivedToDeviceMessage } from 'matrix-js-sdk/lib/sync-accumulator.js';
import {
  buildKeyGrant,
  buildKeyRefusal,
  decideGrant,
  KEY_GRANT_EVENT,
  KEY_REFUSAL_EVENT,
  parseKeyRequest,
  type ExportedSessionKey,
  type GrantDecision,
  type KeyRequest,
} from '../../../shared/circular/key-grant';
import { rustCryptoInternals } from '../matrix/rust-crypto-internals';
import { readCircularEvent } from './circular-events';
import { isWorkRoom } from '../matrix/unit-room';
import { findSendingDevice, sendEncryptedToDevices } from './key-grant-peers';

/** One request this device answered or turned down (for the dashboard and logs). */
export interface HandledRequest {
  userId: string;
  deviceId: string;
  request: KeyRequest;
  decision: GrantDecision;
  at: number;
}

interface ContextState {
  state?: { type: string; state_key?: string; content?: { membership?: string } }[];
}

/** The user's membership in the room at the event (the state the event was sent in). */
async function membershipAt(
  client: MatrixClient,
  roomId: string,
  eventId: string,
  userId: string,
): Promise<string | undefined> {
  const path = `/rooms/${encodeURIComponent(roomId)}/context/${encodeURIComponent(eventId)}`;
  const res = await client.http.authedRequest<ContextState>(Method.Get, path, { limit: '0' });
  const ev = (res.state ?? []).find((s) => s.type === 'm.room.member' && s.state_key === userId);
  return ev?.content?.membership;
}

/** The event as this device decrypts it, or undefined when it cannot. */
async function decryptedEvent(client: MatrixClient, roomId: string, eventId: string) {
  const room = client.getRoom(roomId);
  if (!room || room.getMyMembership() !== 'join') return undefined;
  const raw = await client.fetchRoomEvent(roomId, eventId);
  const event = client.getEventMapper()(raw);
  await client.decryptEventIfNeeded(event);
  if (event.isDecryptionFailure() || event.isEncrypted() === false) return undefined;
  const sessionId = String(event.getWireContent()['session_id'] ?? '');
  return {
    sessionId,
    isCircular: readCircularEvent(room, event)?.kind === 'circular',
    inWorkRoom: isWorkRoom(room),
  };
}

/**
 * Whether this device's timeline shows an event of `sessionId` before `userId` last joined the
 * room: handing out that session would open messages sent before the join. (Clients start a new
 * session when someone joins a work room, and before each circular, so this normally never holds;
 * a join outside the loaded timeline leaves the membership check at the event as the rule.)
 */
function sessionPredatesJoin(
  client: MatrixClient,
  roomId: string,
  sessionId: string,
  userId: string,
): boolean {
  const events = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  let joinAt = -1;
  events.forEach((e, i) => {
    if (e.getType() === 'm.room.member' && e.getStateKey() === userId)
      if (e.getContent()['membership'] === 'join' && e.getPrevContent()['membership'] !== 'join')
        joinAt = i;
  });
  return events
    .slice(0, Math.max(joinAt, 0))
    .some((e) => e.getWireContent()['session_id'] === sessionId);
}

/** The one session exported from this device's store, or undefined if it does not hold it. */
async function exportSession(
  client: MatrixClient,
  roomId: string,
  sessionId: string,
): Promise<ExportedSessionKey | undefined> {
  const machine = rustCryptoInternals(client)?.olmMachine;
  const json = machine?.exportRoomKeys
    ? await machine.exportRoomKeys(
        (s) => s.sessionId === sessionId && s.roomId.toString() === roomId,
      )
    : JSON.stringify(await client.getCrypto()?.exportRoomKeys());
  const all = JSON.parse(json) as ExportedSessionKey[];
  return all.find((k) => k.room_id === roomId && k.session_id === sessionId);
}

/**
 * Answers key requests arriving at this device. Everything it checks comes from the homeserver's
 * signed device lists, the Olm channel and the room's own history; none of it from the request's
 * claims alone.
 */
export class KeyGranter {
  /** Recent decisions, newest last (bounded). */
  readonly handled: HandledRequest[] = [];
  private readonly listeners = new Set<(h: HandledRequest) => void>();

  constructor(private readonly client: MatrixClient) {}

  /** Calls `fn` after each decision; returns the unsubscribe function. */
  onHandled(fn: (h: HandledRequest) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Handles one received to-device message if it is a key request; ignores anything else. */
  async receive(payload: ReceivedToDeviceMessage): Promise<void> {
    const { message, encryptionInfo } = payload;
    const parsed = parseKeyRequest(message.content);
    // Only over Olm: a plaintext to-device message proves nothing about who sent it.
    if (!encryptionInfo || !parsed.ok) return;
    const userId = encryptionInfo.sender;
    if (userId === this.client.getUserId()) return;
    const request = parsed.request;
    const device = await findSendingDevice(
      this.client,
      userId,
      encryptionInfo.senderCurve25519KeyBase64,
    );
    const crypto = this.client.getCrypto();
    if (!crypto) return;
    const hasIdentity = device ? await crypto.userHasCrossSigningKeys(userId, true) : false;
    const status = device
      ? await crypto.getDeviceVerificationStatus(userId, device.deviceId)
      : null;
    const event = await decryptedEvent(this.client, request.roomId, request.eventId).catch(
      () => undefined,
    );
    const membershipBefore = event
      ? await membershipAt(this.client, request.roomId, request.eventId, userId).catch(
          () => undefined,
        )
      : undefined;
    const decision = decideGrant({
      request,
      requester: {
        userId,
        deviceKnown: device !== undefined,
        hasIdentity,
        crossSigned: status?.signedByOwner ?? false,
      },
      ...(event ? { event } : {}),
      ...(membershipBefore ? { membershipBefore } : {}),
      sessionPredatesJoin: sessionPredatesJoin(
        this.client,
        request.roomId,
        request.sessionId,
        userId,
      ),
    });
    let final = decision;
    if (device && decision.kind === 'grant') {
      const key = await exportSession(this.client, request.roomId, request.sessionId);
      if (key) {
        const to = [{ userId, deviceId: device.deviceId }];
        await sendEncryptedToDevices(
          this.client,
          KEY_GRANT_EVENT,
          to,
          buildKeyGrant({ ...request, key }),
        );
      } else final = { kind: 'silent', why: 'session not held' };
    } else if (device && decision.kind === 'refuse') {
      const to = [{ userId, deviceId: device.deviceId }];
      await sendEncryptedToDevices(
        this.client,
        KEY_REFUSAL_EVENT,
        to,
        buildKeyRefusal({ ...request, reason: decision.reason }),
      );
    }
    const handled = {
      userId,
      deviceId: device?.deviceId ?? encryptionInfo.senderDevice ?? '',
      request,
      decision: final,
      at: Date.now(),
    };
    this.handled.push(handled);
    if (this.handled.length > 1000) this.handled.splice(0, this.handled.length - 1000);
    for (const fn of this.listeners) fn(handled);
  }
}
