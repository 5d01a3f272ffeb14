/**
 * Runs a circular's fan-out: one copy per target notice room, each with its deterministic
 * transaction id, a few rooms at a time, saving the plan after every step and reporting progress.
 * A run stops when every room is sent (or failed for good) or when the caller stops it; a later
 * run over the same stored record finishes the job without a second copy anywhere.
 */
import { EventType, TypedEventEmitter, type MatrixClient } from 'matrix-js-sdk';
import {
  fanOutProgress,
  markFailed,
  markSent,
  nextBatch,
  type FanOutEntry,
  type FanOutProgress,
} from '../../../shared/circular/fan-out';
import { CIRCULAR_MSGTYPE } from '../../../shared/matrix-types';
import {
  classifySendError,
  clientSendEvent,
  describeSendError,
  type SendEvent,
} from '../matrix/send-event';
import type { FanOutRecord, FanOutStore } from './fan-out-store';
import { findEventBackwards } from './send-raw';
import { freshSessions } from './fresh-sessions';
import { PreparationWaves, type PreparationWavesParams } from './preparation-waves';

/** Events of {@link FanOutRunner}. */
export enum FanOutEvent {
  /** A room was sent or failed; carries the new progress and the saved record. */
  Progress = 'fanout.progress',
  /** Nothing is left to send (every room sent or failed for good). */
  Done = 'fanout.done',
}

/** Handler map of {@link FanOutEvent}. */
export type FanOutEventHandlerMap = {
  [FanOutEvent.Progress]: (progress: FanOutProgress, record: FanOutRecord) => void;
  [FanOutEvent.Done]: (progress: FanOutProgress, record: FanOutRecord) => void;
};

/** Parameters of the {@link FanOutRunner} constructor. */
export interface FanOutRunnerParams {
  client: MatrixClient;
  store: FanOutStore;
  circularId: string;
  /** Rooms sent at once (default {@link DEFAULT_FAN_OUT_CONCURRENCY}). */
  concurrency?: number;
  /** First retry delay after a transient failure, ms (default 500); doubles per attempt up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest retry delay, ms (default 15 000). */
  maxDelayMs?: number;
  /** Attempts per room before it counts as failed for good (default 50). */
  maxAttempts?: number;
  /** Prepare encryption in waves of rooms, each sent once its wave is ready (default true; see preparation-waves.ts). */
  warmUp?: boolean;
  /** How a copy is sent (default: through the client; tests inject their own). */
  send?: SendEvent;
  /** How a wave of rooms is prepared (default: prepareFanOutEncryption; tests inject their own). */
  prepare?: PreparationWavesParams['prepare'];
  /** Longest wait for one wave of the preparation, ms (default {@link WARM_UP_LIMIT_MS}). */
  waveLimitMs?: number;
}

/**
 * Rooms sent at once. Each room's messages are queued in order, rooms go in parallel
 * (matrix/per-room-send-queue.ts), so the server can store copies for several rooms together.
 */
export const DEFAULT_FAN_OUT_CONCURRENCY = 16;
/**
 * Longest wait for one wave of the encryption preparation before every room is released to be sent
 * the SDK's own way, room by room. A server that is down fails the preparation at once; this is for
 * one that hangs. It is generous because giving up is costly: each room then claims its keys and
 * shares its room key on its own, which on a loaded machine takes longer than the wave would have.
 */
const WARM_UP_LIMIT_MS = 15_000;

/**
 * How long a send may still complete on the server after the process that made it died. The
 * server goes on with a request whose client is gone; under load storing an event can take seconds.
 */
export const IN_FLIGHT_SETTLE_MS = 10_000;

/**
 * Time to wait before searching for the copies of an interrupted fan-out: until
 * {@link IN_FLIGHT_SETTLE_MS} after the last sign of life of the run that left it (the record's
 * creation, or its latest recorded copy). Nothing for a run that stopped long ago.
 */
