import { MsgType, TypedEventEmitter, type MatrixClient } from 'matrix-js-sdk';
import { uploadEncryptedAttachment } from '../attachments';
import type { AttachmentInput } from '../../store/outbox-item';
import {
  classifySendError,
  clientSendEvent,
  describeSendError,
  type SendEvent,
  type SendFailure,
} from '../send-event';
import type { OutboxStore } from './outbox-store';
import type { OutboxItem } from '../../store/outbox-item';

/** Events of {@link Outbox}. */
export enum OutboxEvent {
  /** The set of queued items changed (added, sent, failed, removed). */
  Changed = 'outbox.changed',
  /** One item reached the server; carries its event ID. */
  Sent = 'outbox.sent',
}

/** Handler map of {@link OutboxEvent}. */
export type OutboxEventHandlerMap = {
  [OutboxEvent.Changed]: (items: OutboxItem[]) => void;
  [OutboxEvent.Sent]: (item: OutboxItem, eventId: string) => void;
};

/** Parameters of the {@link Outbox} constructor. */
export interface OutboxParams {
  client: MatrixClient;
  store: OutboxStore;
  /** First retry delay after a transient failure (ms, default 1000); doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest wait between attempts (ms, default 30 000). */
  maxDelayMs?: number;
  /** How an item is sent (default: through the client; tests inject their own). */
  send?: SendEvent;
  /** Encrypts and uploads a queued attachment; returns the message content. Default: {@link uploadEncryptedAttachment}. */
  uploadAttachment?: (
    client: MatrixClient,
    file: AttachmentInput,
    onProgress: (loaded: number, total: number) => void,
  ) => Promise<Record<string, unknown>>;
}

/**
 * The queue of outgoing messages. Every message is written to the store *before* the first attempt
 * and deleted only after the server has accepted it, each with one stable transaction ID for all
 * attempts. So a message composed offline is sent when the server returns, a message whose
 * acknowledgment was lost is not duplicated, and an app restart resumes where it left off.
 * Messages go out one at a time in the order they were written.
 */
export class Outbox extends TypedEventEmitter<OutboxEvent, OutboxEventHandlerMap> {
  private items: OutboxItem[] = [];
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delayMs: number;
  private stopped = false;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sendEvent: SendEvent;

  constructor(private readonly params: OutboxParams) {
    super();
    this.initialDelayMs = params.initialDelayMs ?? 1000;
    this.maxDelayMs = params.maxDelayMs ?? 30_000;
    this.delayMs = this.initialDelayMs;
    this.sendEvent = params.send ?? clientSendEvent(params.client);
  }

  /** Loads what a previous run left in the store and starts sending it. */
  async start(): Promise<void> {
    this.stopped = false;
    this.items = (await this.params.store.list()).sort((a, b) => a.createdAt - b.createdAt);
    this.emitChanged();
    this.kick();
  }

  /** Stops retrying (items stay in the store for the next start). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A snapshot of queued items, oldest first. */
  list(): OutboxItem[] {
    return this.items.map((i) => ({ ...i }));
  }

  /** Queues a message and returns its transaction ID. Resolves once it is safely stored, not sent. */
  async enqueue(params: {
    roomId: string;
    content: Record<string, unknown>;
    eventType?: string;
  }): Promise<string> {
    return this.add({
      roomId: params.roomId,
      eventType: params.eventType ?? 'm.room.message',
      content: params.content,
    });
  }

  /**
   * Queues a file: it is kept (sealed) with the queue, encrypted and uploaded when the server can
   * be reached, and then sent like any message. Returns the transaction ID once safely stored.
   */
  async enqueueAttachment(params: { roomId: string; file: AttachmentInput }): Promise<string> {
    const { file } = params;
    return this.add({
      roomId: params.roomId,
      eventType: 'm.room.message',
      // What the queue shows until the upload has produced the real content.
      content: {
        msgtype: file.mimeType.startsWith('image/') ? MsgType.Image : MsgType.File,
        body: file.name,
      },
      attachment: file,
    });
  }

  /** Stores a new item, then shows and tries it. */
  private async add(
    fields: Omit<OutboxItem, 'txnId' | 'createdAt' | 'status' | 'attempts'>,
  ): Promise<string> {
    const item: OutboxItem = {
      txnId: newTxnId(),
      ...fields,
      createdAt: Date.now(),
      status: 'pending',
      attempts: 0,
    };
    await this.params.store.put(item);
    this.items = [...this.items, item];
    this.emitChanged();
    this.kick();
    return item.txnId;
  }

