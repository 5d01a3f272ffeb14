/**
 * Sending an event by hand (tools and tests; the app sends through its outbox and fan-outs) and
 * finding one on the server after a restart.
 */
import { Direction, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { clientSendEvent, type EventToSend } from '../matrix/send-event';

/** Sends one event through the client; see {@link clientSendEvent}. */
export function sendRawEvent(params: EventToSend & { client: MatrixClient }): Promise<string> {
  const { client, ...event } = params;
  return clientSendEvent(client)(event);
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
