/**
 * The recipient's side of key grants: finds circular copies this device cannot decrypt, asks the
 * room's granters for their sessions (Olm-encrypted to-device requests), imports the sessions it
 * is granted after checking who granted them, and keeps what it knows for the inbox's honest
 * "已送达，等待密钥" state.
 */
import type { MatrixClient, MatrixEvent, Room } from 'matrix-js-sdk';
import type { ReceivedToDeviceMessage } from 'matrix-js-sdk/lib/sync-accumulator.js';
import {
  acceptGrant,
  buildKeyRequest,
  KEY_GRANT_EVENT,
  KEY_REFUSAL_EVENT,
  KEY_REQUEST_EVENT,
  parseKeyGrant,
  parseKeyRefusal,
  type RefusalReason,
} from '../../../shared/circular/key-grant';
import { circularLevel, isNoticeRoom, isWorkRoom, unitCodeOfRoom } from '../matrix/unit-room';
import { eventGranters, findSendingDevice, sendEncryptedToDevices } from './key-grant-peers';

/** A copy that arrived but cannot be decrypted on this device yet. */
export interface AwaitingKey {
  /** A circular in a notice room, or a message in a unit's work room (new staff's history). */
  kind: 'circular' | 'chat';
  roomId: string;
  eventId: string;
  sessionId: string;
  senderId: string;
  ts: number;
  unitCode: string;
  /** A granter's definite refusal, if one came (e.g. this device is not yet verified). */
  refused?: RefusalReason;
}

/** Delays between requests for one copy: soon, then ever more patiently (to-device waits for offline granters anyway). */
const RETRY_MS = [0, 15_000, 60_000, 300_000, 1_800_000, 3_600_000];

interface Asked {
  requestId: string;
  attempts: number;
  nextAt: number;
  refused?: RefusalReason;
}

/**
 * A Megolm-encrypted message the device could not decrypt, sent after the user's join: in a notice
 * room by someone who may post circulars there (a circular or a reminder waiting for its key); in
 * a work room by any other member. Before the user's own join they were never a recipient, so
 * nothing is asked.
 */
function awaitingIn(room: Room, me: string): AwaitingKey[] {
  const work = isWorkRoom(room);
  const required = work ? 0 : circularLevel(room);
  const pl = room.currentState.getStateEvents('m.room.power_levels', '')?.getContent() ?? {};
  const levels = (pl['users'] ?? {}) as Record<string, unknown>;
  const out: AwaitingKey[] = [];
  const events = room.getLiveTimeline().getEvents();
  // The user's join (not a later profile change, which is join → join).
  const isJoin = (e: MatrixEvent) =>
    e.getType() === 'm.room.member' &&
    e.getStateKey() === me &&
    e.getContent()['membership'] === 'join' &&
    e.getPrevContent()['membership'] !== 'join';
  const joinedAt = lastIndex(events, isJoin);
  // A join outside the loaded timeline: the state's member event, if it is the join, dates it.
  const stateJoin = room.currentState.getStateEvents('m.room.member', me);
  const joinTs = joinedAt < 0 && stateJoin && isJoin(stateJoin) ? stateJoin.getTs() : 0;
  events.forEach((e, i) => {
    const sender = e.getSender();
    const eventId = e.getId();
    if (!e.isDecryptionFailure() || !sender || !eventId || sender === me) return;
    if (i < joinedAt || e.getTs() < joinTs) return;
    if (!work && (required <= 0 || Number(levels[sender] ?? -1) < required)) return;
    const sessionId = e.getWireContent()['session_id'];
    if (typeof sessionId !== 'string') return;
    out.push({
      kind: work ? 'chat' : 'circular',
      roomId: room.roomId,
      eventId,
      sessionId,
      senderId: sender,
      ts: e.getTs(),
      unitCode: unitCodeOfRoom(room) ?? '',
    });
  });
  return out;
}

function lastIndex(events: MatrixEvent[], pred: (e: MatrixEvent) => boolean): number {
  for (let i = events.length - 1; i >= 0; i--) if (pred(events[i]!)) return i;
  return -1;
}

function newRequestId(): string {
  return globalThis.crypto.randomUUID();
}

/** Asks for and imports the keys of circulars this device cannot read. */
export class KeyRequester {
  private readonly asked = new Map<string, Asked>();
  private readonly byRequestId = new Map<string, AwaitingKey>();

  constructor(private readonly client: MatrixClient) {}

