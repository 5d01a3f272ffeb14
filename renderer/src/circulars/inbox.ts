/**
 * The recipient's side of circulars in one session: keeps the store's inbox, issued list and
 * reminder history current from a scan of the notice rooms, looks up the user's own acks of older
 * copies once per copy, and carries out open, acknowledge and forward.
 */
import type { StoreApi } from 'zustand';
import type { AckEventInput } from '../../../shared/circular/aggregate';
import { parseAck } from '../../../shared/circular/ack';
import { buildCircularForward } from '../../../shared/circular/forward';
import type { Circular } from '../../../shared/circular/types';
import type { AppState } from '../store/app-store';
import type { IssuedEntry } from '../store/circulars-slice';
import { acknowledgeCircular, type AckSender } from './acknowledge';
import type { CopyRef } from './collect-dashboard';
import type { OwnAck, ScanInputs, ScanResult } from './scan-circulars';

/** A forward the circular or the room does not allow. */
export class ForwardRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForwardRefusedError';
  }
}

/** What {@link Inbox} needs from the session (the client's rooms and server, or fakes in tests). */
export interface InboxDeps {
  store: StoreApi<AppState>;
  userId: string;
  /** Reads the circulars state from the notice rooms (scan-circulars.ts). */
  scan(inputs: ScanInputs): ScanResult;
  /** The acks of one copy, from the server. */
  fetchAcks(copy: CopyRef): Promise<AckEventInput[]>;
  /** Sends a public read receipt on a copy. */
  markRead(roomId: string, eventId: string): Promise<void>;
  /** Whether a room is end-to-end encrypted. */
  isEncrypted(roomId: string): boolean;
  /** Where acks and forwards go (the outbox, so they survive going offline). */
  send: AckSender;
  /** Something changed that a new scan would show. */
  onChange(): void;
}

/** See the module comment. */
export class Inbox {
  private readonly serverAcks = new Map<string, OwnAck>();
  private readonly ackLookups = new Set<string>();

  constructor(private readonly deps: InboxDeps) {}

  /** Scans the rooms into the store; fan-outs still running or stopped early stay listed. */
  scan(): void {
    const { store } = this.deps;
    const s = store.getState();
    const result = this.deps.scan({
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
    for (const copy of copies) {
      if (this.ackLookups.has(copy.eventId)) continue;
      this.ackLookups.add(copy.eventId);
      void this.deps
        .fetchAcks(copy)
        .then((acks) => {
          const mine = acks
            .filter((a) => a.sender === this.deps.userId && !a.redacted)
            .sort((a, b) => a.ts - b.ts)[0];
          if (!mine) return;
          const parsed = parseAck(mine.content);
          const note = parsed.ok ? parsed.ack.note : undefined;
          this.serverAcks.set(copy.eventId, { ackedAt: mine.ts, ...(note ? { note } : {}) });
          this.deps.onChange();
        })
        .catch(() => this.ackLookups.delete(copy.eventId));
    }
  }

  /** Opening a circular: a public read receipt on the copy. */
  open(roomId: string, eventId: string): Promise<void> {
    return this.deps.markRead(roomId, eventId);
  }

  /** Acknowledges a copy: shown at once, sent through the outbox (queued while offline). */
  async acknowledge(params: {
    roomId: string;
    eventId: string;
    circular: Circular;
    note?: string;
  }): Promise<void> {
    const note = params.note?.trim();
    await acknowledgeCircular({ send: this.deps.send, ...params, ...(note ? { note } : {}) });
    this.deps.store
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
    if (!this.deps.isEncrypted(params.toRoomId))
      throw new ForwardRefusedError('circulars are forwarded into end-to-end encrypted rooms only');
    for (const content of built.contents)
      await this.deps.send({ roomId: params.toRoomId, eventType: 'm.room.message', content });
  }
}
