/**
 * Read and acknowledgment status of one circular, per recipient, computed from plain data the
 * renderer's adapter collects from the Matrix client (no SDK types here).
 *
 * Rules:
 * - The recipients of a copy are the users whose membership in its room was `join` just before the
 *   circular (state at the event), minus the sender and any excluded user. Late joiners are not
 *   recipients; recipients who leave later stay recipients, flagged `leftAfterSend`.
 * - A recipient has read the copy if their latest public `m.read` receipt points at the circular or
 *   at a later event of the room's timeline. A receipt on an event the order does not know counts
 *   as earlier (the adapter's order covers the circular and everything after it).
 * - An acknowledgment implies read. It counts only if it arrived end-to-end encrypted, parses, was
 *   sent in a room of the fan-out, names this circular's id, references that room's copy, comes from
 *   a recipient of that copy, and carries the circular's content digest (proof that the sender's
 *   client decrypted it). Anything else is listed in `invalidAcks` and not counted. Of several valid acks from one
 *   recipient the earliest counts; the rest are listed in `duplicateAcks`. Acks count whether or not
 *   a receipt exists, and in whatever order they arrived.
 * - Overdue: the circular requires acknowledgment by a deadline and the recipient acknowledged after
 *   it, or has not acknowledged and `now` is past it.
 * - A person in several target units receives one copy per unit but is one recipient: reading or
 *   acknowledging any copy counts for the circular, so all their copies share one status, they are
 *   listed under each unit, and the totals count them once.
 */
import { parseAck } from './ack';
import { groupByPerson, shareEarliestReading } from './people';
import type {
  AggregatedCircular,
  MembershipChange,
  CircularCopyInput,
  AckEventInput,
  AggregateInput,
  RecipientStatus,
  InvalidAckReason,
  InvalidAck,
  DuplicateAck,
  StatusCounts,
  CircularAggregate,
} from './aggregate-types';

export * from './aggregate-types';

/** Creates zeroed counts. */
export function emptyCounts(): StatusCounts {
  return { total: 0, unread: 0, read: 0, acknowledged: 0, overdue: 0 };
}

interface CopyState {
  copy: CircularCopyInput;
  recipients: Map<string, RecipientStatus>;
}

interface ValidAck {
  event: AckEventInput;
  note: string | undefined;
}

/** Earliest by timestamp; ties by timeline position, then event id, so the choice is deterministic. */
function isEarlier(a: ValidAck, b: ValidAck, order: ReadonlyMap<string, number>): boolean {
  if (a.event.ts !== b.event.ts) return a.event.ts < b.event.ts;
  const oa = order.get(a.event.eventId) ?? Number.MAX_SAFE_INTEGER;
  const ob = order.get(b.event.eventId) ?? Number.MAX_SAFE_INTEGER;
  if (oa !== ob) return oa < ob;
  return a.event.eventId < b.event.eventId;
}

/** Keeps, per user, the latest change (ties: the later one in the list). */
function keepLatest(map: Map<string, MembershipChange>, change: MembershipChange): void {
  const prev = map.get(change.userId);
  if (prev === undefined || change.index >= prev.index) map.set(change.userId, change);
}

function buildCopy(
  copy: CircularCopyInput,
  circularIndex: number,
  excluded: ReadonlySet<string>,
): CopyState {
  // State at the circular, and the (usually few) changes after it: enough to flag who left since.
  const atSend = new Map<string, MembershipChange>();
  const afterSend = new Map<string, MembershipChange>();
  for (const change of copy.memberships)
    keepLatest(change.index < circularIndex ? atSend : afterSend, change);
  const recipients = new Map<string, RecipientStatus>();
  for (const [userId, change] of atSend) {
    if (change.membership !== 'join' || userId === copy.senderId || excluded.has(userId)) continue;
    // Every field is present from the start (optional ones as undefined) so all statuses share
    // one object shape: the later passes and the roll-up stay monomorphic and fast.
    recipients.set(userId, {
      roomId: copy.roomId,
      unitCode: copy.unitCode,
      userId,
      status: 'unread',
      readAt: undefined,
      ackedAt: undefined,
      ackEventId: undefined,
      ackNote: undefined,
      overdue: false,
      leftAfterSend: (afterSend.get(userId)?.membership ?? 'join') !== 'join',
      displayName: copy.names?.get(userId),
    });
  }
  for (const receipt of copy.receipts) {
    const r = recipients.get(receipt.userId);
    if (r === undefined) continue;
    const index = copy.eventOrder.get(receipt.eventId);
    if (index === undefined || index < circularIndex) continue;
    r.status = 'read';
    if (r.readAt === undefined || receipt.ts < r.readAt) r.readAt = receipt.ts;
  }
  return { copy, recipients };
}

function invalid(event: AckEventInput, reason: InvalidAckReason, detail: string): InvalidAck {
  return {
    eventId: event.eventId,
    roomId: event.roomId,
    sender: event.sender,
    ts: event.ts,
    reason,
    detail,
  };
}

/**
 * Checks one ack against the fan-out: the recipient it counts for, or why it does not count.
 * The checks run in this order so the reason names the most basic problem.
 */
