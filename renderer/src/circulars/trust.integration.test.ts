/**
 * Attacks on circulars by ordinary users, against a real Synapse with encrypted notice rooms: each
 * is refused by the server, or shown as untrusted / invalid by the client, and never counted.
 */
import { describe, expect, it } from 'vitest';
import { circularOrgForFile } from '../../../testing/circular-org-for-file';
import { draftToCities } from '../../../testing/circular-drafts';
import type { Circular } from '../../../shared/circular/types';
import { buildCircularContent } from '../../../shared/circular/circular-content';
import { isBackdated } from '../../../shared/circular/origin';
import { sampleCircular } from '../../../shared/circular/test-fixtures';
import {
  ACK_EVENT,
  UNIT_MEMBER_STATE_EVENT,
  UNIT_ROOM_STATE_EVENT,
  UNIT_STATE_EVENT,
} from '../../../shared/matrix-types';
import { MEGOLM_ALGORITHM } from '../../../shared/org/matrix-mapping';
import { waitForClient } from '../matrix/wait-for';
import { readOrgView } from '../matrix/org-state';
import { scanCirculars, type ScanResult } from './scan-circulars';
import { buildReminderContent } from '../../../shared/circular/reminder';
import { timelineContextOf } from '../matrix/bind-timeline';
import { toTimelineItems } from '../matrix/timeline-model';
import type { TimelineItem } from '../store/timeline-items';
import { canIssueIn } from '../matrix/unit-room';
import { noticeRoomFlag } from './circular-events';
import { acknowledgeCircular, directAckSender } from './acknowledge';
import type { CopyRef } from './collect-dashboard';
import { aggregateUntil } from './testing/aggregate-until';
import { sendLookAlike } from './testing/send-look-alike';
import { FanOutRunner } from './fan-out-runner';
import { MemoryFanOutStore } from './fan-out-store';
import { prepareCircular, saveFanOut, type CircularDraft } from './issue';
import { sendRawEvent } from './send-raw';
import {
  FIXTURE_PASSWORD,
  UNITS,
  USERS,
  waitForCopy,
  type SignedIn,
} from '../../../testing/org-fixture';

/** A unit admin of city 2: power 90 in its notice room, but no issuer. */
const C2_ADMIN = 'qian.c2admin';

const circ = circularOrgForFile({
  extraUsers: [
    {
      username: C2_ADMIN,
      displayName: '钱主任',
      unit: UNITS.city2,
      roles: ['unit_admin'],
      password: FIXTURE_PASSWORD,
    },
  ],
  people: [USERS.c1a, USERS.c1b, USERS.c2a],
});

