/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
/**
 * Attacks on circulars by ordinary users, against a real Synapse with encrypted notice rooms: each
 * is refused by the server, or shown as untrusted / invalid by the client, and never counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHomeserver, type TestHomeserver } from '../../../homeserver/testing';
import type { Circular } from '../../../shared/circular/types';
import { ACK_EVENT } from '../../../shared/matrix-types';
import type { OrgView } from '../../../shared/org/org-view';
import { acknowledgeCircular, directAckSender } from './acknowledge';
import type { CopyRef } from './collect-dashboard';
import { aggregateUntil } from './testing/aggregate-until';
import { FanOutRunner } from './fan-out-runner';
import { MemoryFanOutStore } from './fan-out-store';
import { prepareCircular, saveFanOut, type CircularDraft } from './issue';
import { sendRawEvent } from './send-raw';
import {
  FIXTURE_PASSWORD,
  provisionCircularOrg,
  signInFixtureUser,
  UNITS,
  USERS,
  waitForCopy,
  waitForOrg,
  type SignedIn,
} from './testing/org-fixture';

let hs: TestHomeserver;
const signedIn: SignedIn[] = [];
let issuer: SignedIn;
let org: OrgView;
const people: Record<string, SignedIn> = {};
const CITIES = [UNITS.city1, UNITS.city2, UNITS.city3];

async function signIn(username: string): Promise<SignedIn> {
  const s = await signInFixtureUser(hs, username);
  signedIn.push(s);
  return s;
}

/** A bare HTTP session of a fixture user: a fresh device that never uploads a key. */
async function bareLogin(username: string): Promise<string> {
  const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username },
      password: FIXTURE_PASSWORD,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** PUTs one event with a bare token, as curl would; returns the HTTP status and body. */
async function bareSend(
  token: string,
  roomId: string,
  type: string,
  content: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const txn = `bare-${crypto.randomUUID()}`;
  const res = await fetch(
    `${hs.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${txn}`,
    {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(content),
    },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const draft = (title: string): CircularDraft => ({
  title,
  docNumber: '示府办〔2026〕9号',
  issuingUnit: { code: UNITS.province, name: '示范省人民政府办公厅' },
  urgency: 'extra_urgent',
  ackRequired: true,
  ackDeadline: Date.now() + 86_400_000,
  noForward: false,
  body: '各市人民政府：\n\n请立即签收。',
  targets: [{ unitCode: UNITS.province, scope: 'level', level: 'city' }],
  attachments: [],
});

/** Issues a circular to the three cities and returns it with its copies. */
async function issue(title: string): Promise<{ circular: Circular; copies: CopyRef[] }> {
  const prepared = await prepareCircular({ client: issuer.client, org, draft: draft(title) });
  const store = new MemoryFanOutStore();
  await saveFanOut({ store, prepared, senderId: issuer.client.getSafeUserId() });
  const runner = new FanOutRunner({
    client: issuer.client,
    store,
    circularId: prepared.circular.id,
  });
  expect(await runner.run()).toMatchObject({ sent: 3, done: true });
  const record = await store.get(prepared.circular.id);
  const copies = (record?.plan.entries ?? []).map((e) => ({
    roomId: e.roomId,
    unitCode: e.unitCode,
    eventId: e.state.kind === 'sent' ? e.state.eventId : '',
  }));
  return { circular: prepared.circular, copies };
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  await provisionCircularOrg(hs);
  issuer = await signIn(USERS.issuer);
  for (const u of [USERS.c1a, USERS.c1b, USERS.c2a]) people[u] = await signIn(u);
  org = await waitForOrg(issuer.client, CITIES);
});

afterAll(async () => {
  for (const s of signedIn) await s.manager.stop();
  await hs?.dispose();
});

describe('an acknowledgment proves the content was received', () => {
  it('counts an encrypted, content-bound ack; a cleartext one from a keyless session and an unbound one are invalid', async () => {
    const { circular, copies } = await issue('关于开展安全检查的紧急通知');
    const [city1, city2] = copies as [CopyRef, CopyRef, CopyRef];

    // 赵强 (city 2) acknowledges in the app: encrypted, with the content digest.
    const { event } = await waitForCopy(people[USERS.c2a]!.client, circular.id);
    await acknowledgeCircular({
      send: directAckSender(people[USERS.c2a]!.client),
      roomId: event.getRoomId() ?? '',
      eventId: event.getId() ?? '',
      circular,
    });

    // 李明 (city 1) signs in with curl: no device keys, a cleartext ack, even a plausible digest.
    const token = await bareLogin(USERS.c1a);
    const sent = await bareSend(token, city1.roomId, ACK_EVENT, {
      'm.relates_to': { rel_type: 'm.reference', event_id: city1.eventId },
      [ACK_EVENT]: { circularId: circular.id, contentSha256: 'f'.repeat(64) },
    });
    expect(sent.status).toBe(200); // the server cannot tell; the client must

    // 王芳 (city 1) never decrypted it: an encrypted ack without the digest.
    await sendRawEvent({
      client: people[USERS.c1b]!.client,
      roomId: city1.roomId,
      eventType: ACK_EVENT,
      content: {
        'm.relates_to': { rel_type: 'm.reference', event_id: city1.eventId },
        [ACK_EVENT]: { circularId: circular.id },
      },
    });

    const agg = await aggregateUntil(
      issuer.client,
      circular,
      copies,
      (a) => a.totals.acknowledged === 1 && a.invalidAcks.length === 2,
    );
    const status = (u: string) =>
      agg.recipients.find((r) => r.userId === `@${u}:${hs.serverName}`)?.status;
    expect(status(USERS.c2a)).toBe('acknowledged');
    expect(status(USERS.c1a)).not.toBe('acknowledged');
    expect(status(USERS.c1b)).not.toBe('acknowledged');
    expect(agg.totals.acknowledged).toBe(1);
    expect(
      agg.invalidAcks.map((a) => [a.sender.split(':')[0], a.reason]).sort(),
    ).toEqual([
      [`@${USERS.c1a}`, 'unencrypted'],
      [`@${USERS.c1b}`, 'content_mismatch'],
    ]);

    // Nobody but the provisioning account may erase a member's ack: the issuer's redaction is refused.
    const acked = agg.recipients.find((r) => r.userId === `@${USERS.c2a}:${hs.serverName}`);
    await expect(
      issuer.client.redactEvent(city2.roomId, acked?.ackEventId ?? ''),
    ).rejects.toMatchObject({ httpStatus: 403 });
  });
});