  /** The messages in the user's notice and work rooms this device cannot decrypt, with any refusal. */
  awaiting(): AwaitingKey[] {
    const me = this.client.getSafeUserId();
    const out: AwaitingKey[] = [];
    for (const room of this.client.getRooms()) {
      if (room.getMyMembership() !== 'join' || !(isNoticeRoom(room) || isWorkRoom(room))) continue;
      for (const a of awaitingIn(room, me)) {
        const refused = this.asked.get(a.eventId)?.refused;
        if (refused === 'not_recipient' || refused === 'not_circular') continue;
        out.push(refused ? { ...a, refused } : a);
      }
    }
    return out;
  }

  /**
   * Sends a request for every waiting copy that is due (see {@link RETRY_MS}), to every device of
   * the room's granters. Returns the number of requests sent.
   */
  async requestDue(now = Date.now()): Promise<number> {
    let sent = 0;
    for (const a of this.awaiting()) {
      const prev = this.asked.get(a.eventId);
      if (prev && prev.nextAt > now) continue;
      const room = this.client.getRoom(a.roomId);
      if (!room) continue;
      const attempts = (prev?.attempts ?? 0) + 1;
      const requestId = prev?.requestId ?? newRequestId();
      this.asked.set(a.eventId, {
        requestId,
        attempts,
        nextAt: now + RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)]!,
      });
      this.byRequestId.set(requestId, a);
      await this.sendRequest(room, a.senderId, {
        requestId,
        roomId: a.roomId,
        eventId: a.eventId,
        sessionId: a.sessionId,
      });
      sent++;
    }
    return sent;
  }

  /** Asks again at once for copies a granter refused for this device (it has been verified since). */
  retryRefused(): void {
    for (const asked of this.asked.values())
      if (asked.refused === 'unverified_device') {
        delete asked.refused;
        asked.nextAt = 0;
      }
  }

  private async sendRequest(
    room: Room,
    senderId: string,
    request: Parameters<typeof buildKeyRequest>[0],
  ): Promise<void> {
    const crypto = this.client.getCrypto();
    if (!crypto) return;
    const me = this.client.getSafeUserId();
    const users = [...eventGranters(room, senderId)].filter((u) => u !== me);
    const devices = await crypto.getUserDeviceInfo(users, true);
    const targets = [...devices].flatMap(([userId, map]) =>
      [...map.keys()].map((deviceId) => ({ userId, deviceId })),
    );
    await sendEncryptedToDevices(this.client, KEY_REQUEST_EVENT, targets, buildKeyRequest(request));
  }

  /**
   * Handles a grant or refusal addressed to this device. A grant is imported only if this device
   * asked for exactly that session and the sender may hold the room's keys; the SDK then decrypts
   * the waiting events by itself. Returns what happened, for logs and tests.
   */
  async receive(payload: ReceivedToDeviceMessage): Promise<'imported' | 'refused' | 'ignored'> {
    const { message, encryptionInfo } = payload;
    if (!encryptionInfo) return 'ignored';
    const refusal = parseKeyRefusal(message.content);
    if (message.type === KEY_REFUSAL_EVENT && refusal.ok) {
      const waiting = this.byRequestId.get(refusal.refusal.requestId);
      const asked = waiting && this.asked.get(waiting.eventId);
      if (!asked || !this.mayGrant(waiting, encryptionInfo.sender)) return 'ignored';
      asked.refused = refusal.refusal.reason;
      return 'refused';
    }
    const parsed = parseKeyGrant(message.content);
    if (message.type !== KEY_GRANT_EVENT || !parsed.ok) return 'ignored';
    const grant = parsed.grant;
    const waiting = this.byRequestId.get(grant.requestId);
    const asked =
      waiting !== undefined &&
      waiting.roomId === grant.roomId &&
      waiting.eventId === grant.eventId &&
      waiting.sessionId === grant.sessionId;
    const device = await findSendingDevice(
      this.client,
      encryptionInfo.sender,
      encryptionInfo.senderCurve25519KeyBase64,
    );
    const senderKey = this.client
      .getRoom(grant.roomId)
      ?.findEventById(grant.eventId)
      ?.getWireContent()['sender_key'];
    const verdict = acceptGrant({
      grant,
      granter: {
        userId: encryptionInfo.sender,
        deviceKnown: device !== undefined,
        entitled: waiting !== undefined && this.mayGrant(waiting, encryptionInfo.sender),
      },
      asked,
      ...(typeof senderKey === 'string' ? { eventSenderKey: senderKey } : {}),
    });
    if (!verdict.ok) {
      console.warn(`[key grants] ignored a grant for ${grant.eventId}: ${verdict.why}`);
      return 'ignored';
    }
    await this.client.getCrypto()?.importRoomKeys([grant.key]);
    this.byRequestId.delete(grant.requestId);
    return 'imported';
  }

  private mayGrant(waiting: AwaitingKey, userId: string): boolean {
    const room = this.client.getRoom(waiting.roomId);
    return room !== null && eventGranters(room, waiting.senderId).has(userId);
  }
}
