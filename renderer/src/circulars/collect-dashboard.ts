/**
 * Collects the plain inputs of `aggregateCircular` from the Matrix client: for each copy of a
 * circular, who was joined when it was sent, the room's timeline order from the circular on, each
 * member's latest public read receipt, and the copy's acknowledgments (`m.reference` relations,
 * decrypted).
 */
import { roomCreatorOf } from '../matrix/room-creator';
import {
  Direction,
  EventType,
  Method,
  ReceiptType,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from 'matrix-js-sdk';
import type {
  AckEventInput,
  AggregateInput,
  CircularCopyInput,
  MembershipChange,
  ReceiptInput,
} from '../../../shared/circular/aggregate';
import { circularDigest } from '../../../shared/circular/content-digest';
import type { Circular } from '../../../shared/circular/types';
import { ACK_EVENT } from '../../../shared/matrix-types';

/** One copy of a circular: the event in one target room. */
export interface CopyRef {
  roomId: string;
  eventId: string;
  unitCode: string;
}

/**
 * What never changes for a copy once fetched (members at send time, the sender, the room's creator),
 * and the acks fetched from the server so far; keep one per dashboard so live updates do not refetch.
 */
export class DashboardCache {
  readonly atSend = new Map<
    string,
    { sender: string; creator?: string; members: MembershipChange[] }
  >();
  readonly serverAcks = new Map<string, Map<string, AckEventInput>>();
}

interface ContextResponse {
  event?: { sender?: string };
  state?: { type: string; state_key?: string; content?: { membership?: string } }[];
}

/**
 * The members of the room when the copy was sent: the room state at the event (`/context`, which
 * returns the state at the event without lazy-loading), fetched once per copy.
 */
async function membersAtSend(client: MatrixClient, copy: CopyRef, cache: DashboardCache) {
  const hit = cache.atSend.get(copy.eventId);
  if (hit) return hit;
  const path = `/rooms/${encodeURIComponent(copy.roomId)}/context/${encodeURIComponent(copy.eventId)}`;
  const res = await client.http.authedRequest<ContextResponse>(Method.Get, path, { limit: '0' });
  const members: MembershipChange[] = [];
  let creator: string | undefined;
  for (const ev of res.state ?? []) {
    if (ev.type === EventType.RoomMember && ev.state_key) {
      members.push({
        userId: ev.state_key,
        membership: ev.content?.membership ?? 'leave',
        index: -1,
      });
    }
    if (ev.type === EventType.RoomCreate) creator = (ev as { sender?: string }).sender;
  }
  const entry = { sender: res.event?.sender ?? '', members, ...(creator ? { creator } : {}) };
  cache.atSend.set(copy.eventId, entry);
  return entry;
}

/** A received ack event as plain input for the aggregation. */
export function toAckInput(event: MatrixEvent): AckEventInput {
  return {
    eventId: event.getId() ?? '',
    roomId: event.getRoomId() ?? '',
    sender: event.getSender() ?? '',
    ts: event.getTs(),
    content: event.getContent(),
    // The wire type: a decrypted event keeps `m.room.encrypted` as its wire type.
    encrypted: event.isEncrypted(),
    redacted: event.isRedacted(),
    ...redactor(event),
  };
}

/** Who redacted the event, from its `redacted_because`, when the server told us. */
function redactor(event: MatrixEvent): { redactedBy?: string } {
  const by = event.getUnsigned().redacted_because?.sender;
  return event.isRedacted() && typeof by === 'string' ? { redactedBy: by } : {};
}

/** Every `m.reference` to the copy on the server, decrypted, keeping the acknowledgments. */
export async function fetchAcks(client: MatrixClient, copy: CopyRef): Promise<AckEventInput[]> {
  const mapper = client.getEventMapper();
  const out: AckEventInput[] = [];
  let from: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.fetchRelations(copy.roomId, copy.eventId, 'm.reference', null, {
      dir: Direction.Backward,
      limit: 200,
      ...(from ? { from } : {}),
    });
    const events = res.chunk.map(mapper);
    await Promise.all(events.map((e) => client.decryptEventIfNeeded(e)));
    // The server sees encrypted acks as m.room.encrypted; the type is known only after decryption.
    for (const e of events) if (e.getType() === ACK_EVENT) out.push(toAckInput(e));
    if (!res.next_batch) break;
    from = res.next_batch;
  }
  return out;
}

