/**
 * The app's one way of sending an event: idempotent by transaction id, with one classification of
 * send errors (worth retrying or not) and one short description of them. The outbox (messages,
 * acks, reminders) and circular fan-outs send through a {@link SendEvent}; tests inject their own.
 */
import { EventStatus, type IContent, type MatrixClient } from 'matrix-js-sdk';

/** One event to send. */
export interface EventToSend {
  roomId: string;
  /** Any type, including the app's own `cn.hongyan.*` types the SDK's typed map does not know. */
  eventType: string;
  content: object;
  /** Stable transaction id: the server deduplicates sends by (device, transaction id). */
  txnId?: string;
}

/** Sends one event and resolves with its event id; rejects with the error as the SDK gives it. */
export type SendEvent = (event: EventToSend) => Promise<string>;

/** The untyped form of `client.sendEvent(roomId, type, content, txnId)`. */
type UntypedSend = (
  roomId: string,
  eventType: string,
  content: IContent,
  txnId?: string,
) => Promise<{ event_id: string }>;

/**
 * Sends through the client. With a transaction id already used in this run, the SDK's local echo
 * is reused: a failed one is re-sent (same id, already-encrypted content), a sent one returns its
 * id. After a restart the SDK has no echo and the event is sent afresh under the same id. Either
 * way the PUT is idempotent on the server. Errors carry `httpStatus` when the server answered.
 */
export function clientSendEvent(client: MatrixClient): SendEvent {
  // The SDK types sendEvent by its known event map; custom types go through the same call untyped.
  const send = client.sendEvent.bind(client) as unknown as UntypedSend;
  return async ({ roomId, eventType, content, txnId }) => {
    const room = client.getRoom(roomId);
    const echo = txnId === undefined ? null : room?.getEventForTxnId(txnId);
    if (room && echo) {
      if (echo.status === EventStatus.NOT_SENT)
        return (await client.resendEvent(echo, room)).event_id;
      const id = echo.getId();
      if (!echo.status && id) return id; // the server already has it
    }
    return (await send(roomId, eventType, content as IContent, txnId)).event_id;
  };
}

/** Why an attempt failed: worth retrying, or not going to change by retrying. */
export type SendFailure = 'transient' | 'permanent';

/**
 * Classifies a send error: network trouble, server errors and rate limits are worth retrying;
 * other 4xx answers (forbidden, too large, unknown room) will not change by retrying.
 */
export function classifySendError(err: unknown): SendFailure {
  const e = err as { httpStatus?: number } | null | undefined;
  if (e?.httpStatus === undefined) return 'transient'; // no HTTP answer: connection refused, timeout, encryption waiting on the server
  if (e.httpStatus === 429 || e.httpStatus >= 500) return 'transient';
  return 'permanent';
}

/**
 * A short, secret-free description of a send error, kept with the failed item or fan-out entry:
 * the Matrix error code, else the HTTP status, else the error's kind or message.
 */
export function describeSendError(err: unknown): string {
  const e = err as { errcode?: string; httpStatus?: number; name?: string; message?: string };
  if (e?.errcode) return e.errcode;
  if (e?.httpStatus) return `HTTP ${e.httpStatus}`;
  if (e?.name && e.name !== 'Error') return e.name;
  return (e?.message ?? String(err)).slice(0, 200);
}