export function settleDelay(record: FanOutRecord, now: number): number {
  let lastActive = record.createdAt;
  for (const e of record.plan.entries)
    if (e.state.kind === 'sent') lastActive = Math.max(lastActive, e.state.sentAt);
  return Math.max(0, Math.min(IN_FLIGHT_SETTLE_MS, lastActive + IN_FLIGHT_SETTLE_MS - now));
}

/**
 * One run of a fan-out. Create it for a record already in the store (see `issueCircular` and
 * {@link resumeFanOuts}), then `run()`.
 */
export class FanOutRunner extends TypedEventEmitter<FanOutEvent, FanOutEventHandlerMap> {
  private record: FanOutRecord | null = null;
  private stopped = false;
  private saving: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<string>();
  private readonly wakers = new Set<() => void>();
  /** Rooms that must be searched for an existing copy before their first send in this run. */
  private readonly toCheck = new Set<string>();

  private readonly send: SendEvent;
  /** This run's encryption preparation, wave by wave (null when not preparing). */
  private waves: PreparationWaves | null = null;

  constructor(private readonly params: FanOutRunnerParams) {
    super();
    this.send = params.send ?? clientSendEvent(params.client);
  }

  /** The record as last saved (null before `run()` loaded it). */
  get current(): FanOutRecord | null {
    return this.record;
  }

  private get maxAttempts(): number {
    return this.params.maxAttempts ?? 50;
  }

  /**
   * Sends every outstanding room and resolves with the final progress (also when stopped early).
   * @throws Error when the store holds no such fan-out, or it belongs to another account.
   */
  async run(): Promise<FanOutProgress> {
    const { client, store, circularId } = this.params;
    const loaded = await store.get(circularId);
    if (!loaded) throw new Error(`no fan-out of circular ${circularId} is stored`);
    if (loaded.senderId !== client.getSafeUserId()) {
      throw new Error(
        `fan-out of circular ${circularId} belongs to ${loaded.senderId}, not ${client.getSafeUserId()}`,
      );
    }
    // A record from an earlier process may have sent rooms it did not get to mark: look first.
    if (loaded.interrupted) {
      for (const e of loaded.plan.entries) if (e.state.kind !== 'sent') this.toCheck.add(e.roomId);
      // A send that process had in flight when it died may still be completing on the server: a
      // search made now could miss the copy it is about to store. Look only once that has settled.
      if (this.toCheck.size > 0) await this.sleep(settleDelay(loaded, Date.now()));
    }
    // Mark it so that, if this process dies too, the next run looks as well.
    this.record = { ...loaded, interrupted: true };
    await this.save();
    const unsent = loaded.plan.entries.filter((e) => e.state.kind !== 'sent').map((e) => e.roomId);
    // Each copy starts a new Megolm session, so granting it to a late recipient opens nothing older.
    await freshSessions(client).ensure(unsent);
    // Only an optimisation: rooms go out as their wave is prepared, and a wave that takes too long
    // (e.g. while the server is down) releases every room to the SDK's own per-room path.
    if (this.params.warmUp !== false && unsent.length > 1)
      this.waves = new PreparationWaves({
        client,
        roomIds: unsent,
        waveLimitMs: this.params.waveLimitMs ?? WARM_UP_LIMIT_MS,
        ...(this.params.prepare ? { prepare: this.params.prepare } : {}),
      });
    const workers = Array.from(
      { length: Math.max(1, this.params.concurrency ?? DEFAULT_FAN_OUT_CONCURRENCY) },
      () => this.work(),
    );
    await Promise.all(workers);
    await this.saving;
    freshSessions(client).consume(
      this.record.plan.entries.filter((e) => e.state.kind === 'sent').map((e) => e.roomId),
    );
    const progress = fanOutProgress(this.record.plan, this.maxAttempts);
    if (progress.done) {
      this.record = { ...this.record, interrupted: false };
      await this.save();
      this.emit(FanOutEvent.Done, progress, this.record);
    }
    return progress;
  }

