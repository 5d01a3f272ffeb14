/**
 * Sends an event whose type or content the SDK's typed event map does not know (custom
 * `cn.hongyan.*` types and msgtypes), retrying the SDK's own failed local echo when there is one.
 */
import {
  Direction,
  EventStatus,
  type IContent,
  type MatrixClient,
  type MatrixEvent,
} from 'matrix-js-sdk';

/** The untyped form of `client.sendEvent(roomId, type, content, txnId)`. */
type UntypedSend = (
  roomId: string,
  eventType: string,
  content: IContent,
  txnId?: string,
) => Promise<{ event_id: string }>;

/** Parameters of {@link sendRawEvent}. */
export interface SendRawEventParams {
  client: MatrixClient;
  roomId: string;
  eventType: string;
  content: object;
  /** Stable transaction id: the server deduplicates sends by (device, transaction id). */
  txnId?: string;
}

/**
 * Sends one event and resolves with its event id. With a transaction id already used in this run,
 * the SDK's local echo is reused: a failed one is re-sent (same id, already-encrypted content), a
 * sent one returns its id. Rejects with the SDK's error (which carries `httpStatus` when the server
 * answered).
 */
export async function sendRawEvent(params: SendRawEventParams): Promise<string> {
  const { client, roomId, eventType, content, txnId } = params;
  const room = client.getRoom(roomId);
  const echo = txnId === undefined ? null : room?.getEventForTxnId(txnId);
  if (room && echo) {
    if (echo.status === EventStatus.NOT_SENT)
      return (await client.resendEvent(echo, room)).event_id;
    const id = echo.getId();
    if (!echo.status && id) return id;
  }
  // The SDK types sendEvent by its known event map; custom types go through the same call untyped.
  const send = client.sendEvent.bind(client) as unknown as UntypedSend;
  return (await send(roomId, eventType, content as IContent, txnId)).event_id;
}

/** Parameters of {@link findEventsBackwards}. */
export interface FindEventsParams {
  client: MatrixClient;
  roomId: string;
  /** Stop paging once events are older than this (ms). */
  since: number;
  /** Most pages of 100 events to read (default 10). */
  maxPages?: number;
  /** Whether an event (decrypted when possible) is the one looked for. */
  match(event: MatrixEvent): boolean;
}

/**
 * Pages back through a room's history on the server (not the local cache, which may predate a
 * restart), decrypting what it can, and returns the first event that matches, newest first.
 */
export async function findEventBackwards(
  params: FindEventsParams,
): Promise<MatrixEvent | undefined> {
  const { client, roomId } = params;
  const mapper = client.getEventMapper();
  let from: string | null = null;
  for (let page = 0; page < (params.maxPages ?? 10); page++) {
    const res = await client.createMessagesRequest(roomId, from, 100, Direction.Backward);
    const events = res.chunk.map(mapper);
    await Promise.all(events.map((e) => client.decryptEventIfNeeded(e)));
    const found = events.find((e) => params.match(e));
    if (found) return found;
    const oldest = events.at(-1);
    if (!res.end || events.length === 0 || (oldest !== undefined && oldest.getTs() < params.since))
      return undefined;
    from = res.end;
  }
  return undefined;
}
