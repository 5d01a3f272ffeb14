/**
 * The recipient's side: a public read receipt when a circular is opened, and the acknowledgment
 * (签收) with its optional reply note (回执).
 */
import { Method, ReceiptType, type MatrixClient } from 'matrix-js-sdk';
import { buildAckContent } from '../../../shared/circular/ack';
import { circularDigest } from '../../../shared/circular/content-digest';
import type { Circular } from '../../../shared/circular/types';
import { ACK_EVENT } from '../../../shared/matrix-types';
import { clientSendEvent } from '../matrix/send-event';

/**
 * Where acks go out: the app's outbox (queued, persisted, retried — so an ack made offline is sent
 * when the server is back), or a direct send in Node tools and tests.
 */
export type AckSender = (params: {
  roomId: string;
  eventType: string;
  content: Record<string, unknown>;
}) => Promise<unknown>;

/** An {@link AckSender} that sends at once through the client (no queue). */
export function directAckSender(client: MatrixClient): AckSender {
  const send = clientSendEvent(client);
  return ({ roomId, eventType, content }) => send({ roomId, eventType, content });
}

/** Parameters of {@link acknowledgeCircular}. */
export interface AcknowledgeParams {
  send: AckSender;
  roomId: string;
  /** The copy's event id in this room. */
  eventId: string;
  /** The circular as decrypted from that copy: the ack carries its digest as proof of receipt. */
  circular: Circular;
  /** Optional reply note (回执), at most 500 characters; blank means none. */
  note?: string;
}

/**
 * Acknowledges one copy: a `cn.hongyan.ack` event referencing it. Resolves when the sender accepted
 * it (for the outbox: stored, not yet sent).
 *
 * @throws {ContentInputError} for a malformed id or an over-long note (nothing is sent).
 */
export async function acknowledgeCircular(params: AcknowledgeParams): Promise<void> {
  const content = buildAckContent({
    circularId: params.circular.id,
    eventId: params.eventId,
    contentSha256: circularDigest(params.circular),
    ...(params.note !== undefined ? { note: params.note } : {}),
  });
  await params.send({
    roomId: params.roomId,
    eventType: ACK_EVENT,
    content: content as unknown as Record<string, unknown>,
  });
}

/**
 * Sends a public `m.read` receipt on the copy ("read up to here"). Never a private receipt: in a
 * notice room reading is what the issuer tracks. A receipt on an event the client does not have
 * loaded is sent by id.
 */
export async function markCircularRead(
  client: MatrixClient,
  roomId: string,
  eventId: string,
): Promise<void> {
  const room = client.getRoom(roomId);
  const event = room?.findEventById(eventId);
  if (event) {
    // Unthreaded: the receipt covers the whole room's main timeline, which is what aggregation reads.
    await client.sendReceipt(event, ReceiptType.Read, {}, true);
    return;
  }
  await client.http.authedRequest(
    Method.Post,
    `/rooms/${encodeURIComponent(roomId)}/receipt/${ReceiptType.Read}/${encodeURIComponent(eventId)}`,
    undefined,
    {},
  );
}