  /** Stops after the sends in flight; the stored record lets a later run resume. */
  stop(): void {
    this.stopped = true;
    this.waves?.releaseAll();
    for (const wake of this.wakers) wake();
  }

  private nextEntry(): FanOutEntry | undefined {
    if (!this.record) return undefined;
    const outstanding = nextBatch(this.record.plan, {
      size: this.record.plan.entries.length,
      maxAttempts: this.maxAttempts,
    });
    return outstanding.find(
      (e) => !this.inFlight.has(e.roomId) && (this.waves?.isReady(e.roomId) ?? true),
    );
  }

  private async work(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const entry = this.nextEntry();
      if (!entry) {
        if (!this.waves?.pending) return;
        await this.waves.nextWave();
        continue;
      }
      this.inFlight.add(entry.roomId);
      try {
        const failedTransiently = await this.sendOne(entry);
        if (failedTransiently) await this.sleep(this.backoff(entry.attempts + 1));
      } finally {
        this.inFlight.delete(entry.roomId);
      }
    }
  }

  /** Sends one room's copy; returns true after a transient failure (the caller backs off). */
  private async sendOne(entry: FanOutEntry): Promise<boolean> {
    const record = this.record;
    if (!record) return false;
    try {
      let eventId: string | undefined;
      if (this.toCheck.has(entry.roomId)) {
        eventId = await this.findExistingCopy(entry.roomId, record);
        this.toCheck.delete(entry.roomId);
      }
      eventId ??= await this.send({
        roomId: entry.roomId,
        eventType: EventType.RoomMessage,
        content: record.content,
        txnId: entry.txnId,
      });
      this.update((plan) => markSent(plan, entry.roomId, eventId, Date.now()));
      return false;
    } catch (err) {
      const permanent = classifySendError(err) === 'permanent';
      const message = describeSendError(err);
      this.update((plan) => markFailed(plan, entry.roomId, { error: message, permanent }));
      return !permanent;
    }
  }

  /** An earlier run's copy in the room, found on the server by circular id and sender. */
  private async findExistingCopy(
    roomId: string,
    record: FanOutRecord,
  ): Promise<string | undefined> {
    const { client } = this.params;
    const found = await findEventBackwards({
      client,
      roomId,
      // Clocks differ a little between client and server; a minute of slack is plenty.
      since: record.createdAt - 60_000,
      match: (e) => {
        if (e.getSender() !== record.senderId || e.getType() !== EventType.RoomMessage)
          return false;
        const c = e.getContent()[CIRCULAR_MSGTYPE] as { id?: unknown } | undefined;
        return c?.id === record.plan.circularId;
      },
    });
    return found?.getId() ?? undefined;
  }

  private update(change: (plan: FanOutRecord['plan']) => FanOutRecord['plan']): void {
    if (!this.record) return;
    this.record = { ...this.record, plan: change(this.record.plan) };
    void this.save();
    this.emit(
      FanOutEvent.Progress,
      fanOutProgress(this.record.plan, this.maxAttempts),
      this.record,
    );
  }

  /** Saves the latest record; saves are chained so an older plan never overwrites a newer one. */
  private save(): Promise<void> {
    const record = this.record;
    if (!record) return this.saving;
    this.saving = this.saving
      .then(() => this.params.store.put(record))
      .catch((err: unknown) => {
        console.warn(
          `[fan-out] could not save progress of ${record.plan.circularId}: ${String(err)}`,
        );
      });
    return this.saving;
  }

  private backoff(attempts: number): number {
    const initial = this.params.initialDelayMs ?? 500;
    return Math.min(initial * 2 ** Math.max(0, attempts - 1), this.params.maxDelayMs ?? 15_000);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

/** Fan-outs of `userId` left unfinished in the store, e.g. by a previous run of the app. */
export async function unfinishedFanOuts(
  store: FanOutStore,
  userId: string,
): Promise<FanOutRecord[]> {
  const records = await store.list();
  return records.filter((r) => r.senderId === userId && !fanOutProgress(r.plan, 50).done);
}