  /** Tries a failed item again (the user pressed retry). */
  async retry(txnId: string): Promise<void> {
    const item = this.items.find((i) => i.txnId === txnId);
    if (!item) return;
    const updated: OutboxItem = { ...item, status: 'pending' };
    await this.params.store.put(updated);
    this.replace(updated);
    this.kick();
  }

  /** Deletes an item that has not been sent (the user pressed delete). */
  async remove(txnId: string): Promise<void> {
    const item = this.items.find((i) => i.txnId === txnId);
    if (item) this.discardLocalEcho(txnId, item.roomId);
    await this.params.store.delete(txnId);
    this.items = this.items.filter((i) => i.txnId !== txnId);
    this.emitChanged();
  }

  /** Attempts the queue now, e.g. because sync reports the server is back. Resets the backoff. */
  kick(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.delayMs = this.initialDelayMs;
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when nothing is pending (failed items may remain). For tests and shutdown. */
  async whenIdle(): Promise<void> {
    while (this.items.some((i) => i.status === 'pending')) {
      await new Promise<void>((resolve) => this.once(OutboxEvent.Changed, () => resolve()));
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const next = this.items.find((i) => i.status === 'pending');
      if (!next) return;
      const outcome = await this.attempt(next);
      if (outcome === 'transient') {
        this.timer = setTimeout(() => this.kick(), this.delayMs);
        this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
        return;
      }
      this.delayMs = this.initialDelayMs;
    }
  }

  private async attempt(item: OutboxItem): Promise<'sent' | SendFailure> {
    const { store } = this.params;
    let counted: OutboxItem = { ...item, attempts: item.attempts + 1 };
    try {
      if (counted.attachment) counted = await this.upload(counted);
      const event_id = await this.send(counted);
      await store.delete(item.txnId);
      this.items = this.items.filter((i) => i.txnId !== item.txnId);
      this.emit(OutboxEvent.Sent, counted, event_id);
      this.emitChanged();
      return 'sent';
    } catch (err) {
      const kind = classifySendError(err);
      const { uploadPercent: _progress, ...last } = counted;
      const failed: OutboxItem = {
        ...last,
        status: kind === 'permanent' ? 'failed' : 'pending',
        lastError: describeSendError(err),
      };
      await store.put(failed).catch(() => undefined);
      this.replace(failed);
      return kind;
    }
  }

  /**
   * Uploads a queued attachment and stores the resulting content in place of the file *before*
   * the event is sent: from then on, retries and restarts only send. (Should the app die between
   * the server's answer and that write, the next run uploads again; the event is still sent once.)
   */
  private async upload(item: OutboxItem): Promise<OutboxItem> {
    const { client } = this.params;
    const file = item.attachment;
    if (!file) return item;
    const upload = this.params.uploadAttachment ?? defaultUpload;
    let shown = -1;
    const content = await upload(client, file, (loaded, total) => {
      const percent = total ? Math.floor((loaded / total) * 100) : 0;
      if (percent === shown) return;
      shown = percent;
      this.replace({ ...item, uploadPercent: percent });
    });
    const { attachment: _sent, uploadPercent: _progress, ...rest } = item;
    const uploaded: OutboxItem = { ...rest, content };
    await this.params.store.put(uploaded);
    this.replace(uploaded);
    return uploaded;
  }

  /** One attempt, under the item's one transaction ID (see {@link clientSendEvent}). */
  private send(item: OutboxItem): Promise<string> {
    const { roomId, eventType, content, txnId } = item;
    return this.sendEvent({ roomId, eventType, content, txnId });
  }

  /** Drops the SDK's failed local echo of a message the user deleted. */
  private discardLocalEcho(txnId: string, roomId: string): void {
    const echo = this.params.client.getRoom(roomId)?.getEventForTxnId(txnId);
    if (!echo) return;
    try {
      this.params.client.cancelPendingEvent(echo);
    } catch {
      // Being sent right now or already sent: nothing to clean up.
    }
  }

  private replace(item: OutboxItem): void {
    this.items = this.items.map((i) => (i.txnId === item.txnId ? item : i));
    this.emitChanged();
  }

  private emitChanged(): void {
    this.emit(OutboxEvent.Changed, this.list());
  }
}

function defaultUpload(
  client: MatrixClient,
  file: AttachmentInput,
  onProgress: (loaded: number, total: number) => void,
): Promise<Record<string, unknown>> {
  return uploadEncryptedAttachment({ client, file, onProgress });
}

/** A transaction ID unique to this device: random, so two app instances never collide. */
function newTxnId(): string {
  return `hy${Date.now().toString(36)}.${crypto.randomUUID().replace(/-/g, '')}`;
}
