/**
 * Reminders (催办) of an issued circular: one message per room, mentioning that room's recipients
 * who have not yet done what the circular asks, each person once, at most one round per interval.
 * Works from the open dashboard's figures (plain data, names included) and the circular's copies.
 */
import type { StoreApi } from 'zustand';
import {
  buildReminderContent,
  chunkReminderUsers,
  planReminders,
} from '../../../shared/circular/reminder';
import type { Circular } from '../../../shared/circular/types';
import type { AppState } from '../store/app-store';
import type { AckSender } from './acknowledge';
import type { CopyRef } from './collect-dashboard';

/** Least time between two reminder rounds of one circular. */
export const REMINDER_INTERVAL_MS = 10 * 60_000;

/** A reminder was refused because the last round was too recent. */
export class ReminderRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`a reminder was sent less than ${REMINDER_INTERVAL_MS / 60_000} minutes ago`);
    this.name = 'ReminderRateLimitedError';
  }
}

/** What {@link Reminders} needs from the session. */
export interface RemindersDeps {
  store: StoreApi<AppState>;
  /** The circular and its copies (see fan-outs.ts). */
  copiesOf(circularId: string): Promise<{ circular: Circular; copies: CopyRef[] } | undefined>;
  /** Sends one reminder message. */
  send: AckSender;
}

/** The outcome of one reminder round (a type alias, so it passes as translation options). */
export type RemindResult = {
  rooms: number;
  users: number;
  /** Pending recipients not pinged because they cannot read the circular yet (待密钥). */
  awaitingKey: number;
};

/** See the module comment. */
export class Reminders {
  constructor(private readonly deps: RemindersDeps) {}

  /**
   * Reminds every pending recipient of the circular whose dashboard is open ({@link planReminders}).
   * @throws {ReminderRateLimitedError} when the last round is too recent.
   */
  async remind(circularId: string, now = Date.now()): Promise<RemindResult> {
    const { store } = this.deps;
    const last = store.getState().reminders[circularId]?.at(-1);
    if (last && now - last.at < REMINDER_INTERVAL_MS)
      throw new ReminderRateLimitedError(REMINDER_INTERVAL_MS - (now - last.at));
    const found = await this.deps.copiesOf(circularId);
    const dashboard = store.getState().dashboard;
    const agg = dashboard?.circularId === circularId ? dashboard.aggregate : null;
    if (!found || !agg) throw new Error('open the dashboard of the circular first');
    const { circular, copies } = found;
    const { byRoom, users } = planReminders(agg.recipients, circular.ackRequired);
    // Record the round first, so a second press while sending is refused too.
    const round = { at: now, rooms: byRoom.size, users };
    store.getState().setReminders({
      ...store.getState().reminders,
      [circularId]: [...(store.getState().reminders[circularId] ?? []), round],
    });
    const names = new Map(
      agg.recipients.flatMap((r) =>
        r.displayName ? [[`${r.roomId}|${r.userId}`, r.displayName]] : [],
      ),
    );
    for (const [roomId, userIds] of byRoom) {
      const copy = copies.find((c) => c.roomId === roomId);
      if (!copy) continue;
      for (const chunk of chunkReminderUsers(userIds)) {
        const content = buildReminderContent({
          circularId,
          eventId: copy.eventId,
          title: circular.title,
          users: chunk.map((userId) => {
            const name = names.get(`${roomId}|${userId}`);
            return name && name !== userId ? { userId, displayName: name } : { userId };
          }),
          ...(circular.ackRequired && circular.ackDeadline !== undefined
            ? { ackDeadline: circular.ackDeadline }
            : {}),
        });
        await this.deps.send({ roomId, eventType: 'm.room.message', content: { ...content } });
      }
    }
    return { rooms: round.rooms, users: round.users, awaitingKey: agg.awaitingKey ?? 0 };
  }
}