function classifyAck(
  event: AckEventInput,
  circular: AggregatedCircular,
  copies: ReadonlyMap<string, CopyState>,
): { recipient: RecipientStatus; state: CopyState; valid: ValidAck } | InvalidAck {
  const circularId = circular.id;
  if (event.redacted === true) {
    const by = event.redactedBy;
    return invalid(
      event,
      'redacted',
      by === undefined
        ? 'the acknowledgment was redacted'
        : by === event.sender
          ? `the acknowledgment was redacted by its sender ${by}`
          : `the acknowledgment was removed by ${by}, not by its sender`,
    );
  }
  if (!event.encrypted)
    return invalid(event, 'unencrypted', 'the acknowledgment was sent unencrypted');
  const parsed = parseAck(event.content);
  if (!parsed.ok)
    return invalid(
      event,
      'malformed',
      parsed.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; '),
    );
  const state = copies.get(event.roomId);
  if (state === undefined)
    return invalid(event, 'unknown_room', `room ${event.roomId} holds no copy of this circular`);
  if (parsed.ack.circularId !== circularId) {
    return invalid(
      event,
      'wrong_circular',
      `acknowledges circular ${parsed.ack.circularId}, not ${circularId}`,
    );
  }
  if (parsed.ack.eventId !== state.copy.eventId) {
    return invalid(
      event,
      'wrong_event',
      `references event ${parsed.ack.eventId}, not this room's copy ${state.copy.eventId}`,
    );
  }
  const recipient = state.recipients.get(event.sender);
  if (recipient === undefined)
    return invalid(event, 'not_recipient', `${event.sender} is not a recipient of this copy`);
  const digest = parsed.ack.contentSha256;
  if (digest !== circular.contentSha256) {
    return invalid(
      event,
      'content_mismatch',
      digest === undefined
        ? 'carries no content digest, so it does not prove the circular was decrypted'
        : `content digest ${digest} does not match the circular's ${circular.contentSha256}`,
    );
  }
  return { recipient, state, valid: { event, note: parsed.ack.note } };
}

const byRoomSenderTime = (a: DuplicateAck, b: DuplicateAck): number =>
  a.roomId < b.roomId
    ? -1
    : a.roomId > b.roomId
      ? 1
      : a.sender < b.sender
        ? -1
        : a.sender > b.sender
          ? 1
          : a.ts - b.ts || (a.eventId < b.eventId ? -1 : 1);

/** Computes every recipient's status for one circular across all its copies. Pure; never throws on bad acks. */
export function aggregateCircular(input: AggregateInput): CircularAggregate {
  const excluded = new Set(input.excludedUserIds ?? []);
  const problems: CircularAggregate['problems'] = [];
  const copies = new Map<string, CopyState>();
  for (const copy of input.copies) {
    const circularIndex = copy.eventOrder.get(copy.eventId);
    if (copies.has(copy.roomId))
      problems.push({ roomId: copy.roomId, message: 'room listed twice; the first copy is used' });
    else if (circularIndex === undefined) {
      problems.push({
        roomId: copy.roomId,
        message: `circular event ${copy.eventId} is missing from the room's timeline order`,
      });
    } else copies.set(copy.roomId, buildCopy(copy, circularIndex, excluded));
  }

  const byUser = groupByPerson(
    (function* () {
      for (const state of copies.values()) yield* state.recipients.values();
    })(),
  );
  shareEarliestReading(byUser);

  // Most recipients ack once: keep the earliest per person and set the others aside.
  const invalidAcks: InvalidAck[] = [];
  const kept = new Map<string, ValidAck>();
  const superseded: { valid: ValidAck; recipient: RecipientStatus }[] = [];
  for (const event of input.acks) {
    const c = classifyAck(event, input.circular, copies);
    if ('reason' in c) {
      invalidAcks.push(c);
      continue;
    }
    const prev = kept.get(c.recipient.userId);
    if (prev === undefined) kept.set(c.recipient.userId, c.valid);
    else if (isEarlier(c.valid, prev, c.state.copy.eventOrder)) {
      kept.set(c.recipient.userId, c.valid);
      superseded.push({ valid: prev, recipient: c.recipient });
    } else superseded.push({ valid: c.valid, recipient: c.recipient });
  }

  for (const [userId, { event, note }] of kept) {
    for (const recipient of byUser.get(userId) ?? []) {
      recipient.status = 'acknowledged';
      recipient.ackedAt = event.ts;
      recipient.ackEventId = event.eventId;
      recipient.ackNote = note;
      if (recipient.readAt === undefined || event.ts < recipient.readAt)
        recipient.readAt = event.ts;
    }
  }
  const duplicateAcks: DuplicateAck[] = superseded
    .map(({ valid: { event: e }, recipient }) => ({
      eventId: e.eventId,
      roomId: e.roomId,
      sender: e.sender,
      ts: e.ts,
      keptEventId: recipient.ackEventId ?? '',
    }))
    .sort(byRoomSenderTime);

  const deadline = input.circular.ackRequired ? input.circular.ackDeadline : undefined;
  const totals = emptyCounts();
  const recipients: RecipientStatus[] = [];
  for (const state of copies.values()) {
    for (const r of state.recipients.values()) {
      if (deadline !== undefined)
        r.overdue = r.ackedAt === undefined ? input.now > deadline : r.ackedAt > deadline;
      recipients.push(r);
    }
  }
  for (const [first] of byUser.values()) {
    if (first === undefined) continue;
    totals.total++;
    totals[first.status]++;
    if (first.overdue) totals.overdue++;
  }
  return {
    circularId: input.circular.id,
    recipients,
    totals,
    invalidAcks,
    duplicateAcks,
    problems,
  };
}