/** A bare HTTP session of a fixture user: a fresh device that never uploads a key. */
async function bareLogin(username: string): Promise<string> {
  const res = await fetch(`${circ.hs.baseUrl}/_matrix/client/v3/login`, {
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
    `${circ.hs.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${txn}`,
    {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(content),
    },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const draft = (title: string): CircularDraft =>
  draftToCities(title, {
    docNumber: '示府办〔2026〕9号',
    urgency: 'extra_urgent',
    body: '各市人民政府：\n\n请立即签收。',
  });

/** Issues a circular to the three cities and returns it with its copies. */
async function issue(
  title: string,
  now?: number,
): Promise<{ circular: Circular; copies: CopyRef[] }> {
  const prepared = await prepareCircular({
    client: circ.issuer.client,
    org: circ.org,
    draft: draft(title),
    ...(now === undefined ? {} : { now }),
  });
  const store = new MemoryFanOutStore();
  await saveFanOut({ store, prepared, senderId: circ.issuer.client.getSafeUserId() });
  const runner = new FanOutRunner({
    client: circ.issuer.client,
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

describe('an acknowledgment proves the content was received', () => {
  it('counts an encrypted, content-bound ack; a cleartext one from a keyless session and an unbound one are invalid', async () => {
    const { circular, copies } = await issue('关于开展安全检查的紧急通知');
    const [city1, city2] = copies as [CopyRef, CopyRef, CopyRef];

    // 赵强 (city 2) acknowledges in the app: encrypted, with the content digest.
    const { event } = await waitForCopy(circ.people[USERS.c2a]!.client, circular.id);
    await acknowledgeCircular({
      send: directAckSender(circ.people[USERS.c2a]!.client),
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
      client: circ.people[USERS.c1b]!.client,
      roomId: city1.roomId,
      eventType: ACK_EVENT,
      content: {
        'm.relates_to': { rel_type: 'm.reference', event_id: city1.eventId },
        [ACK_EVENT]: { circularId: circular.id },
      },
    });

    const agg = await aggregateUntil(
      circ.issuer.client,
      circular,
      copies,
      (a) => a.totals.acknowledged === 1 && a.invalidAcks.length === 2,
    );
    const status = (u: string) =>
      agg.recipients.find((r) => r.userId === `@${u}:${circ.hs.serverName}`)?.status;
    expect(status(USERS.c2a)).toBe('acknowledged');
    expect(status(USERS.c1a)).not.toBe('acknowledged');
    expect(status(USERS.c1b)).not.toBe('acknowledged');
    expect(agg.totals.acknowledged).toBe(1);
    expect(agg.invalidAcks.map((a) => [a.sender.split(':')[0], a.reason]).sort()).toEqual([
      [`@${USERS.c1a}`, 'unencrypted'],
      [`@${USERS.c1b}`, 'content_mismatch'],
    ]);

    // Nobody but the provisioning account may erase a member's ack: the circ.issuer's redaction is refused.
    const acked = agg.recipients.find((r) => r.userId === `@${USERS.c2a}:${circ.hs.serverName}`);
    await expect(
      circ.issuer.client.redactEvent(city2.roomId, acked?.ackEventId ?? ''),
    ).rejects.toMatchObject({ httpStatus: 403 });
  });
});

/** What the user's inbox shows right now (the app's scan, with the circ.org view the app builds). */
function inboxOf(s: SignedIn): ScanResult {
  return scanCirculars(
    s.client,
    { localAcks: {}, serverAcks: new Map(), outbox: [] },
    readOrgView(s.client),
  );
}

/** Waits until the user's inbox lists a circular-shaped message titled `title` as untrusted. */
function untrustedIn(s: SignedIn, title: string) {
  return waitForClient(s.client, `untrusted "${title}"`, () =>
    inboxOf(s).invalid.find((e) => e.claimed?.title === title),
  );
}

describe('only managed rooms are units', () => {
  it('shows a circular in a forged notice room as untrusted, and neither victim nor circ.issuer takes the forged rooms for the unit', async () => {
    // 吴敏, an ordinary member of city 3, builds her own "甲市" Space and notice room.
    const mallory = await circ.signIn(USERS.c3b);
    const victim = circ.people[USERS.c1a] as SignedIn;
    const invite = [victim.client.getSafeUserId(), circ.issuer.client.getSafeUserId()];
    const space = await mallory.client.createRoom({
      name: '甲市人民政府',
      creation_content: { type: 'm.space' },
      initial_state: [
        {
          type: UNIT_STATE_EVENT,
          state_key: '',
          content: {
            code: UNITS.city1,
            name: '甲市人民政府',
            level: 'city',
            parentCode: UNITS.province,
          },
        },
        {
          type: UNIT_MEMBER_STATE_EVENT,
          state_key: `user:${mallory.client.getSafeUserId()}`,
          content: { roles: ['issuer', 'unit_admin'] },
        },
      ],
      invite,
    });
    const notice = await mallory.client.createRoom({
      name: '甲市人民政府 通知公告',
      // Looks like the real thing: members cannot post, she can.
      power_level_content_override: { events_default: 50 },
      initial_state: [
        { type: 'm.room.encryption', state_key: '', content: { algorithm: MEGOLM_ALGORITHM } },
        {
          type: UNIT_ROOM_STATE_EVENT,
          state_key: '',
          content: { unitCode: UNITS.city1, kind: 'notice' },
        },
      ],
      invite,
    });
    // The victims accept the invitations, as a user might.
    for (const s of [victim, circ.issuer]) {
      await s.client.joinRoom(space.room_id);
      await s.client.joinRoom(notice.room_id);
    }
    const forged = await sendLookAlike(mallory, notice.room_id, {
      title: '关于立即上报本单位人员身份信息的紧急通知',
    });

    const flagged = await untrustedIn(victim, forged.title);
    expect(flagged).toMatchObject({ kind: 'unmanaged', detail: 'not_provisioned' });
    expect(inboxOf(victim).inbox.map((e) => e.circular.id)).not.toContain(forged.id);
    const victimView = readOrgView(victim.client);
    expect(victimView.roomsByUnit[UNITS.city1]?.noticeRoomId).toBe(
      circ.org.roomsByUnit[UNITS.city1]?.noticeRoomId,
    );
    expect(victimView.unmanaged).toEqual(
      expect.arrayContaining([
        { roomId: space.room_id, reason: 'not_provisioned' },
        { roomId: notice.room_id, reason: 'not_provisioned' },
      ]),
    );
    expect(victimView.members.map((m) => m.userId)).not.toContain(mallory.client.getSafeUserId());

    // The circ.issuer, also in the forged rooms, still sends to the real notice room only.
    const issuerView = await waitForClient(circ.issuer.client, 'the forged rooms joined', () => {
      const view = readOrgView(circ.issuer.client);
      return view.unmanaged.length >= 2 ? view : undefined;
    });
    expect(issuerView.roomsByUnit[UNITS.city1]).toEqual(circ.org.roomsByUnit[UNITS.city1]);
    expect(issuerView.conflicts).toEqual([]);
    const prepared = await prepareCircular({
      client: circ.issuer.client,
      org: issuerView,
      draft: { ...draft('甲市专项通知'), targets: [{ unitCode: UNITS.city1, scope: 'unit' }] },
    });
    expect(prepared.plan.entries.map((e) => e.roomId)).toEqual([
      circ.org.roomsByUnit[UNITS.city1]?.noticeRoomId,
    ]);
  });
});

describe('the circ.issuer is who they say', () => {
  it('refuses a unit admin who is no circ.issuer, a cleartext circular in an encrypted room, and marks a backdated one', async () => {
    const admin = await circ.signIn(C2_ADMIN);
    const member = circ.people[USERS.c2a] as SignedIn;
    const city2 = circ.org.roomsByUnit[UNITS.city2]?.noticeRoomId ?? '';

    // The unit admin's power (90) passes the room's check; the circular names the province, then the city.
    const asProvince = await sendLookAlike(admin, city2, { title: '冒充省政府的通知' });
    expect(await untrustedIn(member, asProvince.title)).toMatchObject({ kind: 'not_issuer' });
    const asCity = await sendLookAlike(admin, city2, {
      title: '冒充市政府发文的通知',
      issuingUnit: { code: UNITS.city2, name: '乙市人民政府' },
    });
    expect(await untrustedIn(member, asCity.title)).toMatchObject({ kind: 'not_issuer' });

    // The same admin with curl: a cleartext 特急 circular into the encrypted notice room.
    const token = await bareLogin(C2_ADMIN);
    const plain = sampleCircular({
      id: crypto.randomUUID(),
      title: '明文发送的特急通知',
      attachments: [],
      issuedAt: Date.now(),
      ackDeadline: Date.now() + 86_400_000,
    });
    const sent = await bareSend(token, city2, 'm.room.message', {
      ...buildCircularContent({ circular: plain }),
    });
    expect(sent.status).toBe(200);
    expect(await untrustedIn(member, plain.title)).toMatchObject({ kind: 'unencrypted' });

    // The real circ.issuer backdates one by a day: it counts, and the view can tell.
    const { circular } = await issue('倒签日期的通知', Date.now() - 86_400_000);
    await waitForCopy(member.client, circular.id);
    const entry = inboxOf(member).inbox.find((e) => e.circular.id === circular.id);
    expect(entry?.senderId).toBe(circ.issuer.client.getSafeUserId());
    expect(isBackdated(entry?.circular.issuedAt ?? 0, entry?.ts ?? 0)).toBe(true);
    for (const title of [asProvince.title, asCity.title, plain.title])
      expect(inboxOf(member).inbox.map((e) => e.circular.title)).not.toContain(title);
  });
});

describe('notice rooms are read-only for members in the app too', () => {
  it('flags chat and a fake reminder from a member, and gives members no composer', async () => {
    const poster = circ.people[USERS.c1b] as SignedIn;
    const reader = circ.people[USERS.c1a] as SignedIn;
    const roomId = circ.org.roomsByUnit[UNITS.city1]?.noticeRoomId ?? '';
    const { circular, copies } = await issue('关于做好值班工作的通知');
    const copy = copies.find((c) => c.roomId === roomId) as CopyRef;
    await waitForCopy(poster.client, circular.id);

    // Encrypted, so the server lets them in (members may send m.room.encrypted, for acks).
    await sendRawEvent({
      client: poster.client,
      roomId,
      eventType: 'm.room.message',
      content: { msgtype: 'm.text', body: '请各位今天下班前务必签收，否则通报批评' },
    });
    await sendRawEvent({
      client: poster.client,
      roomId,
      eventType: 'm.room.message',
      content: buildReminderContent({
        circularId: circular.id,
        eventId: copy.eventId,
        title: circular.title,
        users: [{ userId: reader.client.getSafeUserId(), displayName: '李明' }],
      }),
    });

    const room = reader.client.getRoom(roomId);
    if (!room) throw new Error('the reader is not in the notice room');
    const messages = await waitForClient(reader.client, 'both member posts', () => {
      const items = toTimelineItems(
        room.getLiveTimeline().getEvents(),
        timelineContextOf(reader.client, room, readOrgView(reader.client), {
          flagOf: noticeRoomFlag,
        }),
      ).filter((i): i is Extract<TimelineItem, { kind: 'message' }> => i.kind === 'message');
      const fromPoster = items.filter((i) => i.sender === poster.client.getSafeUserId());
      return fromPoster.length >= 2 ? items : undefined;
    });
    for (const item of messages.filter((i) => i.sender === poster.client.getSafeUserId()))
      expect(item.flag).toBe('member_post');
    const genuine = messages.find((i) => i.id === copy.eventId);
    expect(genuine?.sender).toBe(circ.issuer.client.getSafeUserId());
    expect(genuine?.flag).toBeUndefined();

    expect(canIssueIn(room, reader.client.getSafeUserId())).toBe(false);
    const issuerRoom = circ.issuer.client.getRoom(roomId);
    expect(issuerRoom && canIssueIn(issuerRoom, circ.issuer.client.getSafeUserId())).toBe(true);
  });
});
