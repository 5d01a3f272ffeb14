/**
 * The circulars feature of one signed-in session: keeps the store's inbox, issued list and open
 * dashboard current as events, receipts and acks arrive, and carries out the user's actions
 * (open, acknowledge, issue, remind). Holds the SDK objects; the store gets plain data only.
 */
import {
  ClientEvent,
  MatrixEventEvent,
  RoomEvent,
  SyncState,
  type MatrixClient,
} from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import { aggregateCircular } from '../../../shared/circular/aggregate';
import { fanOutProgress } from '../../../shared/circular/fan-out';
import { buildCircularForward } from '../../../shared/circular/forward';
import {
  buildReminderContent,
  chunkReminderUsers,
  planReminders,
} from '../../../shared/circular/reminder';
import type { Circular } from '../../../shared/circular/types';
import { CIRCULAR_MSGTYPE } from '../../../shared/matrix-types';
import { listen, unsubscribeAll } from '../matrix/listen';
import type { AppState } from '../store/app-store';
import type { IssuedEntry } from '../store/circulars-slice';
import { acknowledgeCircular, markCircularRead, type AckSender } from './acknowledge';
import { withAwaitingKeys } from './awaiting-key-recipients';
import {
  collectDashboardInput,
  DashboardCache,
  fetchAcks,
  type CopyRef,
} from './collect-dashboard';
import { FanOutEvent, FanOutRunner, unfinishedFanOuts } from './fan-out-runner';
import type { FanOutStore } from './fan-out-store';
import { saveFanOut, type PreparedCircular } from './issue';
import { scanCirculars, type OwnAck } from './scan-circulars';
import { sendRawEvent } from './send-raw';
import { prepareFanOutEncryption } from './warm-up-encryption';

/** Least time between two reminder rounds of one circular. */
export const REMINDER_INTERVAL_MS = 10 * 60_000;

/** A reminder was refused because the last round was too recent. */
export class ReminderRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`a reminder was sent less than ${REMINDER_INTERVAL_MS / 60_000} minutes ago`);
    this.name = 'ReminderRateLimitedError';
  }
}

/** A forward the circular or the room does not allow. */
export class ForwardRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForwardRefusedError';
  }
}

/** Parameters of the {@link CircularsController} constructor. */
export interface CircularsControllerParams {
  client: MatrixClient;
  store: StoreApi<AppState>;
  fanOuts: FanOutStore;
  /** Where acks and forwards go (the app's outbox, so they survive going offline). */
  sendAck: AckSender;
}

/** See the module comment. Create one per signed-in client; `start()` binds, `stop()` unbinds. */
export class CircularsController {
  private readonly unbinders: (() => void)[] = [];
  private readonly runners = new Map<string, FanOutRunner>();
  /** Copies of fan-outs finished in this session (their stored records are deleted when done). */
  private readonly finished = new Map<string, { circular: Circular; copies: CopyRef[] }>();
  private readonly serverAcks = new Map<string, OwnAck>();
  private readonly ackLookups = new Set<string>();
  private dashboardCache = new DashboardCache();
  private dashboardFor: string | null = null;
  private scanTimer: ReturnType<typeof setTimeout> | null = null;
  private dashboardBusy = false;
  private dashboardDirty = false;
  private refetchAcks = true;
  private started = false;
  private everStarted = false;

  constructor(private readonly params: CircularsControllerParams) {}

  /** Subscribes to the client and the store, scans once, and resumes this account's unfinished fan-outs. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { client, store } = this.params;
    // A new controller is a new session: nothing of a previous account's circulars may show.
    if (!this.everStarted) store.getState().clearCirculars();
    this.everStarted = true;
    const schedule = () => this.schedule();
    const onSync = (state: SyncState, prev: SyncState | null) => {
      // After a reconnect, acks may have arrived that the live timeline never saw.
      if (state === SyncState.Syncing && prev !== SyncState.Syncing) this.refetchAcks = true;
      schedule();
    };
    const unlisten = unsubscribeAll([
      listen(client, RoomEvent.Timeline, schedule),
      listen(client, RoomEvent.Receipt, schedule),
      listen(client, MatrixEventEvent.Decrypted, schedule),
      listen(client, ClientEvent.Sync, onSync),
    ]);
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.outbox !== prev.outbox || s.localAcks !== prev.localAcks) schedule();
      const id = s.dashboard?.circularId ?? null;
      // A dashboard opened (again): start from fresh server data.
      if (id !== this.dashboardFor || (s.dashboard !== null && prev.dashboard === null)) {
        this.dashboardFor = id;
        this.dashboardCache = new DashboardCache();
        this.refetchAcks = true;
        if (id) void this.refreshDashboard();
      }
    });
    this.unbinders.push(unlisten, unsubscribe);
    this.dashboardFor = store.getState().dashboard?.circularId ?? null;
    this.dashboardCache = new DashboardCache();
    this.refetchAcks = true;
    this.scan();
    if (this.dashboardFor) void this.refreshDashboard();
    void this.resumeFanOuts();
  }

  /** Unbinds from the client and the store. Fan-outs in flight go on (see {@link stopFanOuts}). */
  stop(): void {
    this.started = false;
    for (const u of this.unbinders.splice(0)) u();
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = null;
  }

