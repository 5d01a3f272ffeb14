/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
import { MsgType, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrgSpec } from '../../../admin/apply';
import { startTestHomeserver, type TestHomeserver } from '../../../homeserver/testing';
import { passwordAuth } from '../matrix/crypto-setup';
import { waitForClient } from '../matrix/wait-for';
import type { HandledRequest } from './key-granter';
import { keyGrants } from './key-grants';
import { requestKeyDirectly } from './testing/direct-key-request';
import {
  circularTestSpec,
  FIXTURE_PASSWORD,
  provisionCircularOrg,
  signInFixtureUser,
  UNITS,
  USERS,
  waitForOrg,
  type SignedIn,
} from '../../../testing/org-fixture';

// A person added to a unit by provisioning reads its work room (工作群) from their join on, including
// what colleagues wrote between the join and their first sign-in (keys granted by the senders'
// devices under the key-grant rules); what was said before the join stays closed (real Synapse,
// Rust crypto in Node).
const NEWCOMER = 'qian.new';
let hs: TestHomeserver;
const signedIn: SignedIn[] = [];
let colleague: SignedIn;
let workRoomId: string;
let before: string;
const after: string[] = [];

const userId = (username: string) => `@${username}:${hs.serverName}`;

async function say(client: MatrixClient, body: string): Promise<string> {
  return (await client.sendMessage(workRoomId, { msgtype: MsgType.Text, body })).event_id;
}

/** The body of `eventId` once this client has decrypted it in the room's live timeline. */
function decryptedBody(client: MatrixClient, eventId: string): Promise<string> {
  return waitForClient(client, `decrypted ${eventId}`, () => {
    const e = client.getRoom(workRoomId)?.findEventById(eventId);
    if (!e || e.isEncrypted() === false || e.isDecryptionFailure()) return undefined;
    const body = e.getContent()['body'];
    return typeof body === 'string' ? body : undefined;
  });
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  await provisionCircularOrg(hs);
  colleague = await signInFixtureUser(hs, USERS.c1a);
  signedIn.push(colleague);
  keyGrants(colleague.client).start();
  const org = await waitForOrg(colleague.client, [UNITS.city1]);
  workRoomId = org.roomsByUnit[UNITS.city1]?.workRoomId ?? '';
  await waitForClient(colleague.client, 'the work room', () =>
    colleague.client.getRoom(workRoomId)?.getMyMembership() === 'join' ? true : undefined,
  );
  before = await say(colleague.client, '入职前：本周例会改到周四。');

  // The new colleague is added to the unit by provisioning; they have never signed in.
  const spec = circularTestSpec();
  spec.users.push({
    username: NEWCOMER,
    displayName: '钱新',
    unit: UNITS.city1,
    password: FIXTURE_PASSWORD,
  });
  await applyOrgSpec({ homeserverUrl: hs.baseUrl, adminToken: hs.admin.accessToken, spec });
  await waitForClient(colleague.client, 'the newcomer’s join', () =>
    colleague.client.getRoom(workRoomId)?.getMember(userId(NEWCOMER))?.membership === 'join'
      ? true
      : undefined,
  );
  await keyGrants(colleague.client).whenRotated();
  after.push(await say(colleague.client, '欢迎钱新同志加入。'));
  after.push(await say(colleague.client, '入职材料请于周五前交办公室。'));
});

afterAll(async () => {
  for (const s of signedIn) {
    keyGrants(s.client).stop();
    await s.manager.stop();
  }
  await hs?.dispose();
});

describe('new staff read a work room from their join on (real Synapse, Rust crypto in Node)', () => {
  let newcomer: SignedIn;

  it('provisioning keeps work-room history for members (history_visibility "shared")', () => {
    const state = colleague.client
      .getRoom(workRoomId)
      ?.currentState.getStateEvents('m.room.history_visibility', '');
    expect(state?.getContent()['history_visibility']).toBe('shared');
  });

  it('reads, on the first sign-in, what colleagues wrote after the join and before any device', async () => {
    newcomer = await signInFixtureUser(hs, NEWCOMER);
    signedIn.push(newcomer);
    keyGrants(newcomer.client).start();
    // What the app's first sign-in does: the user's cross-signing identity.
    await newcomer.client.getCrypto()?.bootstrapCrossSigning({
      setupNewCrossSigning: true,
      authUploadDeviceSigningKeys: passwordAuth(newcomer.client, FIXTURE_PASSWORD),
    });
    expect(await decryptedBody(newcomer.client, after[0]!)).toBe('欢迎钱新同志加入。');
    expect(await decryptedBody(newcomer.client, after[1]!)).toBe('入职材料请于周五前交办公室。');
    // Work-room messages waiting for keys are never listed as circulars.
    expect(keyGrants(newcomer.client).requester.awaiting()).toEqual([]);
  });

  it('never opens what was said before the join, even when asked for directly', async () => {
    const raw = await newcomer.client.fetchRoomEvent(workRoomId, before);
    const event = newcomer.client.getEventMapper()(raw);
    await newcomer.client.decryptEventIfNeeded(event);
    expect(event.isDecryptionFailure()).toBe(true);

    const decided = new Promise<HandledRequest>((resolve) => {
      const off = keyGrants(colleague.client).granter.onHandled((h) => {
        if (h.request.eventId !== before) return;
        off();
        resolve(h);
      });
    });
    await requestKeyDirectly(newcomer.client, colleague.client, {
      requestId: 'before-join',
      roomId: workRoomId,
      eventId: before,
      sessionId: String((raw.content as { session_id?: string }).session_id ?? ''),
    });
    expect((await decided).decision).toEqual({ kind: 'refuse', reason: 'not_recipient' });
    // The sessions after the join are new ones: the granted keys cannot open the earlier message.
    const first = newcomer.client.getRoom(workRoomId)?.findEventById(after[0]!);
    expect(first?.getWireContent()['session_id']).not.toBe(
      (raw.content as { session_id?: string }).session_id,
    );
    await newcomer.client.decryptEventIfNeeded(event);
    expect(event.isDecryptionFailure()).toBe(true);
  });
});
