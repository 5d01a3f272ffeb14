/** The plain-data input and output of `aggregateCircular` (see aggregate.ts for the rules). */
import type { Circular } from './types';

/** The circular as the aggregation needs it: its id, deadline and content digest. */
export interface AggregatedCircular extends Pick<Circular, 'id' | 'ackRequired' | 'ackDeadline'> {
  /** `circularDigest` of the circular: what a valid ack's `contentSha256` must equal. */
  contentSha256: string;
}

/** Status of a recipient, in increasing order of progress. */
export const RECIPIENT_STATUSES = ['unread', 'read', 'acknowledged'] as const;
export type RecipientStatusKind = (typeof RECIPIENT_STATUSES)[number];

/** A membership change of one user in one room, at a position of the room's timeline. */
export interface MembershipChange {
  userId: string;
  /** The `membership` of the `m.room.member` event: `join`, `leave`, `ban`, `invite`, `knock`. */
  membership: string;
  /**
   * Position on the same scale as {@link CircularCopyInput.eventOrder}. State from before the loaded
   * timeline (e.g. the members at the circular, fetched with `/members?at=`) can use any index below
   * the circular's.
   */
  index: number;
}

/** A user's latest public `m.read` receipt in a room. */
export interface ReceiptInput {
  userId: string;
  /** The event the receipt points at ("read up to here"). */
  eventId: string;
  /** Receipt timestamp, ms. */
  ts: number;
}

/** One copy of the circular: the event in one target room, with that room's data. */
export interface CircularCopyInput {
  roomId: string;
  /** Org unit the room belongs to (for roll-up and export). */
  unitCode: string;
  /** Event id of the circular in this room. */
  eventId: string;
  /** Sender of the circular (never a recipient). */
  senderId: string;
  /** Timeline position of events: must hold the circular and every later event receipts may point at. */
  eventOrder: ReadonlyMap<string, number>;
  /** Membership changes of the room (any order); enough to know who was joined at the circular and who is now. */
  memberships: readonly MembershipChange[];
  /** Each user's latest public `m.read` receipt in the room. */
  receipts: readonly ReceiptInput[];
  /**
   * Display names of the room's members, by user id, as the room knows them. Carried onto the
   * recipients so views and reminders show names from plain data, never from the SDK.
   */
  names?: ReadonlyMap<string, string>;
}

/** A `cn.hongyan.ack` event, as received. */
export interface AckEventInput {
  eventId: string;
  /** Room the ack was sent in. */
  roomId: string;
  sender: string;
  /** `origin_server_ts`, ms. */
  ts: number;
  /** Raw (decrypted) content; validated here. */
  content: unknown;
  /**
   * The event arrived as `m.room.encrypted` and was decrypted. A cleartext ack (anyone can send one
   * with a bare HTTP client, without a device) never counts.
   */
  encrypted: boolean;
  /** The event was redacted: it no longer says anything and does not count. */
  redacted?: boolean;
  /** Who redacted it, when known (shown, so an ack removed by someone else is never silent). */
  redactedBy?: string;
}

/** Input of {@link aggregateCircular}. */
export interface AggregateInput {
  circular: AggregatedCircular;
  copies: readonly CircularCopyInput[];
  /** Ack events from the copies' rooms (typically the `m.reference` relations of each copy). */
  acks: readonly AckEventInput[];
  /** Current time, ms, for the overdue flag. */
  now: number;
  /** Users never counted as recipients, e.g. service bots in notice rooms. */
  excludedUserIds?: Iterable<string>;
}

/** Status of one recipient of one copy. */
export interface RecipientStatus {
  roomId: string;
  unitCode: string;
  userId: string;
  status: RecipientStatusKind;
  /** Earliest evidence of reading, ms: the receipt's ts, or the ack's if earlier. */
  readAt?: number;
  ackedAt?: number;
  ackEventId?: string;
  /** Reply note (回执). */
  ackNote?: string;
  overdue: boolean;
  /** The user left (or was removed from) the room after the circular was sent. */
  leftAfterSend: boolean;
  /** Unread because no device of theirs can decrypt the copy yet (see awaiting-key.ts). */
  awaitingKey?: boolean;
  /** The recipient's display name in the copy's room, when the adapter knew one. */
  displayName?: string;
}

/** Why an ack does not count. */
export type InvalidAckReason =
  | 'redacted'
  | 'unencrypted'
  | 'malformed'
  | 'unknown_room'
  | 'wrong_circular'
  | 'wrong_event'
  | 'not_recipient'
  | 'content_mismatch';

/** An ack that does not count, and why. */
export interface InvalidAck {
  eventId: string;
  roomId: string;
  sender: string;
  ts: number;
  reason: InvalidAckReason;
  /** Human-readable detail naming the offending value. */
  detail: string;
}

/** A valid ack superseded by an earlier one from the same recipient. */
export interface DuplicateAck {
  eventId: string;
  roomId: string;
  sender: string;
  ts: number;
  /** The ack that counts instead. */
  keptEventId: string;
}

/** Counts of recipients by status; `overdue` overlaps the others. */
export interface StatusCounts {
  total: number;
  unread: number;
  read: number;
  acknowledged: number;
  overdue: number;
}

/** Result of {@link aggregateCircular}. */
export interface CircularAggregate {
  circularId: string;
  /**
   * One entry per (room, recipient), in copy order, then in order of first membership change. A
   * person in several target rooms has one entry in each, all with the same status.
   */
  recipients: RecipientStatus[];
  /** Counts of distinct people: a person in several target rooms counts once. */
  totals: StatusCounts;
  invalidAcks: InvalidAck[];
  duplicateAcks: DuplicateAck[];
  /** Copies that could not be evaluated (e.g. the circular is missing from the timeline order). */
  problems: { roomId: string; message: string }[];
}
