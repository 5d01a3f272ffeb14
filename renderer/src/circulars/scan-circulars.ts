/**
 * Reads every joined notice room's loaded timeline into the circulars state: the inbox (copies
 * the user received, with their own status), circular-shaped messages that are not trusted,
 * the circulars the user issued, and the reminders they sent.
 */
import { copyUnitCode } from '../../../shared/circular/residents-group';
import type { MatrixClient, MatrixEvent } from 'matrix-js-sdk';
import { parseAck } from '../../../shared/circular/ack';
import { compareInboxItems } from '../../../shared/circular/inbox';
import { parseReminder } from '../../../shared/circular/reminder';
import { ACK_EVENT } from '../../../shared/matrix-types';
import type { OutboxItem } from '../store/outbox-item';
import type {
  InboxEntry,
  InvalidCircularEntry,
  IssuedEntry,
  ReminderRecord,
} from '../store/circulars-slice';
import type { OrgView } from '../../../shared/org/org-view';
import { judgeCircularEvent, type CircularEventReading } from './circular-events';
import { isNoticeRoom } from '../matrix/unit-room';
import { roomMemberName } from './sender-label';

/** The user's own ack of a copy, wherever it was seen. */
export interface OwnAck {
  ackedAt: number;
  note?: string;
}

/** Inputs of {@link scanCirculars} besides the client. */
export interface ScanInputs {
  /** Acks made on this device (optimistic), by copy event id. */
  localAcks: Readonly<Record<string, OwnAck>>;
  /** Acks found on the server for copies whose ack is not in the loaded timeline. */
  serverAcks: ReadonlyMap<string, OwnAck>;
  /** The outbox: a queued ack counts as made. */
  outbox: readonly OutboxItem[];
}

/** Result of {@link scanCirculars}. */
export interface ScanResult {
  inbox: InboxEntry[];
  invalid: InvalidCircularEntry[];
  issued: IssuedEntry[];
  reminders: Record<string, ReminderRecord[]>;
}

/** Reminders sent within this window belong to one round (one press of 催办). */
const REMINDER_ROUND_MS = 60_000;

function ownAckOf(event: MatrixEvent): { target: string; ack: OwnAck } | undefined {
  const parsed = parseAck(event.getContent());
  if (!parsed.ok) return undefined;
  return {
    target: parsed.ack.eventId,
    ack: { ackedAt: event.getTs(), ...(parsed.ack.note ? { note: parsed.ack.note } : {}) },
  };
}

/** What is wrong with a circular-shaped event that is not trusted, for the inbox's warning. */
function invalidDetail(
  reading: Exclude<CircularEventReading, { kind: 'circular' }>,
  roomId: string,
  org: OrgView | null,
): string {
  switch (reading.kind) {
    case 'malformed':
      return reading.errors.map((err) => `${err.path || '/'} ${err.message}`).join('; ');
    case 'unauthorised':
      return `power level ${reading.senderLevel} < ${reading.requiredLevel}`;
    case 'untrusted':
      if (reading.reason === 'unmanaged')
        return org?.unmanaged.find((u) => u.roomId === roomId)?.reason ?? 'not_managed';
      if (reading.reason === 'not_issuer') return reading.circular.issuingUnit.name;
      return 'm.room.message';
  }
}

/**
 * Reads the circulars state from the client's notice rooms. Cheap enough to run after every sync
 * batch. Every room whose state says "notice room" is read, so that a circular in a room that is not
 * the org's is shown as untrusted rather than silently dropped; only trusted ones are in the inbox.
 *
 * @param org - The managed org view (null before it is built: nothing is trusted then).
 */
