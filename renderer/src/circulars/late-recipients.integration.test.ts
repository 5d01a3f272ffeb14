/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
import { MsgType } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateCircular } from '../../../shared/circular/aggregate';
import { ACK_EVENT } from '../../../shared/matrix-types';
import { unreadWithKey } from '../../../shared/circular/awaiting-key';
import { withAwaitingKeys } from './awaiting-key-recipients';
import type { Circular } from '../../../shared/circular/types';
import type { RefusalReason } from '../../../shared/circular/key-grant';
import type { OrgView } from '../../../shared/org/org-view';
import { passwordAuth } from '../matrix/crypto-setup';
import { waitForClient } from '../matrix/wait-for';
import { acknowledgeCircular, directAckSender } from './acknowledge';
import { collectDashboardInput, DashboardCache, type CopyRef } from './collect-dashboard';
import { FanOutRunner } from './fan-out-runner';
import { MemoryFanOutStore } from './fan-out-store';
import { prepareCircular, saveFanOut } from './issue';
import type { HandledRequest } from './key-granter';
import { keyGrants } from './key-grants';
import { requestKeyDirectly } from './testing/direct-key-request';
import {
  FIXTURE_PASSWORD,
  provisionCircularOrg,
  signInFixtureUser,
  UNITS,
  USERS,
  waitForCopy,
  waitForOrg,
  type SignedIn,
} from '../../../testing/org-fixture';
import { startTestHomeserver, type TestHomeserver } from '../../../homeserver/testing';
import { draftToCities } from '../../../testing/circular-drafts';
import { startKeyCustodian, type KeyCustodian } from './key-custodian';
import type { SealedStore } from './custodian-seal';

// Recipients whose devices did not exist when the circular was sent obtain its key from an issuer
// device (real Synapse, Rust crypto in Node, Olm-encrypted to-device grants).
let hs: TestHomeserver;
const signedIn: SignedIn[] = [];
let sendingDevice: SignedIn;
let otherIssuerDevice: SignedIn;
let c1a: SignedIn;
let org: OrgView;
let circular: Circular;
let copies: CopyRef[];
let earlier: string;
let custodian: KeyCustodian;
/** The custodian's sealed sessions (a file in a deployment). */
let sealedBytes: Uint8Array | undefined;
const sealedStore: SealedStore = {
  load: () => Promise.resolve(sealedBytes),
  save: (bytes) => {
    sealedBytes = bytes;
    return Promise.resolve();
  },
};
const SEAL_PASSPHRASE = 'operator passphrase, not on disk';

const userId = (username: string) => `@${username}:${hs.serverName}`;

async function signIn(username: string, grants = true): Promise<SignedIn> {
  const s = await signInFixtureUser(hs, username);
  signedIn.push(s);
  if (grants) keyGrants(s.client).start();
  return s;
}

/** Resolves with the first decision the granter makes about `user`'s requests. */
function decisionFor(granter: SignedIn, user: string): Promise<HandledRequest> {
  const service = keyGrants(granter.client);
  const seen = service.handled.find((h) => h.userId === user);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const off = service.granter.onHandled((h) => {
      if (h.userId !== user) return;
      off();
      resolve(h);
    });
  });
}

