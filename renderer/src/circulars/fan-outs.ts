/**
 * The issuer's fan-outs in one session: saves a prepared circular's fan-out, runs it (one runner
 * per circular), resumes this account's unfinished ones, reports progress into the store's issued
 * list, and knows every copy sent (from the rooms, the stored record, and runs finished here).
 */
import type { StoreApi } from 'zustand';
import { fanOutProgress, type FanOutProgress } from '../../../shared/circular/fan-out';
import type { Circular } from '../../../shared/circular/types';
import { CIRCULAR_MSGTYPE } from '../../../shared/matrix-types';
import type { AppState } from '../store/app-store';
import type { IssuedEntry } from '../store/circulars-slice';
import type { CopyRef } from './collect-dashboard';
import { unfinishedFanOuts } from './fan-out-runner';
import type { FanOutRecord, FanOutStore } from './fan-out-store';
import { saveFanOut, type PreparedCircular } from './issue';

/** The part of a `FanOutRunner` this module drives (a fake one in unit tests). */
export interface FanOutRun {
  readonly current: FanOutRecord | null;
  onProgress(handler: (progress: FanOutProgress) => void): void;
  run(): Promise<FanOutProgress>;
  stop(): void;
}

/** What {@link FanOuts} needs from the session. */
export interface FanOutsDeps {
  store: StoreApi<AppState>;
  fanOuts: FanOutStore;
  /** The signed-in user: fan-outs are resumed only for their own records. */
  userId: string;
  /** A runner for one stored fan-out. */
  createRunner(circularId: string): FanOutRun;
  /** A run ended (copies may now be in the rooms). */
  onRunEnded(): void;
}

/** The circular and every copy known of it. */
export interface CircularCopies {
  circular: Circular;
  copies: CopyRef[];
}

/** See the module comment. */
export class FanOuts {
  private readonly runners = new Map<string, FanOutRun>();
  /** Copies of fan-outs finished in this session (their stored records are deleted when done). */
  private readonly finished = new Map<string, CircularCopies>();
  private stopped = false;

  constructor(private readonly deps: FanOutsDeps) {}

  /** Circulars whose fan-out runs now. */
  get running(): string[] {
    return [...this.runners.keys()];
  }

  /** Saves the fan-out of a prepared circular and starts sending it; resolves when the run ends. */
  async issue(prepared: PreparedCircular): Promise<void> {
    const { store, fanOuts, userId } = this.deps;
    await saveFanOut({ store: fanOuts, prepared, senderId: userId });
    const entry: IssuedEntry = {
      circularId: prepared.circular.id,
      title: prepared.circular.title,
      issuedAt: prepared.circular.issuedAt,
      circular: prepared.circular,
      copies: [],
      progress: fanOutProgress(prepared.plan),
    };
    store.getState().setIssuedCirculars([entry, ...store.getState().issuedCirculars]);
    await this.run(prepared.circular.id);
  }

  /** Re-runs a fan-out that stopped (the user pressed "continue"). */
  resume(circularId: string): Promise<void> {
    return this.run(circularId);
  }

  /** Lists and runs this account's fan-outs left unfinished, e.g. by a previous run of the app. */
  async resumeAll(): Promise<void> {
    this.stopped = false;
    const { fanOuts, store, userId } = this.deps;
    const records = await unfinishedFanOuts(fanOuts, userId).catch(() => []);
    for (const r of records) {
      const c = r.content[CIRCULAR_MSGTYPE];
      const list = store.getState().issuedCirculars;
      if (!list.some((e) => e.circularId === c.id))
        store.getState().setIssuedCirculars([
          ...list,
          {
            circularId: c.id,
            title: c.title,
            issuedAt: c.issuedAt,
            circular: c,
            copies: [],
            progress: fanOutProgress(r.plan),
          },
        ]);
      if (this.stopped) return;
      void this.run(c.id);
    }
  }

  /** Stops running fan-outs after their current sends; their stored records resume on the next start. */
  stop(): void {
    this.stopped = true;
    for (const r of this.runners.values()) r.stop();
  }

  private async run(circularId: string): Promise<void> {
    if (this.runners.has(circularId)) return;
    const { fanOuts, store } = this.deps;
    const runner = this.deps.createRunner(circularId);
    this.runners.set(circularId, runner);
    runner.onProgress((p) => store.getState().setFanOutProgress(circularId, p));
    try {
      const progress = await runner.run();
      store.getState().setFanOutProgress(circularId, progress);
      const record = runner.current;
      if (progress.done && record) {
        // The record holds the circular's plaintext; once nothing is left to send it goes, so the
        // text rests only in the (encrypted) crypto and sync stores. The copies stay known here.
        const copies = record.plan.entries.flatMap((e) =>
          e.state.kind === 'sent'
            ? [{ roomId: e.roomId, eventId: e.state.eventId, unitCode: e.unitCode }]
            : [],
        );
        this.finished.set(circularId, { circular: record.content[CIRCULAR_MSGTYPE], copies });
        await fanOuts.delete(circularId).catch(() => undefined);
      }
    } finally {
      this.runners.delete(circularId);
      this.deps.onRunEnded();
    }
  }

  /** The circular and its copies: from the rooms (the issued list), completed by this device's records. */
  async copiesOf(circularId: string): Promise<CircularCopies | undefined> {
    const entry = this.deps.store
      .getState()
      .issuedCirculars.find((e) => e.circularId === circularId);
    const record = await this.deps.fanOuts.get(circularId).catch(() => undefined);
    const done = this.finished.get(circularId);
    const circular = entry?.circular ?? done?.circular ?? record?.content[CIRCULAR_MSGTYPE];
    if (!circular) return undefined;
    const copies = new Map<string, CopyRef>();
    for (const c of done?.copies ?? []) copies.set(c.roomId, c);
    for (const e of record?.plan.entries ?? [])
      if (e.state.kind === 'sent')
        copies.set(e.roomId, { roomId: e.roomId, eventId: e.state.eventId, unitCode: e.unitCode });
    for (const c of entry?.copies ?? []) if (!copies.has(c.roomId)) copies.set(c.roomId, c);
    return { circular, copies: [...copies.values()] };
  }
}
