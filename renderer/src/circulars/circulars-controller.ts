/**
 * The circulars feature of one signed-in session. Wires the inbox, fan-outs, dashboard and
 * reminders modules to the Matrix client, refreshes them as events, receipts and acks arrive, and
 * is the one object the views talk to: they issue commands (open, acknowledge, forward, prepare,
 * issue, openDashboard, closeDashboard, remind) and read plain data from the store. Holds the SDK
 * objects; the store gets plain data only.
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
import type { FanOutCounts } from '../../../shared/circular/targeting';
import type { ParseError } from '../../../shared/circular/parse-result';
import type { CircularAttachment, CircularTarget } from '../../../shared/circular/types';
import type { AttachmentInput } from '../store/outbox-item';
import { listen, unsubscribeAll } from '../matrix/listen';
import type { AppState } from '../store/app-store';
import { directAckSender, markCircularRead, type AckSender } from './acknowledge';
import { withAwaitingKeys } from './awaiting-key-recipients';
import { collectDashboardInput, DashboardCache, fetchAcks } from './collect-dashboard';
import { Dashboard, type DashboardAggregate } from './dashboard';
import { FanOutEvent, FanOutRunner } from './fan-out-runner';
import type { FanOutStore } from './fan-out-store';
import { FanOuts } from './fan-outs';
import { Inbox } from './inbox';
import {
  prepareCircular,
  previewTargets,
  uploadCircularAttachment,
  type CircularDraft,
  type PreparedCircular,
} from './issue';
import { Reminders, type RemindResult } from './reminders';
import { scanCirculars } from './scan-circulars';
import { prepareFanOutEncryption } from './warm-up-encryption';
import { reportAudit } from '../audit/report-audit';

export { ForwardRefusedError } from './inbox';
export { REMINDER_INTERVAL_MS, ReminderRateLimitedError } from './reminders';

/** Parameters of the {@link CircularsController} constructor. */
export interface CircularsControllerParams {
  client: MatrixClient;
  store: StoreApi<AppState>;
  fanOuts: FanOutStore;
  /** Where acks and forwards go (the app's outbox, so they survive going offline). */
  sendAck: AckSender;
  /** Where reminders go (default: straight through the client). */
  sendReminder?: AckSender;
}

/** See the module comment. Create one per signed-in client; `start()` binds, `stop()` unbinds. */
export class CircularsController {
  private readonly unbinders: (() => void)[] = [];
  private readonly inbox: Inbox;
  private readonly fanOutRuns: FanOuts;
  private readonly dashboard: Dashboard;
  private readonly reminders: Reminders;
  private dashboardCache = new DashboardCache();
  private scanTimer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private everStarted = false;