/** What the issuer's dashboard reads now, fetched afresh from the sending device. */
function dashboardInput(): ReturnType<typeof collectDashboardInput> {
  return collectDashboardInput({
    client: sendingDevice.client,
    circular,
    copies,
    cache: new DashboardCache(),
    refetchAcks: true,
    now: Date.now(),
  });
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  await provisionCircularOrg(hs);
  sendingDevice = await signIn(USERS.issuer);
  otherIssuerDevice = await signIn(USERS.issuer);
  c1a = await signIn(USERS.c1a);
  // c1a has a cross-signing identity: a new device of theirs must be cross-signed to get keys.
  await c1a.client.getCrypto()?.bootstrapCrossSigning({
    setupNewCrossSigning: true,
    authUploadDeviceSigningKeys: passwordAuth(c1a.client, FIXTURE_PASSWORD),
  });
  // The org's key custodian runs on a device of the provisioning account (the rooms' creator).
  custodian = await startKeyCustodian({
    homeserverUrl: hs.baseUrl,
    userId: hs.admin.userId,
    password: hs.admin.password,
    sealed: { store: sealedStore, passphrase: SEAL_PASSPHRASE },
  });
  org = await waitForOrg(sendingDevice.client, [UNITS.city1, UNITS.city2, UNITS.city3]);
  // An earlier message in city 2's notice room: the circular must not share its session.
  const city2Room = org.roomsByUnit[UNITS.city2]?.noticeRoomId ?? '';
  earlier = (
    await sendingDevice.client.sendMessage(city2Room, { msgtype: MsgType.Text, body: '会前通知' })
  ).event_id;
  const prepared = await prepareCircular({
    client: sendingDevice.client,
    org,
    draft: draftToCities('关于开展安全生产大检查的通知', {
      ackDeadline: Date.now() + 3 * 86_400_000,
      body: '各市人民政府：\n\n请于本周内完成自查。',
    }),
  });
  circular = prepared.circular;
  const store = new MemoryFanOutStore();
  await saveFanOut({ store, prepared, senderId: sendingDevice.client.getSafeUserId() });
  const runner = new FanOutRunner({ client: sendingDevice.client, store, circularId: circular.id });
  expect(await runner.run()).toMatchObject({ sent: 3, done: true });
  copies = (runner.current?.plan.entries ?? []).map((e) => ({
    roomId: e.roomId,
    unitCode: e.unitCode,
    eventId: e.state.kind === 'sent' ? e.state.eventId : '',
  }));
  // The other issuer device holds the sessions as a member of the rooms.
  await waitForCopy(otherIssuerDevice.client, circular.id);
});

afterAll(async () => {
  await custodian?.stop();
  for (const s of signedIn) {
    keyGrants(s.client).stop();
    await s.manager.stop();
  }
  await hs?.dispose();
});

