import { describe, expect, it } from 'vitest';
import { EventType, type MatrixClient } from 'matrix-js-sdk';
import { CITIES } from '../../../testing/circular-org';
import { circularOrgForFile } from '../../../testing/circular-org-for-file';
import { draftToCities } from '../../../testing/circular-drafts';
import { buildCircularContent } from '../../../shared/circular/circular-content';
import { rollUpByUnit } from '../../../shared/circular/rollup';
import type { Circular } from '../../../shared/circular/types';
import { buildUnitIndex } from '../../../shared/circular/unit-index';
import { CIRCULAR_MSGTYPE } from '../../../shared/matrix-types';
import { waitForClient } from '../matrix/wait-for';
import { aggregateUntil, copiesOf } from './testing/aggregate-until';
import { bindOutboxToSync } from '../matrix/bind-outbox';
import { Outbox } from '../matrix/outbox/outbox';
import { MemoryOutboxStore } from '../matrix/outbox/outbox-store';
import { acknowledgeCircular, directAckSender, markCircularRead } from './acknowledge';
import { readCircularEvent } from './circular-events';
import { FanOutEvent, FanOutRunner } from './fan-out-runner';
import {
  CircularsController,
  ForwardRefusedError,
  ReminderRateLimitedError,
} from './circulars-controller';
import { downloadEncryptedAttachment } from '../matrix/attachments';
import { createAppStore } from '../store/app-store';
import { parseReminder } from '../../../shared/circular/reminder';
import { MemoryFanOutStore, type FanOutRecord } from './fan-out-store';
import { prepareCircular, saveFanOut, uploadCircularAttachment, type CircularDraft } from './issue';
import { sendRawEvent } from './send-raw';
import { prepareFanOutEncryption } from './warm-up-encryption';
import { circularCopies, UNITS, USERS, waitForCopy } from '../../../testing/org-fixture';

// An issuer and recipients on a real Synapse, every notice room end-to-end encrypted, Rust crypto in Node.
const circ = circularOrgForFile({
  people: [USERS.c1a, USERS.c1b, USERS.c2a, USERS.c3a, USERS.county],
});

function draft(title: string): CircularDraft {
  return draftToCities(title, {
    docNumber: '示府办〔2026〕7号',
    ackDeadline: Date.now() + 3 * 86_400_000,
    noForward: true,
    body: '各市人民政府：\n\n请于三日内报送防汛准备情况。',
  });
}

/** `client` acknowledges the copy of `circular` it received, with `note` when given. */
async function acknowledgeOwnCopy(
  client: MatrixClient,
  circular: Circular,
  note?: string,
): Promise<void> {
  const { event } = await waitForCopy(client, circular.id);
  await acknowledgeCircular({
    send: directAckSender(client),
    roomId: event.getRoomId() ?? '',
    eventId: event.getId() ?? '',
    circular,
    ...(note !== undefined ? { note } : {}),
  });
}

