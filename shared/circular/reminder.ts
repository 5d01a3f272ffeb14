/**
 * The wire format of a reminder (催办): an ordinary `m.text` message that mentions every pending
 * user (so their clients notify, through intentional mentions), with structured data under
 * `cn.hongyan.reminder` so the app can show it as a reminder of one circular.
 */
import { REMINDER_MSGTYPE } from '../matrix-types';
import type { RecipientStatus } from './aggregate';
import { circularIdSchema } from './circular-schema';
import { ContentInputError, HTML_FORMAT } from './circular-content';
import type { ParseResult } from './parse-result';
import { issuesToErrors } from './parse-result';
import { escapeHtml, formatChinaTime } from './text';
import { z } from './zod';

/**
 * Most users mentioned in one reminder message. More mentions make a message that is slow to render
 * and near the event size limit; larger groups are split with {@link chunkReminderUsers}.
 */
export const MAX_REMINDER_MENTIONS = 100;
/** Longest custom reminder text, in characters. */
export const MAX_REMINDER_NOTE_CHARS = 500;

/** A user to remind. */
export interface ReminderUser {
  /** Full Matrix user id, e.g. `@zhangsan:gov.example.cn`. */
  userId: string;
  /** Name shown in the mention; the user id if absent. */
  displayName?: string;
}

/** Structured data of a reminder. */
export interface Reminder {
  circularId: string;
  /** Event id of the circular copy in the room the reminder is sent to. */
  eventId: string;
  /** Users reminded. */
  userIds: string[];
}

/** Content of a reminder event (`m.room.message`). */
export interface ReminderContent {
  msgtype: 'm.text';
  body: string;
  format: typeof HTML_FORMAT;
  formatted_body: string;
  'm.mentions': { user_ids: string[] };
  [REMINDER_MSGTYPE]: Reminder;
}

/** Input of {@link buildReminderContent}. */
export interface BuildReminderInput {
  circularId: string;
  /** Event id of the circular copy in this room. */
  eventId: string;
  /** Title of the circular, quoted in the message. */
  title: string;
  /** Users to remind: 1 to {@link MAX_REMINDER_MENTIONS}, all members of this room. */
  users: readonly ReminderUser[];
  /** Acknowledgment deadline, ms; printed when given. */
  ackDeadline?: number;
  /** The issuer's own words, replacing the default request. */
  note?: string;
}

const userIdSchema = z
  .string()
  .regex(/^@[^:\s]+:\S+$/, { message: 'must be a Matrix user id (@user:server)' });

const reminderSchema = z.object({
  circularId: circularIdSchema,
  eventId: z.string().regex(/^\$\S+$/, { message: 'must be a Matrix event id ($…)' }),
  userIds: z.array(userIdSchema).min(1).max(MAX_REMINDER_MENTIONS),
});

const reminderContentSchema = z.object({
  msgtype: z.literal('m.text'),
  [REMINDER_MSGTYPE]: reminderSchema,
});

/** A matrix.to permalink to a user: the form clients render as a mention "pill". */
function userPermalink(userId: string): string {
  return `https://matrix.to/#/${encodeURIComponent(userId)}`;
}

/**
 * Builds a reminder message that mentions every user in `users`.
 *
 * @throws {ContentInputError} on malformed ids, an empty or oversized user list, or an over-long note.
 */
export function buildReminderContent(input: BuildReminderInput): ReminderContent {
  const userIds = [...new Set(input.users.map((u) => u.userId))];
  const reminder: Reminder = { circularId: input.circularId, eventId: input.eventId, userIds };
  const errors = issuesToErrors(reminderSchema.safeParse(reminder).error?.issues ?? [], [
    REMINDER_MSGTYPE,
  ]);
  if (input.note !== undefined && input.note.length > MAX_REMINDER_NOTE_CHARS) {
    errors.push({ path: '/body', message: `note is over ${MAX_REMINDER_NOTE_CHARS} characters` });
  }
  if (errors.length > 0) throw new ContentInputError('reminder', errors);

  const byId = new Map(input.users.map((u) => [u.userId, u.displayName]));
  // A user id already starts with `@`; a display name gets one, as clients write mentions.
  const names = userIds.map((id) => {
    const displayName = byId.get(id);
    return {
      id,
      name: displayName ?? id,
      mention: displayName === undefined ? id : `@${displayName}`,
    };
  });
  const deadline =
    input.ackDeadline === undefined ? '' : `，签收截止 ${formatChinaTime(input.ackDeadline)}`;
  const note = input.note?.trim();
  const request =
    note !== undefined && note.length > 0
      ? note
      : `催办：请尽快阅读并签收《${input.title}》${deadline}。`;

  return {
    msgtype: 'm.text',
    body: `${names.map((n) => n.mention).join(' ')} ${request}`,
    format: HTML_FORMAT,
    formatted_body: `${names.map((n) => `<a href="${escapeHtml(userPermalink(n.id))}">${escapeHtml(n.name)}</a>`).join(' ')} ${escapeHtml(request)}`,
    'm.mentions': { user_ids: userIds },
    [REMINDER_MSGTYPE]: reminder,
  };
}

/** Parses the structured data of a received reminder. Never throws. */
export function parseReminder(content: unknown): ParseResult<'reminder', Reminder> {
  const r = reminderContentSchema.safeParse(content);
  if (!r.success) return { ok: false, errors: issuesToErrors(r.error.issues) };
  return { ok: true, reminder: r.data[REMINDER_MSGTYPE] };
}

/** Splits users into groups of at most `size` (default {@link MAX_REMINDER_MENTIONS}), one reminder message each. */
export function chunkReminderUsers<T>(
  users: readonly T[],
  size: number = MAX_REMINDER_MENTIONS,
): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < users.length; i += size) chunks.push(users.slice(i, i + size));
  return chunks;
}

/** Who a reminder round pings, room by room. */
export interface ReminderPlan {
  /** Room id → user ids to mention there. */
  byRoom: Map<string, string[]>;
  /** Distinct people pinged. */
  users: number;
}

/**
 * Plans a reminder round (催办): every recipient who has not yet done what the circular asks (not
 * acknowledged, or not read when no acknowledgment is asked), who is still in the room and not
 * waiting for the key (待密钥: they cannot read it yet and obtain it on sign-in). A person in
 * several target rooms is pinged once, in the first of their rooms.
 */
export function planReminders(
  recipients: readonly Pick<
    RecipientStatus,
    'roomId' | 'userId' | 'status' | 'leftAfterSend' | 'awaitingKey'
  >[],
  ackRequired: boolean,
): ReminderPlan {
  const byRoom = new Map<string, string[]>();
  const pinged = new Set<string>();
  for (const r of recipients) {
    if (r.leftAfterSend || r.awaitingKey === true || pinged.has(r.userId)) continue;
    if (ackRequired ? r.status === 'acknowledged' : r.status !== 'unread') continue;
    pinged.add(r.userId);
    const list = byRoom.get(r.roomId);
    if (list === undefined) byRoom.set(r.roomId, [r.userId]);
    else list.push(r.userId);
  }
  return { byRoom, users: pinged.size };
}