describe('late recipients obtain a circular’s key (real Synapse, Rust crypto in Node)', () => {
  it('shows recipients who never signed in as waiting for the key, apart from unread', async () => {
    const input = await dashboardInput();
    const agg = await withAwaitingKeys(sendingDevice.client, aggregateCircular(input));
    const waiting = agg.recipients.filter((r) => r.awaitingKey).map((r) => r.userId);
    expect(waiting.sort()).toEqual(
      [USERS.c1b, USERS.c2a, USERS.c2b, USERS.c3a, USERS.c3b].map(userId).sort(),
    );
    // c1a has a device that received the key: merely unread.
    expect(agg.recipients.find((r) => r.userId === userId(USERS.c1a))).toMatchObject({
      status: 'unread',
    });
    expect(agg.awaitingKey).toBe(5);
    expect(unreadWithKey(agg)).toBe(1);
  });

  it('a recipient signing in for the first time after the send reads it, acknowledges, and is counted', async () => {
    const late = await signIn(USERS.c2b);
    const { event } = await waitForCopy(late.client, circular.id);
    await acknowledgeCircular({
      send: directAckSender(late.client),
      roomId: event.getRoomId() ?? '',
      eventId: event.getId() ?? '',
      circular,
    });
    // The issuer's dashboard counts them once their ack has reached the issuer's device.
    const room = sendingDevice.client.getRoom(event.getRoomId() ?? '');
    await waitForClient(sendingDevice.client, 'the late recipient’s ack', () =>
      room
        ?.getLiveTimeline()
        .getEvents()
        .some((e) => e.getType() === ACK_EVENT && e.getSender() === userId(USERS.c2b))
        ? true
        : undefined,
    );
    const input = await dashboardInput();
    const byUser = aggregateCircular(input);
    expect(byUser.recipients.find((r) => r.userId === userId(USERS.c2b))?.status).toBe(
      'acknowledged',
    );
    expect(byUser.totals.acknowledged).toBe(1);
    // The granted session starts at the circular: the message before it stays closed.
    const city2 = copies.find((c) => c.unitCode === UNITS.city2)!;
    const before = late.client.getEventMapper()(
      await late.client.fetchRoomEvent(city2.roomId, earlier),
    );
    await late.client.decryptEventIfNeeded(before);
    expect(before.isDecryptionFailure()).toBe(true);
    expect(before.getWireContent()['session_id']).not.toBe(event.getWireContent()['session_id']);
  });

  it('is served by another issuer device while the sending device is offline', async () => {
    keyGrants(sendingDevice.client).stop();
    await sendingDevice.manager.stop();
    const served = decisionFor(otherIssuerDevice, userId(USERS.c3b));
    const late = await signIn(USERS.c3b);
    await waitForCopy(late.client, circular.id);
    expect((await served).decision).toEqual({ kind: 'grant' });
  });

  it('never gives the key to someone who joined after the send, even when they ask directly', async () => {
    const city1 = copies.find((c) => c.unitCode === UNITS.city1)!;
    const res = await fetch(
      `${hs.baseUrl}/_synapse/admin/v1/join/${encodeURIComponent(city1.roomId)}`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${hs.admin.accessToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ user_id: userId(USERS.county) }),
      },
    );
    expect(res.status).toBe(200);
    const joiner = await signIn(USERS.county);
    await waitForClient(joiner.client, 'the joined notice room', () =>
      joiner.client.getRoom(city1.roomId)?.getMyMembership() === 'join' ? true : undefined,
    );
    // The app asks for nothing it was never a recipient of; an attacker's client asks anyway.
    const wire = (await sendingDeviceWire(city1)) ?? '';
    const decided = decisionFor(otherIssuerDevice, userId(USERS.county));
    await requestKeyDirectly(joiner.client, otherIssuerDevice.client, {
      requestId: 'attack-1',
      roomId: city1.roomId,
      eventId: city1.eventId,
      sessionId: wire,
    });
    expect((await decided).decision).toEqual({ kind: 'refuse', reason: 'not_recipient' });
    const event = await joiner.client.fetchRoomEvent(city1.roomId, city1.eventId);
    const mapped = joiner.client.getEventMapper()(event);
    await joiner.client.decryptEventIfNeeded(mapped);
    expect(mapped.isDecryptionFailure()).toBe(true);
  });

  it('grants a new device of a recipient with a cross-signing identity only once it is cross-signed', async () => {
    const refusals: RefusalReason[] = [];
    const granter = keyGrants(otherIssuerDevice.client).granter;
    const off = granter.onHandled((h) => {
      if (h.userId === userId(USERS.c1a) && h.decision.kind === 'refuse')
        refusals.push(h.decision.reason);
    });
    const second = await signIn(USERS.c1a);
    const service = keyGrants(second.client);
    await waitForClient(second.client, 'a refusal for the unverified device', () =>
      service.requester.awaiting().some((a) => a.refused === 'unverified_device')
        ? true
        : undefined,
    );
    expect(refusals).toContain('unverified_device');
    // The user verifies the new device from the first one (what SAS or the recovery key does).
    await c1a.client.getCrypto()?.crossSignDevice(second.client.getDeviceId() ?? '');
    await waitForCopy(second.client, circular.id);
    off();
  });

  it('is served by the org’s key custodian while every issuer device is offline', async () => {
    keyGrants(otherIssuerDevice.client).stop();
    await otherIssuerDevice.manager.stop();
    const late = await signIn(USERS.c3a);
    await waitForCopy(late.client, circular.id);
    expect(custodian.handled()).toContainEqual(
      expect.objectContaining({ userId: userId(USERS.c3a), decision: { kind: 'grant' } }),
    );
  });
});

describe('the key custodian across a restart (sealed sessions)', () => {
  it('still serves a circular sent before its restart, from sessions sealed under the passphrase', async () => {
    await custodian.stop();
    const city1 = copies.find((c) => c.unitCode === UNITS.city1)!;
    const wire = (await sendingDeviceWire(city1)) ?? '';
    expect(sealedBytes).toBeDefined();
    // Sealed: neither the session ids nor the JSON of the export appear in the stored bytes.
    const stored = new TextDecoder('latin1').decode(sealedBytes);
    expect(stored).not.toContain(wire);
    expect(stored).not.toContain('session_key');
    custodian = await startKeyCustodian({
      homeserverUrl: hs.baseUrl,
      userId: hs.admin.userId,
      password: hs.admin.password,
      sealed: { store: sealedStore, passphrase: SEAL_PASSPHRASE },
    });
    // Every issuer device is offline (above); the restarted custodian is a new device.
    const late = await signIn(USERS.c1b);
    await waitForCopy(late.client, circular.id);
    expect(custodian.handled()).toContainEqual(
      expect.objectContaining({ userId: userId(USERS.c1b), decision: { kind: 'grant' } }),
    );
  });
});

/** The Megolm session id of a copy, read from the event as the server stores it. */
async function sendingDeviceWire(copy: CopyRef): Promise<string | undefined> {
  const raw = await otherIssuerDevice.client.fetchRoomEvent(copy.roomId, copy.eventId);
  const content = raw.content as { session_id?: string } | undefined;
  return content?.session_id;
}