describe('circulars over encrypted notice rooms (real Synapse, Rust crypto in Node)', () => {
  let record: FanOutRecord;
  let circular: Circular;
  let fanOuts: MemoryFanOutStore;

  it('fans one circular out to three cities, counting six recipients before sending', async () => {
    const prepared = await prepareCircular({
      client: circ.issuer.client,
      org: circ.org,
      draft: draft('关于做好防汛准备工作的通知'),
    });
    expect(prepared.plan.entries.map((e) => e.unitCode)).toEqual(CITIES);
    expect(prepared.counts).toMatchObject({ units: 3, rooms: 3, recipients: 6, distinctUsers: 6 });
    circular = prepared.circular;
    const store = new MemoryFanOutStore();
    fanOuts = store;
    await saveFanOut({ store, prepared, senderId: circ.issuer.client.getSafeUserId() });
    // What the compose view does once the targets are picked: the three rooms' keys travel to the
    // four recipients' devices in one /sendToDevice call (the recipients decrypt the copies below).
    const ready = await prepareFanOutEncryption(
      circ.issuer.client,
      prepared.plan.entries.map((e) => e.roomId),
    );
    expect(ready.preShare).toEqual({ rooms: 3, requests: 3, calls: 1, messages: 4 });
    const again = await prepareFanOutEncryption(
      circ.issuer.client,
      prepared.plan.entries.map((e) => e.roomId),
    );
    expect(again.preShare).toMatchObject({ requests: 0, calls: 0 });
    const runner = new FanOutRunner({
      client: circ.issuer.client,
      store,
      circularId: circular.id,
      concurrency: 2,
    });
    const seen: number[] = [];
    runner.on(FanOutEvent.Progress, (p) => seen.push(p.sent));
    const progress = await runner.run();
    expect(progress).toMatchObject({ total: 3, sent: 3, done: true });
    expect(seen.at(-1)).toBe(3);
    const saved = await store.get(circular.id);
    expect(saved?.interrupted).not.toBe(true);
    record = saved as FanOutRecord;
    for (const roomId of record.plan.entries.map((e) => e.roomId)) {
      expect(await circ.issuer.client.getCrypto()?.isEncryptionEnabledInRoom(roomId)).toBe(true);
    }
  });

  it('reports who read and who acknowledged, per person and per unit, and rejects a non-recipient ack', async () => {
    // Two read only, two acknowledge (one with a note), two (without devices) do nothing.
    for (const u of [USERS.c1a, USERS.c2a]) {
      const { event } = await waitForCopy(circ.people[u]!.client, circular.id);
      await markCircularRead(circ.people[u]!.client, event.getRoomId() ?? '', event.getId() ?? '');
    }
    const notes: Record<string, string | undefined> = {
      [USERS.c1b]: '已收到，按要求落实。',
      [USERS.c3a]: undefined,
    };
    for (const [u, note] of Object.entries(notes)) {
      await acknowledgeOwnCopy(circ.people[u]!.client, circular, note);
    }
    // A county member joins city 1's notice room after the circular and acknowledges it.
    const city1Room = record.plan.entries[0]!.roomId;
    const city1Copy = record.plan.entries[0]!.state;
    if (city1Copy.kind !== 'sent') throw new Error('city 1 copy not sent');
    await fetch(`${circ.hs.baseUrl}/_synapse/admin/v1/join/${encodeURIComponent(city1Room)}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${circ.hs.admin.accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ user_id: circ.userId(USERS.county) }),
    }).then((r) => expect(r.status).toBe(200));
    const outsider = circ.people[USERS.county]!.client;
    await waitForClient(outsider, 'the joined notice room', () =>
      outsider.getRoom(city1Room)?.getMyMembership() === 'join' ? true : undefined,
    );
    await acknowledgeCircular({
      send: directAckSender(outsider),
      roomId: city1Room,
      eventId: city1Copy.eventId,
      circular,
    });

    const agg = await aggregateUntil(
      circ.issuer.client,
      circular,
      copiesOf(record),
      (a) => a.totals.acknowledged === 2 && a.totals.read === 2 && a.invalidAcks.length === 1,
    );
    const byUser = Object.fromEntries(agg.recipients.map((r) => [r.userId, r]));
    expect(Object.keys(byUser).sort()).toEqual(
      [USERS.c1a, USERS.c1b, USERS.c2a, USERS.c2b, USERS.c3a, USERS.c3b].map(circ.userId).sort(),
    );
    expect(byUser[circ.userId(USERS.c1a)]).toMatchObject({ status: 'read', unitCode: UNITS.city1 });
    expect(byUser[circ.userId(USERS.c2a)]).toMatchObject({ status: 'read', unitCode: UNITS.city2 });
    expect(byUser[circ.userId(USERS.c1b)]).toMatchObject({
      status: 'acknowledged',
      ackNote: '已收到，按要求落实。',
    });
    expect(byUser[circ.userId(USERS.c3a)]).toMatchObject({
      status: 'acknowledged',
      ackNote: undefined,
    });
    expect(byUser[circ.userId(USERS.c2b)]?.status).toBe('unread');
    expect(byUser[circ.userId(USERS.c3b)]?.status).toBe('unread');
    expect(byUser[circ.userId(USERS.c1a)]?.readAt).toBeGreaterThan(0);
    expect(agg.totals).toMatchObject({ total: 6, unread: 2, read: 2, acknowledged: 2, overdue: 0 });
    expect(agg.invalidAcks).toEqual([
      expect.objectContaining({ sender: circ.userId(USERS.county), reason: 'not_recipient' }),
    ]);

    const rollUp = rollUpByUnit(buildUnitIndex(circ.org.units), agg.recipients);
    const counts = (code: string) => rollUp.byUnit.get(code)?.subtree;
    expect(counts(UNITS.city1)).toMatchObject({ total: 2, read: 1, acknowledged: 1, unread: 0 });
    expect(counts(UNITS.city2)).toMatchObject({ total: 2, read: 1, acknowledged: 0, unread: 1 });
    expect(counts(UNITS.city3)).toMatchObject({ total: 2, read: 0, acknowledged: 1, unread: 1 });
    expect(counts(UNITS.province)).toMatchObject({ total: 6, read: 2, acknowledged: 2, unread: 2 });
    expect(rollUp.byUnit.get(UNITS.province)?.rates).toMatchObject({
      read: 66.7,
      acknowledged: 33.3,
    });
  });

  it('keeps the open dashboard current as acks arrive, and reminds the pending once per interval', async () => {
    const store = createAppStore();
    const controller = new CircularsController({
      client: circ.issuer.client,
      store,
      fanOuts,
      sendAck: directAckSender(circ.issuer.client),
    });
    controller.start();
    try {
      void controller.openDashboard(circular.id);
      const until = (what: string, check: (s: ReturnType<typeof store.getState>) => boolean) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`timed out waiting for ${what}`)),
            60_000,
          );
          const on = (s: ReturnType<typeof store.getState>) => {
            if (!check(s)) return;
            clearTimeout(timer);
            unsubscribe();
            resolve();
          };
          const unsubscribe = store.subscribe(on);
          on(store.getState());
        });
      await until('the first figures', (s) => s.dashboard?.aggregate?.totals.acknowledged === 2);
      // 赵强 (city 2) acknowledges now: the dashboard follows without being asked.
      await acknowledgeOwnCopy(circ.people[USERS.c2a]!.client, circular);
      await until(
        'the new ack on the dashboard',
        (s) => s.dashboard?.aggregate?.totals.acknowledged === 3,
      );

      const reminded = await controller.remind(circular.id);
      // Pending: 李明 (city 1, read only), 孙丽 (city 2), 吴敏 (city 3). 孙丽 and 吴敏 have never
      // signed in, so no device of theirs holds the key (待密钥): 催办 skips them and says so.
      expect(reminded).toEqual({ rooms: 1, users: 1, awaitingKey: 2 });
      await expect(controller.remind(circular.id)).rejects.toBeInstanceOf(ReminderRateLimitedError);
      const reader = circ.people[USERS.c1a]!.client;
      const mention = await waitForClient(reader, 'the reminder', () => {
        for (const room of reader.getRooms())
          for (const e of room.getLiveTimeline().getEvents()) {
            const r = parseReminder(e.getContent());
            if (r.ok && r.reminder.circularId === circular.id) return e;
          }
        return undefined;
      });
      expect(mention.getContent()['m.mentions']).toEqual({ user_ids: [circ.userId(USERS.c1a)] });
      await until(
        'the reminder round recorded',
        (s) => s.reminders[circular.id]?.length === 1 && s.reminders[circular.id]?.[0]?.users === 1,
      );
    } finally {
      controller.stop();
    }
  });

  it("does not accept a member's circular-shaped message in a notice room as a circular", async () => {
    const forger = circ.people[USERS.c1a]!.client;
    const roomId = record.plan.entries[0]!.roomId;
    const fake = buildCircularContent({
      circular: { ...circular, id: crypto.randomUUID(), title: '伪造的通知' },
    });
    // The room is encrypted, so the server lets the member's m.room.encrypted through.
    const fakeId = await sendRawEvent({
      client: forger,
      roomId,
      eventType: EventType.RoomMessage,
      content: fake,
    });
    const reader = circ.people[USERS.c1b]!.client;
    const reading = await waitForClient(reader, 'the forged message', () => {
      const room = reader.getRoom(roomId);
      const ev = room?.findEventById(fakeId);
      return room && ev && !ev.isBeingDecrypted() && ev.getContent()['msgtype'] === CIRCULAR_MSGTYPE
        ? readCircularEvent(room, ev)
        : undefined;
    });
    expect(reading).toMatchObject({ kind: 'unauthorised', senderLevel: 0, requiredLevel: 50 });
  });

  it('forwards a circular and its encrypted attachment into an encrypted chat, and refuses a no-forward one', async () => {
    const from = circ.people[USERS.c1a]!.client;
    const to = circ.people[USERS.c1b]!.client;
    const { room_id: roomId } = await from.createRoom({
      name: '甲市办公室群',
      invite: [to.getSafeUserId()],
      initial_state: [
        {
          type: 'm.room.encryption',
          state_key: '',
          content: { algorithm: 'm.megolm.v1.aes-sha2' },
        },
      ],
    });
    await waitForClient(to, 'the chat invite', () =>
      to.getRoom(roomId)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await to.joinRoom(roomId);
    await waitForClient(from, 'the chat with two members', () =>
      from.getRoom(roomId)?.getJoinedMemberCount() === 2 ? true : undefined,
    );
    const pdf = new TextEncoder().encode('%PDF-1.4 防汛预案');
    const attachment = await uploadCircularAttachment({
      client: circ.issuer.client,
      file: { data: pdf, name: '防汛预案.pdf', mimeType: 'application/pdf' },
    });
    const controller = new CircularsController({
      client: from,
      store: createAppStore(),
      fanOuts: new MemoryFanOutStore(),
      sendAck: directAckSender(from),
    });

    await expect(controller.forward({ circular, toRoomId: roomId })).rejects.toBeInstanceOf(
      ForwardRefusedError,
    );
    const forwardable = { ...circular, noForward: false, attachments: [attachment] };
    await controller.forward({ circular: forwardable, toRoomId: roomId });

    const received = await waitForClient(to, 'the forwarded text and file', () => {
      const events = (to.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter(
        (e) => e.getType() === EventType.RoomMessage && !e.isBeingDecrypted(),
      );
      const text = events.find((e) => String(e.getContent().body).startsWith('【转发通知】'));
      const file = events.find((e) => e.getContent().msgtype === 'm.file');
      return text && file ? { text, file } : undefined;
    });
    expect(received.text.getContent().body).toContain(circular.title);
    expect(readCircularEvent(to.getRoom(roomId)!, received.text)).toBeUndefined();
    const bytes = await downloadEncryptedAttachment(to, received.file.getContent().file);
    expect(new TextDecoder().decode(bytes)).toBe('%PDF-1.4 防汛预案');
  });

  it('sends an acknowledgment made while the homeserver is down once it is back, exactly once', async () => {
    const { client } = circ.people[USERS.c1a]!;
    const { event } = await waitForCopy(client, circular.id);
    const outbox = new Outbox({
      client,
      store: new MemoryOutboxStore(),
      initialDelayMs: 200,
      maxDelayMs: 1000,
    });
    await outbox.start();
    const unbind = bindOutboxToSync(client, outbox);
    try {
      await circ.hs.stop();
      const note = '离线时签收';
      await acknowledgeCircular({
        send: (p) => outbox.enqueue(p),
        roomId: event.getRoomId() ?? '',
        eventId: event.getId() ?? '',
        circular,
        note,
      });
      // Stored and pending while the server is away: the app shows it as acknowledged from this queue.
      expect(outbox.list()).toEqual([
        expect.objectContaining({ eventType: 'cn.hongyan.ack', status: 'pending' }),
      ]);
      await circ.hs.start();
      await outbox.whenIdle();
      expect(outbox.list()).toEqual([]);
    } finally {
      unbind();
      outbox.stop();
    }
    const agg = await aggregateUntil(
      circ.issuer.client,
      circular,
      copiesOf(record),
      (a) => a.totals.acknowledged === 4,
    );
    expect(agg.recipients.find((r) => r.userId === circ.userId(USERS.c1a))).toMatchObject({
      status: 'acknowledged',
      ackNote: '离线时签收',
    });
    expect(agg.duplicateAcks).toEqual([]);
  });

  it('finishes a fan-out interrupted by the homeserver going down, with exactly one copy per room', async () => {
    const store = new MemoryFanOutStore();
    const prepared = await prepareCircular({
      client: circ.issuer.client,
      org: circ.org,
      draft: draft('关于开展安全生产大检查的通知'),
    });
    const id = prepared.circular.id;
    await saveFanOut({ store, prepared, senderId: circ.issuer.client.getSafeUserId() });
    // The first room goes out; then the app quits (stopping on the first progress event is exact:
    // the worker checks for a stop before taking the next room).
    const first = new FanOutRunner({
      client: circ.issuer.client,
      store,
      circularId: id,
      concurrency: 1,
    });
    first.on(FanOutEvent.Progress, (p) => {
      if (p.sent === 1) first.stop();
    });
    expect(await first.run()).toMatchObject({ sent: 1, done: false });

    // The homeserver goes down; the next run's attempts fail and stay retryable, then it quits too.
    await circ.hs.stop();
    const second = new FanOutRunner({
      client: circ.issuer.client,
      store,
      circularId: id,
      concurrency: 1,
      initialDelayMs: 200,
      maxDelayMs: 1000,
    });
    second.on(FanOutEvent.Progress, (p) => {
      if (p.retrying > 0) second.stop();
    });
    expect(await second.run()).toMatchObject({ sent: 1, retrying: 1, failed: 0, done: false });
    await circ.hs.start();

    // A previous run got the third copy to the server but died before saving that: the record
    // still says pending. Another transaction id, as from a different device.
    const lastRoom = prepared.plan.entries[2]!;
    await sendRawEvent({
      client: circ.issuer.client,
      roomId: lastRoom.roomId,
      eventType: EventType.RoomMessage,
      content: prepared.content,
      txnId: `other-device-${id}`,
    });
    const saved = await store.get(id);
    expect(saved?.plan.entries[2]?.state.kind).not.toBe('sent');

    const third = new FanOutRunner({
      client: circ.issuer.client,
      store,
      circularId: id,
      concurrency: 2,
    });
    expect(await third.run()).toMatchObject({ total: 3, sent: 3, done: true });

    for (const entry of prepared.plan.entries) {
      const copies = await circularCopies(circ.issuer.client, entry.roomId, id);
      expect(copies, `copies in ${entry.unitCode}`).toHaveLength(1);
      const state = (await store.get(id))?.plan.entries.find(
        (e) => e.roomId === entry.roomId,
      )?.state;
      expect(state).toMatchObject({ kind: 'sent', eventId: copies[0] });
    }
  });
});