/** Acks of the copy in the room's loaded live timeline (arrive live, before any refetch). */
function liveAcks(room: Room, eventId: string): AckEventInput[] {
  return room
    .getLiveTimeline()
    .getEvents()
    .filter(
      (e) => e.getType() === ACK_EVENT && e.getWireContent()['m.relates_to']?.event_id === eventId,
    )
    .map(toAckInput);
}

/**
 * Pages the room's live timeline back until the circular is loaded (bounded), so the timeline
 * order covers the circular and everything after it.
 */
async function ensureLoaded(client: MatrixClient, room: Room, eventId: string): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (
      room
        .getLiveTimeline()
        .getEvents()
        .some((e) => e.getId() === eventId)
    )
      return true;
    const before = room.getLiveTimeline().getEvents().length;
    await client.scrollback(room, 100);
    if (room.getLiveTimeline().getEvents().length === before) return false;
  }
  return false;
}

/** Parameters of {@link collectDashboardInput}. */
export interface CollectDashboardParams {
  client: MatrixClient;
  circular: Circular;
  copies: readonly CopyRef[];
  cache: DashboardCache;
  /** Fetch the acks from the server again (first load, reconnect); otherwise cached plus live ones. */
  refetchAcks: boolean;
  now: number;
}

/** Builds the input of `aggregateCircular` for one circular from the client's rooms and the server. */
export async function collectDashboardInput(
  params: CollectDashboardParams,
): Promise<AggregateInput> {
  const { client, circular, cache } = params;
  const copies: CircularCopyInput[] = [];
  const acks = new Map<string, AckEventInput>();
  const excluded = new Set<string>();
  await Promise.all(
    params.copies.map(async (copy) => {
      const room = client.getRoom(copy.roomId);
      const atSend = await membersAtSend(client, copy, cache);
      const creator = atSend.creator ?? roomCreatorOf(room);
      if (creator) excluded.add(creator);
      if (params.refetchAcks || !cache.serverAcks.has(copy.eventId)) {
        const fetched = await fetchAcks(client, copy);
        cache.serverAcks.set(copy.eventId, new Map(fetched.map((a) => [a.eventId, a])));
      }
      for (const a of cache.serverAcks.get(copy.eventId)?.values() ?? []) acks.set(a.eventId, a);
      if (!room) return;
      await ensureLoaded(client, room, copy.eventId);
      for (const a of liveAcks(room, copy.eventId)) acks.set(a.eventId, a);

      const events = room.getLiveTimeline().getEvents();
      const start = events.findIndex((e) => e.getId() === copy.eventId);
      const eventOrder = new Map<string, number>();
      const memberships: MembershipChange[] = [...atSend.members];
      events.forEach((e, i) => {
        const id = e.getId();
        if (start < 0 || i < start || !id) return;
        eventOrder.set(id, i);
        // Membership changes after the circular flag recipients who left since.
        if (i > start && e.getType() === EventType.RoomMember && e.getStateKey()) {
          memberships.push({
            userId: e.getStateKey() ?? '',
            membership: String(e.getContent()['membership'] ?? 'leave'),
            index: i,
          });
        }
      });
      const receipts: ReceiptInput[] = [];
      const names = new Map<string, string>();
      for (const { userId } of atSend.members) {
        const r = room.getReadReceiptForUserId(userId, true, ReceiptType.Read);
        if (r?.eventId) receipts.push({ userId, eventId: r.eventId, ts: r.data.ts });
        const name = room.getMember(userId)?.name;
        if (name) names.set(userId, name);
      }
      copies.push({
        roomId: copy.roomId,
        unitCode: copy.unitCode,
        eventId: copy.eventId,
        senderId: atSend.sender,
        eventOrder,
        memberships,
        receipts,
        names,
      });
    }),
  );
  // Keep the copies in the caller's order (the fan-out's tree order), whatever order requests finished in.
  const order = new Map(params.copies.map((c, i) => [c.roomId, i]));
  copies.sort((a, b) => (order.get(a.roomId) ?? 0) - (order.get(b.roomId) ?? 0));
  return {
    circular: {
      id: circular.id,
      contentSha256: circularDigest(circular),
      ackRequired: circular.ackRequired,
      ...(circular.ackDeadline !== undefined ? { ackDeadline: circular.ackDeadline } : {}),
    },
    copies,
    acks: [...acks.values()],
    now: params.now,
    excludedUserIds: excluded,
  };
}