export function scanCirculars(
  client: MatrixClient,
  inputs: ScanInputs,
  org: OrgView | null,
): ScanResult {
  const me = client.getSafeUserId();
  const inbox: InboxEntry[] = [];
  const invalid: InvalidCircularEntry[] = [];
  const issued = new Map<string, IssuedEntry>();
  const reminderTimes = new Map<string, { at: number; users: number }[]>();
  const queued = new Set(
    inputs.outbox
      .filter((i) => i.eventType === ACK_EVENT)
      .map((i) => (i.content['m.relates_to'] as { event_id?: string } | undefined)?.event_id ?? ''),
  );
  for (const room of client.getRooms()) {
    if (room.getMyMembership() !== 'join' || !isNoticeRoom(room)) continue;
    const events = room.getLiveTimeline().getEvents();
    const myAcks = new Map<string, OwnAck>();
    for (const e of events) {
      if (e.getType() !== ACK_EVENT || e.getSender() !== me || e.isRedacted()) continue;
      const own = ownAckOf(e);
      if (own && !myAcks.has(own.target)) myAcks.set(own.target, own.ack);
    }
    // Residents' copies are filed under their community's residents' group (residents-group.ts).
    const unitCode = copyUnitCode(org, room.roomId);
    for (const e of events) {
      const eventId = e.getId();
      const sender = e.getSender();
      if (!eventId || !sender) continue;
      if (sender === me) {
        const reminder = parseReminder(e.getContent());
        if (reminder.ok) {
          const list = reminderTimes.get(reminder.reminder.circularId) ?? [];
          list.push({ at: e.getTs(), users: reminder.reminder.userIds.length });
          reminderTimes.set(reminder.reminder.circularId, list);
          continue;
        }
      }
      const reading = judgeCircularEvent(room, e, org);
      if (!reading) continue;
      const senderName = roomMemberName(room, sender);
      const named = senderName ? { senderName } : {};
      if (reading.kind !== 'circular') {
        invalid.push({
          roomId: room.roomId,
          eventId,
          senderId: sender,
          ...named,
          ts: e.getTs(),
          kind: reading.kind === 'untrusted' ? reading.reason : reading.kind,
          detail: invalidDetail(reading, room.roomId, org),
          body: String(e.getContent()['body'] ?? ''),
          ...(reading.kind === 'untrusted'
            ? {
                claimed: {
                  title: reading.circular.title,
                  issuedAt: reading.circular.issuedAt,
                  issuingUnit: reading.circular.issuingUnit.name,
                },
              }
            : {}),
        });
        continue;
      }
      const c = reading.circular;
      if (sender === me) {
        const entry = issued.get(c.id) ?? {
          circularId: c.id,
          title: c.title,
          issuedAt: c.issuedAt,
          circular: c,
          copies: [],
        };
        entry.copies.push({ roomId: room.roomId, eventId, unitCode });
        issued.set(c.id, entry);
        continue;
      }
      const ack =
        myAcks.get(eventId) ?? inputs.serverAcks.get(eventId) ?? inputs.localAcks[eventId];
      const ackQueued = queued.has(eventId);
      const status =
        ack || ackQueued ? 'acknowledged' : room.hasUserReadEvent(me, eventId) ? 'read' : 'unread';
      inbox.push({
        roomId: room.roomId,
        eventId,
        senderId: sender,
        ...named,
        ts: e.getTs(),
        circular: c,
        status,
        ...(ack ? { ackedAt: ack.ackedAt } : ackQueued ? { ackedAt: Date.now() } : {}),
        ...(ack?.note ? { ackNote: ack.note } : {}),
        ackQueued: ackQueued && !myAcks.has(eventId),
      });
    }
  }
  inbox.sort((a, b) =>
    compareInboxItems({ ...a.circular, status: a.status }, { ...b.circular, status: b.status }),
  );
  const reminders: Record<string, ReminderRecord[]> = {};
  for (const [id, times] of reminderTimes) {
    const rounds: ReminderRecord[] = [];
    for (const t of times.sort((a, b) => a.at - b.at)) {
      const last = rounds.at(-1);
      if (last && t.at - last.at < REMINDER_ROUND_MS) {
        last.rooms++;
        last.users += t.users;
      } else rounds.push({ at: t.at, rooms: 1, users: t.users });
    }
    reminders[id] = rounds;
  }
  return {
    inbox,
    invalid,
    issued: [...issued.values()].sort((a, b) => b.issuedAt - a.issuedAt),
    reminders,
  };
}