  constructor(private readonly params: CircularsControllerParams) {
    const { client, store, fanOuts, sendAck } = params;
    const userId = client.getSafeUserId();
    this.inbox = new Inbox({
      store,
      userId,
      scan: (inputs) => scanCirculars(client, inputs, store.getState().org),
      fetchAcks: (copy) => fetchAcks(client, copy),
      markRead: (roomId, eventId) => markCircularRead(client, roomId, eventId),
      isEncrypted: (roomId) => client.getRoom(roomId)?.hasEncryptionStateEvent() ?? false,
      send: sendAck,
      onChange: () => this.schedule(),
    });
    this.fanOutRuns = new FanOuts({
      store,
      fanOuts,
      userId,
      createRunner: (circularId) => {
        const runner = new FanOutRunner({ client, store: fanOuts, circularId });
        return {
          get current() {
            return runner.current;
          },
          onProgress: (handler) => void listen(runner, FanOutEvent.Progress, handler),
          run: () => runner.run(),
          stop: () => runner.stop(),
        };
      },
      onRunEnded: () => this.schedule(),
    });
    this.dashboard = new Dashboard(store, (id, options) => this.collectDashboard(id, options));
    this.reminders = new Reminders({
      store,
      copiesOf: (id) => this.fanOutRuns.copiesOf(id),
      send: params.sendReminder ?? directAckSender(client),
    });
  }

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
      if (state === SyncState.Syncing && prev !== SyncState.Syncing)
        this.dashboard.refetchOnNextRefresh();
      schedule();
    };
    const unlisten = unsubscribeAll([
      listen(client, RoomEvent.Timeline, schedule),
      listen(client, RoomEvent.Receipt, schedule),
      listen(client, MatrixEventEvent.Decrypted, schedule),
      listen(client, ClientEvent.Sync, onSync),
    ]);
    const unsubscribe = store.subscribe((s, prev) => {
      // A new org view can change which circulars are trusted.
      if (s.outbox !== prev.outbox || s.localAcks !== prev.localAcks || s.org !== prev.org)
        schedule();
    });
    this.unbinders.push(unlisten, unsubscribe);
    this.inbox.scan();
    void this.dashboard.refresh();
    void this.fanOutRuns.resumeAll();
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
    this.fanOutRuns.stop();
  }

  /** Circulars whose fan-out runs now. */
  get runningFanOuts(): string[] {
    return this.fanOutRuns.running;
  }

  private schedule(): void {
    // A sync batch brings many events at once: one scan per batch is enough.
    if (this.scanTimer || !this.started) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = null;
      this.inbox.scan();
      void this.dashboard.refresh();
    }, 100);
  }

  private async collectDashboard(
    circularId: string,
    options: { fresh: boolean; reopened: boolean },
  ): Promise<DashboardAggregate> {
    const { client } = this.params;
    if (options.reopened) this.dashboardCache = new DashboardCache();
    const found = await this.fanOutRuns.copiesOf(circularId);
    if (!found) throw new Error(`circular ${circularId} is not known on this device`);
    const input = await collectDashboardInput({
      client,
      ...found,
      cache: this.dashboardCache,
      refetchAcks: options.fresh,
      now: Date.now(),
    });
    return withAwaitingKeys(client, aggregateCircular(input));
  }

  /** The homeserver's name (for reports). */
  get serverName(): string {
    return this.params.client.getDomain() ?? '';
  }

  // ---- Commands of the views ----

  /** Opening a circular: a public read receipt on the copy. */
  open(roomId: string, eventId: string): Promise<void> {
    return this.inbox.open(roomId, eventId);
  }

  /** Acknowledges a copy: shown at once, sent through the outbox (queued while offline). */
  acknowledge(params: Parameters<Inbox['acknowledge']>[0]): Promise<void> {
    return this.inbox.acknowledge(params);
  }

  /** Forwards a received circular into an encrypted chat room (see inbox.ts). */
  forward(params: Parameters<Inbox['forward']>[0]): Promise<void> {
    return this.inbox.forward(params);
  }

  /** What a selection of targets reaches, before anything is written. */
  preview(
    targets: readonly CircularTarget[],
  ): Promise<{ ok: true; counts: FanOutCounts } | { ok: false; errors: ParseError[] }> {
    const org = this.params.store.getState().org;
    if (!org)
      return Promise.resolve({ ok: false, errors: [{ path: '', message: 'no organisation' }] });
    return previewTargets({ client: this.params.client, org, targets });
  }

  /** Encrypts and uploads one attachment of a draft. */
  upload(file: AttachmentInput): Promise<CircularAttachment> {
    return uploadCircularAttachment({ client: this.params.client, file });
  }

  /** Checks a draft against the organisation and plans its fan-out (sends nothing). */
  prepare(draft: CircularDraft): Promise<PreparedCircular> {
    const org = this.params.store.getState().org;
    if (!org) return Promise.reject(new Error('the organisation is not loaded yet'));
    return prepareCircular({ client: this.params.client, org, draft });
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

  /** Saves the fan-out of a prepared circular and starts sending it; resolves when the run ends. */
  issue(prepared: PreparedCircular): Promise<void> {
    void reportAudit(this.params.client, {
      action: 'circular.issue',
      circularId: prepared.circular.id,
      rooms: prepared.plan.entries.map((e) => e.roomId),
    });
    return this.fanOutRuns.issue(prepared);
  }

  /** Re-runs a fan-out that stopped (the user pressed "continue"). */
  resume(circularId: string): Promise<void> {
    return this.fanOutRuns.resume(circularId);
  }

  /** Opens the dashboard of an issued circular: the store's `dashboard` follows it live. */
  openDashboard(circularId: string): Promise<void> {
    return this.dashboard.open(circularId);
  }

  /** Tells the org agent that an ack report was exported, for the audit log. */
  reportExport(
    circularId: string,
    format: 'csv' | 'xlsx',
    recipients: readonly { roomId: string }[],
  ): Promise<void> {
    return reportAudit(this.params.client, {
      action: 'circular.export',
      circularId,
      rooms: [...new Set(recipients.map((r) => r.roomId))],
      format,
      rows: recipients.length,
    });
  }

  /** Closes the open dashboard. */
  closeDashboard(): void {
    this.dashboard.close();
  }

  /** Reminds the pending recipients of the circular whose dashboard is open (催办, see reminders.ts). */
  async remind(circularId: string, now = Date.now()): Promise<RemindResult> {
    const result = await this.reminders.remind(circularId, now);
    const rooms = this.params.store
      .getState()
      .dashboard?.aggregate?.recipients.map((r) => r.roomId);
    if (result.rooms > 0 && rooms?.length)
      void reportAudit(this.params.client, {
        action: 'circular.remind',
        circularId,
        rooms: [...new Set(rooms)],
        users: result.users,
      });
    return result;
  }
}
