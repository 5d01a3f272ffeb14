/**
 * The members' side of the large-room benchmark: each member is a light client (no SDK client, an
 * in-memory OlmMachine where one is kept). They prove delivery by their to-device inboxes, and read
 * and acknowledge the circular the way the app's recipients would.
 */
import {
  DecryptionSettings,
  DeviceLists,
  RoomId,
  TrustRequirement,
  type OlmMachine,
} from '@matrix-org/matrix-sdk-crypto-wasm';
import type { TestHomeserver } from '../homeserver/testing';
import { buildAckContent } from '../shared/circular/ack';
import { circularDigest } from '../shared/circular/content-digest';
import type { Circular } from '../shared/circular/types';
import { runBounded } from '../shared/concurrency';
import { ACK_EVENT, CIRCULAR_MSGTYPE } from '../shared/matrix-types';
import { api, sendEncryptedFor, toDeviceInbox } from './light-clients';

/** Devices that decrypt the circular themselves (the rest show they hold the key share). */
export const DECRYPT_SAMPLE = 5;

/** A member's account and device; `machine` is kept for the decrypting sample and those who ack. */
export interface LightMember {
  userId: string;
  deviceId: string;
  accessToken: string;
  machine?: OlmMachine;
}

/**
 * Checks that every member's device holds the issuer's key share of each circular, and that each
 * member with a machine decrypts every circular to its title. Throws naming how many fell short.
 */
export async function verifyKeyDelivery(params: {
  hs: TestHomeserver;
  members: readonly LightMember[];
  roomId: string;
  issuerId: string;
  circulars: readonly { title: string; eventId: string }[];
}): Promise<void> {
  const { hs, members, roomId, issuerId, circulars } = params;
  let delivered = 0;
  await runBounded({
    items: members,
    concurrency: 16,
    fn: async (m) => {
      const inbox = await toDeviceInbox(hs, m);
      const shares = inbox.filter(
        (e) => e['type'] === 'm.room.encrypted' && e['sender'] === issuerId,
      ).length;
      if (shares >= circulars.length) delivered += 1;
      if (!m.machine) return;
      await m.machine.receiveSyncChanges(
        JSON.stringify(inbox),
        new DeviceLists(),
        new Map(),
        new Set(),
      );
      for (const c of circulars) {
        const raw = await api<unknown>(
          hs,
          m.accessToken,
          'GET',
          `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(c.eventId)}`,
        );
        const decrypted = await m.machine.decryptRoomEvent(
          JSON.stringify(raw),
          new RoomId(roomId),
          new DecryptionSettings(TrustRequirement.Untrusted),
        );
        const content = (JSON.parse(decrypted.event) as { content: Record<string, unknown> })
          .content[CIRCULAR_MSGTYPE] as { title?: string } | undefined;
        if (content?.title !== c.title)
          throw new Error(`${m.userId} decrypted something else than the circular`);
      }
    },
  });
  if (delivered !== members.length)
    throw new Error(
      `room keys of all ${circulars.length} circulars reached ${delivered} of ${members.length} devices`,
    );
}

/**
 * Every second member marks the circular read, and every fourth (those with a machine) acknowledges
 * it, encrypted with the key shared with the issuer only.
 */
export async function readAndAcknowledge(params: {
  hs: TestHomeserver;
  members: readonly LightMember[];
  roomId: string;
  eventId: string;
  issuerId: string;
  circular: Circular;
}): Promise<void> {
  const { hs, members, roomId, eventId, issuerId, circular } = params;
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`;
  await runBounded({
    items: members,
    concurrency: 16,
    fn: async (m, i) => {
      if (i % 2 !== 0) return;
      await api(
        hs,
        m.accessToken,
        'POST',
        `${path}/receipt/m.read/${encodeURIComponent(eventId)}`,
        {},
      );
      if (i % 4 === 0 && m.machine)
        await sendEncryptedFor(hs, m, m.machine, {
          roomId,
          reader: issuerId,
          type: ACK_EVENT,
          txnId: `ack-${i}`,
          content: buildAckContent({
            circularId: circular.id,
            eventId,
            contentSha256: circularDigest(circular),
            note: '收到',
          }),
        });
    },
  });
}