  /** Stops running fan-outs after their current sends; their stored records resume on the next start. */
  stopFanOuts(): void {
    for (const r of this.runners.values()) r.stop();
  }

  private schedule(): void {
    // A sync batch brings many events at once: one scan per batch is enough.
    if (this.scanTimer) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = null;
      this.scan();
      void this.refreshDashboard();
    }, 100);
  }

  private scan(): void {
    const { client, store } = this.params;
    const s = store.getState();
    const result = scanCirculars(client, {
      localAcks: s.localAcks,
      serverAcks: this.serverAcks,
      outbox: s.outbox,
    });
    const progressById = new Map(
      s.issuedCirculars.filter((e) => e.progress).map((e) => [e.circularId, e.progress]),
    );
    const issued: IssuedEntry[] = result.issued.map((e) => {
      const progress = progressById.get(e.circularId);
      return progress ? { ...e, progress } : e;
    });
    // Fan-outs still running or stopped early stay listed even before any copy was seen.
    for (const old of s.issuedCirculars)
      if (old.progress && !issued.some((e) => e.circularId === old.circularId)) issued.push(old);
    s.setCircularInbox(result.inbox, result.invalid);
    s.setIssuedCirculars(issued);
    s.setReminders(result.reminders);
    this.lookUpOwnAcks(
      result.inbox
        .filter((e) => e.status !== 'acknowledged')
        .map((e) => ({ roomId: e.roomId, eventId: e.eventId, unitCode: '' })),
    );
  }

  /** Acks of older copies are not in the loaded timeline: ask the server once per copy. */
  private lookUpOwnAcks(copies: CopyRef[]): void {
    const { client } = this.params;
    const me = client.getSafeUserId();
    for (const copy of copies) {
      if (this.ackLookups.has(copy.eventId)) continue;
      this.ackLookups.add(copy.eventId);
      void fetchAcks(client, copy)
        .then((acks) => {
          const mine = acks
            .filter((a) => a.sender === me && !a.redacted)
            .sort((a, b) => a.ts - b.ts)[0];
          if (!mine) return;
          const note = (mine.content as { 'cn.hongyan.ack'?: { note?: string } })['cn.hongyan.ack']
            ?.note;
          this.serverAcks.set(copy.eventId, { ackedAt: mine.ts, ...(note ? { note } : {}) });
          this.schedule();
        })
        .catch(() => this.ackLookups.delete(copy.eventId));
    }
  }

  /** Opening a circular: a public read receipt on the copy. */
  async open(roomId: string, eventId: string): Promise<void> {
    await markCircularRead(this.params.client, roomId, eventId);
  }

  /** Acknowledges a copy: shown at once, sent through the outbox (queued while offline). */
  async acknowledge(params: {
    roomId: string;
    eventId: string;
    circular: Circular;
    note?: string;
  }): Promise<void> {
    const note = params.note?.trim();
    await acknowledgeCircular({ send: this.params.sendAck, ...params, ...(note ? { note } : {}) });
    this.params.store
      .getState()
      .addLocalAck(params.eventId, { ackedAt: Date.now(), ...(note ? { note } : {}) });
  }

  /**
   * Forwards a received circular into a chat room: the notice as a formatted message, then each
   * attachment (see shared/circular/forward.ts), through the outbox so it survives going offline.
   * @throws ForwardRefusedError for a no-forward circular or a room that is not end-to-end encrypted.
   */
  async forward(params: { circular: Circular; toRoomId: string }): Promise<void> {
    const built = buildCircularForward(params.circular);
    if (!built.ok)
      throw new ForwardRefusedError('the issuer does not allow forwarding this circular');
    // Attachments travel with their file keys, which may only ever sit inside encrypted events.
    if (!this.params.client.getRoom(params.toRoomId)?.hasEncryptionStateEvent())
      throw new ForwardRefusedError('circulars are forwarded into end-to-end encrypted rooms only');
    for (const content of built.contents)
      await this.params.sendAck({ roomId: params.toRoomId, eventType: 'm.room.message', content });
  }

  /** Saves the fan-out of a prepared circular and starts sending it; resolves when the run ends. */
  async issue(prepared: PreparedCircular): Promise<void> {
    const { client, fanOuts, store } = this.params;
    await saveFanOut({ store: fanOuts, prepared, senderId: client.getSafeUserId() });
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

  /**
   * Prepares encryption for the notice rooms of a selection while the issuer is still writing:
   * recipients' devices, Olm sessions and each room's key, shared in batches (see
   * warm-up-encryption.ts). Sending then only encrypts and posts the copies. Rooms already
   * prepared cost next to nothing, so calling it on every change of the selection is fine.
   */
  prepareEncryption(roomIds: readonly string[]): void {
    if (roomIds.length === 0) return;
    void prepareFanOutEncryption(this.params.client, roomIds);
  }

  /** Re-runs a fan-out that stopped (the user pressed "continue"). */
  async resume(circularId: string): Promise<void> {
    await this.run(circularId);
  }

  private async resumeFanOuts(): Promise<void> {
    const { client, fanOuts, store } = this.params;
    const records = await unfinishedFanOuts(fanOuts, client.getSafeUserId()).catch(() => []);
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
      void this.run(c.id);
    }
  }

  private async run(circularId: string): Promise<void> {
    if (this.runners.has(circularId)) return;
    const { client, fanOuts, store } = this.params;
    const runner = new FanOutRunner({ client, store: fanOuts, circularId });
    this.runners.set(circularId, runner);
    runner.on(FanOutEvent.Progress, (p) => store.getState().setFanOutProgress(circularId, p));
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
      this.schedule();
    }
  }

  /** The circular and its copies: from the rooms, completed by this device's fan-out record. */
  private async copiesOf(
    circularId: string,
  ): Promise<{ circular: Circular; copies: CopyRef[] } | undefined> {
    const entry = this.params.store
      .getState()
      .issuedCirculars.find((e) => e.circularId === circularId);
    const record = await this.params.fanOuts.get(circularId).catch(() => undefined);
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

  private async refreshDashboard(): Promise<void> {
    const id = this.dashboardFor;
    if (!id) return;
    if (this.dashboardBusy) {
      this.dashboardDirty = true;
      return;
    }
    this.dashboardBusy = true;
    const { store, client } = this.params;
    const prev = store.getState().dashboard;
    if (!prev?.aggregate)
      store.getState().setDashboard({
        circularId: id,
        aggregate: null,
        updatedAt: Date.now(),
        loading: true,
        error: null,
      });
    try {
      const found = await this.copiesOf(id);
      if (!found) throw new Error(`circular ${id} is not known on this device`);
      const refetch = this.refetchAcks;
      this.refetchAcks = false;
      const input = await collectDashboardInput({
        client,
        ...found,
        cache: this.dashboardCache,
        refetchAcks: refetch,
        now: Date.now(),
      });
      if (this.dashboardFor === id)
        store.getState().setDashboard({
          circularId: id,
          aggregate: await withAwaitingKeys(client, aggregateCircular(input)),
          updatedAt: Date.now(),
          loading: false,
          error: null,
        });
    } catch (err) {
      if (this.dashboardFor === id)
        store.getState().setDashboard({
          circularId: id,
          aggregate: prev?.aggregate ?? null,
          updatedAt: Date.now(),
          loading: false,
          error: (err as Error).message,
        });
    } finally {
      this.dashboardBusy = false;
      if (this.dashboardDirty) {
        this.dashboardDirty = false;
        void this.refreshDashboard();
      }
    }
  }

  /**
   * Reminds every recipient who has not yet done what the circular asks (催办): one message per
   * room, mentioning that room's pending recipients, each person once ({@link planReminders}). At most one round per
   * {@link REMINDER_INTERVAL_MS} per circular.
   *
   * @throws {ReminderRateLimitedError} when the last round is too recent.
   */
  async remind(
    circularId: string,
    now = Date.now(),
  ): Promise<{ rooms: number; users: number; awaitingKey: number }> {
    const { client, store } = this.params;
    const last = store.getState().reminders[circularId]?.at(-1);
    if (last && now - last.at < REMINDER_INTERVAL_MS)
      throw new ReminderRateLimitedError(REMINDER_INTERVAL_MS - (now - last.at));
    const found = await this.copiesOf(circularId);
    const agg =
      store.getState().dashboard?.circularId === circularId
        ? store.getState().dashboard?.aggregate
        : null;
    if (!found || !agg) throw new Error('open the dashboard of the circular first');
    const { circular, copies } = found;
    const { byRoom, users } = planReminders(agg.recipients, circular.ackRequired);
    // Record the round first, so a second press while sending is refused too.
    const round = { at: now, rooms: byRoom.size, users };
    store.getState().setReminders({
      ...store.getState().reminders,
      [circularId]: [...(store.getState().reminders[circularId] ?? []), round],
    });
    for (const [roomId, userIds] of byRoom) {
      const copy = copies.find((c) => c.roomId === roomId);
      if (!copy) continue;
      const room = client.getRoom(roomId);
      for (const chunk of chunkReminderUsers(userIds)) {
        const content = buildReminderContent({
          circularId,
          eventId: copy.eventId,
          title: circular.title,
          users: chunk.map((userId) => {
            const name = room?.getMember(userId)?.name;
            return name && name !== userId ? { userId, displayName: name } : { userId };
          }),
          ...(circular.ackRequired && circular.ackDeadline !== undefined
            ? { ackDeadline: circular.ackDeadline }
            : {}),
        });
        await sendRawEvent({ client, roomId, eventType: 'm.room.message', content });
      }
    }
    return { rooms: round.rooms, users: round.users, awaitingKey: agg.awaitingKey ?? 0 };
  }
}
